// Every layer rule in .dependency-cruiser.cjs bites: each case plants a few files in a temporary copy of
// the repository's layout, cruises it with the real rules and expects exactly the violations it planted;
// the exceptions a rule grants are planted beside them and must stay quiet. Last, the repository itself.
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cruise, type ICruiseOptions, type ICruiseResult } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const TS_CONFIG = join(ROOT, 'tsconfig.json');

let rules: ICruiseOptions;
let planted: string | undefined;

beforeAll(async () => {
  rules = await extractDepcruiseOptions(join(ROOT, '.dependency-cruiser.cjs'));
});

afterEach(() => {
  if (planted) rmSync(planted, { recursive: true, force: true });
  planted = undefined;
});

/** Violations as `rule: from → to`, sorted, for a cruise of `roots` under `baseDir`. */
async function violations(baseDir: string, roots: string[]): Promise<string[]> {
  const { output } = await cruise(roots, { ...rules, baseDir, tsConfig: { fileName: TS_CONFIG } }, {}, { tsConfig: extractTSConfig(TS_CONFIG) });
  const found = (output as ICruiseResult).summary.violations;
  return found.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`).sort();
}

/** Writes the files (path → source) in a fresh directory beside the repository's packages and cruises them. */
async function violationsIn(files: Record<string, string>): Promise<string[]> {
  planted = realpathSync(mkdtempSync(join(tmpdir(), 'dockside-layers-')));
  symlinkSync(join(ROOT, 'node_modules'), join(planted, 'node_modules'), 'dir');
  for (const [path, source] of Object.entries(files)) {
    mkdirSync(dirname(join(planted, path)), { recursive: true });
    writeFileSync(join(planted, path), source);
  }
  const roots = [...new Set(Object.keys(files).map((path) => path.split('/')[0] ?? path))];
  return violations(planted, roots);
}

describe('each layer rule bites', () => {
  it('renderer-not-to-main', async () => {
    expect(await violationsIn({ 'renderer/page.ts': "import '../main/core';\n", 'main/core.ts': '' })).toEqual(['renderer-not-to-main: renderer/page.ts → main/core.ts']);
  });

  it('renderer-not-to-sim', async () => {
    expect(await violationsIn({ 'renderer/page.ts': "import '../sim/dock';\n", 'sim/dock.ts': '' })).toEqual(['renderer-not-to-sim: renderer/page.ts → sim/dock.ts']);
  });

  it('renderer-not-to-node', async () => {
    expect(await violationsIn({ 'renderer/page.ts': "import { readFileSync } from 'node:fs';\nexport const read = readFileSync;\n" })).toEqual(['renderer-not-to-node: renderer/page.ts → fs']);
  });

  it('renderer-not-to-node-packages', async () => {
    const found = await violationsIn({ 'renderer/page.ts': "import 'mqtt';\nimport 'zustand';\n" });
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/^renderer-not-to-node-packages: renderer\/page\.ts → .*node_modules\/mqtt\//);
  });

  it('main-not-to-renderer', async () => {
    expect(await violationsIn({ 'main/cli/web.ts': "import '../../renderer/App';\n", 'renderer/App.ts': '' })).toEqual(['main-not-to-renderer: main/cli/web.ts → renderer/App.ts']);
  });

  it('electron-only-in-glue, for require() and for type imports', async () => {
    const found = await violationsIn({
      'main/index.ts': "export const electron = require('electron');\n",
      'main/electron/power.ts': "import type { PowerSaveBlocker } from 'electron';\nexport type Blocker = PowerSaveBlocker;\n",
      'preload/index.ts': "export const electron = require('electron');\n",
      'main/host/ipc.ts': "export const electron = require('electron');\n",
      'renderer/page.ts': "import type { IpcRenderer } from 'electron';\nexport type Ipc = IpcRenderer;\n",
    });
    expect(found.map((v) => v.replace(/ → .*/, ''))).toEqual(['electron-only-in-glue: main/host/ipc.ts', 'electron-only-in-glue: renderer/page.ts']);
  });

  it('preload-not-to-main-or-renderer', async () => {
    const found = await violationsIn({
      'preload/index.ts': "import '../main/host/ipc';\n",
      'preload/api.ts': "import '../renderer/store';\n",
      'main/host/ipc.ts': '',
      'renderer/store.ts': '',
    });
    expect(found).toEqual(['preload-not-to-main-or-renderer: preload/api.ts → renderer/store.ts', 'preload-not-to-main-or-renderer: preload/index.ts → main/host/ipc.ts']);
  });

  it('wire-is-shared, type imports included', async () => {
    const found = await violationsIn({
      'wire/broker-url.ts': "import type { Settings } from '../preload/api';\nexport type Shared = Settings;\n",
      'wire/topics.ts': "import '../sim/dock';\nimport '../main/core';\nimport '../renderer/page';\n",
      'preload/api.ts': 'export type Settings = { url: string };\n',
      'sim/dock.ts': '',
      'main/core.ts': '',
      'renderer/page.ts': '',
    });
    expect(found).toEqual([
      'wire-is-shared: wire/broker-url.ts → preload/api.ts',
      'wire-is-shared: wire/topics.ts → main/core.ts',
      'wire-is-shared: wire/topics.ts → renderer/page.ts',
      'wire-is-shared: wire/topics.ts → sim/dock.ts',
    ]);
  });

  it('core-not-to-sim, but demo mode and the CLI sim commands may start simulators', async () => {
    const found = await violationsIn({
      'main/upgrade/run.ts': "import '../../sim/dock';\n",
      'main/app/demo-mode.ts': "import '../../sim/dock';\n",
      'main/cli/sim-dock-command.ts': "import '../../sim/dock';\n",
      'main/cli/sim-vehicle-command.ts': "import '../../sim/vehicle';\n",
      'sim/dock.ts': '',
      'sim/vehicle.ts': '',
    });
    expect(found).toEqual(['core-not-to-sim: main/upgrade/run.ts → sim/dock.ts']);
  });

  it('sim-not-to-main', async () => {
    expect(await violationsIn({ 'sim/dock.ts': "import '../main/journal';\nimport '../wire/topics';\n", 'main/journal.ts': '', 'wire/topics.ts': '' })).toEqual([
      'sim-not-to-main: sim/dock.ts → main/journal.ts',
    ]);
  });

  it('app-not-to-cli', async () => {
    expect(await violationsIn({ 'main/app/app-core.ts': "import '../cli/command';\n", 'main/cli/command.ts': '' })).toEqual(['app-not-to-cli: main/app/app-core.ts → main/cli/command.ts']);
  });

  it('no-test-helpers-in-product: no test file, testing/ folder or test-support/', async () => {
    const found = await violationsIn({
      'main/journal/journal.ts': "import './testing/append-burst';\nimport './line-format.test';\n",
      'renderer/store.ts': "import '../test-support/memory-backend';\n",
      'main/journal/testing/append-burst.ts': '',
      'main/journal/line-format.test.ts': '',
      'test-support/memory-backend.ts': '',
    });
    expect(found).toEqual([
      'no-test-helpers-in-product: main/journal/journal.ts → main/journal/line-format.test.ts',
      'no-test-helpers-in-product: main/journal/journal.ts → main/journal/testing/append-burst.ts',
      'no-test-helpers-in-product: renderer/store.ts → test-support/memory-backend.ts',
    ]);
  });

  it('bench-only-test-support: the benchmarks may use test-support/ and nothing else made for tests', async () => {
    const found = await violationsIn({
      'bench/soak.ts': "import '../test-support/brokers';\nimport '../main/journal/testing/append-burst';\nimport '../e2e/support/web-host';\n",
      'test-support/brokers.ts': '',
      'main/journal/testing/append-burst.ts': '',
      'e2e/support/web-host.ts': '',
    });
    expect(found).toEqual(['bench-only-test-support: bench/soak.ts → e2e/support/web-host.ts', 'bench-only-test-support: bench/soak.ts → main/journal/testing/append-burst.ts']);
  });

  it('no-circular, for runtime cycles only', async () => {
    const found = await violationsIn({
      'main/upgrade/a.ts': "import './b';\n",
      'main/upgrade/b.ts': "import './a';\n",
      'preload/api.ts': "import { gate } from './gates';\nexport type Row = { id: string };\nexport const check = gate;\n",
      'preload/gates.ts': "import type { Row } from './api';\nexport const gate = (row: Row): boolean => row.id !== '';\n",
    });
    // A cycle is reported once, from the first of its modules.
    expect(found).toEqual(['no-circular: main/upgrade/a.ts → main/upgrade/b.ts']);
  });

  it('not-to-unresolvable', async () => {
    expect(await violationsIn({ 'main/upgrade/run.ts': "import './missing';\n" })).toEqual(['not-to-unresolvable: main/upgrade/run.ts → ./missing']);
  });

  it('tests and their helpers are exempt from the layer rules', async () => {
    const found = await violationsIn({
      'renderer/page.test.ts': "import 'node:fs';\nimport 'ws';\nimport '../main/core';\nimport '../sim/dock';\nimport './testing/render';\n",
      'renderer/testing/render.ts': "import '../../main/core';\n",
      'main/app/app-core.test.ts': "import '../cli/command';\nimport '../../sim/dock';\nimport '../../test-support/brokers';\n",
      'preload/index.test.ts': "import '../main/core';\nexport const electron = require('electron');\n",
      'sim/dock.mosquitto.test.ts': "import '../main/core';\n",
      'test-support/brokers.ts': "import '../main/core';\nimport '../sim/dock';\n",
      'e2e/upgrade.spec.ts': "import '../main/core';\nimport '../test-support/brokers';\n",
      'main/core.ts': '',
      'main/cli/command.ts': '',
      'sim/dock.ts': '',
    });
    expect(found).toEqual([]);
  });
});

describe('the repository', () => {
  it('keeps every layer rule, cruised as `npm run layers` does', async () => {
    const script: string = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts.layers;
    const roots = script.split(' ').slice(script.split(' ').indexOf('.dependency-cruiser.cjs') + 1);
    expect(roots).toContain('main');
    expect(await violations(ROOT, roots)).toEqual([]);
  });
});
