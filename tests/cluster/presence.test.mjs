// Cluster mode, who is in a room and who may be (docs/cluster.md, "Presence" and "What
// crosses nodes"): three harmonic-server nodes on one PostgreSQL database and Redis, with
// a short presence time to live (--presence-ttl 3) so that a killed node's users are
// seen leaving within seconds; a logout on one node ends the token's sockets on all. Run
// it through tests/cluster/run.sh, which starts the throwaway PostgreSQL and Redis and
// sets HARMONIC_TEST_POSTGRES_URL and HARMONIC_TEST_REDIS_URL.

import { after, afterEach, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { Tracker, ack, api, join, login, once, register, sleep, uniqueName } from '../e2e/lib/clients.mjs';
import { freshUniverse } from '../e2e/lib/world.mjs';
import { clusterSkip, collect, redisUrl, startNodes, until } from './lib/nodes.mjs';

const PRESENCE_TTL_S = 3;

const ids = (participants) => participants.map((p) => p.id).sort();

// How many connections (nodes) are subscribed to the universe's channel.
function subscribers(universeId) {
  const { port } = new URL(redisUrl);
  const reply = execFileSync('redis-cli', ['-p', port, 'PUBSUB', 'NUMSUB', `harmonic:universe:${universeId}`]);
  return Number(reply.toString().trim().split('\n').at(-1));
}

describe('cluster: participants, presence and rights across three nodes', {
  skip: clusterSkip,
  timeout: 90000,
}, () => {
  let nodes;
  let world;
  const t = new Tracker();

  before(async () => {
    ({ nodes, world } = await startNodes({ name: 'presence', idPrefix: 'p', extraArgs: ['--presence-ttl', String(PRESENCE_TTL_S)] }));
  });
  afterEach(() => t.closeAll());
  after(async () => {
    t.closeAll();
    for (const node of nodes) await node.dispose();
  });

  const stateOf = async (socket, universeId) => {
    const synced = once(socket, 'state:synced', 3000, (d) => d?.universe_id === universeId);
    socket.emit('state:sync', { universe_id: universeId });
    return (await synced).state;
  };

  it('users on three nodes see each other in state:initial, universe:joined and universe:left', async () => {
    const u = await freshUniverse(nodes[0], world, { is_public: true });
    assert.equal(subscribers(u.id), 0);
    const owner = await t.open(nodes[0], world.owner.token);
    const collab = await t.open(nodes[1], world.collaborator.token);
    const viewer = await t.open(nodes[2], world.viewer.token);
    const joinedHeard = [owner, collab].map((s) => collect(s, 'universe:joined'));
    const leftHeard = [owner, collab].map((s) => collect(s, 'universe:left'));

    const first = await join(owner, u.id);
    assert.deepEqual(ids(first.initial.participants), [world.owner.user.id]);
    const second = await join(collab, u.id);
    assert.deepEqual(ids(second.initial.participants), [world.owner.user.id, world.collaborator.user.id].sort());
    const third = await join(viewer, u.id);
    const everyone = [world.owner.user.id, world.collaborator.user.id, world.viewer.user.id].sort();
    assert.deepEqual(ids(third.initial.participants), everyone);

    // The owner heard both arrivals from the other nodes, the collaborator the viewer's.
    await until('arrivals heard', () => joinedHeard[0].some((j) => j.user_id === world.viewer.user.id) &&
      joinedHeard[1].some((j) => j.user_id === world.viewer.user.id));
    assert.deepEqual(joinedHeard[0].map((j) => j.user_id),
      [world.owner.user.id, world.collaborator.user.id, world.viewer.user.id]);
    assert.deepEqual(ids(joinedHeard[0].at(-1).participants), everyone);
    for (const socket of [owner, collab, viewer]) assert.deepEqual(ids((await stateOf(socket, u.id)).participants), everyone);

    // Each node subscribed to the universe's channel with its first member, and only then.
    assert.equal(subscribers(u.id), 3);
    const left = await ack(viewer, 'universe:leave', { universe_id: u.id });
    assert.equal(left.ok, true);
    await until('node 3 unsubscribed with its last member gone', () => subscribers(u.id) === 2);
    await until('the departure heard on both other nodes',
      () => leftHeard.every((list) => list.some((l) => l.user_id === world.viewer.user.id)));
    for (const socket of [owner, collab]) {
      assert.deepEqual(ids((await stateOf(socket, u.id)).participants), [world.owner.user.id, world.collaborator.user.id].sort());
    }
  });

  it('a collaborator removed over REST on node 1 loses the room on node 2 with the single node\'s events', async () => {
    const u = await freshUniverse(nodes[0], world);  // private, the collaborator added
    const owner = await t.open(nodes[0], world.owner.token);
    const collab = await t.open(nodes[1], world.collaborator.token);
    await join(owner, u.id);
    await join(collab, u.id);
    const errors = collect(collab, 'system:error');
    const collabLeft = collect(collab, 'universe:left');
    const ownerLeft = collect(owner, 'universe:left');

    const removed = await api(nodes[0], 'DELETE', `/api/universes/${u.id}/collaborators/${world.collaborator.user.id}`,
      undefined, world.owner.token);
    assert.equal(removed.status, 204, removed.text);
    await until('the collaborator told on node 2', () => errors.length > 0 && collabLeft.length > 0);
    assert.equal(errors[0].code, 'unauthorized');
    assert.deepEqual(errors[0].details, { universe_id: u.id, reason: 'access_removed' });
    assert.deepEqual(collabLeft[0], { universe_id: u.id, user_id: world.collaborator.user.id });
    await until('the owner told on node 1', () => ownerLeft.some((l) => l.user_id === world.collaborator.user.id));
    // Out of the room on node 2: its events are refused.
    const refused = await ack(collab, 'parameter:update',
      { universe_id: u.id, category: 'physics', parameters: { gravity: 1 } });
    assert.equal(refused.ok, false);
    assert.deepEqual(ids((await stateOf(owner, u.id)).participants), [world.owner.user.id]);
  });

  it('a universe made private on one node closes its viewers on another; deleted, it closes everyone', async () => {
    const u = await freshUniverse(nodes[0], world, { is_public: true });
    const owner = await t.open(nodes[0], world.owner.token);
    const collab = await t.open(nodes[1], world.collaborator.token);
    const viewer = await t.open(nodes[2], world.viewer.token);
    for (const socket of [owner, collab, viewer]) await join(socket, u.id);
    const errors = [owner, collab, viewer].map((s) => collect(s, 'system:error'));

    const patched = await api(nodes[1], 'PATCH', `/api/universes/${u.id}`, { is_public: false }, world.owner.token);
    assert.equal(patched.status, 200, patched.text);
    await until('the viewer on node 3 shut out', () => errors[2].length > 0);
    assert.deepEqual(errors[2][0].details, { universe_id: u.id, reason: 'access_removed' });
    await sleep(200);
    assert.equal(errors[0].length + errors[1].length, 0, 'the owner and the collaborator may still see it');

    const deleted = await api(nodes[1], 'DELETE', `/api/universes/${u.id}`, undefined, world.owner.token);
    assert.equal(deleted.status, 204, deleted.text);
    await until('everyone shut out', () => errors[0].length > 0 && errors[1].length > 0);
    for (const list of errors.slice(0, 2)) assert.deepEqual(list[0].details, { universe_id: u.id, reason: 'universe_deleted' });
  });

  it('a logout on node 1 closes the sockets holding that token on nodes 2 and 3, and no other', async () => {
    const user = await register(nodes[0], uniqueName('bye'));
    const other = (await login(nodes[0], user.username, user.password)).token;
    const noReconnect = { reconnection: false };
    const revoked = [await t.open(nodes[1], user.token, noReconnect), await t.open(nodes[2], user.token, noReconnect)];
    const kept = await t.open(nodes[2], other, noReconnect);
    const ended = revoked.map((socket) => Promise.all([
      once(socket, 'system:error', 5000, (e) => e?.code === 'unauthorized'),
      once(socket, 'disconnect', 5000),
    ]));
    const out = await api(nodes[0], 'POST', '/api/auth/logout', undefined, user.token);
    assert.equal(out.status, 204, out.text);
    await Promise.all(ended);
    await sleep(200);
    assert.equal(kept.connected, true, 'a socket with another token of the user stays');
  });

  // Last: it kills node 3.
  it(`a node killed with kill -9: its users leave the other nodes' rooms within the presence TTL (${PRESENCE_TTL_S} s)`, async () => {
    const u = await freshUniverse(nodes[0], world, { is_public: true });
    const owner = await t.open(nodes[0], world.owner.token);
    const collab = await t.open(nodes[1], world.collaborator.token);
    const viewer = await t.open(nodes[2], world.viewer.token, { reconnection: false });
    const joinedHeard = [owner, collab].map((s) => collect(s, 'universe:joined'));
    for (const socket of [owner, collab, viewer]) await join(socket, u.id);
    // Killed only once the others know of the viewer (node 3 writes to Redis after it answers).
    await until('the viewer known on both other nodes',
      () => joinedHeard.every((list) => list.some((j) => j.user_id === world.viewer.user.id)));
    const leftHeard = [owner, collab].map((s) => collect(s, 'universe:left'));

    const killedAt = Date.now();
    await nodes[2].kill9();
    await until('the viewer gone on both other nodes',
      () => leftHeard.every((list) => list.some((l) => l.user_id === world.viewer.user.id)), (PRESENCE_TTL_S + 5) * 1000);
    const seconds = (Date.now() - killedAt) / 1000;
    console.log(`presence: a killed node's user left the other rooms after ${seconds.toFixed(1)} s (ttl ${PRESENCE_TTL_S} s)`);
    assert.ok(seconds <= PRESENCE_TTL_S + 2, `${seconds} s`);
    for (const socket of [owner, collab]) {
      assert.deepEqual(ids((await stateOf(socket, u.id)).participants), [world.owner.user.id, world.collaborator.user.id].sort());
    }
    // A new joiner on a live node does not see the dead node's user either.
    const late = await t.open(nodes[0], world.stranger.token);
    const { initial } = await join(late, u.id);
    assert.ok(!ids(initial.participants).includes(world.viewer.user.id));
  });
});
