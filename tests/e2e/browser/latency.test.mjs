// The latency budget's frame rules (docs/latency.md), checked with the client's own frame
// counter (status().frames is the index of the frame being drawn) rather than with
// timings, so they hold at any frame rate:
//   - an edit leaves in the frame that saw the input: no coalescing wait before the
//     first send;
//   - an incoming change is in the model by the frame after the one in which it arrived.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { createUniverse, register, uniqueName } from '../lib/clients.mjs';
import { HarmonicServer, serverAvailable } from '../lib/server.mjs';
import { afterFrames, launch, openClient, siteAvailable, siteDir, status, waitFor, widget } from './lib/browser.mjs';

const skip = !serverAvailable() || !siteAvailable()
  ? 'needs build/server/harmonic-server and build-web/site (see README)' : false;

const slider = 'param.physics.gravity';

// Before the app loads: every incoming WebSocket message that announces a parameter
// change is stamped with the frame the page was in when it arrived.
function stampArrivals() {
  window.__arrivals = [];
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', (e) => {
        if (typeof e.data === 'string' && e.data.includes('"parameter:updated"')) {
          window.__arrivals.push({ frame: window.harmonic ? window.harmonic.status().frames : -1, data: e.data });
        }
      });
    }
  };
}

// Before the app loads: counts the parameter edits the page sends, and keeps every
// text frame it sends (the newest 200) for tests that look for other events.
function countEditSends() {
  window.__editSends = 0;
  window.__sent = [];
  const send = window.WebSocket.prototype.send;
  window.WebSocket.prototype.send = function (data) {
    if (typeof data === 'string') {
      if (data.includes('"parameter:update"')) window.__editSends++;
      window.__sent.push(data);
      if (window.__sent.length > 200) window.__sent.shift();
    }
    return send.call(this, data);
  };
}

