// Edit-to-other-screen latency (docs/latency.md): two pages of the web client in one
// universe; real mouse input on page A's gravity slider (clicks, then drags); the time
// from A's input event to the changed value in page B's model, plus one of B's frames
// (the frame that draws it). Reported in milliseconds and in frames of each page:
// p50 / p99 / max, with each page's frame rate. Writes bench/results/latency-<date>.md.
//
//   node bench/web/latency.mjs [--clicks 100] [--drags 20] [--particles 1000]
//                              [--low-particles 200] [--out FILE]
//
// Two runs: at the default particle count and with the load pinned low (few particles),
// since the frame rate, not the network, sets most of this figure in software GL.
// Both pages stamp their events with performance.timeOrigin + a page clock: one
// machine clock, so A's and B's times compare directly.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { setParticleCount } from './particle-count.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..', '..');
const e2e = path.join(repo, 'tests', 'e2e');
const { HarmonicServer } = await import(pathToFileURL(path.join(e2e, 'lib', 'server.mjs')));
const { register, createUniverse, uniqueName } = await import(pathToFileURL(path.join(e2e, 'lib', 'clients.mjs')));
const browserLib = await import(pathToFileURL(path.join(e2e, 'browser', 'lib', 'browser.mjs')));
const { launch, openClient, widget, afterFrames, siteDir } = browserLib;

function option(name, fallback) {
  const i = process.argv.indexOf(name);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}
const clicks = Number(option('--clicks', '100'));
const drags = Number(option('--drags', '20'));
const particlesDefault = Number(option('--particles', '1000'));
const particlesLow = Number(option('--low-particles', '200'));
const slider = 'param.physics.gravity';

// Page A: the time of every pointer event (capture phase, before the app sees it).
function installInputProbe() {
  window.__input = [];
  for (const type of ['pointerdown', 'pointermove', 'pointerup']) {
    window.addEventListener(type, (e) => {
      window.__input.push({ type, at: performance.timeOrigin + e.timeStamp, frame: window.harmonic.status().frames });
    }, { capture: true });
  }
}

