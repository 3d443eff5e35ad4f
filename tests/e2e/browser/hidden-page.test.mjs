// A page in a background tab keeps its connection and catches up when shown
// (docs/latency.md, "Frames on demand"): while page B is hidden, page A makes edits;
// B's WebSocket stays the one it opened, its model follows A's edits, and once shown
// it draws the latest values within a frame or two.
//
// Hiding: Chromium driven by playwright keeps every page visible, headless or headful
// under Xvfb (a background tab, a minimised window and focus emulation switched off were
// all tried: document.visibilityState stays 'visible'). So the page is hidden the way
// the browser hides it, from the page's side: document.visibilityState / hidden read
// 'hidden', a visibilitychange event fires, and animation frames stop (callbacks passed
// to requestAnimationFrame wait until the page is shown again, as in a background tab).
// Timers and WebSocket events keep running, as they do in a hidden tab.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { createUniverse, register, uniqueName } from '../lib/clients.mjs';
import { HarmonicServer, serverAvailable } from '../lib/server.mjs';
import { afterFrames, launch, openClient, siteAvailable, siteDir, status, waitFor, widget } from './lib/browser.mjs';

const skip = !serverAvailable() || !siteAvailable()
  ? 'needs build/server/harmonic-server and build-web/site (see README)' : false;

// Runs in page B before the client loads: a visibility switch (window.__setHidden) and a
// record of every WebSocket the page opens and every close it sees.
function hideableAndWatched() {
  let hidden = false;
  Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => (hidden ? 'hidden' : 'visible') });
  Object.defineProperty(document, 'hidden', { configurable: true, get: () => hidden });
  const nativeRaf = window.requestAnimationFrame.bind(window);
  let held = [];
  // A frame asked for before the page was hidden does not come either.
  window.requestAnimationFrame = (callback) => nativeRaf((time) => {
    if (!hidden) return callback(time);
    held.push(callback);
    window.__sockets.held++;
  });
  window.__setHidden = (value) => {
    hidden = value;
    document.dispatchEvent(new Event('visibilitychange'));
    if (!hidden) {
      const waiting = held;
      held = [];
      for (const callback of waiting) nativeRaf(callback);
    }
  };
  window.__sockets = { opened: 0, closed: 0, messages: 0, held: 0 };
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      window.__sockets.opened++;
      this.addEventListener('close', () => { window.__sockets.closed++; });
      this.addEventListener('message', () => { window.__sockets.messages++; });
    }
  };
}

describe('web client: a hidden page', { skip }, () => {
  let server, browser, a, b;

  before(async () => {
    // Engine.IO pings every second: a page that stopped answering while hidden would be
    // dropped within the few seconds it stays hidden.
    server = new HarmonicServer({ name: 'browser-hidden', webRoot: siteDir, pingInterval: 1000 });
    await server.start();
    browser = await launch();
    const owner = await register(server, uniqueName('hid'));
    const universe = await createUniverse(server, owner.token, { name: 'Hidden' });
    const url = `${server.url}/#token=${owner.token}&universe=${universe.id}`;
    a = await openClient(browser, url, { name: 'A' });
    b = await openClient(browser, url, { name: 'B', initScript: hideableAndWatched });
    for (const p of [a, b]) await waitFor(p.page, (st) => st.joined, { what: `${p.name} joined` });
  });

  after(async () => {
    for (const p of [a, b]) if (p?.problems.length) console.log(`${p.name} page problems:\n${p.problems.join('\n')}`);
    await browser?.close();
    await server?.dispose();
  });

  test('keeps its connection while hidden and shows the latest values within two frames of being shown', async () => {
    const sockets = () => b.page.evaluate(() => ({ opened: window.__sockets.opened, closed: window.__sockets.closed }));
    const counts = () => b.page.evaluate(() => ({ ...window.__sockets }));
    assert.deepEqual(await sockets(), { opened: 1, closed: 0 }, 'B opened one WebSocket');
    const r = await widget(a.page, 'param.physics.gravity');
    const y = r.y + r.h / 2;

    await b.page.evaluate(() => window.__setHidden(true));
    const hiddenAt = await status(b.page);
    const countsAt = await counts();
    const started = Date.now();
    // A clicks the slider at three places while B is hidden; each is acknowledged on A.
    let latest = hiddenAt.parameters.physics.gravity;
    for (const fx of [0.2, 0.8, 0.35]) {
      await a.page.mouse.move(r.x + r.w * fx, y);
      await afterFrames(a.page, 2);
      await a.page.mouse.down();
      await afterFrames(a.page, 1);
      await a.page.mouse.up();
      const settled = await waitFor(a.page, (st) => st.parameters.physics.gravity !== latest, { what: 'A\'s edit acknowledged' });
      latest = settled.parameters.physics.gravity;
      await a.page.waitForTimeout(700);
    }
    // Hidden for several of the server's ping intervals.
    while (Date.now() - started < 4000) await a.page.waitForTimeout(200);
    const hidden = await status(b.page);
    const countsHidden = await counts();
    const hiddenSeconds = (Date.now() - started) / 1000;
    assert.equal(hidden.connection, 'connected', 'B stayed connected while hidden');
    assert.equal(hidden.reconnect_attempt, 0);
    assert.deepEqual(await sockets(), { opened: 1, closed: 0 }, 'B kept its one WebSocket while hidden');
    // Its model follows the server while hidden (the WebSocket callbacks run there).
    assert.equal(hidden.parameters.physics.gravity, latest, 'B\'s model holds A\'s latest gravity while hidden');
    // No animation frames: it draws from the hidden page's 1 s timer, which keeps the
    // client's own timers (presence, reconnection) running, and once for each wake (an
    // incoming message), never at the display's rate.
    const hiddenFrames = hidden.frames - hiddenAt.frames;
    const messages = countsHidden.messages - countsAt.messages;
    console.log(`hidden for ${hiddenSeconds.toFixed(1)} s: ${hiddenFrames} frames, ${messages} messages, `
      + `${countsHidden.held - countsAt.held} animation frame requests held`);
    assert.ok(hiddenFrames <= hiddenSeconds + messages + 2,
      `a hidden page drew ${hiddenFrames} frames in ${hiddenSeconds.toFixed(1)} s with ${messages} incoming messages`);
    assert.ok(hiddenFrames >= 2, `a hidden page drew ${hiddenFrames} frames in ${hiddenSeconds.toFixed(1)} s (its 1 s timer stopped)`);

    // Shown again: the next frame or the one after draws the latest values.
    const beforeShow = (await status(b.page)).frames;
    await b.page.evaluate(() => window.__setHidden(false));
    const shown = await waitFor(b.page, (st) => st.frames >= beforeShow + 2, { what: 'B draws after being shown', timeout: 5000 });
    assert.equal(shown.parameters.physics.gravity, latest, 'B shows A\'s latest gravity');
    assert.ok(shown.ui.continuous, 'a shown universe draws at the display\'s rate again');
    await afterFrames(b.page, 3);
    assert.equal((await status(b.page)).connection, 'connected');
    assert.deepEqual(await sockets(), { opened: 1, closed: 0 }, 'the connection never dropped');
  });
});
