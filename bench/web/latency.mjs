// Edit-to-other-screen latency (docs/latency.md, issue 18): real mouse input (playwright)
// on page A's gravity slider, clicks then drags; the time from A's input event to the
// changed value on B's screen, in milliseconds and in frames of each client: p50 / p99 /
// max, with each client's frame rate. B is
//   - a second page: the first of B's animation frames whose model holds the value,
//     plus one of B's frame intervals (the frame that draws it);
//   - the desktop client under Xvfb: the end of its first frame that drew the value
//     (its status file, written after every frame: --status-interval-ms 0).
// Runs: two pages at the default quality (auto) and with quality pinned low; page ->
// desktop client; the two pages again against the Node reference server
// (bench/reference, with its benchmark-only REST) for the server's share.
//
//   node bench/web/latency.mjs [--clicks 100] [--drags 20] [--only pages,desktop,reference]
//                              [--out FILE]
//   node bench/web/latency.mjs --clicks 6 --drags 2 --out /tmp/latency.md    (smoke run)
//
// Times: each page's event and frame times are performance.timeOrigin + a page clock,
// moved onto the wall clock (Date.now()) by an offset measured in the page; the desktop
// writes wall-clock times. One machine, one clock.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..', '..');
const e2e = path.join(repo, 'tests', 'e2e');
const { HarmonicServer } = await import(pathToFileURL(path.join(e2e, 'lib', 'server.mjs')));
const { register, createUniverse, uniqueName } = await import(pathToFileURL(path.join(e2e, 'lib', 'clients.mjs')));
const { launch, openClient, widget, afterFrames, siteDir } = await import(pathToFileURL(path.join(e2e, 'browser', 'lib', 'browser.mjs')));
const desktopLib = await import(pathToFileURL(path.join(e2e, 'desktop', 'lib', 'desktop.mjs')));

function option(name, fallback) {
  const i = process.argv.indexOf(name);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}
const clicks = Number(option('--clicks', '100'));
const drags = Number(option('--drags', '20'));
const only = new Set(option('--only', 'pages,desktop,reference').split(','));
for (const part of only) {
  if (!['pages', 'desktop', 'reference'].includes(part)) throw new Error(`--only: unknown part "${part}" (pages, desktop, reference)`);
}
if (!(clicks >= 1) || !(drags >= 0)) throw new Error('--clicks must be >= 1 and --drags >= 0');
const slider = 'param.physics.gravity';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Page A: the time of every pointer event (capture phase, before the app sees it).
function installInputProbe() {
  window.__clockOffset = Date.now() - (performance.timeOrigin + performance.now());
  window.__input = [];
  for (const type of ['pointerdown', 'pointermove', 'pointerup']) {
    window.addEventListener(type, (e) => {
      window.__input.push({ type, at: performance.timeOrigin + e.timeStamp + window.__clockOffset,
                            reached: performance.timeOrigin + performance.now() + window.__clockOffset });
    }, { capture: true });
  }
}

