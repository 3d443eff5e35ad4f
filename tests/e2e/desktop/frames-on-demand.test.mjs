// Frames on demand in the desktop client (docs/latency.md): an idle screen draws only
// a slow heartbeat, and an event from the network wakes the UI thread at once (the
// network thread's UiQueue::push ends the frame loop's wait) instead of waiting for
// the next heartbeat. Read from the status file: ui.frames_drawn, ui.frames_idle and
// ui.continuous (the App's pacer) and desktop.events_handed_over /
// desktop.last_event_wait_ms (how long a network event waited for the UI thread).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { register, uniqueName } from '../lib/clients.mjs';
import { HarmonicServer } from '../lib/server.mjs';
import { desktopSkipReason, launchDesktop, startXvfb } from './lib/desktop.mjs';

const skip = desktopSkipReason();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const heartbeatMs = 250;  // FramePacer::kHeartbeatMs

describe('desktop client: frames on demand', { skip, timeout: 90000 }, () => {
  let server, xvfb, user;
  const clients = [];

  before(async () => {
    xvfb = await startXvfb();
    // Engine.IO pings every second: network events on a screen that idles between them.
    server = new HarmonicServer({ name: 'desktop-frames', pingInterval: 1000 });
    await server.start();
    user = await register(server, uniqueName('idle'));
  });

  after(async () => {
    for (const c of clients) await c.dispose();
    await server?.dispose();
    await xvfb?.stop();
  });

  test('an idle sign-in screen draws a heartbeat, not the display rate', async () => {
    const desktop = launchDesktop({ display: xvfb.display, server, name: 'frames-idle' });
    clients.push(desktop);
    await desktop.waitFor((s) => s.frames > 0, { what: 'first frame' });
    await sleep(1500);  // past the settle time after the window opened
    const a = await desktop.waitFor((s) => s.ui.continuous === false, { what: 'idle' });
    const t0 = Date.now();
    await sleep(2500);
    const b = desktop.status();
    const rate = (b.ui.frames_drawn - a.ui.frames_drawn) / ((Date.now() - t0) / 1000);
    console.log(`idle desktop sign-in screen: ${rate.toFixed(1)} frames/s`);
    assert.equal(b.ui.continuous, false, 'the sign-in screen is idle');
    assert.ok(rate <= 8, `an idle sign-in screen drew ${rate.toFixed(1)} frames/s (heartbeat 4/s, display 60/s)`);
    assert.ok(b.ui.frames_idle - a.ui.frames_idle >= 4, 'the heartbeat frames are counted as idle');
    await desktop.dispose();
  });

  test('a network event wakes the idle screen at once, not at the next heartbeat', async () => {
    // Signed in (the universe list): the WebSocket is open and the server's pings arrive.
    const desktop = launchDesktop({
      display: xvfb.display, server, name: 'frames-wake',
      args: ['--token', user.token, '--status-interval-ms', '0'],
    });
    clients.push(desktop);
    await desktop.waitFor((s) => s.connection === 'connected' && s.user, { what: 'signed in', timeout: 30000 });
    await sleep(1500);
    // Every frame rewrites the status file; on an idle screen frames come only from a
    // heartbeat or a wake, so a poll every 10 ms sees each handed-over event.
    const first = desktop.status();
    const waits = [];
    let seen = first.desktop.events_handed_over;
    const t0 = Date.now();
    while (Date.now() - t0 < 6000) {
      const s = desktop.status();
      if (s && s.desktop.events_handed_over > seen) {
        if (s.desktop.events_handed_over === seen + 1) waits.push(s.desktop.last_event_wait_ms);
        seen = s.desktop.events_handed_over;
      }
      await sleep(10);
    }
    const last = desktop.status();
    console.log(`network events on the idle list screen waited ${waits.map((w) => w.toFixed(1)).join(', ')} ms for the UI thread`);
    assert.ok(waits.length >= 4, `${waits.length} events seen (pings every second)`);
    // A heartbeat-paced loop would leave events waiting up to 250 ms, ~125 ms on average.
    for (const w of waits) assert.ok(w < heartbeatMs / 2, `an event waited ${w.toFixed(1)} ms for the UI thread`);
    // Each wake draws at full rate for a moment (woken frames), and the screen idles
    // between the pings (heartbeat frames).
    const woken = (s) => s.ui.frames_drawn - s.ui.frames_idle;
    assert.ok(woken(last) - woken(first) >= waits.length, `${woken(last) - woken(first)} woken frames for ${waits.length} events`);
    assert.ok(last.ui.frames_idle > first.ui.frames_idle, 'the list screen idled between the pings');
  });
});
