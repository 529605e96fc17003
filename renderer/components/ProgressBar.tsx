export interface ProgressBarProps {
  /** 0–100 */
  value: number;
  label: string;
  valueText?: string;
  tone?: 'ok' | 'busy' | 'bad' | 'doubt' | 'idle';
}

export function ProgressBar({ value, label, valueText, tone = 'busy' }: ProgressBarProps) {
  const clamped = Math.max(0, Math.min(100, Math.round(value)));
  return (
    <div className={`progress progress-${tone}`} role="progressbar" aria-label={label} aria-valuemin={0} aria-valuemax={100} aria-valuenow={clamped} aria-valuetext={valueText ?? `${clamped}%`}>
      <div className="progress-fill" style={{ width: `${clamped}%` }} />
    </div>
  );
}
