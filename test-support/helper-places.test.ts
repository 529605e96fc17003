import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importGraph, misplacedHelpers, roomOf, type ImportGraph } from './helper-places';

const graph = (edges: Record<string, string[]>): ImportGraph => new Map(Object.entries(edges));

describe('where test helpers live', () => {
  it('holds in this repository', () => {
    const repo = importGraph(join(import.meta.dirname, '..'));
    expect(repo.get('test-support/helper-places.test.ts')).toEqual(['test-support/helper-places.ts']);
    expect(misplacedHelpers(repo)).toEqual([]);
  });

  it('names rooms by main/ and sim/ sub-folder, elsewhere by top folder', () => {
    expect(roomOf('main/journal/testing/append-burst.ts')).toBe('main/journal');
    expect(roomOf('sim/dji-dock/dock-sim.test.ts')).toBe('sim/dji-dock');
    expect(roomOf('renderer/views/LogView.test.tsx')).toBe('renderer');
    expect(roomOf('test-support/brokers.ts')).toBe('test-support');
  });

  it('reports each way of breaking it', () => {
    const broken = graph({
      'main/app/demo-mode.ts': ['test-support/brokers.ts'],
      'main/cli/upgrade-command.test.ts': ['main/journal/testing/events.ts', 'test-support/only-cli.ts', 'main/ingest/sink-for-tests.ts'],
      'main/journal/testing/events.ts': [],
      'test-support/only-cli.ts': [],
      'main/ingest/http-ingest.test.ts': ['main/ingest/sink-for-tests.ts', 'test-support/brokers.ts'],
      'main/ingest/sink-for-tests.ts': [],
      'test-support/brokers.ts': [],
    });
    expect(misplacedHelpers(broken)).toEqual([
      'main/app/demo-mode.ts: product code imports the test helper test-support/brokers.ts',
      'main/ingest/sink-for-tests.ts: imported by tests and benchmarks only: a helper belongs in a testing/ folder or test-support/',
      'main/journal/testing/events.ts: used outside main/journal (main/cli/upgrade-command.test.ts): move it to test-support/',
      "test-support/only-cli.ts: used by main/cli only: move it to that room's testing/",
    ]);
  });

  it('lets a product file be imported by its own test alone, and a shared helper by its own test', () => {
    expect(
      misplacedHelpers(
        graph({
          'renderer/lib/version.test.ts': ['renderer/lib/version.ts'],
          'renderer/lib/version.ts': [],
          'test-support/brokers.test.ts': ['test-support/brokers.ts'],
          'test-support/brokers.ts': [],
        }),
      ),
    ).toEqual([]);
  });
});
