// The middle of a Progress row: step, bar, and the numbers a technician reads. While the device runs,
// Elapsed ticks with the page's clock, and a device silent for a while says so with its speed and ETA
// blanked; an ended row says how long it took and its average speed. Bytes are this attempt's.
import type { DeviceUpgrade } from '../../preload/api';
import { ProgressBar } from '../components/ProgressBar';
import { formatBytes, formatDuration, formatSpeed } from '../lib/format';
import { useSlice } from '../store/stores';
import { isLive, rowTiming, STATUS_TONE, stepWords } from './upgrade-row-words';
import { DJI_TERMINAL_STATUSES } from '../../preload/dji-codes';

export function UpgradeRowFigures({ row }: { row: DeviceUpgrade }) {
  const live = isLive(row);
  const hostNow = useSlice('clock', (s) => (live ? s.hostNow : 0));
  const timing = rowTiming(row, hostNow);
  const ended = DJI_TERMINAL_STATUSES.has(row.status);
  const tone = STATUS_TONE[row.status];
  const barTone = tone === 'ok' || tone === 'bad' || tone === 'doubt' || tone === 'idle' ? tone : 'busy';
  const silent = timing.silentSeconds;
  return (
    <div className="row-progress">
      <div className="row-step">
        <span>{stepWords(row)}</span>
        <span className="mono">{Math.round(row.percent)}%</span>
      </div>
      <ProgressBar value={row.percent} label={`${row.sn} upgrade progress`} valueText={`${Math.round(row.percent)}% — ${stepWords(row)}`} tone={barTone} />
      <div className="row-numbers small">
        <span>
          {formatBytes(row.bytesServed)} of {formatBytes(row.fileSize)} served
        </span>
        {ended ? (
          <>
            <span>Took {formatDuration(timing.elapsedSeconds)}</span>
            {row.speed !== undefined ? <span>average {formatSpeed(row.speed)}</span> : null}
          </>
        ) : live ? (
          <>
            {silent !== undefined ? <span className="silent">No report for {formatDuration(silent)}</span> : null}
            <span>{silent !== undefined ? 'speed —' : formatSpeed(row.speed)}</span>
            <span>ETA {silent !== undefined ? '—' : formatDuration(row.etaSeconds)}</span>
            <span>Elapsed {formatDuration(timing.elapsedSeconds)}</span>
          </>
        ) : null}
      </div>
    </div>
  );
}
