// Runs the app exactly as it ships: the app.asar electron-builder packed, extracted to a temporary folder
// with no node_modules anywhere above it, its main bundle started under plain Node with an Electron
// stand-in (scripts/electron-stand-in.cjs). Through the IPC handlers the real preload would call, it
// starts the demo, upgrades a demo dock to a verified end, and exports CSV, JSON Lines and the report,
// then checks the three files. A runtime `require` of anything the package does not carry fails here.
import { fork } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, parse } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const STAND_IN = join(dirname(fileURLToPath(import.meta.url)), 'electron-stand-in.cjs');
const FIELD_ORDER = ['id', 'time', 'source', 'device', 'campaign', 'phase', 'state', 'percent', 'message', 'raw'];
const CSV_HEADER = [...FIELD_ORDER, 'site', 'technician', 'customer', 'notes'].join(',');
const DOCK = 'DEMO-DOCK-01';
const STEP_TIMEOUT_MS = 90_000;

/** node_modules folders a module under `dir` could resolve from. */
function nodeModulesAbove(dir) {
  const found = [];
  for (let d = dir; ; d = dirname(d)) {
    if (existsSync(join(d, 'node_modules'))) found.push(join(d, 'node_modules'));
    if (d === parse(d).root) return found;
  }
}

function startApp(appDir, dataDir) {
  const child = fork(join(appDir, 'dist/main/index.cjs'), ['--data', dataDir], {
    cwd: dirname(appDir),
    execArgv: ['--require', STAND_IN],
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    env: { ...process.env, NODE_PATH: '', NODE_OPTIONS: '', DOCKSIDE_INGEST_PORT: '0' },
  });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal)));
  const waiters = [];
  const seen = [];
  child.on('message', (m) => {
    const items = m.type === 'send' ? m.batch.map((item) => ({ type: 'stream', ...item })) : [m];
    for (const item of items) {
      seen.push(item);
      for (const w of [...waiters]) if (w.match(item)) w.resolve(item);
    }
  });
  /** The first message (past or future) matching `match`; rejects after a timeout or when the app exits. */
  const next = (what, match, timeoutMs = STEP_TIMEOUT_MS) => {
    const past = seen.find(match);
    if (past) return Promise.resolve(past);
    return new Promise((resolve, reject) => {
      const waiter = { match, resolve: (v) => done(() => resolve(v)) };
      const timer = setTimeout(() => done(() => reject(new Error(`timed out waiting for ${what}; app output: ${output.slice(-600)}`))), timeoutMs);
      void exited.then((code) => done(() => reject(new Error(`the app exited (${code}) while waiting for ${what}: ${output.slice(-600)}`))));
      const done = (fn) => {
        clearTimeout(timer);
        const i = waiters.indexOf(waiter);
        if (i < 0) return;
        waiters.splice(i, 1);
        fn();
      };
      waiters.push(waiter);
    });
  };
  let ids = 0;
  const call = async (name, req = {}) => {
    const id = ++ids;
    child.send({ type: 'invoke', id, channel: `dockside:call:${name}`, req });
    const reply = await next(`the reply to ${name}`, (m) => m.type === 'reply' && m.id === id);
    if (reply.error || reply.value?.error) throw new Error(`${name}: ${reply.error ?? JSON.stringify(reply.value.error)}`);
    return reply.value.res;
  };
  return { child, call, next, exited, output: () => output };
}

function checkCsv(text, problems) {
  const lines = text.trimEnd().split('\r\n');
  if (lines[0] !== CSV_HEADER) problems.push(`CSV header is "${lines[0]}"`);
  if (!lines.some((l) => l.includes(`,${DOCK},`))) problems.push(`CSV has no row for ${DOCK}`);
  return lines.length - 1;
}

function checkJsonl(text, problems) {
  const events = text
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l));
  const bad = events.find((e) => Object.keys(e).join(',') !== [...FIELD_ORDER, 'job'].join(',') || e.job.site !== 'Packaging check site');
  if (bad) problems.push(`JSONL line with fields ${Object.keys(bad).join(',')}`);
  if (!events.some((e) => e.device === DOCK && e.state === 'succeeded' && e.phase === 'done')) problems.push(`JSONL has no finished upgrade of ${DOCK}`);
  if (!events.some((e) => e.source !== 'dji')) problems.push('JSONL has no vehicle event from the demo');
  return events.length;
}