// Page B (and A, for its frame rate): once per animation frame, the frame's time and the
// model's gravity; a change is recorded with the time of the first frame that saw it.
function installFrameProbe() {
  const offset = Date.now() - (performance.timeOrigin + performance.now());
  window.__frames = [];
  window.__changes = [];
  let last = window.harmonic.status().parameters?.physics?.gravity;
  // A change's time is the start of the animation frame that first saw it (the
  // callback's timestamp, shared by all of the frame's callbacks).
  const tick = (stamp) => {
    const s = window.harmonic.status();
    const at = performance.timeOrigin + (stamp ?? performance.now()) + offset;
    window.__frames.push(at);
    if (window.__frames.length > 4000) window.__frames.splice(0, 2000);
    const value = s.parameters?.physics?.gravity;
    if (value !== last) {
      // `ran`: when this callback ran. A WebSocket message can be handled after the
      // frame's start (`at`) and before its callbacks, so matching a change to the
      // message that caused it needs the callback's own time.
      window.__changes.push({ at, ran: performance.timeOrigin + performance.now() + offset, value });
      last = value;
    }
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
}

// Every page, before the app loads: the wall-clock time of each parameter edit the page
// sends and of each parameter change that reaches it (the listener runs before the
// app's own onmessage, which applies the change to the model at once), with the
// gravity it carries. The step breakdown (docs/latency.md) matches them to the clicks.
function installSocketProbe() {
  const offset = Date.now() - (performance.timeOrigin + performance.now());
  const now = () => performance.timeOrigin + performance.now() + offset;
  const gravity = (text) => {
    const m = /"gravity":(-?[0-9.eE+-]+)/.exec(text);
    return m ? Number(m[1]) : undefined;
  };
  window.__sends = [];
  window.__arrivals = [];
  const Native = window.WebSocket;
  const send = Native.prototype.send;
  Native.prototype.send = function (data) {
    if (typeof data === 'string' && data.includes('"parameter:update"')) window.__sends.push({ at: now(), value: gravity(data) });
    return send.call(this, data);
  };
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', (e) => {
        if (typeof e.data === 'string' && e.data.includes('"parameter:updated"')) {
          window.__arrivals.push({ at: now(), value: gravity(e.data) });
        }
      });
    }
  };
}

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

// One click, step by step (docs/latency.md): from A's pointerdown `down` through A's
// send, B's arrival, the callback of B's first frame whose model holds the value, to the
// start of B's next frame (the browser starts it once the frame before is presented).
// The steps add up to `total`. Wall-clock ms; undefined when a step was not seen.
async function clickSteps(a, b, down) {
  const sa = await a.page.evaluate(() => ({ sends: window.__sends.slice(), frames: window.__frames.slice() }));
  const sb = await b.page.evaluate(() => ({ arrivals: window.__arrivals.slice(), changes: window.__changes.slice(), frames: window.__frames.slice() }));
  const send = sa.sends.find((x) => x.at >= down.reached - 0.5);
  if (!send) return undefined;
  const aNext = sa.frames.find((t) => t > down.reached);
  const arrivals = sb.arrivals.filter((x) => x.at >= send.at);
  const arrival = arrivals.find((x) => x.value === send.value) ?? arrivals[0];
  if (!arrival) return undefined;
  const changes = sb.changes.filter((c) => c.ran >= arrival.at - 0.5);
  const change = changes.find((c) => c.value === arrival.value) ?? changes[0];
  if (!change) return undefined;
  const shown = sb.frames.find((t) => t > change.ran);
  if (shown === undefined) return undefined;
  return {
    dispatch: down.reached - down.at,
    send: send.at - down.reached,
    sentBeforeNextFrame: aNext === undefined || send.at < aNext,
    relay: arrival.at - send.at,
    apply: change.ran - arrival.at,
    present: shown - change.ran,
    total: shown - down.at,
  };
}

// B as a second page: its changes (wall-clock time of the frame that first saw each).
function pageReceiver(b, a) {
  return {
    name: 'page',
    steps: (down) => clickSteps(a, b, down),
    start: () => b.page.evaluate(installFrameProbe),
    clear: () => b.page.evaluate(() => { window.__changes.length = 0; }),
    changes: () => b.page.evaluate(() => window.__changes.slice()),
    frameMs: async () => frameInterval(await b.page.evaluate(() => window.__frames.slice())),
    drawnExtra: true,  // the model changed in this frame; the next one draws it
  };
}

