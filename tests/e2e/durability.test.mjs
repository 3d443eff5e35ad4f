// Durability: every acknowledged change survives `kill -9` sent right after the last ack.
// The server is restarted on the same data dir and the changes are read back through
// state:initial, parameter:sync and state:sync.

import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { skipReason, startServer } from './lib/server.mjs';
import { Tracker, ack, join, login, makeWorld, once, sync } from './lib/clients.mjs';
import { freshUniverse } from './lib/world.mjs';
import { DEFAULTS } from './lib/params.mjs';

describe('durability: acknowledged changes survive SIGKILL', { skip: skipReason(), timeout: 180000 }, () => {
  let server;
  let world;
  const t = new Tracker();
  before(async () => {
    server = await startServer({ name: 'durability', rateLimit: 10000, rateBurst: 10000 });
    world = await makeWorld(server);
  });
  // a failed test may leave the server killed: every test starts with one running
  beforeEach(async () => { if (!server.running) await server.restart({ samePort: false }); });
  afterEach(() => t.closeAll());
  after(async () => { t.closeAll(); await server?.dispose(); });

  async function stateSync(socket, universeId, lastSync = 0) {
    const p = once(socket, 'state:synced', 5000);
    socket.emit('state:sync', { universe_id: universeId, last_sync: lastSync });
    return p;
  }

  it('N pipelined parameter updates and chat messages, kill -9 after the last ack, all there after restart', async () => {
    const u = await freshUniverse(server, world);
    const owner = await t.open(server, world.owner.token);
    const collab = await t.open(server, world.collaborator.token);
    await join(owner, u.id);
    await join(collab, u.id);

    const N = 60;
    const M = N / 2; // one chat message for every second update
    const pending = [];
    for (let i = 0; i < N; i++) {
      pending.push(ack(owner, 'parameter:update', { universe_id: u.id, category: 'physics', parameters: { particle_count: 2000 + i } }, 10000));
      if (i % 2 === 0) pending.push(ack(collab, 'collaboration:message', { universe_id: u.id, message: `durable ${i / 2}` }, 10000));
    }
    pending.push(ack(collab, 'parameter:update', { universe_id: u.id, category: 'music', parameters: { tempo: 99, key: 'D#' } }, 10000));
    pending.push(ack(owner, 'parameter:batch_update', { universe_id: u.id, updates: [
      { category: 'audio', parameters: { waveform: 'square', volume: 0.33 } },
      { category: 'visualization', parameters: { background_color: '#102030', camera_zoom: 2.5 } },
    ] }, 10000));
    pending.push(ack(owner, 'parameter:delta', { universe_id: u.id, category: 'physics', changes: { gravity: { from: 9.81, to: 3.25 } } }, 10000));
    const results = await Promise.all(pending);
    await server.kill9();
    for (const r of results) assert.equal(r.ok, true, JSON.stringify(r));
    t.closeAll();

    await server.restart({ samePort: false });
    const again = await t.open(server, world.owner.token);
    const { initial } = await join(again, u.id);
    assert.equal(initial.parameters.physics.particle_count, 2000 + N - 1);
    assert.equal(initial.parameters.physics.gravity, 3.25);
    assert.deepEqual(initial.parameters.music, { ...DEFAULTS.music, tempo: 99, key: 'D#' });
    assert.deepEqual(initial.parameters.audio, { ...DEFAULTS.audio, waveform: 'square', volume: 0.33 });
    assert.deepEqual(initial.parameters.visualization, { ...DEFAULTS.visualization, background_color: '#102030', camera_zoom: 2.5 });
    assert.deepEqual(initial.messages.map((m) => m.message).sort(), Array.from({ length: M }, (_, i) => `durable ${i}`).sort());

    const s = await sync(again, u.id);
    assert.equal(s.physics_parameters.particle_count, 2000 + N - 1);

    const full = await stateSync(again, u.id, 0);
    const counts = full.state.history
      .filter((h) => h.kind === 'parameter' && h.changes && 'particle_count' in h.changes)
      .map((h) => h.changes.particle_count);
    assert.deepEqual(counts, Array.from({ length: N }, (_, i) => 2000 + i), 'every acknowledged update is in the history, in order');
    const seqs = full.state.history.map((h) => h.seq);
    for (let i = 1; i < seqs.length; i++) assert.equal(seqs[i], seqs[i - 1] + 1);

    // numbering continues after the restart
    await ack(again, 'parameter:update', { universe_id: u.id, category: 'physics', parameters: { friction: 0.11 } });
    const tail = await stateSync(again, u.id, full.timestamp - 1);
    const last = tail.state.history.at(-1);
    assert.equal(last.seq, seqs.at(-1) + 1);
    assert.deepEqual(last.changes, { friction: 0.11 });
  });

  it('an acknowledged universe:update (rename) survives kill -9', async () => {
    const u = await freshUniverse(server, world);
    const owner = await t.open(server, world.owner.token);
    await join(owner, u.id);
    const res = await ack(owner, 'universe:update', { universe_id: u.id, changes: { name: 'Survivor', description: 'kill -9 proof' } }, 10000);
    await server.kill9();
    assert.equal(res.ok, true, JSON.stringify(res));
    t.closeAll();
    await server.restart({ samePort: false });
    const again = await t.open(server, world.collaborator.token);
    const { initial } = await join(again, u.id);
    assert.equal(initial.universe.name, 'Survivor');
    assert.equal(initial.universe.description, 'kill -9 proof');
  });

  it('sequential acknowledged updates, each followed at once by kill -9 on the last one', async () => {
    const u = await freshUniverse(server, world);
    for (let round = 0; round < 3; round++) {
      const owner = await t.open(server, world.owner.token);
      await join(owner, u.id);
      let res;
      for (let i = 0; i < 10; i++) {
        res = await ack(owner, 'parameter:update', { universe_id: u.id, category: 'audio', parameters: { lfo_rate: round * 5 + i * 0.5 } }, 10000);
        assert.equal(res.ok, true, JSON.stringify(res));
      }
      res = await ack(owner, 'collaboration:message', { universe_id: u.id, message: `round ${round}` }, 10000);
      assert.equal(res.ok, true);
      await server.kill9();
      t.closeAll();
      await server.restart({ samePort: false });
      const check = await t.open(server, world.owner.token);
      const { initial } = await join(check, u.id);
      assert.equal(initial.parameters.audio.lfo_rate, round * 5 + 4.5, `round ${round}`);
      assert.ok(initial.messages.some((m) => m.message === `round ${round}`), `round ${round}: ${JSON.stringify(initial.messages)}`);
      t.closeAll();
    }
  });

  it('users, universes and collaborators made over REST survive kill -9', async () => {
    const u = await freshUniverse(server, world, { name: 'REST made' });
    await server.kill9();
    await server.restart({ samePort: false });
    const l = await login(server, world.collaborator.username, world.collaborator.password);
    assert.equal(l.user.id, world.collaborator.user.id);
    const socket = await t.open(server, l.token);
    const { initial } = await join(socket, u.id); // still a collaborator
    assert.equal(initial.universe.name, 'REST made');
    // tokens issued before the restart stay valid (same secret)
    const old = await t.open(server, world.owner.token);
    await join(old, u.id);
  });
});
