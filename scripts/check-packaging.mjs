#!/usr/bin/env node
// Checks the installers' configuration by the means that work without Electron's binary: electron-builder.yml
// read with electron-builder's own YAML parser and held to what a release needs, a Linux directory build
// against a stand-in Electron, a look inside the packed app.asar, and that app.asar run as it ships
// (scripts/packaged-app.mjs). Needs `npm run build` first. Exit 0 when all holds; each problem is one line.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ICON_SIZES, ICONS_DIR } from './make-icons.mjs';
import { checkPackagedApp } from './packaged-app.mjs';

const require = createRequire(import.meta.url);
const asar = require('@electron/asar');
const builderRequire = createRequire(require.resolve('app-builder-lib/package.json'));
const yaml = builderRequire('js-yaml');
const { default: FpmTarget } = builderRequire('./out/targets/FpmTarget');

/** Everything the app loads at run time; anything else in app.asar is there by accident. */
const PACKAGED = [/^\/package\.json$/, /^\/dist\/main\/index\.cjs$/, /^\/dist\/preload\/index\.cjs$/, /^\/dist\/renderer\/[^]+$/];
const NEEDED = ['/package.json', '/dist/main/index.cjs', '/dist/preload/index.cjs', '/dist/renderer/index.html'];
/** Credentials come from the environment (CSC_LINK, WIN_CSC_LINK, APPLE_API_KEY…), never from the file. */
const SECRET_KEYS = new Set(['cscLink', 'cscKeyPassword', 'cscInstallerLink', 'cscInstallerKeyPassword', 'certificateFile', 'certificatePassword', 'password', 'appleIdPassword']);

const problems = [];
const lines = [];

function targets(platform) {
  return [platform?.target ?? []].flat().map((t) => (typeof t === 'string' ? t : t.target));
}

function secretKeys(value, path = '') {
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([k, v]) => [...(SECRET_KEYS.has(k) ? [`${path}${k}`] : []), ...secretKeys(v, `${path}${k}.`)]);
}

/** The PNG's width and height from its IHDR chunk. */
function pngSize(path) {
  const head = readFileSync(path).subarray(0, 24);
  if (head.toString('hex', 0, 8) !== '89504e470d0a1a0a') return undefined;
  return [head.readUInt32BE(16), head.readUInt32BE(20)];
}

function checkConfig(config) {
  const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
  for (const [platform, target] of [
    ['linux', 'AppImage'],
    ['linux', 'deb'],
    ['win', 'nsis'],
    ['mac', 'dmg'],
  ]) {
    if (!targets(config[platform]).includes(target)) problems.push(`electron-builder.yml: no ${target} target for ${platform}`);
  }
  const pinned = pkg.optionalDependencies?.electron;
  if (!/^\d+\.\d+\.\d+$/.test(pinned ?? '')) problems.push(`package.json: electron must be pinned exactly in optionalDependencies, is "${pinned}"`);
  if (String(config.electronVersion) !== pinned) problems.push(`electron-builder.yml: electronVersion ${config.electronVersion} is not package.json's ${pinned}`);
  const depends = config.deb?.depends ?? [];
  const defaults = FpmTarget.prototype.getDefaultDepends('deb');
  const dropped = defaults.filter((d) => !depends.includes(d));
  if (dropped.length > 0) problems.push(`electron-builder.yml: deb.depends drops electron-builder's defaults ${dropped.join(', ')}`);
  if (!config.artifactName) problems.push('electron-builder.yml: no artifactName');
  if (!config.linux?.category) problems.push('electron-builder.yml: no linux.category');
  for (const platform of ['linux', 'win', 'mac']) {
    if (config[platform]?.icon !== 'resources/icons') problems.push(`electron-builder.yml: ${platform}.icon is not the icon set resources/icons`);
  }
  for (const size of ICON_SIZES) {
    const path = join(ICONS_DIR, `${size}x${size}.png`);
    const found = existsSync(path) ? pngSize(path) : undefined;
    if (found?.[0] !== size || found[1] !== size)
      problems.push(`resources/icons/${size}x${size}.png is ${found ? `${found[0]}x${found[1]}` : 'missing or not a PNG'} (run node scripts/make-icons.mjs)`);
  }
  const mac = config.mac ?? {};
  if (mac.hardenedRuntime !== true) problems.push('electron-builder.yml: mac.hardenedRuntime must be true (notarization requires it)');
  if (mac.notarize === false) problems.push('electron-builder.yml: mac.notarize is off');
  if (!mac.entitlements || !readFileSync(mac.entitlements, 'utf8').includes('com.apple.security.cs.allow-jit'))
    problems.push('electron-builder.yml: mac.entitlements must grant com.apple.security.cs.allow-jit');
  if (!config.win?.signtoolOptions?.signingHashAlgorithms?.includes('sha256') || !config.win.signtoolOptions.rfc3161TimeStampServer) {
    problems.push('electron-builder.yml: win.signtoolOptions must sign with sha256 and an RFC 3161 timestamp');
  }
  for (const key of secretKeys(config)) problems.push(`electron-builder.yml: ${key} belongs in the environment, not in the repository`);
  lines.push(
    `electron ${pinned}; deb depends on electron-builder's defaults + ${depends.filter((d) => !defaults.includes(d)).join(', ')}; icons ${ICON_SIZES.join(', ')} px; mac hardened runtime + notarization, win sha256 + timestamp, credentials from the environment`,
  );
}

