// Two people in two browser contexts work on one universe through the web client:
// sign-in through the page, a link with a handed-over token, a slider dragged with the
// mouse, chat typed on the keyboard, cursors, and a canvas that really shows particles.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { addCollaborator, createUniverse, register, uniqueName } from '../lib/clients.mjs';
import { HarmonicServer, serverAvailable } from '../lib/server.mjs';
import {
  click, decodePng, dragSlider, launch, openClient, pixelStats, screenshot, siteAvailable, siteDir, status,
  typeInto, waitFor, widget,
} from './lib/browser.mjs';

const skip = !serverAvailable() || !siteAvailable()
  ? 'needs build/server/harmonic-server and build-web/site (see README)' : false;

describe('web client: two people in one universe', { skip }, () => {
  let server, browser, alice, bob, universe, aliceUser, bobUser;

  before(async () => {
    server = new HarmonicServer({ name: 'browser-collab', webRoot: siteDir });
    await server.start();
    browser = await launch();
    aliceUser = await register(server, uniqueName('alice'));
    bobUser = await register(server, uniqueName('bob'));
    universe = await createUniverse(server, aliceUser.token, { name: 'Aurora Field', description: 'Two people, one universe' });
    await addCollaborator(server, aliceUser.token, universe.id, bobUser.username);
  });

  after(async () => {
    for (const p of [alice, bob]) if (p?.problems.length) console.log(`${p.name} page problems:\n${p.problems.join('\n')}`);
    await browser?.close();
    await server?.dispose();
  });

  test('alice opens a link with a handed-over token; the token leaves the address bar', async () => {
    alice = await openClient(browser, `${server.url}/#token=${aliceUser.token}&universe=${universe.id}`, { name: 'alice' });
    const s = await waitFor(alice.page, (st) => st.joined && st.universe_id === universe.id, { what: 'alice joined' });
    assert.equal(s.user.username, aliceUser.username);
    assert.equal(s.connection, 'connected');
    assert.ok(!alice.page.url().includes('token='), `token still in ${alice.page.url()}`);
    assert.ok(alice.page.url().includes(`universe=${universe.id}`));
  });

  test('bob signs in through the page and opens the shared universe from his list', async () => {
    bob = await openClient(browser, `${server.url}/`, { name: 'bob' });
    await screenshot(bob.page, 'browser-signin.png');
    await typeInto(bob.page, 'signin.username', bobUser.username);
    await typeInto(bob.page, 'signin.password', bobUser.password, { enter: true });
    await waitFor(bob.page, (st) => st.user && st.user.username === bobUser.username, { what: 'bob signed in' });
    await widget(bob.page, `universe.open.${universe.id}`);
    await screenshot(bob.page, 'browser-universe-list.png');
    await click(bob.page, `universe.open.${universe.id}`);
    await waitFor(bob.page, (st) => st.joined && st.universe_id === universe.id, { what: 'bob joined' });
    await waitFor(alice.page, (st) => st.participants.length === 2, { what: 'alice sees bob' });
    const token = await bob.page.evaluate(() => localStorage.getItem('harmonic.token'));
    assert.ok(token && token.length > 20, 'token kept in localStorage');
  });

  test('a slider dragged by alice changes the value bob sees within one second', async () => {
    const before = (await status(bob.page)).parameters.physics.gravity;
    await dragSlider(alice.page, 'param.physics.gravity', 0.9);
    const aliceValue = (await waitFor(alice.page, (st) => st.parameters.physics.gravity !== before,
      { what: 'alice applied gravity' })).parameters.physics.gravity;
    const started = Date.now();
    const s = await waitFor(bob.page, (st) => st.parameters.physics.gravity === aliceValue,
      { timeout: 1000, what: `bob sees gravity ${aliceValue}` });
    assert.ok(Date.now() - started <= 1000);
    assert.ok(aliceValue > 15, `dragging to 90% gave ${aliceValue}`);
    assert.equal(s.parameters.physics.gravity, aliceValue);
    // Bob's history names who changed it.
    await click(bob.page, 'tab.history');
    await bob.page.waitForTimeout(200);
    await screenshot(bob.page, 'browser-history.png');
  });

  test('a reset pressed by bob reaches alice', async () => {
    await click(bob.page, 'reset.physics');
    await waitFor(alice.page, (st) => Math.abs(st.parameters.physics.gravity - 9.81) < 1e-9,
      { what: 'alice sees the physics reset' });
  });

  test('chat typed by bob arrives at alice with an unread count', async () => {
    await click(bob.page, 'tab.chat');
    const before = (await status(alice.page)).chat_count;
    await click(alice.page, 'tab.people');  // alice looks elsewhere, so the message is unread
    await typeInto(bob.page, 'chat.input', 'Hello from Bob!', { enter: true });
    const s = await waitFor(alice.page, (st) => st.chat_count === before + 1, { what: 'alice got the message' });
    assert.ok(s.unread_chat >= 1, 'unread count shown');
    await click(alice.page, 'tab.chat');
    await waitFor(alice.page, (st) => st.unread_chat === 0, { what: 'read after opening chat' });
  });

  test('cursors: bob sees where alice points, in world coordinates', async () => {
    // The middle of the canvas, between the panels.
    for (let i = 0; i < 8; i++) {
      await alice.page.mouse.move(600 + i * 10, 380 + i * 5);
      await alice.page.waitForTimeout(40);
    }
    const s = await waitFor(bob.page, (st) => st.cursors >= 1, { what: 'bob sees a cursor' });
    assert.ok(s.cursors >= 1);
    await bob.page.waitForTimeout(300);
    await screenshot(bob.page, 'browser-bob-universe.png');
  });

  test('the start-audio button starts sound output (a click is the gesture)', async () => {
    await click(alice.page, 'audio.toggle');
    const s = await waitFor(alice.page, (st) => st.ui.audio === true, { what: 'audio running' });
    assert.equal(s.ui.audio, true);
  });

  test('the canvas shows particles, not a blank page', async () => {
    await alice.page.waitForTimeout(500);
    const { png } = await screenshot(alice.page, 'browser-alice-universe.png');
    const image = decodePng(png);
    // The middle of the canvas, away from the panels.
    const stats = pixelStats(image, { x: 380, y: 60, w: 560, h: 730 });
    assert.ok(stats.litFraction > 0.003, `only ${(stats.litFraction * 100).toFixed(2)}% lit`);
    assert.ok(stats.colours > 20, `only ${stats.colours} colours`);
    const s = await status(alice.page);
    assert.ok(s.frames > 30, `frames ${s.frames}`);
    assert.equal(alice.problems.filter((p) => p.startsWith('pageerror')).length, 0, alice.problems.join('\n'));
  });

  test('sign out forgets the token', async () => {
    await click(bob.page, 'top.back');
    await waitFor(bob.page, (st) => st.universe_id === null, { what: 'back to the list' });
    await click(bob.page, 'list.signout');
    await waitFor(bob.page, (st) => st.user === null, { what: 'signed out' });
    const token = await bob.page.evaluate(() => localStorage.getItem('harmonic.token'));
    assert.equal(token, null);
  });
});