// B as the desktop client: the status file after every frame; a change is the frame
// end time the client recorded for it (desktop.parameters_changed_ms).
function desktopReceiver(desktop) {
  let changes = [], last, polling = true, frames = [];
  const poll = async () => {
    while (polling) {
      const s = desktop.status();
      if (s?.desktop) {
        const value = s.parameters?.physics?.gravity;
        if (value !== last) {
          changes.push({ at: s.desktop.parameters_changed_ms, value });
          last = value;
        }
        if (frames.at(-1)?.frames !== s.frames) frames.push({ frames: s.frames, at: s.desktop.frame_end_ms });
        if (frames.length > 4000) frames.splice(0, 2000);
      }
      await sleep(4);
    }
  };
  let loop;
  return {
    name: 'desktop',
    start: async () => { last = desktop.status()?.parameters?.physics?.gravity; loop = poll(); },
    clear: async () => { changes = []; },
    changes: async () => changes.slice(),
    frameMs: async () => {
      const per = [];
      for (let i = 1; i < frames.length; i++) {
        const n = frames[i].frames - frames[i - 1].frames;
        if (n > 0) per.push((frames[i].at - frames[i - 1].at) / n);
      }
      return quantiles(per).p50;
    },
    stop: async () => { polling = false; await loop; },
    drawnExtra: false,  // the recorded time is the end of the frame that drew it
  };
}

// One measured edit: input on A from `press()`; B's first change after the input, and
// B holding A's final value.
async function measure(a, receiver, press, settleValue) {
  await a.page.evaluate(() => { window.__input.length = 0; });
  await receiver.clear();
  await press();
  const inputs = await a.page.evaluate(() => window.__input.slice());
  const down = inputs.find((e) => e.type === 'pointerdown');
  if (!down) throw new Error('page A saw no pointerdown');
  const aValue = await settleValue();
  const deadline = Date.now() + 15000;
  for (;;) {
    const changes = await receiver.changes();
    const seen = changes.find((c) => c.at >= down.at);
    const settled = changes.find((c) => c.at >= down.at && c.value === aValue);
    if (seen && settled) {
      const lastMove = [...inputs].reverse().find((e) => e.type === 'pointermove' || e.type === 'pointerdown');
      return { first: seen.at - down.at, settle: settled.at - lastMove.at, down };
    }
    if (Date.now() > deadline) throw new Error(`B (${receiver.name}) never showed gravity ${aValue}: ${JSON.stringify(changes)}`);
    await sleep(10);
  }
}

