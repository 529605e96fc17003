#!/usr/bin/env node
// Checks electron-builder.yml by the means that work without Electron's binary: a Linux directory
// build against a stand-in Electron, then a look inside the result. Needs `npm run build` first.
// Exit 0 when the package holds what the app needs; each problem is one line.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkPackagedApp } from './packaged-app.mjs';

const require = createRequire(import.meta.url);
const asar = require('@electron/asar');
const work = mkdtempSync(join(tmpdir(), 'dockside-packaging-'));
const problems = [];
let ranLine = '';
try {
  const standIn = join(work, 'electron');
  mkdirSync(standIn);
  writeFileSync(join(standIn, 'electron'), '#!/bin/sh\necho "stand-in Electron: packaging check only"\n');
  chmodSync(join(standIn, 'electron'), 0o755);
  const out = join(work, 'out');
  const r = spawnSync(
    'npx',
    ['electron-builder', '--linux', 'dir', '--config', 'electron-builder.yml', `-c.electronDist=${standIn}`, `-c.directories.output=${out}`],
    { encoding: 'utf8', env: { ...process.env, CSC_IDENTITY_AUTO_DISCOVERY: 'false' } },
  );
  if (r.status !== 0) {
    problems.push(`electron-builder failed (exit ${r.status}): ${(r.stderr || r.stdout).trim().split('\n').slice(-3).join(' / ')}`);
  } else {
    const unpacked = join(out, 'linux-unpacked');
    if (!existsSync(join(unpacked, 'dockside'))) problems.push('no "dockside" executable in linux-unpacked');
    const archive = join(unpacked, 'resources', 'app.asar');
    if (!existsSync(archive)) problems.push('no resources/app.asar');
    else {
      const files = new Set(asar.listPackage(archive).map((f) => f.replaceAll('\\', '/')));
      for (const needed of ['/package.json', '/dist/main/index.cjs', '/dist/preload/index.cjs', '/dist/renderer/index.html']) {
        if (!files.has(needed)) problems.push(`app.asar lacks ${needed}`);
      }
      if ([...files].some((f) => f.startsWith('/node_modules/'))) problems.push('app.asar carries node_modules: main and preload are meant to be bundled');
      const pkg = JSON.parse(asar.extractFile(archive, 'package.json').toString());
      if (pkg.main !== 'dist/main/index.cjs') problems.push(`packaged package.json main is "${pkg.main}", not dist/main/index.cjs`);
      const ran = await checkPackagedApp(archive);
      problems.push(...ran.problems.map((p) => `packaged app: ${p}`));
      if (ran.problems.length === 0) ranLine = ran.summary;
    }
  }
  const config = readFileSync('electron-builder.yml', 'utf8');
  for (const target of ['AppImage', 'deb', 'nsis', 'dmg']) if (!new RegExp(`^\\s*-\\s*${target}\\s*$`, 'm').test(config)) problems.push(`electron-builder.yml has no ${target} target`);
  if (!existsSync('resources/icon.png')) problems.push('resources/icon.png is missing');
} finally {
  rmSync(work, { recursive: true, force: true });
}
for (const p of problems) process.stdout.write(`packaging: ${p}\n`);
if (problems.length === 0) {
  process.stdout.write('packaging: linux directory build against a stand-in Electron holds main, preload, renderer and package.json; targets AppImage, deb, nsis, dmg declared\n');
  process.stdout.write(`packaging: ${ranLine}\n`);
}
process.exit(problems.length === 0 ? 0 : 1);
