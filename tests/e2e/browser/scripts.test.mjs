// Text in every script (docs/client.md, "Text in every script"): a second client, through
// socket.io-client, writes chat in Chinese, Cyrillic, Greek, Japanese and Korean into a
// universe named in Chinese and Japanese. The page draws them with their own glyphs: its
// font atlas gains exactly those characters (Greek and Cyrillic from DejaVu, CJK from the
// fallback font, fetched only once such text appears). Checked by the page's own count of
// characters it lacks a glyph for, and by pixels: the same text on a page whose font fetch
// is blocked (drawn as "?") looks different.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { Tracker, addCollaborator, ack, createUniverse, join, register, uniqueName } from '../lib/clients.mjs';
import { HarmonicServer, serverAvailable } from '../lib/server.mjs';
import { click, decodePng, screenshot, siteAvailable, siteDir, status, waitFor, widget } from './lib/browser.mjs';
import { launch } from './lib/browser.mjs';

const skip = !serverAvailable() || !siteAvailable()
  ? 'needs build/server/harmonic-server and build-web/site (see README)' : false;

const universeName = '星雲の宇宙';
const chatLine = '你好 Привет Γειά こんにちは 안녕';
// The characters only the CJK font has: what a page without it lacks.
const cjkOnly = new Set([...universeName, ...'你好こんにちは안녕']).size;

// A page of the client at 1280×800 that counts its requests for the fallback font;
// `blockFont` makes those fail, as a server without the font would.
async function openPage(browser, url, { name, blockFont = false }) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const fontRequests = [];
  await context.route('**/fonts/**', (route) => {
    fontRequests.push(route.request().url());
    return blockFont ? route.abort() : route.continue();
  });
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  await page.goto(url);
  await page.waitForFunction(() => window.harmonic && window.harmonic.status().frames > 0, null, { timeout: 20000 });
  return { context, page, problems, name, fontRequests };
}

// Pixels that differ strongly (text against background) between two screenshots in a
// region: glyphs drawn differently, not the particles shining through a panel.
function strongDifferences(a, b, r) {
  let count = 0;
  for (let y = Math.floor(r.y); y < Math.ceil(r.y + r.h); y++) {
    for (let x = Math.floor(r.x); x < Math.ceil(r.x + r.w); x++) {
      const i = (y * a.width + x) * a.channels, j = (y * b.width + x) * b.channels;
      const la = 0.3 * a.data[i] + 0.59 * a.data[i + 1] + 0.11 * a.data[i + 2];
      const lb = 0.3 * b.data[j] + 0.59 * b.data[j + 1] + 0.11 * b.data[j + 2];
      if (Math.abs(la - lb) > 80) count++;
    }
  }
  return count;
}

const union = (p, q) => {
  const x = Math.min(p.x, q.x), y = Math.min(p.y, q.y);
  return { x, y, w: Math.max(p.x + p.w, q.x + q.w) - x, h: Math.max(p.y + p.h, q.y + q.h) - y };
};

