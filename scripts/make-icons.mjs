#!/usr/bin/env node
// Renders resources/icon.svg into resources/icons/<N>x<N>.png, every size the installers want: the Linux
// hicolor set (16–512) and the 1024 px source electron-builder turns into the macOS .icns and the
// Windows .ico. Run it after changing the SVG and commit the PNGs (`npm install` never runs it). It uses
// Playwright's browser API with Debian's Chromium, which the test suite needs anyway.
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const ICON_SIZES = [16, 24, 32, 48, 64, 128, 256, 512, 1024];
export const ICONS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'resources', 'icons');

async function makeIcons() {
  const { chromium } = await import('@playwright/test');
  const svg = readFileSync(join(ICONS_DIR, '..', 'icon.svg')).toString('base64');
  mkdirSync(ICONS_DIR, { recursive: true });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
  try {
    const page = await browser.newPage({ viewport: { width: 1024, height: 1024 }, deviceScaleFactor: 1 });
    for (const size of ICON_SIZES) {
      await page.setContent(`<html><body style="margin:0;background:transparent"><img src="data:image/svg+xml;base64,${svg}" width="${size}" height="${size}"></body></html>`);
      await page.locator('img').evaluate((img) => img.decode());
      await page.screenshot({ path: join(ICONS_DIR, `${size}x${size}.png`), clip: { x: 0, y: 0, width: size, height: size }, omitBackground: true });
    }
  } finally {
    await browser.close();
  }
  process.stdout.write(`icons: ${ICON_SIZES.map((s) => `${s}x${s}`).join(', ')} written to resources/icons/\n`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await makeIcons();