async function checkDirectoryBuild() {
  const work = mkdtempSync(join(tmpdir(), 'dockside-packaging-'));
  try {
    const standIn = join(work, 'electron');
    mkdirSync(standIn);
    writeFileSync(join(standIn, 'electron'), '#!/bin/sh\necho "stand-in Electron: packaging check only"\n');
    chmodSync(join(standIn, 'electron'), 0o755);
    const out = join(work, 'out');
    const r = spawnSync('npx', ['electron-builder', '--linux', 'dir', '--config', 'electron-builder.yml', `-c.electronDist=${standIn}`, `-c.directories.output=${out}`], {
      encoding: 'utf8',
      env: { ...process.env, CSC_IDENTITY_AUTO_DISCOVERY: 'false' },
    });
    if (r.status !== 0) {
      problems.push(`electron-builder failed (exit ${r.status}): ${(r.stderr || r.stdout).trim().split('\n').slice(-3).join(' / ')}`);
      return;
    }
    const unpacked = join(out, 'linux-unpacked');
    if (!existsSync(join(unpacked, 'dockside'))) problems.push('no "dockside" executable in linux-unpacked');
    const archive = join(unpacked, 'resources', 'app.asar');
    if (!existsSync(archive)) return problems.push('no resources/app.asar');
    const files = asar
      .listPackage(archive)
      .map((f) => f.replaceAll('\\', '/'))
      .filter((f) => !('files' in asar.statFile(archive, f.slice(1))));
    const entries = new Set(files);
    for (const needed of NEEDED) if (!entries.has(needed)) problems.push(`app.asar lacks ${needed}`);
    const unlisted = files.filter((f) => !PACKAGED.some((p) => p.test(f)));
    for (const f of unlisted.slice(0, 5)) problems.push(`app.asar carries ${f}, which the app does not load (electron-builder.yml files:)`);
    if (unlisted.length > 5) problems.push(`app.asar carries ${unlisted.length - 5} more such files`);
    const pkg = JSON.parse(asar.extractFile(archive, 'package.json').toString());
    if (pkg.main !== 'dist/main/index.cjs') problems.push(`packaged package.json main is "${pkg.main}", not dist/main/index.cjs`);
    lines.push(`linux directory build against a stand-in Electron: app.asar holds ${files.length} files, all listed on purpose (main, preload, renderer, package.json)`);
    const ran = await checkPackagedApp(archive);
    problems.push(...ran.problems.map((p) => `packaged app: ${p}`));
    if (ran.problems.length === 0) lines.push(ran.summary);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

checkConfig(yaml.load(readFileSync('electron-builder.yml', 'utf8')));
await checkDirectoryBuild();
for (const p of problems) process.stdout.write(`packaging: ${p}\n`);
if (problems.length === 0) for (const line of lines) process.stdout.write(`packaging: ${line}\n`);
process.exit(problems.length === 0 ? 0 : 1);
