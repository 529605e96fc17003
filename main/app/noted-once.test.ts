import { describe, expect, it } from 'vitest';
import { NotedOnce } from './noted-once';

describe('NotedOnce', () => {
  it('notes each key once, then says once that it is full, then stays quiet', () => {
    const noted = new NotedOnce(2);
    expect(['a', 'a', 'b', 'a', 'c', 'd', 'b', 'e'].map((k) => noted.decide(k))).toEqual(['note', 'seen', 'note', 'seen', 'overflow', 'quiet', 'seen', 'quiet']);
  });
});
