// Adaptive rendering quality (docs/client.md, "Adaptive quality"): frames per second
// and the quality level reached at 1,000 and 10,000 particles in headless Chromium with
// SwiftShader at 1280x800, with quality on auto and pinned high and low. Targets (issue
// 15): >= 30 fps at 1,000 and >= 15 fps at 10,000 on auto. Writes
// bench/results/web-quality-<date>.md; bench/web/run.mjs runs it after its own report.
//
//   node bench/web/quality.mjs        (needs build/ and build-web/, and tests/e2e npm deps)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';

import { setParticleCount } from './particle-count.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..', '..');
const e2e = path.join(repo, 'tests', 'e2e');
const requireE2e = createRequire(path.join(e2e, 'package.json'));
const { chromium } = requireE2e('playwright-core');
const { HarmonicServer } = await import(pathToFileURL(path.join(e2e, 'lib', 'server.mjs')));
const { register, createUniverse, uniqueName } = await import(pathToFileURL(path.join(e2e, 'lib', 'clients.mjs')));
const { chromiumArgs, siteDir } = await import(pathToFileURL(path.join(e2e, 'browser', 'lib', 'browser.mjs')));

export const targets = { 1000: 30, 10000: 15 };
const modes = ['auto', 'high', 'low'];
const settleSeconds = 10;   // auto: time to step down (2 s per level, three levels) and settle
const measureSeconds = 6;

// CPU time (ms) used so far by this process's Chromium, per kind of process: the GPU
// process is where SwiftShader rasterises, the renderer runs the WebAssembly client.
// Per frame, this is the cost of a frame whatever else loads the machine (wall-clock fps
// on a shared machine is not). Linux /proc only.
const ticksPerMs = 100 / 1000;  // USER_HZ
function chromiumCpuMs() {
  const parent = new Map();
  const info = new Map();
  for (const pid of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parent.set(pid, fields[1]);
      info.set(pid, { comm: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')), cpu: Number(fields[11]) + Number(fields[12]) });
    } catch { /* gone */ }
  }
  const mine = (pid) => { for (let p = pid; p && p !== '0'; p = parent.get(p)) if (p === String(process.pid)) return true; return false; };
  const total = { gpu: 0, renderer: 0, other: 0 };
  for (const [pid, { comm, cpu }] of info) {
    if (pid === String(process.pid) || !mine(pid) || !/chrom/i.test(comm)) continue;
    let cmdline = '';
    try { cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8'); } catch { continue; }
    const kind = cmdline.includes('--type=gpu-process') ? 'gpu' : cmdline.includes('--type=renderer') ? 'renderer' : 'other';
    total[kind] += cpu / ticksPerMs;
  }
  return total;
}

const quality = (page) => page.evaluate(() => {
  const s = window.harmonic.status();
  return { frames: s.frames, t: performance.now(), ...(s.ui.quality ?? {}), sim: s.ui.sim_ms, cpu: s.ui.cpu_ms };
});

// One page with quality `mode` (saved setting, as the Visualization panel saves it):
// the levels it went through while settling, then fps over `measureSeconds`.
async function measure(browser, server, user, universe, count, mode) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.addInitScript((m) => window.localStorage.setItem('harmonic.quality', m), mode);
  const page = await context.newPage();
  try {
    await page.goto(`${server.url}/#token=${user.token}&universe=${universe.id}`);
    await page.waitForFunction((n) => window.harmonic?.status().joined && window.harmonic.status().ui.particles === n,
      count, { timeout: 60000 });
    const levels = [];
    const settle = mode === 'auto' ? settleSeconds : 2;
    for (let i = 0; i < settle * 2; i++) {
      const q = await quality(page);
      if (levels.at(-1) !== q.level) levels.push(q.level);
      await page.waitForTimeout(500);
    }
    const a = await quality(page);
    const cpuA = chromiumCpuMs();
    await page.waitForTimeout(measureSeconds * 1000);
    const cpuB = chromiumCpuMs();
    const b = await quality(page);
    if (levels.at(-1) !== b.level) levels.push(b.level);
    const frames = b.frames - a.frames;
    const perFrame = (kind) => (cpuB[kind] - cpuA[kind]) / Math.max(1, frames);
    return { mode, count, fps: frames / ((b.t - a.t) / 1000), level: b.level, pinned: b.mode, levels,
             sim: b.sim, cpu: b.cpu, gpuMs: perFrame('gpu'), rendererMs: perFrame('renderer') };
  } finally {
    await context.close();
  }
}

export async function runQualityBench() {
  const load = [os.loadavg()];
  const server = new HarmonicServer({ name: 'bench-quality', webRoot: siteDir });
  await server.start();
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: chromiumArgs });
  const rows = [];
  try {
    const user = await register(server, uniqueName('quality'));
    const universe = await createUniverse(server, user.token, { name: 'Quality bench' });
    for (const count of Object.keys(targets).map(Number)) {
      await setParticleCount(server, user.token, universe.id, count);
      for (const mode of modes) {
        const row = await measure(browser, server, user, universe, count, mode);
        console.log(JSON.stringify(row));
        rows.push(row);
      }
    }
  } finally {
    await browser.close();
    await server.dispose();
  }
  load.push(os.loadavg());
  return { rows, load };
}

