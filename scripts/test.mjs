#!/usr/bin/env node
// `npm test`: type-check, lint, unit/integration tests (vitest), then the browser suite (Playwright) when it
// exists, and one closing line "N passed, N failed" that CI counts (vitest's own summary is not one).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const out = mkdtempSync(join(tmpdir(), 'dockside-test-'));
let passed = 0;
let failed = 0;

function run(label, cmd, args, extraEnv = {}) {
  process.stdout.write(`\n== ${label}: ${cmd} ${args.join(' ')}\n`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...extraEnv } });
  return r.status ?? 1;
}

/** An npm script with its output held back, so that checks run side by side still print one after another. */
function runQuietly(script) {
  return new Promise((resolve) => {
    const child = spawn('npm', ['run', '--silent', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks = [];
    child.stdout.on('data', (c) => chunks.push(c));
    child.stderr.on('data', (c) => chunks.push(c));
    child.on('close', (code) => resolve({ code: code ?? 1, output: Buffer.concat(chunks).toString() }));
  });
}

// The house rules, each a counted step: types, lint (with type information), the format. They only read the
// tree, so they run together: the two slow ones take a core each. The layers' import rules are cruised over
// the repository by scripts/layer-rules.test.ts, with the vitest step, so they are not a step of their own.
const houseChecks = [
  ['typecheck', 'typecheck'],
  ['lint (ESLint with type information)', 'lint'],
  ['format (Prettier)', 'format:check'],
];
const houseResults = await Promise.all(houseChecks.map(([, script]) => runQuietly(script)));
houseChecks.forEach(([label, script], i) => {
  const { code, output } = houseResults[i];
  process.stdout.write(`\n== ${label}: npm run --silent ${script}\n${output}`);
  if (code === 0) passed += 1;
  else failed += 1;
});

const vitestJson = join(out, 'vitest.json');
run('unit and integration', 'npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestJson}`]);
if (existsSync(vitestJson)) {
  const r = JSON.parse(readFileSync(vitestJson, 'utf8'));
  passed += r.numPassedTests;
  failed += r.numFailedTests + (r.numTotalTestSuites > 0 && r.success === false && r.numFailedTests === 0 ? 1 : 0);
} else {
  failed += 1;
  process.stdout.write('vitest wrote no report: counted as one failure\n');
}

// The whole build (renderer, main, preload): the packaging check and the browser suite use it.
const built = run('build', 'node', ['scripts/build.mjs']) === 0;
if (built) passed += 1;
else failed += 1;
if (built && run('packaging (electron-builder.yml)', 'node', ['scripts/check-packaging.mjs']) === 0) passed += 1;
else failed += 1;

const hasE2e = existsSync('e2e') && readdirSync('e2e').some((f) => f.endsWith('.spec.ts'));
if (hasE2e) {
  const pwJson = join(out, 'playwright.json');
  run('browser (Playwright, Debian chromium)', 'npx', ['playwright', 'test', '--reporter=list,json'], {
    PLAYWRIGHT_JSON_OUTPUT_NAME: pwJson,
  });
  if (existsSync(pwJson)) {
    const { stats } = JSON.parse(readFileSync(pwJson, 'utf8'));
    passed += stats.expected + stats.flaky;
    failed += stats.unexpected;
  } else {
    failed += 1;
    process.stdout.write('Playwright wrote no report: counted as one failure\n');
  }
}

process.stdout.write(`\n${passed} passed, ${failed} failed\n`);
process.exit(failed === 0 ? 0 : 1);
