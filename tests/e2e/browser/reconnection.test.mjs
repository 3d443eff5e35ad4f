// The server restarts while a page is open: the page shows each reconnection attempt,
// comes back by itself (no reload), rejoins, and shows the parameters as they are now,
// including a change someone made while it was away.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { io } from 'socket.io-client';

import { createUniverse, documentOptions, register, uniqueName } from '../lib/clients.mjs';
import { HarmonicServer, serverAvailable } from '../lib/server.mjs';
import { launch, openClient, screenshot, siteAvailable, siteDir, status, waitFor } from './lib/browser.mjs';

const skip = !serverAvailable() || !siteAvailable()
  ? 'needs build/server/harmonic-server and build-web/site (see README)' : false;

function emitWithAck(socket, event, payload) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${event}: no ack`)), 5000);
    socket.emit(event, payload, (answer) => {
      clearTimeout(timer);
      resolve(answer);
    });
  });
}

describe('web client: reconnection', { skip }, () => {
  let server, browser, client, owner, universe;

  before(async () => {
    server = new HarmonicServer({ name: 'browser-reconnect', webRoot: siteDir });
    await server.start();
    browser = await launch();
    owner = await register(server, uniqueName('owner'));
    universe = await createUniverse(server, owner.token, { name: 'Restart Me' });
  });

  after(async () => {
    if (client?.problems.length) console.log(`page problems:\n${client.problems.join('\n')}`);
    await browser?.close();
    await server?.dispose();
  });

  test('restarting the server: the page reconnects and shows current parameters', async () => {
    client = await openClient(browser, `${server.url}/#token=${owner.token}&universe=${universe.id}`, { name: 'owner' });
    await waitFor(client.page, (st) => st.joined, { what: 'joined' });

    await server.stop();
    const lost = await waitFor(client.page, (st) => st.connection === 'reconnecting' || st.connection === 'connecting',
      { what: 'reconnecting shown' });
    assert.ok(lost.reconnect_attempt >= 1, 'the attempt number is shown');
    await client.page.waitForTimeout(300);
    await screenshot(client.page, 'browser-reconnecting.png');

    await server.restart();
    // Someone changes a parameter right after the restart, before or while the page
    // comes back; the page must end up showing it.
    const other = io(server.url, { ...documentOptions(owner.token), reconnection: false, forceNew: true });
    await new Promise((resolve, reject) => { other.once('connect', resolve); other.once('connect_error', reject); });
    assert.equal((await emitWithAck(other, 'universe:join', { universe_id: universe.id })).ok, true);
    const answer = await emitWithAck(other, 'parameter:update',
      { universe_id: universe.id, category: 'physics', parameters: { gravity: 3.5 } });
    assert.equal(answer.ok, true, JSON.stringify(answer));
    other.close();

    const back = await waitFor(client.page,
      (st) => st.connection === 'connected' && st.joined && st.parameters.physics.gravity === 3.5,
      { timeout: 20000, what: 'reconnected with current parameters' });
    assert.equal(back.universe_id, universe.id);
    assert.ok(!client.page.url().includes('token='));
    await client.page.waitForTimeout(300);
    await screenshot(client.page, 'browser-reconnected.png');
    const frames = (await status(client.page)).frames;
    assert.ok(frames > 0, 'the page kept rendering (no reload)');
  });
});