function checkReport(html, problems) {
  if (!html.startsWith('<!doctype html>')) problems.push('the report is not an HTML document');
  if (/<script/i.test(html)) problems.push('the report carries a script');
  if (!/<svg class="timeline"[^>]*aria-label="Upgrade timeline per device">/.test(html)) problems.push('the report has no timeline');
  const dockRow = html.split('\n').find((l) => l.startsWith(`<tr data-device="${DOCK}">`)) ?? '';
  if (!dockRow.includes('outcome-succeeded') || !dockRow.includes('<td>10.01.1700</td>')) problems.push(`the report's row for ${DOCK} does not show a verified 10.01.1700: ${dockRow.slice(0, 200)}`);
  if (!html.includes('Packaging check site')) problems.push('the report lacks the site it was given');
}

/** Problems found (empty when the packaged app works) and one line saying what ran. */
export async function checkPackagedApp(archive) {
  const problems = [];
  const work = mkdtempSync(join(tmpdir(), 'dockside-packaged-app-'));
  const appDir = join(work, 'app');
  require('@electron/asar').extractAll(archive, appDir);
  const reachable = nodeModulesAbove(join(appDir, 'dist/main'));
  if (reachable.length > 0) {
    rmSync(work, { recursive: true, force: true });
    return { problems: [`cannot run the packaged app in isolation: ${reachable.join(', ')} is reachable from ${appDir}`], summary: '' };
  }
  const app = startApp(appDir, join(work, 'data'));
  let summary = '';
  try {
    const window = await app.next('the window', (m) => m.type === 'window');
    if (!window.pageExists) problems.push(`the window loads ${window.page}, which the package lacks`);
    if (!window.preloadExists) problems.push(`the window's preload ${window.preload} is not in the package`);
    const info = await app.call('app.info');
    await app.call('demo.start');
    await app.next(`${DOCK} online`, (m) => m.type === 'stream' && m.stream === 'device' && m.payload.sn === DOCK && m.payload.online);
    const firmware = (await app.call('firmware.list')).find((f) => f.fileName.endsWith('-demo.bin') && f.md5);
    const started = await app.call('upgrade.start', { firmwareId: firmware.id, devices: [DOCK], type: 'regular' });
    if (!started.accepted.includes(DOCK)) problems.push(`upgrade.start refused ${DOCK}: ${JSON.stringify(started.refused)}`);
    await app.next(`${DOCK} upgraded and verified`, (m) => m.type === 'stream' && m.stream === 'upgrade' && m.payload.sn === DOCK && m.payload.status === 'ok' && m.payload.verified);
    await app.call('demo.stop');
    const files = {};
    for (const format of ['csv', 'jsonl', 'html']) {
      const { exportId } = await app.call('export.start', { format, site: 'Packaging check site' });
      const done = await app.next(`the ${format} export`, (m) => m.type === 'stream' && m.stream === 'exportProgress' && m.payload.exportId === exportId && (m.payload.path || m.payload.error));
      if (done.payload.error) problems.push(`${format} export failed: ${done.payload.error}`);
      else files[format] = readFileSync(done.payload.path, 'utf8');
    }
    const rows = files.csv === undefined ? 0 : checkCsv(files.csv, problems);
    const lines = files.jsonl === undefined ? 0 : checkJsonl(files.jsonl, problems);
    if (files.html !== undefined) checkReport(files.html, problems);
    if (rows !== lines) problems.push(`CSV has ${rows} rows but JSONL ${lines} lines`);
    app.child.send({ type: 'quit' });
    const code = await Promise.race([app.exited, new Promise((r) => setTimeout(() => r('still running 20 s after quit'), 20_000))]);
    if (code !== 0) problems.push(`the app did not exit cleanly on quit: ${code}`);
    summary = `version ${info.version} ran from the extracted app.asar with no node_modules: demo, ${DOCK} upgraded and verified, ${lines} events exported as CSV, JSONL and the report`;
  } catch (e) {
    problems.push(e.message);
  } finally {
    if (app.child.exitCode === null) app.child.kill('SIGKILL');
    const output = app.output();
    for (const line of output.split('\n').filter((l) => /Cannot find module|ERR_MODULE_NOT_FOUND|Error:/.test(l))) problems.push(`app output: ${line.trim()}`);
    rmSync(work, { recursive: true, force: true });
  }
  return { problems, summary };
}
