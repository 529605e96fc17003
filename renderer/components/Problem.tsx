// What went wrong, said where it happened: nothing when there is nothing to say.
interface Props {
  message: string | null | undefined;
  /** 'notice' is a boxed message under a form; 'inline' a small line inside a row or panel. */
  look?: 'notice' | 'inline';
}

export function Problem({ message, look = 'notice' }: Props) {
  if (!message) return null;
  return (
    <p className={look === 'notice' ? 'notice notice-bad' : 'small text-bad'} role="alert">
      {message}
    </p>
  );
}
