// Web client size and speed: gzipped .wasm/.js/.data, time to first frame, and frames
// per second at 1,000 and 10,000 particles in headless Chromium (SwiftShader, so
// software rendering: real GPUs do much better). Writes bench/results/web-<date>.md,
// then runs the adaptive quality benchmark (quality.mjs, bench/results/web-quality-<date>.md).
//
//   node bench/web/run.mjs            (needs build/ and build-web/, and tests/e2e npm deps)
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';

import { setParticleCount } from './particle-count.mjs';
import { writeQualityReport } from './quality.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..', '..');
const e2e = path.join(repo, 'tests', 'e2e');
const requireE2e = createRequire(path.join(e2e, 'package.json'));
const { chromium } = requireE2e('playwright-core');
const { HarmonicServer } = await import(pathToFileURL(path.join(e2e, 'lib', 'server.mjs')));
const { register, createUniverse, uniqueName } = await import(pathToFileURL(path.join(e2e, 'lib', 'clients.mjs')));
const { chromiumArgs } = await import(pathToFileURL(path.join(e2e, 'browser', 'lib', 'browser.mjs')));

const webBuild = process.env.HARMONIC_WEB_BUILD ? path.resolve(process.env.HARMONIC_WEB_BUILD) : path.join(repo, 'build-web');
const site = path.join(webBuild, 'site');

function sizes() {
  const out = {};
  for (const file of ['harmonic-web.wasm', 'harmonic-web.js', 'harmonic-web.data', 'index.html', 'style.css']) {
    const p = path.join(site, file);
    if (!fs.existsSync(p)) continue;
    const raw = fs.readFileSync(p);
    out[file] = { raw: raw.length, gzip: zlib.gzipSync(raw, { level: 9 }).length };
  }
  return out;
}

const kb = (n) => `${(n / 1024).toFixed(1)} KiB`;

async function measureFps(page, seconds) {
  const a = await page.evaluate(() => ({ f: window.harmonic.status().frames, t: performance.now() }));
  await page.waitForTimeout(seconds * 1000);
  const b = await page.evaluate(() => ({ f: window.harmonic.status().frames, t: performance.now() }));
  return (b.f - a.f) / ((b.t - a.t) / 1000);
}

const server = new HarmonicServer({ name: 'bench-web', webRoot: site });
await server.start();
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: chromiumArgs });
const results = { sizes: sizes(), firstFrame: [], fps: {} };
try {
  const user = await register(server, uniqueName('bench'));
  const universe = await createUniverse(server, user.token, { name: 'Bench' });

  // First frame: a fresh context each time (no cache), three runs.
  for (let i = 0; i < 3; i++) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const start = Date.now();
    await page.goto(`${server.url}/`);
    await page.waitForFunction(() => window.harmonic && window.harmonic.status().frames > 0, null, { timeout: 30000 });
    const wall = Date.now() - start;
    const inPage = await page.evaluate(() => window.harmonic.status().ui.first_frame_ms);
    results.firstFrame.push({ wall, inPage });
    await context.close();
  }

  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await page.goto(`${server.url}/#token=${user.token}&universe=${universe.id}`);
  await page.waitForFunction(() => window.harmonic.status().joined, null, { timeout: 30000 });
  for (const count of [1000, 10000]) {
    await setParticleCount(server, user.token, universe.id, count);
    await page.waitForFunction((n) => window.harmonic.status().ui.particles === n, count, { timeout: 30000 });
    await page.waitForTimeout(2000);
    results.fps[count] = await measureFps(page, 6);
    results.cost = results.cost ?? {};
    results.cost[count] = await page.evaluate(() => { const u = window.harmonic.status().ui; return { sim: u.sim_ms, cpu: u.cpu_ms }; });
  }
  await context.close();
} finally {
  await browser.close();
  await server.dispose();
}

const date = new Date().toISOString().slice(0, 10);
const s = results.sizes;
const total = (s['harmonic-web.wasm']?.gzip ?? 0) + (s['harmonic-web.js']?.gzip ?? 0);
const lines = [
  `# Web client benchmark, ${date}`,
  '',
  `Machine: ${process.platform}, ${(await import('node:os')).cpus().length} cores, headless Chromium with SwiftShader (software WebGL).`,
  '',
  '## Size',
  '',
  '| file | raw | gzip -9 |',
  '|---|---|---|',
  ...Object.entries(s).map(([f, v]) => `| ${f} | ${kb(v.raw)} | ${kb(v.gzip)} |`),
  '',
  `wasm + js gzipped: **${kb(total)}** (target < 1.5 MB: ${total < 1.5 * 1024 * 1024 ? 'met' : 'NOT met'}).`,
  'harmonic-web.data holds the DejaVu Sans fonts (regular and bold), loaded before the first frame.',
  '',
  '## Time to first frame (loopback, empty cache)',
  '',
  '| run | navigation to first frame (ms) | performance.now() at first frame (ms) |',
  '|---|---|---|',
  ...results.firstFrame.map((r, i) => `| ${i + 1} | ${r.wall} | ${Math.round(r.inPage)} |`),
  '',
  `Target < 2000 ms: ${results.firstFrame.every((r) => r.wall < 2000) ? 'met' : 'NOT met'}.`,
  '',
  '## Frames per second (inside a universe, 1280x800, simulation + rendering + UI, quality on auto)',
  '',
  '| particles | fps | simulation ms/frame | CPU ms/frame (sim + UI + GL calls) |',
  '|---|---|---|---|',
  ...Object.entries(results.fps).map(([n, f]) => `| ${Number(n).toLocaleString('en')} | ${f.toFixed(1)} | ${results.cost[n].sim.toFixed(1)} | ${results.cost[n].cpu.toFixed(1)} |`),
  '',
  'The rest of each frame is SwiftShader rasterising on the CPU (two cores shared with the',
  'server and the browser); the simulation runs at most three 1/60 s steps per frame.',
  '',
];
const outDir = path.join(repo, 'bench', 'results');
fs.mkdirSync(outDir, { recursive: true });
const outFile = path.join(outDir, `web-${date}.md`);
fs.writeFileSync(outFile, lines.join('\n'));
console.log(lines.join('\n'));
console.log(`written to ${outFile}`);

await writeQualityReport();