// Both pages: once per animation frame, the frame's time and the model's gravity; a
// change is recorded with the time of the first frame that saw it.
function installFrameProbe() {
  window.__frames = [];
  window.__changes = [];
  let last;
  const tick = () => {
    const s = window.harmonic.status();
    const at = performance.timeOrigin + performance.now();
    window.__frames.push(at);
    if (window.__frames.length > 4000) window.__frames.splice(0, 2000);
    const value = s.parameters?.physics?.gravity;
    if (value !== last) {
      window.__changes.push({ at, frame: s.frames, value });
      last = value;
    }
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
}

const take = (page, name) => page.evaluate((n) => window[n].splice(0), name);

function quantiles(values) {
  const v = [...values].sort((a, b) => a - b);
  const q = (p) => v.length ? v[Math.min(v.length - 1, Math.ceil(p * v.length) - 1)] : NaN;
  return { n: v.length, p50: q(0.5), p99: q(0.99), max: v.length ? v[v.length - 1] : NaN };
}

function frameInterval(times) {
  const gaps = [];
  for (let i = 1; i < times.length; i++) gaps.push(times[i] - times[i - 1]);
  return quantiles(gaps).p50;
}

// One measured edit: input on A from `press()`; the first change on B after the input.
async function measure(a, b, press, settleValue) {
  await take(a.page, '__input');
  await take(b.page, '__changes');
  await press();
  const inputs = await a.page.evaluate(() => window.__input.slice());
  const down = inputs.find((e) => e.type === 'pointerdown');
  if (!down) throw new Error('page A saw no pointerdown');
  const aValue = await settleValue();
  const deadline = Date.now() + 10000;
  for (;;) {
    const changes = await b.page.evaluate(() => window.__changes.slice());
    const seen = changes.find((c) => c.at >= down.at);
    const settled = changes.find((c) => c.at >= down.at && c.value === aValue);
    if (seen && settled) {
      const lastMove = [...inputs].reverse().find((e) => e.type === 'pointermove' || e.type === 'pointerdown');
      return { first: seen.at - down.at, settle: settled.at - lastMove.at };
    }
    if (Date.now() > deadline) throw new Error(`page B never showed gravity ${aValue}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function run(server, browser, label, particles) {
  const owner = await register(server, uniqueName('lat'));
  const universe = await createUniverse(server, owner.token, { name: `Latency ${label}` });
  await setParticleCount(server, owner.token, universe.id, particles);
  const url = `${server.url}/#token=${owner.token}&universe=${universe.id}`;
  const a = await openClient(browser, url, { name: 'A' });
  const b = await openClient(browser, url, { name: 'B' });
  try {
    for (const p of [a, b]) {
      await p.page.waitForFunction((n) => window.harmonic.status().joined && window.harmonic.status().ui.particles === n, particles, { timeout: 30000 });
      await p.page.evaluate(installFrameProbe);
    }
    await a.page.evaluate(installInputProbe);
    const r = await widget(a.page, slider);
    const y = r.y + r.h / 2;
    const aGravity = () => a.page.evaluate(() => window.harmonic.status().parameters.physics.gravity);
    // A's own value once its edit is acknowledged and echoed (the model, not the override).
    const settled = async (before) => {
      await a.page.waitForFunction((v) => window.harmonic.status().parameters.physics.gravity !== v, before, { timeout: 10000 });
      await afterFrames(a.page, 2);
      return aGravity();
    };
    const samples = { click: [], dragFirst: [], dragSettle: [] };
    const fractions = [0.2, 0.8, 0.35, 0.65, 0.5, 0.1, 0.9];
    for (let i = 0; i < clicks; i++) {
      const before = await aGravity();
      const fx = fractions[i % fractions.length] + (i % 3) * 0.01;
      const m = await measure(a, b, async () => {
        await a.page.mouse.move(r.x + r.w * fx, y);
        await a.page.mouse.down();
        await afterFrames(a.page, 1);
        await a.page.mouse.up();
      }, () => settled(before));
      samples.click.push(m.first);
      await afterFrames(a.page, 2);
    }
    for (let i = 0; i < drags; i++) {
      const before = await aGravity();
      const from = i % 2 ? 0.8 : 0.2, to = i % 2 ? 0.25 : 0.75;
      const m = await measure(a, b, async () => {
        await a.page.mouse.move(r.x + r.w * from, y);
        await a.page.mouse.down();
        await a.page.mouse.move(r.x + r.w * to, y, { steps: 15 });
        await afterFrames(a.page, 1);
        await a.page.mouse.up();
      }, () => settled(before));
      samples.dragFirst.push(m.first);
      samples.dragSettle.push(m.settle);
      await afterFrames(a.page, 2);
    }
    const frameA = frameInterval(await a.page.evaluate(() => window.__frames.slice()));
    const frameB = frameInterval(await b.page.evaluate(() => window.__frames.slice()));
    // "Shown" is the frame after the model changed: one of B's frames on top.
    const shown = (list) => list.map((ms) => ms + frameB);
    return {
      label, particles, frameA, frameB,
      click: quantiles(shown(samples.click)),
      dragFirst: quantiles(shown(samples.dragFirst)),
      dragSettle: quantiles(shown(samples.dragSettle)),
    };
  } finally {
    await a.context.close();
    await b.context.close();
  }
}

if (!fs.existsSync(path.join(siteDir, 'harmonic-web.wasm'))) throw new Error(`no web build in ${siteDir}`);
const loadBefore = os.loadavg().map((x) => x.toFixed(2)).join(', ');
const server = new HarmonicServer({ name: 'bench-latency', webRoot: siteDir });
await server.start();
const browser = await launch();
const runs = [];
try {
  runs.push(await run(server, browser, 'default', particlesDefault));
  runs.push(await run(server, browser, 'low', particlesLow));
} finally {
  await browser.close();
  await server.dispose();
}

const date = new Date().toISOString().slice(0, 10);
const ms = (x) => x.toFixed(1);
const fr = (x, frame) => (x / frame).toFixed(2);
const slower = (r) => Math.max(r.frameA, r.frameB);
const rows = [];
for (const r of runs) {
  for (const [what, q] of [['click', r.click], ['drag, first change', r.dragFirst], ['drag, last move to final value', r.dragSettle]]) {
    const target = 2 * slower(r) + 10;
    rows.push(`| ${r.label} (${r.particles} particles) | ${what} | ${q.n} | ${ms(q.p50)} | ${ms(q.p99)} | ${ms(q.max)} | ${fr(q.p99, r.frameA)} / ${fr(q.p99, r.frameB)} | ${ms(target)} | ${q.p99 <= target ? 'met' : 'not met'} |`);
  }
}
const lines = [
  `# Edit-to-other-screen latency, ${date}`,
  '',
  `Machine: ${os.cpus().length} cores, load average ${loadBefore} before and ${os.loadavg().map((x) => x.toFixed(2)).join(', ')} after (other work on the machine slows every frame); headless Chromium with SwiftShader (software WebGL); both pages and harmonic-server on this machine, 127.0.0.1.`,
  `Method: bench/web/latency.mjs. Real mouse input (playwright) on page A's gravity slider: ${clicks} clicks, then ${drags} drags. Latency = time of A's pointerdown (its event timestamp) to the first animation frame of page B whose model holds the new value, plus one of B's frame intervals (the frame that draws it). "Last move to final value" runs from A's last pointer event of a drag to B holding A's final value.`,
  '',
  '| run | edit | n | p50 ms | p99 ms | max ms | p99 in frames of A / B | target p99 (2 frames of the slower page + 10 ms) | |',
  '|---|---|---:|---:|---:|---:|---:|---:|---|',
  ...rows,
  '',
  '| run | frame interval A (ms, median) | frame interval B (ms, median) |',
  '|---|---:|---:|',
  ...runs.map((r) => `| ${r.label} | ${ms(r.frameA)} | ${ms(r.frameB)} |`),
  '',
  'Not measured here (docs/latency.md): page → desktop client, and the same pages against the Node reference server.',
  '',
];
const out = option('--out', path.join(repo, 'bench', 'results', `latency-${date}.md`));
fs.mkdirSync(path.dirname(out), { recursive: true });
fs.writeFileSync(out, lines.join('\n'));
console.log(lines.join('\n'));
console.log(`written to ${out}`);
