// Drives the real web client in Debian's headless Chromium (playwright-core, never a
// downloaded browser) against a real harmonic-server serving <build-web>/site.
//
// Tests act like people: they click, drag and type on the canvas. Where a widget is
// comes from window.harmonic.status().ui.widgets (the client records the rectangle
// of its named controls every frame); what happened is read back from status().
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { chromium } from 'playwright-core';

import { repoRoot } from '../../lib/server.mjs';

export const webBuildDir = process.env.HARMONIC_WEB_BUILD
  ? path.resolve(process.env.HARMONIC_WEB_BUILD)
  : path.join(repoRoot, 'build-web');
export const siteDir = path.join(webBuildDir, 'site');
export const artifactsDir = path.join(repoRoot, 'tests', 'e2e', 'artifacts');

export function siteAvailable() {
  return fs.existsSync(path.join(siteDir, 'index.html')) && fs.existsSync(path.join(siteDir, 'harmonic-web.wasm'));
}

export const chromiumArgs = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--use-angle=swiftshader', '--enable-unsafe-swiftshader',
  '--autoplay-policy=no-user-gesture-required',
];

export async function launch() {
  return chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: chromiumArgs });
}

// A page of the client for one person, collecting console errors for the report.
// `initScript` runs in the page before the client loads (to observe what the app does).
export async function openClient(browser, url, { width = 1280, height = 800, name = 'page', initScript } = {}) {
  const context = await browser.newContext({ viewport: { width, height } });
  if (initScript) await context.addInitScript(initScript);
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  await page.goto(url);
  await page.waitForFunction(() => window.harmonic && window.harmonic.status().frames > 0, null, { timeout: 20000 });
  return { context, page, problems, name };
}

export async function status(page) {
  return page.evaluate(() => window.harmonic.status());
}

// Polls status() until `predicate(status)` holds; returns that status.
export async function waitFor(page, predicate, { timeout = 10000, what = 'condition' } = {}) {
  const deadline = Date.now() + timeout;
  let last;
  while (Date.now() < deadline) {
    last = await status(page);
    if (predicate(last)) return last;
    await page.waitForTimeout(50);
  }
  throw new Error(`timed out waiting for ${what}; last status: ${JSON.stringify({ ...last, ui: undefined }).slice(0, 1500)}`);
}

export async function widget(page, name, { timeout = 10000 } = {}) {
  const s = await waitFor(page, (st) => st.ui && st.ui.widgets && st.ui.widgets[name], { timeout, what: `widget ${name}` });
  return s.ui.widgets[name];
}

// Waits until the client has drawn `count` more frames. Dear ImGui reads input once per
// frame, so what must not share a frame with the next input (a button held down, a key
// whose effect the next characters depend on) is followed by this, not by a fixed sleep:
// on a loaded machine a frame can take longer than any sleep chosen in advance.
export async function afterFrames(page, count = 2, { timeout = 10000 } = {}) {
  const start = await page.evaluate(() => window.harmonic.status().frames);
  await page.waitForFunction((target) => window.harmonic.status().frames >= target, start + count,
    { timeout, polling: 'raf' });
}

export async function click(page, name, { fx = 0.5, fy = 0.5 } = {}) {
  const r = await widget(page, name);
  await page.mouse.move(r.x + r.w * fx, r.y + r.h * fy, { steps: 3 });
  await page.mouse.down();
  await afterFrames(page);  // a whole frame with the button down
  await page.mouse.up();
  await afterFrames(page);  // and one that sees it released, before anything else happens
}

// Drags a slider from its current grab position to `toFraction` of its width.
export async function dragSlider(page, name, toFraction, { steps = 12 } = {}) {
  const r = await widget(page, name);
  const y = r.y + r.h / 2;
  await page.mouse.move(r.x + r.w * 0.5, y, { steps: 2 });
  await page.mouse.down();
  await afterFrames(page);  // the slider is grabbed before it moves
  await page.mouse.move(r.x + r.w * toFraction, y, { steps });
  await afterFrames(page);  // and has taken the last position before it is let go
  await page.mouse.up();
}

export async function typeInto(page, name, text, { enter = false } = {}) {
  await click(page, name);
  await page.keyboard.type(text, { delay: 15 });
  if (enter) await page.keyboard.press('Enter');
}

export async function screenshot(page, file) {
  fs.mkdirSync(artifactsDir, { recursive: true });
  const target = path.join(artifactsDir, file);
  const png = await page.screenshot({ path: target });
  return { target, png };
}

// Minimal PNG decoder (8-bit RGB/RGBA, non-interlaced: what Chromium writes), for
// pixel checks without extra packages. Returns {width, height, channels, data}.
export function decodePng(buffer) {
  let offset = 8;
  let width = 0, height = 0, colorType = 0;
  const idat = [];
  while (offset < buffer.length) {
    const length = buffer.readUInt32BE(offset);
    const type = buffer.toString('latin1', offset + 4, offset + 8);
    const body = buffer.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') {
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
      colorType = body[9];
      if (body[8] !== 8 || body[12] !== 0) throw new Error('unsupported PNG');
    } else if (type === 'IDAT') {
      idat.push(body);
    } else if (type === 'IEND') {
      break;
    }
    offset += 12 + length;
  }
  const channels = colorType === 6 ? 4 : colorType === 2 ? 3 : colorType === 0 ? 1 : 0;
  if (!channels) throw new Error(`unsupported PNG colour type ${colorType}`);
  const raw = zlib.inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const data = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let x = 0; x < stride; x++) {
      const a = x >= channels ? data[y * stride + x - channels] : 0;
      const b = y > 0 ? data[(y - 1) * stride + x] : 0;
      const c = x >= channels && y > 0 ? data[(y - 1) * stride + x - channels] : 0;
      let v = line[x];
      if (filter === 1) v += a;
      else if (filter === 2) v += b;
      else if (filter === 3) v += (a + b) >> 1;
      else if (filter === 4) {
        const p = a + b - c;
        const pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c);
        v += pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      }
      data[y * stride + x] = v & 255;
    }
  }
  return { width, height, channels, data };
}

// How much of a region is lit: the fraction of pixels brighter than `threshold`
// above the darkest value, and the number of distinct colours (coarsely binned).
export function pixelStats(image, region = null) {
  const { width, height, channels, data } = image;
  const x0 = region?.x ?? 0, y0 = region?.y ?? 0;
  const x1 = Math.min(width, x0 + (region?.w ?? width)), y1 = Math.min(height, y0 + (region?.h ?? height));
  let lit = 0, total = 0;
  const colours = new Set();
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const i = (y * width + x) * channels;
      const r = data[i], g = data[i + 1 < data.length ? i + 1 : i], b = data[i + 2 < data.length ? i + 2 : i];
      if (Math.max(r, g, b) > 40) lit++;
      colours.add(((r >> 4) << 8) | ((g >> 4) << 4) | (b >> 4));
      total++;
    }
  }
  return { litFraction: lit / Math.max(1, total), colours: colours.size };
}
