import { describe, expect, it } from 'vitest';
import { GuardedEmitter } from './guarded-emitter';

describe('GuardedEmitter', () => {
  it('reports a throwing listener and still calls the others, in order', () => {
    const errors: [string, unknown][] = [];
    const e = new GuardedEmitter<{ row: [number] }>((event, error) => errors.push([event, error]));
    const seen: string[] = [];
    e.on('row', (n) => seen.push(`a${n}`));
    e.on('row', () => {
      throw new Error('the bridge broke');
    });
    e.on('row', (n) => seen.push(`c${n}`));
    expect(e.emit('row', 7)).toBe(true);
    expect(seen).toEqual(['a7', 'c7']);
    expect(errors).toEqual([['row', new Error('the bridge broke')]]);
    expect(new GuardedEmitter<{ row: [number] }>(() => undefined).emit('row', 1)).toBe(false);
  });

  it('keeps once-listeners once', () => {
    const e = new GuardedEmitter<{ tick: [] }>(() => undefined);
    let n = 0;
    e.once('tick', () => n++);
    e.emit('tick');
    e.emit('tick');
    expect(n).toBe(1);
  });
});
