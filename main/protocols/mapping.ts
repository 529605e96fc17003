// One row of a protocol table: where a protocol status lands on the normalised timeline, and why.
import type { Phase, State } from '../../preload/api';

export interface Mapping {
  readonly phase: Phase;
  readonly state: State;
  /** Shown in the mapping doc and appended to the event message: the status in words. */
  readonly note: string;
}
