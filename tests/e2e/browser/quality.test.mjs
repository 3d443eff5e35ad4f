// Adaptive rendering quality in the web client (docs/client.md, "Adaptive quality"):
// under artificially slow frames the level steps down on auto, a level pinned in the
// Visualization panel holds whatever the frame rate, and the pin is kept across a reload.
//
// Slow frames are injected before the app loads: every requestAnimationFrame callback
// (Emscripten's main loop) is followed by a busy wait until window.__frameMs has passed,
// so the client measures long frames exactly as on a slow GPU.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { createUniverse, register, uniqueName } from '../lib/clients.mjs';
import { HarmonicServer, serverAvailable } from '../lib/server.mjs';
import { click, launch, openClient, siteAvailable, siteDir, status, waitFor } from './lib/browser.mjs';

const skip = !serverAvailable() || !siteAvailable()
  ? 'needs build/server/harmonic-server and build-web/site (see README)' : false;

const slowFrameMs = 90;  // ~11 fps: well over the 30 fps budget

function injectSlowFrames() {
  window.__frameMs = 0;
  const request = window.requestAnimationFrame.bind(window);
  window.requestAnimationFrame = (callback) => request((t) => {
    const start = performance.now();
    callback(t);
    while (performance.now() - start < window.__frameMs) { /* a slow GPU */ }
  });
}

const quality = async (page) => (await status(page)).ui.quality;
const setFrameMs = (page, ms) => page.evaluate((v) => { window.__frameMs = v; }, ms);

async function pin(page, mode) {
  await click(page, 'tab.visualization');
  await click(page, `quality.${mode}`);
  await waitFor(page, (st) => st.ui.quality.mode === mode, { what: `quality mode ${mode}` });
}

// Samples the quality level every 250 ms for `seconds`; returns the levels seen.
async function levelsDuring(page, seconds) {
  const seen = new Set();
  for (const deadline = Date.now() + seconds * 1000; Date.now() < deadline;) {
    seen.add((await quality(page)).level);
    await page.waitForTimeout(250);
  }
  return [...seen];
}

describe('web client: adaptive rendering quality', { skip }, () => {
  let server, browser, client, url;

  before(async () => {
    server = new HarmonicServer({ name: 'browser-quality', webRoot: siteDir });
    await server.start();
    browser = await launch();
    const owner = await register(server, uniqueName('quality'));
    const universe = await createUniverse(server, owner.token, { name: 'Quality' });
    url = `${server.url}/#token=${owner.token}&universe=${universe.id}`;
    client = await openClient(browser, url, { name: 'viewer', initScript: injectSlowFrames });
    await waitFor(client.page, (st) => st.joined, { what: 'joined', timeout: 20000 });
  });

  after(async () => {
    if (client?.problems.length) console.log(`page problems:\n${client.problems.join('\n')}`);
    await browser?.close();
    await server?.dispose();
  });

  test('on auto, slow frames step the level down one at a time, to the lowest', async () => {
    const { page } = client;
    const start = await quality(page);
    assert.equal(start.mode, 'auto');
    await setFrameMs(page, slowFrameMs);
    const levels = [start.level];
    await waitFor(page, (st) => {
      const level = st.ui.quality.level;
      if (levels.at(-1) !== level) levels.push(level);
      return level === 'minimal';
    }, { timeout: 30000, what: 'quality minimal under slow frames' });
    // From wherever it started, no level skipped (the order of render_options()).
    const order = ['high', 'medium', 'low', 'minimal'];
    const from = order.indexOf(levels[0]);
    assert.deepEqual(levels, order.slice(from), `levels seen: ${levels.join(' → ')}`);
    const q = await quality(page);
    assert.ok(q.fps > 0 && q.fps < 30, `measured fps ${q.fps} under ${slowFrameMs} ms frames`);
  });

  test('a pinned level holds under slow frames, is saved, and auto takes over again when unpinned', async () => {
    const { page } = client;
    await setFrameMs(page, slowFrameMs);
    await pin(page, 'high');
    assert.equal((await quality(page)).level, 'high');
    assert.deepEqual(await levelsDuring(page, 4), ['high'], 'pinned high moved under slow frames');

    // The choice is saved with the other settings: a reload comes back pinned.
    await page.reload();
    await waitFor(page, (st) => st.joined, { what: 'joined after reload', timeout: 20000 });
    await setFrameMs(page, slowFrameMs);
    assert.deepEqual(await quality(page).then((q) => [q.mode, q.level]), ['high', 'high']);
    assert.deepEqual(await levelsDuring(page, 3), ['high'], 'pinned high moved after the reload');

    await pin(page, 'low');
    assert.equal((await quality(page)).level, 'low');
    await setFrameMs(page, 0);
    assert.deepEqual(await levelsDuring(page, 3), ['low'], 'pinned low moved');

    // Back on auto, the slow frames step it down again from where the pin left it.
    await setFrameMs(page, slowFrameMs);
    await pin(page, 'auto');
    await waitFor(page, (st) => st.ui.quality.level === 'minimal', { timeout: 15000, what: 'auto steps down again' });
  });
});
