// State shown by colour AND words: the tone picks the colour, the children are the words.
import type { ReactNode } from 'react';

export type Tone = 'ok' | 'busy' | 'warn' | 'bad' | 'idle';

export function StateBadge({ tone, children }: { tone: Tone; children: ReactNode }) {
  return <span className={`badge badge-${tone}`}>{children}</span>;
}
