// Renders public/icon.svg into the PNG app icons and favicon.ico in public/ with Debian's Chromium
// (through Playwright, already a dev dependency): `node scripts/render-icons.mjs` after changing the SVG.
// favicon.ico holds 16, 32 and 48 pixel PNGs (an ICO may carry PNG images since Windows Vista).
import { Buffer } from 'node:buffer';
import { readFileSync, writeFileSync } from 'node:fs';
import { chromium } from 'playwright';

const publicDir = new URL('../public/', import.meta.url);
const svg = readFileSync(new URL('icon.svg', publicDir), 'utf8');

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu'],
});
const page = await browser.newPage();

async function render(size, { padding = 0, background = 'transparent' } = {}) {
  await page.setViewportSize({ width: size, height: size });
  const inner = size - 2 * padding;
  await page.setContent(
    `<html><body style="margin:0;background:${background}">` +
      `<img src="data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}" ` +
      `style="display:block;margin:${padding}px;width:${inner}px;height:${inner}px"></body></html>`,
  );
  return page.screenshot({ omitBackground: background === 'transparent', type: 'png' });
}

function ico(images) {
  const header = Buffer.alloc(6 + 16 * images.length);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2); // an icon
  header.writeUInt16LE(images.length, 4);
  let offset = header.length;
  images.forEach(({ size, png }, i) => {
    const entry = 6 + 16 * i;
    header.writeUInt8(size >= 256 ? 0 : size, entry);
    header.writeUInt8(size >= 256 ? 0 : size, entry + 1);
    header.writeUInt16LE(1, entry + 4); // colour planes
    header.writeUInt16LE(32, entry + 6); // bits per pixel
    header.writeUInt32LE(png.length, entry + 8);
    header.writeUInt32LE(offset, entry + 12);
    offset += png.length;
  });
  return Buffer.concat([header, ...images.map((i) => i.png)]);
}

const out = (name, data) => writeFileSync(new URL(name, publicDir), data);
out('icon-192.png', await render(192));
out('icon-512.png', await render(512));
// Maskable: the platform may crop to a circle, so the mark keeps to the inner 80 %.
out('icon-maskable-512.png', await render(512, { padding: 52, background: '#4f46e5' }));
// iOS draws its own rounded corners over an opaque square.
out('apple-touch-icon.png', await render(180, { background: '#4f46e5' }));
const small = [];
for (const size of [16, 32, 48]) small.push({ size, png: await render(size) });
out('favicon.ico', ico(small));
await browser.close();