describe('web client: text in every script', { skip }, () => {
  let server, browser, owner, guest, latin, universe, reader, blocked;
  const sockets = new Tracker();

  before(async () => {
    server = new HarmonicServer({ name: 'browser-scripts', webRoot: siteDir });
    await server.start();
    browser = await launch();
    owner = await register(server, uniqueName('reader'));
    guest = await register(server, uniqueName('writer'));
    latin = await register(server, uniqueName('latin'));
    universe = await createUniverse(server, owner.token, { name: universeName });
    await addCollaborator(server, owner.token, universe.id, guest.username);
  });

  after(async () => {
    for (const p of [reader, blocked]) if (p?.problems.length) console.log(`${p.name} page problems:\n${p.problems.join('\n')}`);
    sockets.closeAll();
    await browser?.close();
    await server?.dispose();
  });

  test('a page showing only Latin text never fetches the CJK font', async () => {
    const page = await openPage(browser, `${server.url}/#token=${latin.token}`, { name: 'latin' });
    await waitFor(page.page, (s) => s.user?.username === latin.username, { what: 'signed in' });
    await widget(page.page, 'panel.list');
    const s = await status(page.page);
    assert.equal(s.ui.glyphs.fallback_font, 'not_requested');
    assert.equal(s.ui.glyphs.missing, 0);
    assert.deepEqual(page.fontRequests, []);
    console.log(`base atlas: ${s.ui.glyphs.atlas_builds} build, ${s.ui.glyphs.last_build_ms.toFixed(1)} ms (before its upload)`);
    await page.context.close();
  });

  test('a universe name and chat in five scripts are drawn with their own glyphs', async () => {
    reader = await openPage(browser, `${server.url}/#token=${owner.token}&universe=${universe.id}`, { name: 'reader' });
    await waitFor(reader.page, (s) => s.joined, { what: 'reader joined' });
    const writer = await sockets.open(server, guest.token);
    await join(writer, universe.id);
    const sentAt = Date.now();
    const sent = await ack(writer, 'collaboration:message', { universe_id: universe.id, message: chatLine });
    assert.ok(sent?.ok !== false, JSON.stringify(sent));
    await click(reader.page, 'tab.chat');
    const s = await waitFor(reader.page, (st) => st.chat_count >= 1 && st.ui.glyphs.fallback_font === 'ready' &&
      st.ui.glyphs.missing === 0 && st.ui.widgets['chat.last'], { timeout: 20000, what: 'every glyph drawn' });
    assert.equal(s.ui.glyphs.missing, 0);
    console.log(`all glyphs drawn ${Date.now() - sentAt} ms after the chat was sent (the font was asked for when ` +
      `the universe's name appeared); atlas builds ${s.ui.glyphs.atlas_builds}, the last took ${s.ui.glyphs.last_build_ms.toFixed(1)} ms`);
    assert.equal(reader.fontRequests.length, 1, `one fetch of the font: ${reader.fontRequests}`);
    await screenshot(reader.page, 'scripts-chat.png');
  });

  test('without the CJK font the same page lacks exactly the CJK glyphs, and looks different', async () => {
    blocked = await openPage(browser, `${server.url}/#token=${owner.token}&universe=${universe.id}`,
      { name: 'blocked', blockFont: true });
    await waitFor(blocked.page, (s) => s.joined && s.chat_count >= 1, { what: 'blocked page joined' });
    await click(blocked.page, 'tab.chat');
    const s = await waitFor(blocked.page, (st) => st.ui.glyphs.fallback_font === 'unavailable' &&
      st.ui.widgets['chat.last'], { timeout: 20000, what: 'the font fetch failed' });
    // Greek and Cyrillic come from DejaVu either way; only the CJK characters lack a glyph.
    assert.equal(s.ui.glyphs.missing, cjkOnly);
    const plain = decodePng((await screenshot(blocked.page, 'scripts-chat-without-cjk-font.png')).png);
    const drawn = decodePng((await screenshot(reader.page, 'scripts-chat.png')).png);
    const r = await status(reader.page), b = await status(blocked.page);
    const name = union(r.ui.widgets['top.name'], b.ui.widgets['top.name']);
    const line = union(r.ui.widgets['chat.last'], b.ui.widgets['chat.last']);
    const back = r.ui.widgets['top.back'];  // the same on both: the measure of "the same"
    const same = strongDifferences(drawn, plain, back);
    const nameDiff = strongDifferences(drawn, plain, name), lineDiff = strongDifferences(drawn, plain, line);
    assert.ok(same < 10, `the back button differs in ${same} pixels`);
    assert.ok(nameDiff > 100, `the universe name differs in only ${nameDiff} pixels`);
    assert.ok(lineDiff > 100, `the chat line differs in only ${lineDiff} pixels`);
  });
});