export function qualityReport({ rows, load }) {
  const date = new Date().toISOString().slice(0, 10);
  const fmt = (l) => l.map((x) => x.toFixed(2)).join(' / ');
  const met = (r) => (r.fps >= targets[r.count] ? 'met' : 'NOT met');
  return [
    `# Web client adaptive quality benchmark, ${date}`,
    '',
    `Machine: ${process.platform}, ${os.cpus().length} cores shared with other builds; load average (1 / 5 / 15 min)`,
    `${fmt(load[0])} before and ${fmt(load[1])} after. Headless Chromium with SwiftShader (software WebGL), 1280x800,`,
    'inside a universe (simulation + rendering + UI). `bench/web/quality.mjs`.',
    '',
    '| particles | quality | fps | level at the end | levels while settling | GPU process CPU ms/frame | renderer CPU ms/frame | sim ms/frame | target |',
    '|---|---|---|---|---|---|---|---|---|',
    ...rows.map((r) => `| ${r.count.toLocaleString('en')} | ${r.mode === 'auto' ? 'auto' : `pinned ${r.mode}`} | ` +
      `${r.fps.toFixed(1)} | ${r.level} | ${r.levels.join(' → ')} | ${r.gpuMs.toFixed(1)} | ${r.rendererMs.toFixed(1)} | ` +
      `${r.sim.toFixed(1)} | ${r.mode === 'auto' ? `≥ ${targets[r.count]} fps: ${met(r)}` : '(for comparison)'} |`),
    '',
    'Auto steps down after 2 s over its 36 ms budget and up after 4 s with headroom (docs/client.md,',
    '"Adaptive quality"). fps is wall-clock and depends on what else runs on the machine. The CPU',
    'ms per frame of Chromium\'s GPU process (SwiftShader rasterising, all its threads) and renderer',
    '(the WebAssembly client, the simulation included) do much less: on an idle 2-core machine the',
    'frame rate is bounded by about 1000 / max(GPU, renderer) fps when the two overlap.',
    '',
  ];
}

// Runs the benchmark and writes bench/results/web-quality-<date>.md; returns its path.
export async function writeQualityReport() {
  const lines = qualityReport(await runQualityBench());
  const outDir = path.join(repo, 'bench', 'results');
  fs.mkdirSync(outDir, { recursive: true });
  const outFile = path.join(outDir, `web-quality-${new Date().toISOString().slice(0, 10)}.md`);
  fs.writeFileSync(outFile, lines.join('\n'));
  console.log(lines.join('\n'));
  console.log(`written to ${outFile}`);
  return outFile;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await writeQualityReport();
