// State shown by colour AND words: the tone picks the colour, the children are the words.
import type { ReactNode } from 'react';

/** `doubt`: the dock said it worked, but the device never showed it (not verified). */
export type Tone = 'ok' | 'busy' | 'warn' | 'bad' | 'doubt' | 'idle';

export function StateBadge({ tone, children }: { tone: Tone; children: ReactNode }) {
  return <span className={`badge badge-${tone}`}>{children}</span>;
}
