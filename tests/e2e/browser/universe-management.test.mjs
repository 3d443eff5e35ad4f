// The universe list, driven like a person would: a name typed and Create pressed, the
// Edit dialog (rename, describe, make public, add a collaborator by username), Copy
// link, Delete with its confirmation, and the ?debug=1 event log. Every action goes
// through mouse and keyboard on the canvas; REST is only used to check the outcome.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { api, register, uniqueName } from '../lib/clients.mjs';
import { HarmonicServer, serverAvailable } from '../lib/server.mjs';
import { afterFrames, click, launch, openClient, screenshot, siteAvailable, siteDir, status, typeInto, waitFor, widget } from './lib/browser.mjs';

const skip = !serverAvailable() || !siteAvailable()
  ? 'needs build/server/harmonic-server and build-web/site (see README)' : false;

const LONG = 20000;  // generous: two cores, possibly shared with another CI run

// Polls until `check()` returns a truthy value; returns it.
async function eventually(check, { timeout = LONG, what = 'condition' } = {}) {
  const deadline = Date.now() + timeout;
  let last;
  while (Date.now() < deadline) {
    last = await check();
    if (last) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

// Replaces the whole text of an ImGui input: click into it, select all, delete, type.
// Each step gets frames of its own: in one frame ImGui's InputText inserts the typed
// characters before it applies Backspace, which then deleted the first character typed.
async function replaceText(page, name, text) {
  await click(page, name);
  await page.keyboard.press('Control+A');
  await afterFrames(page);
  await page.keyboard.press('Backspace');
  await afterFrames(page);
  await page.keyboard.type(text, { delay: 15 });
}

const hasWidget = (name) => (st) => Boolean(st.ui?.widgets?.[name]);
const noWidget = (name) => (st) => Boolean(st.ui?.widgets) && !st.ui.widgets[name];

describe('web client: managing universes from the list', { skip }, () => {
  let server, browser, owner, friend, client, debugClient, universeId;
  const name = `Nebula ${uniqueName('n').slice(-6)}`;
  const renamed = `${name} renamed`;
  const description = 'Slow spirals, described through the dialog';

  before(async () => {
    server = new HarmonicServer({ name: 'browser-universes', webRoot: siteDir });
    await server.start();
    browser = await launch();
    owner = await register(server, uniqueName('owner'));
    friend = await register(server, uniqueName('friend'));
  });

  after(async () => {
    for (const p of [client, debugClient]) if (p?.problems.length) console.log(`${p.name} page problems:\n${p.problems.join('\n')}`);
    await browser?.close();
    await server?.dispose();
  });

  async function listed() {
    const r = await api(server, 'GET', '/api/universes', undefined, owner.token);
    assert.equal(r.status, 200, r.text);
    return r.body.universes;
  }
  async function detail() {
    return api(server, 'GET', `/api/universes/${universeId}`, undefined, owner.token);
  }

  async function openEditDialog(page) {
    await click(page, `universe.edit.${universeId}`);
    await widget(page, 'edit.name', { timeout: LONG });
  }
  async function closeEditDialog(page) {
    await click(page, 'edit.close');
    await waitFor(page, noWidget('edit.name'), { timeout: LONG, what: 'edit dialog closed' });
  }

  test('create: a name typed and Create pressed appears under "Mine" and on the server', async () => {
    client = await openClient(browser, `${server.url}/`, { name: 'owner' });
    await typeInto(client.page, 'signin.username', owner.username);
    await typeInto(client.page, 'signin.password', owner.password, { enter: true });
    await waitFor(client.page, (st) => st.user?.username === owner.username, { timeout: LONG, what: 'signed in' });
    await widget(client.page, 'list.create', { timeout: LONG });
    assert.equal((await listed()).length, 0);

    await typeInto(client.page, 'list.new_name', name);
    await click(client.page, 'list.create');

    const created = await eventually(async () => (await listed()).find((u) => u.name === name),
      { what: `universe "${name}" on the server` });
    universeId = created.id;
    assert.equal(created.role, 'owner');
    assert.equal(created.is_public, false);

    // The row shows up in the "Mine" section: below its header, above "Shared with me".
    const s = await waitFor(client.page, hasWidget(`universe.${universeId}`), { timeout: LONG, what: 'row in the list' });
    const w = s.ui.widgets;
    const row = w[`universe.${universeId}`];
    assert.ok(w['list.section.Mine'], 'a "Mine" section');
    assert.ok(row.y > w['list.section.Mine'].y, 'row below the "Mine" header');
    assert.ok(row.y < w['list.section.Shared with me'].y, 'row above "Shared with me"');
    await screenshot(client.page, 'browser-universe-created.png');
  });

  test('edit: rename and describe through the Edit dialog', async () => {
    const { page } = client;
    await openEditDialog(page);
    await replaceText(page, 'edit.name', renamed);
    await replaceText(page, 'edit.description', description);
    await screenshot(page, 'browser-universe-edit.png');
    await click(page, 'edit.save');
    await waitFor(page, noWidget('edit.name'), { timeout: LONG, what: 'dialog closed by Save' });
    const body = await eventually(async () => {
      const r = await detail();
      return r.status === 200 && r.body.name === renamed ? r.body : null;
    }, { what: `server name "${renamed}"` });
    assert.equal(body.name, renamed);
    assert.equal(body.description, description);
  });

  test('public: the dialog checkbox makes the universe public', async () => {
    const { page } = client;
    await openEditDialog(page);
    await click(page, 'edit.public', { fx: 0.03 });
    const body = await eventually(async () => {
      const r = await detail();
      return r.status === 200 && r.body.is_public === true ? r.body : null;
    }, { what: 'is_public true on the server' });
    assert.equal(body.is_public, true);
    const entry = (await listed()).find((u) => u.id === universeId);
    assert.equal(entry.is_public, true);
  });

  test('share: a collaborator added by username in the dialog', async () => {
    const { page } = client;
    await widget(page, 'edit.share_username', { timeout: LONG });  // dialog still open from the last step
    await typeInto(page, 'edit.share_username', friend.username);
    await click(page, 'edit.share_add');
    const names = await eventually(async () => {
      const r = await api(server, 'GET', `/api/universes/${universeId}/collaborators`, undefined, owner.token);
      const list = (r.body?.collaborators ?? []).map((c) => c.username);
      return r.status === 200 && list.includes(friend.username) ? list : null;
    }, { what: `${friend.username} listed as collaborator` });
    assert.deepEqual(names, [friend.username]);
    // The dialog lists them too.
    await widget(page, `edit.collaborator.${friend.username}`, { timeout: LONG });
    await screenshot(page, 'browser-universe-shared.png');
    await closeEditDialog(page);
    // And the friend sees it as shared with them.
    const theirs = await api(server, 'GET', '/api/universes', undefined, friend.token);
    assert.equal(theirs.body.universes.find((u) => u.id === universeId)?.role, 'collaborator');
  });

  test('copy link: <origin>/#universe=<id> lands on the clipboard', async () => {
    const { page, context } = client;
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
    await page.evaluate(() => navigator.clipboard.writeText('nothing yet'));
    await click(page, `universe.copy.${universeId}`);
    const expected = `${server.url}/#universe=${universeId}`;
    const text = await eventually(async () => {
      const t = await page.evaluate(() => navigator.clipboard.readText());
      return t === expected ? t : null;
    }, { timeout: 10000, what: `clipboard to hold ${expected}` });
    assert.equal(text, expected);
    const s = await waitFor(page, (st) => st.notices.some((n) => n.title === 'Link copied'),
      { timeout: LONG, what: 'a "Link copied" notice' });
    assert.ok(s.notices.some((n) => n.text === expected));
  });

  test('?debug=1 shows the event log, listing universe:joined after opening a universe', async () => {
    // Without debug there is no event log.
    assert.ok(!(await status(client.page)).ui.widgets.eventlog, 'no event log without ?debug');

    debugClient = await openClient(browser, `${server.url}/?debug=1#token=${owner.token}`, { name: 'debug' });
    const { page } = debugClient;
    await waitFor(page, hasWidget('eventlog'), { timeout: LONG, what: 'event log window' });
    await click(page, `universe.open.${universeId}`);
    await waitFor(page, (st) => st.joined && st.universe_id === universeId, { timeout: LONG, what: 'joined' });
    const s = await waitFor(page, hasWidget('eventlog.in.universe:joined'),
      { timeout: LONG, what: 'universe:joined in the event log' });
    const log = s.ui.widgets.eventlog;
    const row = s.ui.widgets['eventlog.out.universe:join'] ?? s.ui.widgets['eventlog.in.universe:joined'];
    assert.ok(log.w > 100 && log.h > 50, `event log window ${JSON.stringify(log)}`);
    assert.ok(row.x >= log.x && row.x < log.x + log.w, 'event rows are inside the log window');
    await page.waitForTimeout(200);
    await screenshot(page, 'browser-debug-event-log.png');
    // Back to the list so the universe can be deleted without anyone in it.
    await click(page, 'top.back');
    await waitFor(page, (st) => st.universe_id === null, { timeout: LONG, what: 'back to the list' });
  });

  test('delete: the confirm dialog deletes the universe; the server answers 404', async () => {
    const { page } = client;
    await click(page, `universe.delete.${universeId}`);
    await widget(page, 'delete.confirm', { timeout: LONG });
    // Cancel first: nothing happens.
    await click(page, 'delete.cancel');
    await waitFor(page, noWidget('delete.confirm'), { timeout: LONG, what: 'confirm dialog closed' });
    assert.equal((await detail()).status, 200);

    await click(page, `universe.delete.${universeId}`);
    await widget(page, 'delete.confirm', { timeout: LONG });
    await screenshot(page, 'browser-universe-delete-confirm.png');
    await click(page, 'delete.confirm');
    await eventually(async () => (await detail()).status === 404, { what: 'GET /api/universes/{id} -> 404' });
    assert.equal((await listed()).some((u) => u.id === universeId), false);
    await waitFor(page, noWidget(`universe.${universeId}`), { timeout: LONG, what: 'row gone from the list' });
    assert.equal(client.problems.filter((p) => p.startsWith('pageerror')).length, 0, client.problems.join('\n'));
  });
});
