// "Say it once" with a memory that cannot grow without bound: a sender inventing a new event method in
// every message must not grow the set, nor the log, forever.
export type NoteDecision = 'note' | 'seen' | 'overflow' | 'quiet';

export class NotedOnce {
  private readonly keys = new Set<string>();
  private overflowed = false;

  constructor(readonly limit: number) {}

  /**
   * 'note' the first time a key is met; 'seen' after. Once `limit` keys are remembered, a new key gets
   * 'overflow' once (say that no more are noted) and 'quiet' from then on.
   */
  decide(key: string): NoteDecision {
    if (this.keys.has(key)) return 'seen';
    if (this.keys.size < this.limit) {
      this.keys.add(key);
      return 'note';
    }
    if (this.overflowed) return 'quiet';
    this.overflowed = true;
    return 'overflow';
  }
}
