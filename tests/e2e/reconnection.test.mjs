// Reconnection with the options of docs/protocol.md, "Connecting" (reconnection: true, reconnectionAttempts: 5,
// reconnectionDelay: 1000): the Manager's reconnect_attempt / reconnect when the server
// is stopped and restarted on the same port, state:sync afterwards, reconnect_failed
// when it never comes back.

import { after, afterEach, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { skipReason, startServer } from './lib/server.mjs';
import { Tracker, ack, join, makeWorld, once, record, sleep } from './lib/clients.mjs';
import { freshUniverse } from './lib/world.mjs';

describe('reconnection (socket.io-client, document options)', { skip: skipReason(), timeout: 180000 }, () => {
  let server;
  let world;
  const t = new Tracker();
  before(async () => {
    server = await startServer({ name: 'reconnection' });
    world = await makeWorld(server);
  });
  afterEach(() => t.closeAll());
  after(async () => { t.closeAll(); await server?.dispose(); });

  async function stateSync(socket, universeId, lastSync) {
    const p = once(socket, 'state:synced', 5000);
    socket.emit('state:sync', { universe_id: universeId, last_sync: lastSync });
    return p;
  }

  for (const how of ['SIGTERM', 'SIGKILL']) {
    it(`server stopped (${how}) and restarted on the same port: reconnect_attempt, reconnect, then state:sync catches up`, async () => {
      const u = await freshUniverse(server, world);
      const socket = t.connect(server, world.owner.token); // documentOptions
      const attempts = [];
      socket.io.on('reconnect_attempt', (attempt) => { attempts.push(attempt); });
      const disconnects = record(socket, 'disconnect');
      await once(socket, 'connect', 5000);
      await join(socket, u.id);
      const before = await stateSync(socket, u.id, 0);

      const other = await t.open(server, world.collaborator.token);
      await join(other, u.id);
      const res = await ack(other, 'parameter:update', { universe_id: u.id, category: 'physics', parameters: { gravity: 5.5 } });
      assert.equal(res.ok, true);
      await ack(other, 'collaboration:message', { universe_id: u.id, message: 'while you were away' });
      other.disconnect();

      const firstAttempt = once(socket.io, 'reconnect_attempt', 10000);
      if (how === 'SIGTERM') {
        const info = await server.stop();
        assert.equal(info.code, 0, `clean exit: ${JSON.stringify(info)}`);
      } else {
        await server.kill9();
      }
      assert.equal(await firstAttempt, 1);
      assert.ok(disconnects.events.length >= 1);
      assert.notEqual(disconnects.events[0], 'io server disconnect', 'a server-side Socket.IO DISCONNECT would stop the client from reconnecting');

      const reconnected = once(socket.io, 'reconnect', 20000);
      await server.restart({ samePort: true });
      const attempt = await reconnected;
      assert.equal(typeof attempt, 'number');
      assert.ok(attempt >= 1 && attempt <= 5, `reconnect after attempt ${attempt}`);
      assert.deepEqual(attempts, Array.from({ length: attempts.length }, (_, i) => i + 1));
      if (!socket.connected) await once(socket, 'connect', 5000);

      // the token in `auth` is sent again: no authenticate needed; rooms must be re-joined
      await join(socket, u.id);
      const after = await stateSync(socket, u.id, before.timestamp);
      const changes = after.state.history.filter((h) => h.kind === 'parameter').map((h) => h.changes);
      assert.deepEqual(changes, [{ gravity: 5.5 }]);
      assert.deepEqual(after.state.messages.map((m) => m.message), ['while you were away']);
      assert.equal(after.state.parameters.physics.gravity, 5.5);
    });
  }

  it('the server never comes back: reconnect_attempt 1..5 then reconnect_failed (document handlers)', async () => {
    const u = await freshUniverse(server, world);
    // Same options as docs/protocol.md, with short delays so the test takes seconds, not half a minute.
    const socket = t.connect(server, world.owner.token, { reconnectionDelay: 100, reconnectionDelayMax: 200 });
    const attempts = [];
    socket.io.on('reconnect_attempt', (attempt) => { attempts.push(attempt); });
    const failed = once(socket.io, 'reconnect_failed', 20000);
    await once(socket, 'connect', 5000);
    await join(socket, u.id);
    await server.stop();
    try {
      await failed;
      assert.deepEqual(attempts, [1, 2, 3, 4, 5]);
      assert.equal(socket.connected, false);
    } finally {
      await server.restart({ samePort: false });
    }
    await sleep(10);
  });
});
