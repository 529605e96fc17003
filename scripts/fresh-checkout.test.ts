// A fresh checkout (no dist/ at all, as when an install skipped its prepare script) in a temporary copy of
// this tree: `dockside` builds its bundle on first use, never runs one older than the sources, falls back
// to tsx when it cannot build, and `dockside web` builds the user interface before serving it.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAedes, type TestBroker } from '../test-support/brokers';

const REPO = join(import.meta.dirname, '..');
let copy: string;

/** The tracked and new files of this tree (what a clone has, plus uncommitted work), node_modules linked. */
function freshCheckout(): string {
  const dir = mkdtempSync(join(tmpdir(), 'dockside-checkout-'));
  const listed = spawnSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], { cwd: REPO, encoding: 'utf8' });
  if (listed.status !== 0) throw new Error(`git ls-files failed: ${listed.stderr}`);
  for (const file of listed.stdout.split('\n').filter(Boolean)) {
    if (!existsSync(join(REPO, file))) continue;
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    cpSync(join(REPO, file), join(dir, file));
  }
  symlinkSync(join(REPO, 'node_modules'), join(dir, 'node_modules'), 'dir');
  return dir;
}

function dockside(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, ['bin/dockside.mjs', ...args], { cwd: copy, encoding: 'utf8', env: { ...process.env, DOCKSIDE_CLI_TRACE: '1', ...env } });
  const trace = r.stderr
    .split('\n')
    .filter((l) => l.startsWith('dockside-cli: '))
    .map((l) => l.slice('dockside-cli: '.length));
  return { code: r.status, stdout: r.stdout, trace };
}

function edit(path: string, change: (text: string) => string): void {
  writeFileSync(join(copy, path), change(readFileSync(join(copy, path), 'utf8')));
}

beforeAll(() => {
  copy = freshCheckout();
});

afterAll(() => rmSync(copy, { recursive: true, force: true }));

describe('dockside from a fresh checkout', () => {
  it('builds its bundle on first use and then runs it', () => {
    expect(existsSync(join(copy, 'dist'))).toBe(false);
    const first = dockside(['--help']);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^ {2}hash\s+MD5, size and hashing time/m);
    expect(first.trace).toEqual(['rebuilding the bundle: not built yet', expect.stringMatching(/^running the new bundle dockside-\w+\.mjs$/)]);
    const again = dockside(['--help']);
    expect(again.stdout).toBe(first.stdout);
    expect(again.trace).toEqual([first.trace[1]!.replace('the new bundle', 'the bundle')]);
  });

  it('never runs a bundle older than its sources: an edited source is rebuilt before it runs', () => {
    dockside(['--help']);
    edit('main/cli/summaries.ts', (t) => t.replace('MD5, size and hashing time', 'MD5 (edited), size and hashing time'));
    const r = dockside(['--help']);
    expect(r.trace[0]).toBe('rebuilding the bundle: main/cli/summaries.ts changed');
    expect(r.stdout).toMatch(/^ {2}hash\s+MD5 \(edited\), size/m);
  });

  it('rebuilds when a lazily loaded command changed, and that command runs the new code', () => {
    dockside(['--help']);
    edit('main/cli/hash-command.ts', (t) => t.replace('Usage: dockside hash [--json] FILE…', 'Usage: dockside hash [--json] FILE… (edited)'));
    const r = dockside(['hash', '--help']);
    expect(r.trace[0]).toBe('rebuilding the bundle: main/cli/hash-command.ts changed');
    expect(r.stdout).toContain('Usage: dockside hash [--json] FILE… (edited)');
  });

  it('rebuilds when a file appears beside the sources (it could shadow one in module resolution)', () => {
    dockside(['--help']);
    writeFileSync(join(copy, 'main/cli/notes.txt'), 'a new file\n');
    expect(dockside(['--help']).trace[0]).toBe('rebuilding the bundle: main/cli/ changed');
  });

  it('runs the TypeScript through tsx when the bundle cannot be built, and with DOCKSIDE_CLI=tsx', () => {
    const original = readFileSync(join(copy, 'main/cli/export-command.ts'), 'utf8');
    try {
      // A syntax error in a command `--help` does not load: esbuild refuses the whole bundle, tsx never reads that file.
      writeFileSync(join(copy, 'main/cli/export-command.ts'), `${original}\nexport const broken = ;\n`);
      const r = dockside(['--help']);
      expect(r.code).toBe(0);
      expect(r.trace).toEqual([
        'rebuilding the bundle: main/cli/export-command.ts changed',
        expect.stringMatching(/^cannot build the bundle \(.*\); running the TypeScript through tsx$/),
        'running the TypeScript through tsx',
      ]);
      expect(r.stdout).toMatch(/^ {2}export\s/m);
    } finally {
      writeFileSync(join(copy, 'main/cli/export-command.ts'), original);
    }
    const forced = dockside(['--help'], { DOCKSIDE_CLI: 'tsx' });
    expect(forced.trace).toEqual(['running the TypeScript through tsx']);
    expect(forced.stdout).toMatch(/^ {2}export\s/m);
  });
});

describe('dockside web from a fresh checkout', () => {
  let broker: TestBroker | undefined;
  afterAll(async () => broker?.stop());

  it('builds the user interface on first start, saying so, then serves it', async () => {
    rmSync(join(copy, 'dist/renderer'), { recursive: true, force: true });
    broker = await startAedes();
    const data = mkdtempSync(join(tmpdir(), 'dockside-checkout-data-'));
    const child = spawn(process.execPath, ['bin/dockside.mjs', 'web', '--port', '0', '--data', data, '--broker', broker.url], { cwd: copy, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        createInterface({ input: child.stdout }).on('line', (line) => {
          const m = /^Dockside web host: (\S+)$/.exec(line);
          if (m) resolve(m[1]!);
        });
        void exited.then((code) => reject(new Error(`dockside web exited with ${code}: ${stderr}`)));
      });
      expect(stderr).toMatch(/^dockside web: the user interface is not built yet; building it now \(first start\)…\ndockside web: user interface built in \d+\.\d s\n/);
      const page = await fetch(url);
      expect(page.status).toBe(200);
      const html = await page.text();
      const script = /<script type="module" crossorigin src="\.\/(assets\/index-[\w-]+\.js)"><\/script>/.exec(html);
      expect(script, html).not.toBeNull();
      const asset = await fetch(new URL(script![1]!, url));
      expect(asset.status).toBe(200);
      expect((await asset.text()).length).toBeGreaterThan(10_000);
    } finally {
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      rmSync(data, { recursive: true, force: true });
    }
  });
});