// Clicks and drags on A's slider, each measured on `receiver`.
async function drive(a, receiver) {
  const r = await widget(a.page, slider);
  const y = r.y + r.h / 2;
  const aGravity = () => a.page.evaluate(() => window.harmonic.status().parameters.physics.gravity);
  // A's own value once its edit is acknowledged and echoed (the model, not the override).
  const settled = async (before) => {
    await a.page.waitForFunction((v) => window.harmonic.status().parameters.physics.gravity !== v, before, { timeout: 15000 });
    await afterFrames(a.page, 2);
    return aGravity();
  };
  const samples = { click: [], dragFirst: [], dragSettle: [], steps: [] };
  const fractions = [0.2, 0.8, 0.35, 0.65, 0.5, 0.1, 0.9];
  for (let i = 0; i < clicks; i++) {
    const before = await aGravity();
    const fx = fractions[i % fractions.length] + (i % 3) * 0.01;
    const m = await measure(a, receiver, async () => {
      await a.page.mouse.move(r.x + r.w * fx, y);
      await afterFrames(a.page, 1);
      await a.page.mouse.down();
      await afterFrames(a.page, 1);
      await a.page.mouse.up();
    }, () => settled(before));
    samples.click.push(m.first);
    if (receiver.steps) {
      const steps = await receiver.steps(m.down);
      if (steps) samples.steps.push(steps);
      else console.error(`click ${i}: no step breakdown (a send, arrival or frame was not matched)`);
    }
    await afterFrames(a.page, 2);
  }
  for (let i = 0; i < drags; i++) {
    const before = await aGravity();
    const from = i % 2 ? 0.8 : 0.2, to = i % 2 ? 0.25 : 0.75;
    const m = await measure(a, receiver, async () => {
      await a.page.mouse.move(r.x + r.w * from, y);
      await afterFrames(a.page, 1);
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
  const frameB = await receiver.frameMs();
  // "Shown": for a page, the frame after the one whose model changed.
  const shown = (list) => list.map((ms) => ms + (receiver.drawnExtra ? frameB : 0));
  return {
    frameA, frameB,
    click: quantiles(shown(samples.click)),
    dragFirst: quantiles(shown(samples.dragFirst)),
    dragSettle: quantiles(shown(samples.dragSettle)),
    steps: samples.steps,
  };
}

const qualityScript = (mode) => (mode === 'low' ? "window.localStorage.setItem('harmonic.quality', 'low')" : undefined);

async function openPage(browser, url, name, mode) {
  const initScript = `${qualityScript(mode) ?? ''};(${installSocketProbe})();`;
  const p = await openClient(browser, url, { name, initScript });
  await p.page.waitForFunction(() => window.harmonic.status().joined && window.harmonic.status().parameters?.physics?.gravity !== undefined,
    null, { timeout: 60000 });
  await p.page.evaluate(installFrameProbe);
  return p;
}

// Page A and page B on `origin` (our server or the reference), quality `mode`.
async function runPages(browser, label, origin, session, mode) {
  const url = `${origin}/#token=${session.token}&universe=${session.universeId}`;
  const a = await openPage(browser, url, 'A', mode);
  const b = await openPage(browser, url, 'B', mode);
  try {
    await a.page.evaluate(installInputProbe);
    await afterFrames(b.page, 10);  // settled: the layout and the first frames' costs
    const result = await drive(a, pageReceiver(b, a));
    const quality = await b.page.evaluate(() => window.harmonic.status().ui.quality);
    return { label, mode, b: 'page', quality, ...result };
  } finally {
    await a.context.close();
    await b.context.close();
  }
}

// Page A on our server, the desktop client as B in the same universe.
async function runDesktop(browser, server, session) {
  const xvfb = await desktopLib.startXvfb();
  const desktop = desktopLib.launchDesktop({
    display: xvfb.display, server, name: 'latency',
    args: ['--token', session.token, '--universe', session.universeId, '--status-interval-ms', '0', '--audio-device', 'null'],
  });
  let a;
  try {
    await desktop.waitFor((s) => s.joined && s.parameters?.physics?.gravity !== undefined, { what: 'desktop joined', timeout: 60000 });
    a = await openPage(browser, `${server.url}/#token=${session.token}&universe=${session.universeId}`, 'A', 'auto');
    await a.page.evaluate(installInputProbe);
    const receiver = desktopReceiver(desktop);
    await receiver.start();
    try {
      await sleep(1000);
      const result = await drive(a, receiver);
      return { label: 'ours: page -> desktop client', mode: 'auto', b: 'desktop', quality: desktop.status()?.ui?.quality, ...result };
    } finally {
      await receiver.stop();
    }
  } finally {
    await a?.context.close();
    await desktop.dispose();
    await xvfb.stop();
  }
}

// The Node reference server (bench/reference/server.mjs) serving the same site.
async function startReference() {
  const proc = spawn(process.execPath, [path.join(repo, 'bench', 'reference', 'server.mjs'), '--host', '127.0.0.1',
    '--port', '0', '--jwt-secret', `bench-${process.pid}`, '--web-root', siteDir], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise((resolve) => proc.on('exit', resolve));
  const url = await new Promise((resolve, reject) => {
    const lines = readline.createInterface({ input: proc.stdout });
    lines.on('line', (line) => {
      const m = line.match(/listening on (http:\/\/\S+)/);
      if (m) resolve(m[1]);
    });
    proc.on('exit', (code) => reject(new Error(`reference server exited (${code})`)));
  });
  return { url, stop: async () => { proc.kill('SIGTERM'); await exited; } };
}

async function post(origin, route, body, token) {
  const r = await fetch(`${origin}${route}`, {
    method: 'POST', body: JSON.stringify(body),
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
  });
  if (r.status !== 201) throw new Error(`POST ${route}: HTTP ${r.status} ${await r.text()}`);
  return r.json();
}

if (!fs.existsSync(path.join(siteDir, 'harmonic-web.wasm'))) throw new Error(`no web build in ${siteDir}`);
if (only.has('desktop') && !desktopLib.desktopAvailable()) throw new Error(`no desktop client at ${desktopLib.desktopBinary}`);
const loadBefore = os.loadavg().map((x) => x.toFixed(2)).join(', ');
const runs = [];
const browser = await launch();
try {
  // Our server: the pages, then page -> desktop. Its new universe's parameters are
  // also the reference universe's starting values, so both start alike.
  const server = new HarmonicServer({ name: 'bench-latency', webRoot: siteDir });
  await server.start();
  let defaults;
  try {
    const session = async () => {
      const owner = await register(server, uniqueName('lat'));
      const universe = await createUniverse(server, owner.token, { name: 'Latency' });
      defaults = universe.parameters;
      return { token: owner.token, universeId: universe.id };
    };
    if (only.has('pages')) {
      for (const mode of ['auto', 'low']) runs.push(await runPages(browser, 'ours: page -> page', server.url, await session(), mode));
    }
    if (only.has('desktop')) runs.push(await runDesktop(browser, server, await session()));
    if (!defaults) await session();
  } finally {
    await server.dispose();
  }
  if (only.has('reference')) {
    const reference = await startReference();
    try {
      for (const mode of ['auto', 'low']) {
        const owner = await post(reference.url, '/api/auth/register', { username: uniqueName('lat'), password: 'x' });
        const universe = await post(reference.url, '/api/universes', { name: 'Latency', is_public: false, parameters: defaults }, owner.token);
        runs.push(await runPages(browser, 'reference server: page -> page', reference.url, { token: owner.token, universeId: universe.id }, mode));
      }
    } finally {
      await reference.stop();
    }
  }
} finally {
  await browser.close();
}

const date = new Date().toISOString().slice(0, 10);
const ms = (x) => x.toFixed(1);
const fr = (x, frame) => (x / frame).toFixed(2);
const fps = (frame) => (1000 / frame).toFixed(1);
const rows = [];
for (const r of runs) {
  const slower = Math.max(r.frameA, r.frameB);
  const target = 2 * slower + 10;
  for (const [what, q] of [['click', r.click], ['drag, first change', r.dragFirst], ['drag, last move to final value', r.dragSettle]]) {
    if (!q.n) continue;
    rows.push(`| ${r.label} | ${r.mode === 'low' ? 'pinned low' : 'auto'} | ${what} | ${q.n} | ${ms(q.p50)} | ${ms(q.p99)} | ${ms(q.max)} | ${fr(q.p50, r.frameA)} / ${fr(q.p50, r.frameB)} | ${fr(q.p99, r.frameA)} / ${fr(q.p99, r.frameB)} | ${ms(target)} | ${q.p99 <= target ? 'met' : 'not met'} |`);
  }
}
const clickRow = (label, mode) => runs.find((r) => r.label.startsWith(label) && r.mode === mode && r.b === 'page');
const share = [];
for (const mode of ['auto', 'low']) {
  const ours = clickRow('ours', mode), ref = clickRow('reference', mode);
  if (ours && ref) {
    share.push(`| ${mode === 'low' ? 'pinned low' : 'auto'} | ${ms(ours.click.p50)} | ${ms(ref.click.p50)} | ${ms(ours.click.p50 - ref.click.p50)} | ${ms(ours.click.p99)} | ${ms(ref.click.p99)} |`);
  }
}
const lines = [
  `# Edit-to-other-screen latency, ${date}`,
  '',
  `Machine: ${os.cpus().length} cores shared with other work, load average ${loadBefore} before and ${os.loadavg().map((x) => x.toFixed(2)).join(', ')} after; headless Chromium with SwiftShader (software WebGL); the desktop client under Xvfb with Mesa llvmpipe; everything on 127.0.0.1.`,
  `Method: bench/web/latency.mjs. Real mouse input (playwright) on page A's gravity slider: ${clicks} clicks, then ${drags} drags of 15 moves. Latency = A's pointerdown (its event time) to B showing the new value: for a page B, the first animation frame whose model holds it plus one of B's frame intervals (the frame that draws it); for the desktop client, the end of its first frame that drew it (its status file, written after every frame). "Last move to final value" runs from A's last pointer event of a drag to B showing A's final value. Frames: the latency divided by the median frame interval of A / of B.`,
  '',
  '| run | quality | edit | n | p50 ms | p99 ms | max ms | p50 in frames of A / B | p99 in frames of A / B | target p99 (2 frames of the slower + 10 ms) | |',
  '|---|---|---|---:|---:|---:|---:|---:|---:|---:|---|',
  ...rows,
  '',
  '| run | quality | A frame interval ms (fps) | B frame interval ms (fps) | B quality level at the end |',
  '|---|---|---:|---:|---|',
  ...runs.map((r) => `| ${r.label} | ${r.mode === 'low' ? 'pinned low' : 'auto'} | ${ms(r.frameA)} (${fps(r.frameA)}) | ${ms(r.frameB)} (${fps(r.frameB)}) | ${r.quality?.level ?? '-'} |`),
  '',
];
// The step breakdown of the clicks, page -> page (docs/latency.md, the budget per step).
const stepNames = [
  ['dispatch', "A: input event to A's listener (the browser's dispatch)", 'A'],
  ['send', "A: listener to the edit's WebSocket send", 'A'],
  ['relay', "A's send to B's WebSocket message (network, server, B's task queue)", 'B'],
  ['apply', "B: message to the callback of B's first frame whose model holds it", 'B'],
  ['present', "B: that callback to the start of B's next frame (the frame before is drawn and presented)", 'B'],
  ['total', "input event to B's frame after the one that applied it", 'B'],
];
for (const r of runs) {
  if (!r.steps?.length) continue;
  const before = r.steps.filter((x) => x.sentBeforeNextFrame).length;
  lines.push(`## Steps of a click: ${r.label}, ${r.mode === 'low' ? 'pinned low' : 'auto'} (${r.steps.length} of ${clicks} clicks matched step by step)`, '',
    `A's edit left before A's next animation frame started in ${before} of ${r.steps.length} clicks. Frames: ms / the median frame interval of the page named (A ${ms(r.frameA)} ms, B ${ms(r.frameB)} ms).`, '',
    '| step | p50 ms | p99 ms | max ms | p50 frames | p99 frames |', '|---|---:|---:|---:|---:|---:|');
  for (const [key, what, page] of stepNames) {
    const q = quantiles(r.steps.map((x) => x[key]));
    const frame = page === 'A' ? r.frameA : r.frameB;
    lines.push(`| ${what} | ${ms(q.p50)} | ${ms(q.p99)} | ${ms(q.max)} | ${fr(q.p50, frame)} (${page}) | ${fr(q.p99, frame)} (${page}) |`);
  }
  lines.push('');
}
if (share.length) {
  lines.push('## The server\'s share (clicks, page -> page)', '',
    '| quality | ours p50 ms | reference p50 ms | difference p50 ms | ours p99 ms | reference p99 ms |',
    '|---|---:|---:|---:|---:|---:|', ...share, '',
    'The reference (bench/reference/server.mjs) relays `parameter:update` from memory; ours validates and commits each change to SQLite before the broadcast. The same web client talks to both.', '');
}
const out = option('--out', path.join(repo, 'bench', 'results', `latency-${date}.md`));
fs.mkdirSync(path.dirname(out), { recursive: true });
fs.writeFileSync(out, lines.join('\n'));
console.log(lines.join('\n'));
console.log(`written to ${out}`);
