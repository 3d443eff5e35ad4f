// State management of docs/protocol.md (state:initial, state:sync) against a real
// server: shape, incremental sync by last_sync, limits of the initial history.

import { after, afterEach, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { skipReason, startServer } from './lib/server.mjs';
import { Tracker, join, makeWorld, once, sleep } from './lib/clients.mjs';
import { ackError, ackOk, expectNone, freshUniverse, sysError } from './lib/world.mjs';
import { CATEGORIES, DEFAULTS } from './lib/params.mjs';

describe('protocol: state management', { skip: skipReason(), timeout: 120000 }, () => {
  let server;
  let world;
  const t = new Tracker();
  before(async () => {
    server = await startServer({ name: 'state', rateLimit: 1000, rateBurst: 1000 });
    world = await makeWorld(server);
  });
  afterEach(() => t.closeAll());
  after(async () => { t.closeAll(); await server?.dispose(); });

  async function stateSync(socket, universeId, lastSync) {
    const p = once(socket, 'state:synced', 3000, (d) => d.universe_id === universeId);
    socket.emit('state:sync', { universe_id: universeId, last_sync: lastSync });
    return p;
  }

  it('state:initial (document fields) has universe, parameters of four categories, participants, history, messages', async () => {
    const u = await freshUniverse(server, world);
    const owner = await t.open(server, world.owner.token);
    const { initial } = await join(owner, u.id);
    assert.equal(initial.universe.id, u.id);
    assert.equal(initial.universe.name, u.name);
    assert.equal(initial.universe.seed, u.seed);
    assert.deepEqual(initial.parameters, DEFAULTS);
    assert.deepEqual(initial.participants.map((p) => [p.id, p.username]), [[world.owner.user.id, world.owner.username]]);
    assert.ok(Array.isArray(initial.history));
    assert.deepEqual(initial.messages, []);
  });

  it('state:sync (document payload) with last_sync 0 -> state:synced with everything, to the sender only', async () => {
    const u = await freshUniverse(server, world);
    const owner = await t.open(server, world.owner.token);
    const collab = await t.open(server, world.collaborator.token);
    await join(owner, u.id);
    await join(collab, u.id);
    await ackOk(owner, 'parameter:update', { universe_id: u.id, category: 'physics', parameters: { gravity: 4 } });
    await ackOk(collab, 'collaboration:message', { universe_id: u.id, message: 'first' });

    const collabNone = expectNone(collab, 'state:synced', 500);
    const before = Date.now();
    const s = await stateSync(owner, u.id, 0);
    await collabNone;
    assert.equal(s.universe_id, u.id);
    assert.equal(typeof s.timestamp, 'number');
    assert.ok(s.timestamp >= before - 5000 && s.timestamp <= Date.now() + 5000, `timestamp ms since epoch: ${s.timestamp}`);
    assert.deepEqual(Object.keys(s.state).sort(), ['history', 'messages', 'parameters', 'participants', 'universe']);
    assert.equal(s.state.universe.id, u.id);
    assert.deepEqual(Object.keys(s.state.parameters).sort(), [...CATEGORIES].sort());
    assert.equal(s.state.parameters.physics.gravity, 4);
    assert.deepEqual(s.state.participants.map((p) => p.id).sort(), [world.owner.user.id, world.collaborator.user.id].sort());
    const paramEntries = s.state.history.filter((h) => h.kind === 'parameter');
    assert.equal(paramEntries.length, 1);
    assert.deepEqual(paramEntries[0].changes, { gravity: 4 });
    assert.deepEqual(s.state.messages.map((m) => m.message), ['first']);
  });

  it('state:sync with a previous timestamp -> only history entries and messages newer than last_sync', async () => {
    const u = await freshUniverse(server, world);
    const owner = await t.open(server, world.owner.token);
    const collab = await t.open(server, world.collaborator.token);
    await join(owner, u.id);
    await join(collab, u.id);
    await ackOk(owner, 'parameter:update', { universe_id: u.id, category: 'physics', parameters: { gravity: 4 } });
    await ackOk(owner, 'collaboration:message', { universe_id: u.id, message: 'old' });
    const first = await stateSync(collab, u.id, 0);
    const maxSeq = Math.max(...first.state.history.map((h) => h.seq));

    await sleep(20); // distinct milliseconds
    await ackOk(owner, 'parameter:update', { universe_id: u.id, category: 'music', parameters: { tempo: 77 } });
    await ackOk(owner, 'collaboration:message', { universe_id: u.id, message: 'new' });

    const second = await stateSync(collab, u.id, first.timestamp);
    assert.equal(second.state.history.length, 1, JSON.stringify(second.state.history));
    assert.equal(second.state.history[0].seq, maxSeq + 1);
    assert.equal(second.state.history[0].category, 'music');
    assert.deepEqual(second.state.history[0].changes, { tempo: 77 });
    assert.deepEqual(second.state.messages.map((m) => m.message), ['new']);
    // parameters are the full current state, not a diff
    assert.equal(second.state.parameters.physics.gravity, 4);
    assert.equal(second.state.parameters.music.tempo, 77);
    assert.ok(second.timestamp >= first.timestamp);

    await sleep(20);
    const third = await stateSync(collab, u.id, second.timestamp);
    assert.deepEqual(third.state.history, []);
    assert.deepEqual(third.state.messages, []);
  });

  it('state:sync for a universe not joined -> invalid_universe; bad last_sync -> invalid_parameters', async () => {
    const u = await freshUniverse(server, world);
    const owner = await t.open(server, world.owner.token);
    await ackError(owner, 'state:sync', { universe_id: u.id, last_sync: 0 }, 'invalid_universe');
    await join(owner, u.id);
    await ackError(owner, 'state:sync', { universe_id: u.id, last_sync: 'yesterday' }, 'invalid_parameters');
    await sysError(owner, 'state:sync', { universe_id: u.id, last_sync: { ms: 1 } }, 'invalid_parameters');
  });

  it('state:initial carries the latest 100 history entries in seq order', async () => {
    const u = await freshUniverse(server, world);
    const owner = await t.open(server, world.owner.token);
    await join(owner, u.id);
    const n = 105;
    for (let i = 0; i < n; i++) {
      await ackOk(owner, 'parameter:update', { universe_id: u.id, category: 'physics', parameters: { particle_count: i + 1 } });
    }
    const late = await t.open(server, world.collaborator.token);
    const { initial } = await join(late, u.id);
    const h = initial.history;
    assert.equal(h.length, 100);
    for (let i = 1; i < h.length; i++) assert.equal(h[i].seq, h[i - 1].seq + 1);
    assert.deepEqual(h.at(-1).changes, { particle_count: n });
    assert.deepEqual(h[0].changes, { particle_count: n - 99 });
    assert.equal(initial.parameters.physics.particle_count, n);
  });
});