// Once per animation frame: the frame index at which the model's gravity changed.
function stampModelChanges() {
  window.__modelChanges = [];
  let last = window.harmonic.status().parameters.physics.gravity;
  const tick = () => {
    const s = window.harmonic.status();
    const value = s.parameters.physics.gravity;
    if (value !== last) {
      window.__modelChanges.push({ frame: s.frames, value });
      last = value;
    }
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
}

describe('web client: frames from input to the other screen', { skip }, () => {
  let server, browser, a, b;

  before(async () => {
    server = new HarmonicServer({ name: 'browser-latency', webRoot: siteDir });
    await server.start();
    browser = await launch();
    const owner = await register(server, uniqueName('lat'));
    const universe = await createUniverse(server, owner.token, { name: 'Latency' });
    const url = `${server.url}/#token=${owner.token}&universe=${universe.id}`;
    a = await openClient(browser, url, { name: 'A', initScript: countEditSends });
    b = await openClient(browser, url, { name: 'B', initScript: stampArrivals });
    for (const p of [a, b]) await waitFor(p.page, (st) => st.joined, { what: `${p.name} joined` });
    await b.page.evaluate(stampModelChanges);
  });

  after(async () => {
    for (const p of [a, b]) if (p?.problems.length) console.log(`${p.name} page problems:\n${p.problems.join('\n')}`);
    await browser?.close();
    await server?.dispose();
  });

  test('a click on a slider is sent in the frame that sees it (no coalescing wait first)', async () => {
    const r = await widget(a.page, slider);
    const y = r.y + r.h / 2;
    // The frame in progress when each press reached the page: on a loaded machine the
    // browser may draw a frame or two between playwright's call and the event's arrival,
    // and that delay is not the client's.
    await a.page.evaluate(() => {
      window.__pressFrames = [];
      window.addEventListener('mousedown', () => window.__pressFrames.push(window.harmonic.status().frames), true);
    });
    for (const [i, fx] of [0.25, 0.75, 0.4].entries()) {
      await a.page.mouse.move(r.x + r.w * fx, y);
      await afterFrames(a.page, 2);  // the move is seen alone, so the press is the next frame's only input
      const before = await a.page.evaluate(() => window.harmonic.status().frames);
      await a.page.mouse.down();
      const sent = await waitFor(a.page, (st) => st.edit_sent_frame >= before, { what: `edit ${i} sent` });
      await a.page.mouse.up();
      const seen = await a.page.evaluate((n) => window.__pressFrames[n], i);
      assert.equal(typeof seen, 'number', `click ${i}: the press reached the page`);
      // The press is processed by the frame that starts after it: index `seen` (the frame
      // in progress when it came) or the next one; the edit must leave in that frame.
      assert.ok(sent.edit_sent_frame <= seen + 1,
        `click ${i}: input while frame ${seen} was drawn, edit sent in frame ${sent.edit_sent_frame}`);
      await afterFrames(a.page, 4);  // past the coalescing interval, so the next click is a first send again
    }
  });

  // Software GL frames are ~70 ms apart: waiting for the next animation frame to run the
  // widget that turns the press into an edit cost a frame (bench/results/latency-2026-12-04.md).
  test('a press on a slider sends the edit while the press is handled, before the next frame', async () => {
    const r = await widget(a.page, slider);
    const y = r.y + r.h / 2;
    // Around the app's own handler (on the canvas): the window's capture listener runs
    // before it, the window's bubbling listener after it, both in the same event.
    await a.page.evaluate(() => {
      window.__pressSends = [];
      window.addEventListener('mousedown', () => {
        window.__pressSendsBefore = window.__editSends;
        window.__pressFrameBefore = window.harmonic.status().ui.frames_drawn;
      }, true);
      window.addEventListener('mousedown', () => {
        window.__pressSends.push({ sent: window.__editSends - window.__pressSendsBefore,
                                   frames: window.harmonic.status().ui.frames_drawn - window.__pressFrameBefore });
      }, false);
    });
    for (const [i, fx] of [0.3, 0.7, 0.45].entries()) {
      await a.page.mouse.move(r.x + r.w * fx, y);
      await afterFrames(a.page, 2);
      await a.page.mouse.down();
      await afterFrames(a.page, 1);
      await a.page.mouse.up();
      const press = await a.page.evaluate((n) => window.__pressSends[n], i);
      assert.ok(press, `click ${i}: the press reached the page`);
      assert.equal(press.frames, 0, `click ${i}: no frame was drawn inside the press handler`);
      assert.equal(press.sent, 1, `click ${i}: the edit was sent while the press was handled (${press.sent} sends)`);
      await afterFrames(a.page, 4);  // past the coalescing interval
    }
  });

  test('a click releases the slider and a drag follows the mouse (input handled at once keeps ImGui\'s click and drag)', async () => {
    const r = await widget(a.page, slider);
    const y = r.y + r.h / 2;
    const gravity = () => a.page.evaluate(() => window.harmonic.status().parameters.physics.gravity);
    const clickAt = async (fx) => {
      const before = await gravity();
      await a.page.mouse.move(r.x + r.w * fx, y);
      await afterFrames(a.page, 2);
      await a.page.mouse.down();
      await a.page.mouse.up();  // press and release between two frames
      await a.page.waitForFunction((v) => window.harmonic.status().parameters.physics.gravity !== v, before, { timeout: 15000 });
      await afterFrames(a.page, 4);
      return gravity();
    };
    const at75 = await clickAt(0.75);
    const at20 = await clickAt(0.2);
    assert.notEqual(at75, at20);
    // Released: moving over the slider without a button changes nothing.
    await a.page.mouse.move(r.x + r.w * 0.6, y, { steps: 5 });
    await afterFrames(a.page, 6);
    assert.equal(await gravity(), at20, 'the slider was left active after the click');
    // A drag from 0.2 to 0.75 ends at the value a click at 0.75 gives.
    await a.page.mouse.move(r.x + r.w * 0.2, y);
    await afterFrames(a.page, 2);
    await a.page.mouse.down();
    await a.page.mouse.move(r.x + r.w * 0.75, y, { steps: 10 });
    await afterFrames(a.page, 2);
    await a.page.mouse.up();
    await a.page.waitForFunction((v) => window.harmonic.status().parameters.physics.gravity === v, at75, { timeout: 15000 })
      .catch(async () => assert.fail(`after the drag gravity is ${await gravity()}, a click at the same place gave ${at75}`));
    await afterFrames(a.page, 4);
  });

  // A press and a release each run the screens at once (App::input_frame) and the next
  // animation frame runs them again: a button must still act once per click, and text
  // typed into a field that a quick click focused must arrive once, in order.
  test('a quick click acts once and the field it focuses takes typed text once (nothing applied twice)', async () => {
    const sent = (event) => a.page.evaluate((e) => window.__sent.filter((d) => d.includes(`"${e}"`)), event);
    const quickClick = async (name) => {
      const r = await widget(a.page, name);
      await a.page.mouse.move(r.x + r.w / 2, r.y + r.h / 2);
      await afterFrames(a.page, 2);
      await a.page.mouse.down();
      await a.page.mouse.up();  // press and release between two frames
      await afterFrames(a.page, 4);
    };
    const resetsBefore = (await sent('parameter:reset')).length;
    await quickClick('reset.physics');
    assert.equal((await sent('parameter:reset')).length - resetsBefore, 1, 'one quick click on the reset button sent one reset');

    await quickClick('tab.chat');
    await quickClick('chat.input');
    const text = `typed once ${Date.now() % 100000}`;
    await a.page.keyboard.type(text, { delay: 15 });
    await a.page.keyboard.press('Enter');
    await a.page.waitForFunction(() => window.__sent.some((d) => d.includes('"collaboration:message"')), null, { timeout: 15000 });
    await afterFrames(a.page, 4);
    const messages = (await sent('collaboration:message')).map((d) => JSON.parse(d.slice(d.indexOf('['))).at(1)?.message);
    assert.deepEqual(messages, [text], `the chat sends were ${JSON.stringify(messages)}`);
  });

  test('an incoming change is in the model by the frame after the one it arrived in', async () => {
    await b.page.evaluate(() => { window.__arrivals.length = 0; window.__modelChanges.length = 0; });
    const r = await widget(a.page, slider);
    const y = r.y + r.h / 2;
    for (const fx of [0.2, 0.8, 0.5]) {
      await a.page.mouse.move(r.x + r.w * fx, y);
      await afterFrames(a.page, 2);
      await a.page.mouse.down();
      await afterFrames(a.page, 1);
      await a.page.mouse.up();
      await afterFrames(b.page, 4);
    }
    const { arrivals, changes } = await b.page.evaluate(() => ({ arrivals: window.__arrivals, changes: window.__modelChanges }));
    assert.ok(arrivals.length >= 3, `B saw ${arrivals.length} parameter:updated messages`);
    for (const arrival of arrivals) {
      const value = JSON.parse(arrival.data.slice(arrival.data.indexOf('['))).at(1)?.parameters?.gravity;
      if (value === undefined) continue;
      const change = changes.find((c) => c.value === value && c.frame >= arrival.frame);
      assert.ok(change, `B never showed gravity ${value} (arrived in frame ${arrival.frame}); changes ${JSON.stringify(changes)}`);
      assert.ok(change.frame <= arrival.frame + 1,
        `gravity ${value} arrived in frame ${arrival.frame} but reached the model in frame ${change.frame}`);
    }
  });
});

// Frames on demand (docs/latency.md): an idle screen draws only a slow heartbeat, and
// anything that arrives wakes it at once, so the frame after an arrival is a woken
// (continuous) frame, never an idle heartbeat that happened to come by.
describe('web client: frames on demand', { skip }, () => {
  let server, browser, page, user;

  before(async () => {
    // Engine.IO pings every second: incoming messages on a screen that idles between them.
    server = new HarmonicServer({ name: 'browser-frames', webRoot: siteDir, pingInterval: 1000 });
    await server.start();
    browser = await launch();
    user = await register(server, uniqueName('idle'));
  });

  after(async () => {
    if (page?.problems.length) console.log(`page problems:\n${page.problems.join('\n')}`);
    await browser?.close();
    await server?.dispose();
  });

  test('an idle sign-in screen does not draw at full rate, and input brings full rate back', async () => {
    page = await openClient(browser, `${server.url}/`, { name: 'idle' });
    await page.page.waitForTimeout(1500);  // past the settle time after loading
    const a = await status(page.page);
    const t0 = Date.now();
    await page.page.waitForTimeout(2000);
    const b = await status(page.page);
    const seconds = (Date.now() - t0) / 1000;
    const rate = (b.frames - a.frames) / seconds;
    console.log(`idle sign-in screen: ${rate.toFixed(1)} frames/s`);
    assert.equal(b.ui.continuous, false, 'the sign-in screen is idle');
    assert.ok(rate <= 8, `an idle sign-in screen drew ${rate.toFixed(1)} frames/s (heartbeat 4/s)`);
    assert.ok(b.ui.frames_idle - a.ui.frames_idle >= 2, 'the heartbeat frames are counted as idle');
    // Input wakes it: the frame after each mouse move is a woken one, not an idle
    // heartbeat (frames that started before the move may still be idle ones).
    await page.page.evaluate(() => {
      window.__moves = [];
      document.getElementById('canvas').addEventListener('mousemove', () => {
        const s = window.harmonic.status();
        const move = { frames: s.frames, idle: s.ui.frames_idle, next: null };
        window.__moves.push(move);
        const tick = () => {
          const now = window.harmonic.status();
          if (now.frames === move.frames) requestAnimationFrame(tick);
          else move.next = { frames: now.frames, idle: now.ui.frames_idle };
        };
        requestAnimationFrame(tick);
      }, true);
    });
    for (let i = 1; i <= 4; i++) {
      await page.page.waitForTimeout(700);  // past the settle time: idle again
      await page.page.mouse.move(200 + i * 10, 200);
      await afterFrames(page.page, 1);
    }
    const moves = await page.page.evaluate(() => window.__moves.filter((m) => m.next && m.next.frames === m.frames + 1));
    assert.ok(moves.length >= 2, `${moves.length} usable moves`);
    for (const m of moves) {
      assert.equal(m.next.idle, m.idle, `a move came in frame ${m.frames}; the next frame was an idle heartbeat`);
    }
  });

  test('an incoming message on an idle screen is drawn in the very next frame', async () => {
    const context = page.context;
    await context.addInitScript(() => {
      window.__arrivals = [];
      const Native = window.WebSocket;
      window.WebSocket = class extends Native {
        constructor(...args) {
          super(...args);
          this.addEventListener('message', () => {
            if (!window.harmonic) return;
            const s = window.harmonic.status();
            const arrival = { frames: s.frames, idle: s.ui.frames_idle, next: null };
            window.__arrivals.push(arrival);
            const tick = () => {
              const now = window.harmonic.status();
              if (now.frames === arrival.frames) requestAnimationFrame(tick);
              else arrival.next = { frames: now.frames, idle: now.ui.frames_idle };
            };
            requestAnimationFrame(tick);
          });
        }
      };
    });
    await page.page.goto('about:blank');  // a new document, so the init script runs
    await page.page.goto(`${server.url}/#token=${user.token}`);
    await waitFor(page.page, (st) => st.connection === 'connected' && st.user, { what: 'signed in, connected' });
    const idleBefore = (await status(page.page)).ui.frames_idle;
    await page.page.waitForTimeout(5000);  // about five pings, with idle time between them
    const s = await status(page.page);
    assert.ok(s.ui.frames_idle > idleBefore, 'the list screen idled between the pings');
    const arrivals = await page.page.evaluate(() => window.__arrivals.filter((a) => a.next));
    // Only arrivals the first frame after which the tick saw (one frame later exactly).
    const exact = arrivals.filter((a) => a.next.frames === a.frames + 1);
    assert.ok(exact.length >= 3, `${exact.length} usable arrivals of ${arrivals.length}`);
    for (const a of exact) {
      assert.equal(a.next.idle, a.idle,
        `a message arrived in frame ${a.frames}; the next frame was an idle heartbeat, not a woken frame`);
    }
  });
});
