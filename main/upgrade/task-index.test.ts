import { describe, expect, it } from 'vitest';
import { TaskIndex, type IndexedTask } from './task-index';

interface T extends IndexedTask {
  name: string;
  open: boolean;
  tids: Set<string>;
}

const task = (name: string, gateway: string, bid: string, tids: string[], open = true): T => ({ name, gateway, bid, tids: new Set(tids), open });

function index(...tasks: T[]): TaskIndex<T> {
  const i = new TaskIndex<T>((t) => t.open);
  for (const t of tasks) i.add(t);
  return i;
}

const a = task('A', 'DOCK-A', 'bid-a', ['tid-a1', 'tid-a2']);
const b = task('B', 'DOCK-B', 'bid-b', ['tid-b1']);
const closed = task('C', 'DOCK-C', 'bid-c', ['tid-c1'], false);

// gateway the message came on, its bid and tid → the task it belongs to (by what), or foreign
const CASES: [string, string, string, string][] = [
  ['DOCK-A', 'bid-a', 'fresh-tid', 'A by bid'],
  ['DOCK-A', 'bid-a', 'tid-a1', 'A by bid'],
  ['DOCK-A', '', 'tid-a2', 'A by tid'],
  ['DOCK-A', 'someone-elses-bid', 'tid-a1', 'A by tid'],
  ['DOCK-A', 'someone-elses-bid', 'fresh-tid', 'A by gateway'],
  ['DOCK-A', '', '', 'A by gateway'],
  ['DOCK-B', 'bid-a', 'fresh-tid', "foreign: it names task bid-a of gateway DOCK-A but came on DOCK-B's topic"],
  ['EVIL', '', 'tid-a1', "foreign: it names task bid-a of gateway DOCK-A but came on EVIL's topic"],
  ['EVIL', 'x', 'y', 'foreign: no upgrade of ours is running on EVIL'],
  ['DOCK-C', 'bid-c', 'y', 'C by bid'],
  ['DOCK-C', 'x', 'y', 'foreign: no upgrade of ours is running on DOCK-C'],
];

describe('TaskIndex.match', () => {
  it.each(CASES)('on %s with bid "%s" and tid "%s" → %s', (gateway, bid, tid, want) => {
    const m = index(a, b, closed).match(gateway, { bid, tid });
    expect(m.task ? `${m.task.name} by ${m.by}` : `foreign: ${m.foreign}`).toBe(want);
  });

  it('matches a tid added after the task was indexed (a later ota_create try)', () => {
    const t = task('R', 'DOCK-R', 'bid-r', []);
    const i = index(t);
    t.tids.add('tid-r2');
    i.addTid(t, 'tid-r2');
    expect(i.match('DOCK-R', { bid: '', tid: 'tid-r2' })).toMatchObject({ task: t, by: 'tid' });
  });

  it('will not guess between two open tasks on one gateway', () => {
    const i = index(task('X', 'DOCK-X', 'bid-x', []), task('Y', 'DOCK-X', 'bid-y', []));
    expect(i.match('DOCK-X', { bid: '', tid: '' })).toEqual({ foreign: '2 upgrades of ours are open on DOCK-X and it names none of them' });
  });
});
