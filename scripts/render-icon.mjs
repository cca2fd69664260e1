// Renders resources/icon.svg to resources/icon.png (512 px) with the system Chromium.
// Run: node scripts/render-icon.mjs (needs Debian `chromium` or CHROMIUM_PATH).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const resources = join(import.meta.dirname, '..', 'resources');
const svg = readFileSync(join(resources, 'icon.svg'), 'utf8').replace(
  '<svg ',
  '<svg width="512" height="512" ',
);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
});
const page = await browser.newPage({ viewport: { width: 512, height: 512 } });
await page.setContent(`<body style="margin:0">${svg}</body>`);
await page.screenshot({ path: join(resources, 'icon.png'), omitBackground: true });
await browser.close();
