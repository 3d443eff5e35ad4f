// Cluster mode end to end (docs/operations.md, "Cluster mode"): three harmonic-server
// nodes on one PostgreSQL database, hearing each other through Redis. Run it through
// tests/cluster/run.sh, which starts a throwaway PostgreSQL and Redis and sets
// HARMONIC_TEST_POSTGRES_URL and HARMONIC_TEST_REDIS_URL; the nodes are started here.

import { after, afterEach, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { SEPARATOR, Tracker, ack, join, rawAuthed, sleep, sync } from '../e2e/lib/clients.mjs';
import { freshUniverse } from '../e2e/lib/world.mjs';
import { clusterSkip, collect, redisUrl, startHaproxy, startNodes, stopProcess, until } from './lib/nodes.mjs';


describe('cluster: three nodes on PostgreSQL and Redis', {
  skip: clusterSkip,
  timeout: 120000,
}, () => {
  let nodes;
  let world;
  let database;
  const t = new Tracker();

  before(async () => {
    ({ nodes, world, database } = await startNodes({ name: 'cluster' }));
  });
  afterEach(() => t.closeAll());
  after(async () => {
    t.closeAll();
    await stopProcess(haproxy);
    for (const node of nodes) await node.dispose();
    await stopProcess(restartedRedis);
  });
  let haproxy;
  let restartedRedis;  // the Redis the last test starts again after stopping redis.sh's

  // The owner on node 0, the collaborator on node 1 and a viewer on node 2, in one room.
  async function spreadRoom() {
    const u = await freshUniverse(nodes[0], world, { is_public: true });
    const owner = await t.open(nodes[0], world.owner.token);
    const collab = await t.open(nodes[1], world.collaborator.token);
    const viewer = await t.open(nodes[2], world.viewer.token);
    for (const socket of [owner, collab, viewer]) await join(socket, u.id);
    return { u, owner, collab, viewer };
  }

  it('parameter changes made on two nodes reach everyone on every node, in one order (seq order)', async () => {
    const { u, owner, collab, viewer } = await spreadRoom();
    const heard = [owner, collab, viewer].map((s) => collect(s, 'parameter:updated'));
    const perWriter = 15;
    const writes = [];
    for (let i = 0; i < perWriter; i++) {
      writes.push(ack(owner, 'parameter:update', { universe_id: u.id, category: 'physics', parameters: { gravity: 1 + i } }));
      writes.push(ack(collab, 'parameter:update', { universe_id: u.id, category: 'physics', parameters: { friction: i / 100 } }));
    }
    const acks = await Promise.all(writes);
    for (const a of acks) assert.equal(a.ok, true, JSON.stringify(a));
    await until('every change everywhere', () => heard.every((list) => list.length >= 2 * perWriter));
    await sleep(200);  // nothing more (no duplicates) arrives
    const seqs = heard.map((list) => list.map((d) => d.seq));
    const lists = `owner ${seqs[0]} | collaborator ${seqs[1]} | viewer ${seqs[2]}`;
    assert.equal(seqs[0].length, 2 * perWriter, lists);
    assert.deepEqual(seqs[1], seqs[0], lists);
    assert.deepEqual(seqs[2], seqs[0], lists);
    assert.deepEqual(heard[1], heard[0]);
    assert.deepEqual(heard[2], heard[0]);
    for (let i = 1; i < seqs[0].length; i++) assert.equal(seqs[0][i], seqs[0][i - 1] + 1, `seqs ${seqs[0]}`);
    // Every node's cache ends with both writers' last values: neither undid the other.
    for (const socket of [owner, collab, viewer]) {
      const synced = await sync(socket, u.id);
      assert.equal(synced.physics_parameters.gravity, perWriter);
      assert.equal(synced.physics_parameters.friction, (perWriter - 1) / 100);
    }
  });

  it('chat from two nodes reaches everyone in the same order', async () => {
    const { u, owner, collab, viewer } = await spreadRoom();
    const heard = [owner, collab, viewer].map((s) => collect(s, 'collaboration:message'));
    const sends = [];
    for (let i = 0; i < 10; i++) {
      sends.push(ack(owner, 'collaboration:message', { universe_id: u.id, message: `owner ${i}` }));
      sends.push(ack(collab, 'collaboration:message', { universe_id: u.id, message: `collab ${i}` }));
    }
    for (const a of await Promise.all(sends)) assert.equal(a.ok, true, JSON.stringify(a));
    await until('every message everywhere', () => heard.every((list) => list.length >= 20));
    await sleep(200);
    const texts = heard.map((list) => list.map((m) => m.message));
    assert.equal(texts[0].length, 20);
    assert.deepEqual(texts[1], texts[0]);
    assert.deepEqual(texts[2], texts[0]);
    // Each sender's own messages keep their order.
    assert.deepEqual(texts[0].filter((m) => m.startsWith('owner')), Array.from({ length: 10 }, (_, i) => `owner ${i}`));
  });

  it('racing parameter:delta on two nodes: exactly one wins, the other gets conflict with the winner\'s value', async () => {
    const { u, owner, collab, viewer } = await spreadRoom();
    let current = 9.81;
    for (let round = 0; round < 5; round++) {
      const [a, b] = await Promise.all([
        ack(owner, 'parameter:delta', { universe_id: u.id, category: 'physics', changes: { gravity: { from: current, to: 10 + round } } }),
        ack(collab, 'parameter:delta', { universe_id: u.id, category: 'physics', changes: { gravity: { from: current, to: 15 + round } } }),
      ]);
      const winners = [a, b].filter((r) => r.ok === true);
      const losers = [a, b].filter((r) => r.ok !== true);
      assert.equal(winners.length, 1, `round ${round}: ${JSON.stringify([a, b])}`);
      assert.equal(losers[0].error?.details?.reason, 'conflict', JSON.stringify(losers[0]));
      current = winners[0].parameters.gravity;
      assert.equal(losers[0].error.details.current.gravity, current);
      // Every node converges on the winner's value.
      for (const socket of [owner, collab, viewer]) {
        const deadline = Date.now() + 3000;
        let synced = await sync(socket, u.id);
        while (synced.physics_parameters.gravity !== current && Date.now() < deadline) {
          await sleep(50);
          synced = await sync(socket, u.id);
        }
        assert.equal(synced.physics_parameters.gravity, current);
      }
    }
  });

  it('two nodes writing two universes in opposite orders in one turn both succeed: no deadlock', async () => {
    // Each node's turn locks universes in ascending id order only (docs/cluster.md, "Locks
    // in one order"). Made to collide: psql holds the higher universe's row, node 1's turn
    // (high, then low) queues for it, then node 0's turn (low, then high) locks low and
    // queues behind. When psql lets go, node 1 gets high; taking low in the same
    // transaction then would close the cycle (PostgreSQL's deadlock error, one turn lost).
    const [first, second] = [await freshUniverse(nodes[0], world), await freshUniverse(nodes[0], world)];
    const [low, high] = [first.id, second.id].sort();
    const writers = [];
    for (const node of [nodes[0], nodes[1]]) {
      const raw = await rawAuthed(t, node, world.owner.token, { transport: 'polling' });
      for (const [i, id] of [low, high].entries()) {
        raw.send(`42${i + 1}${JSON.stringify(['universe:join', { universe_id: id }])}`);
        assert.equal((await raw.nextAck(i + 1)).ok, true);
      }
      writers.push(raw);
    }
    const update = (ackId, universeId, gravity) =>
      `42${ackId}${JSON.stringify(['parameter:update', { universe_id: universeId, category: 'physics', parameters: { gravity } }])}`;
    // One POST, one turn: both packets are handled before the turn's batch is finished.
    const oneTurn = (raw, packets) => raw.send(packets.join(SEPARATOR));

    const holder = spawn('psql', [database, '-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1'], { stdio: ['pipe', 'pipe', 'inherit'] });
    let held = '';
    holder.stdout.on('data', (chunk) => { held += chunk; });
    holder.stdin.write(`BEGIN; SELECT 'locked ' || id FROM universes WHERE id = ${Number(high)} FOR UPDATE;\n`);
    try {
      await until('psql holds the higher universe', () => held.includes(`locked ${high}`));
      oneTurn(writers[1], [update(11, high, 1), update(12, low, 2)]);
      await sleep(300);  // node 1 queued first for high
      oneTurn(writers[0], [update(21, low, 3), update(22, high, 4)]);
      await sleep(300);  // node 0 holds low and queues for high
    } finally {
      holder.stdin.end('COMMIT;\n');
    }
    await new Promise((resolve) => holder.once('exit', resolve));
    const answers = await Promise.all([writers[1].nextAck(11, 10000), writers[1].nextAck(12, 10000),
      writers[0].nextAck(21, 10000), writers[0].nextAck(22, 10000)]);
    for (const answer of answers) assert.equal(answer.ok, true, JSON.stringify(answers));
  });

  it('through HAProxy (deploy/haproxy.cfg): new sessions go round robin, polling follows its sid to its node', async () => {
    const started = await startHaproxy(nodes.map((node) => node.port));
    haproxy = started.child;
    const front = { url: started.url };

    const u = await freshUniverse(nodes[0], world, { is_public: true });
    // Long-polling only: every request of a session must reach the node that holds it.
    const polling = { transports: ['polling'] };
    const sockets = [
      await t.open(front, world.owner.token, polling),
      await t.open(front, world.collaborator.token, polling),
      await t.open(front, world.viewer.token, polling),
    ];
    const prefixes = new Set(sockets.map((s) => s.io.engine.id.split('.')[0]));
    assert.deepEqual([...prefixes].sort(), ['n1', 'n2', 'n3']);
    for (const socket of sockets) await join(socket, u.id);
    const heard = sockets.map((s) => collect(s, 'parameter:updated'));
    for (let i = 0; i < 5; i++) {
      const a = await ack(sockets[i % 2], 'parameter:update', { universe_id: u.id, category: 'physics', parameters: { gravity: 1 + i } });
      assert.equal(a.ok, true, JSON.stringify(a));
    }
    await until('every change on every node', () => heard.every((list) => list.length >= 5));
    for (const list of heard) assert.deepEqual(list.map((d) => d.parameters.gravity), [1, 2, 3, 4, 5]);
  });

  // Last: it replaces redis.sh's Redis with one of its own on the same port.
  it('Redis stops: writes are still acknowledged and heard on their node; when it is back every node delivers what it missed, in order', async () => {
    const { u, owner, collab, viewer } = await spreadRoom();
    const heard = [owner, collab, viewer].map((s) => collect(s, 'parameter:updated'));
    const departures = [owner, collab, viewer].map((s) => collect(s, 'universe:left'));
    const { port } = new URL(redisUrl);
    execFileSync('redis-cli', ['-p', port, 'shutdown', 'nosave'], { stdio: 'ignore' });
    await until('every node noticing', () => nodes.every((n) => n.lines.some((l) => l.includes('subscription lost'))));

    const health = async (node) => (await fetch(`${node.url}/healthz`)).json();
    assert.deepEqual((await health(nodes[0])).reason, 'fanout_unavailable');
    for (let i = 1; i <= 3; i++) {
      const a = await ack(owner, 'parameter:update', { universe_id: u.id, category: 'physics', parameters: { gravity: i } });
      assert.equal(a.ok, true, JSON.stringify(a));
    }
    await until('the writer\'s node delivering locally', () => heard[0].length === 3);
    await sleep(300);
    assert.equal(heard[2].length, 0, 'the viewer\'s node cannot know yet');

    restartedRedis = spawn('redis-server', ['--port', port, '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: 'ignore' });
    await until('every node delivering what it missed', () => heard.every((list) => list.length >= 3), 15000);
    await sleep(300);
    for (const list of heard) assert.deepEqual(list.map((d) => [d.seq, d.parameters.gravity]), [[1, 1], [2, 2], [3, 3]]);
    for (const node of nodes) assert.equal((await health(node)).status, 'ok');
    // And the link works again both ways.
    const a = await ack(collab, 'parameter:update', { universe_id: u.id, category: 'physics', parameters: { gravity: 7 } });
    assert.equal(a.ok, true);
    await until('the change after the outage', () => heard.every((list) => list.length === 4));
    // Nobody left the room: after the outage (Redis restarted empty) every node still
    // lists the users of all three (docs/cluster.md, "Presence").
    assert.deepEqual(departures, [[], [], []]);
    const everyone = [world.owner.user.id, world.collaborator.user.id, world.viewer.user.id].sort();
    for (const socket of [owner, collab, viewer]) {
      const synced = new Promise((resolve) => socket.once('state:synced', resolve));
      socket.emit('state:sync', { universe_id: u.id });
      assert.deepEqual((await synced).state.participants.map((p) => p.id).sort(), everyone);
    }
  });
});
