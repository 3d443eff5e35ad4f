// Cluster mode under failure (docs/cluster.md, "Failures"): three harmonic-server nodes on
// one PostgreSQL database and Redis, behind HAProxy on deploy/haproxy.cfg.
//   - A node killed with `kill -9` while its clients write: every acknowledged write is
//     in PostgreSQL and seen by everyone; its clients reconnect through HAProxy to another
//     node and carry on.
//   - PostgreSQL stopped (`pg_ctl stop -m immediate`): writes are answered with an error,
//     nothing unacknowledged is reported stored, /healthz says so, and once PostgreSQL is
//     back the nodes store again without a restart.
// Run it through tests/cluster/run.sh (throwaway PostgreSQL and Redis); the nodes and
// HAProxy are started here and stopped by the processes this file started.

import { after, afterEach, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { serverBinary, skipReason } from '../e2e/lib/server.mjs';
import { Tracker, ack, connected, join, once, sync } from '../e2e/lib/clients.mjs';
import { freshUniverse } from '../e2e/lib/world.mjs';
import { clusterSkip, postgresUrl, startHaproxy, startNodes, stopProcess, until } from './lib/nodes.mjs';


const psql = (url, sql) => execFileSync('psql', [url, '-At', '-q', '-c', sql], { encoding: 'utf8' }).trim();
const nodeOf = (socket) => socket.io.engine.id.split('.')[0];
const health = async (node) => {
  const r = await fetch(`${node.url}/healthz`, { signal: AbortSignal.timeout(5000) });
  return { status: r.status, body: await r.json() };
};

// The throwaway server of tests/cluster/postgres.sh, stopped and started again with its
// own pg_ctl on its own data folder (asked of the server itself: a superuser may read
// both), as the `postgres` user when root, like postgres.sh.
function postgresControl(url) {
  const dataDir = psql(url, 'SHOW data_directory');
  const bin = psql(url, "SELECT setting FROM pg_config WHERE name = 'BINDIR'");
  const asOwner = process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', `${bin}/pg_ctl`]] : [`${bin}/pg_ctl`, []];
  const pgCtl = (...args) => execFileSync(asOwner[0], [...asOwner[1], '-D', dataDir, ...args], { stdio: 'ignore' });
  let stopped = false;
  return {
    stopImmediately() { pgCtl('-m', 'immediate', '-w', 'stop'); stopped = true; },
    // postmaster.opts holds the command line postgres.sh started it with (port, socket
    // folder, listen address): `restart` on a stopped server starts it with those again.
    start() { if (stopped) { pgCtl('-w', '-l', path.join(dataDir, '..', 'log'), 'restart'); stopped = false; } },
  };
}

describe('cluster failures: a node killed, PostgreSQL stopped', {
  skip: clusterSkip,
  timeout: 180000,
}, () => {
  let nodes;
  let world;
  let haproxy;
  let front;
  let database;
  const t = new Tracker();

  before(async () => {
    ({ nodes, world, database } = await startNodes({ name: 'failure' }));

    const started = await startHaproxy(nodes.map((node) => node.port));
    haproxy = started.child;
    front = { url: started.url };
  });
  afterEach(() => t.closeAll());
  after(async () => {
    t.closeAll();
    await stopProcess(haproxy);
    for (const node of nodes) await node.dispose();
  });

  // Opens a socket through HAProxy that rejoins `universeId` on every (re)connect, as the
  // clients do (docs/client.md); `joined` counts its joins.
  async function roomClient(token, universeId) {
    const socket = t.connect(front, token, { reconnectionAttempts: 30, reconnectionDelay: 200, reconnectionDelayMax: 1000 });
    const client = { socket, joins: 0, initial: null };
    socket.on('connect', () => {
      const initial = once(socket, 'state:initial', 10000);
      ack(socket, 'universe:join', { universe_id: universeId }, 10000).then(async (res) => {
        if (res?.ok !== true) return;
        client.initial = await initial;
        client.joins += 1;
      }, () => {});
    });
    await connected(socket);
    await until('joined', () => client.joins >= 1);
    return client;
  }

  it('a node killed with kill -9 while its clients write: nothing acknowledged is lost, its clients carry on through HAProxy', async (context) => {
    const u = await freshUniverse(nodes[0], world, { is_public: true });
    // Round robin: of six new sessions through HAProxy, two land on every node.
    const clients = [];
    for (let i = 0; i < 6; i++) clients.push(await roomClient(i % 2 ? world.collaborator.token : world.owner.token, u.id));
    const victimId = nodeOf(clients[0].socket);
    const victim = nodes.find((n) => n.name.endsWith(victimId));
    const onVictim = clients.filter((c) => nodeOf(c.socket) === victimId);
    const elsewhere = clients.filter((c) => nodeOf(c.socket) !== victimId);
    assert.ok(onVictim.length >= 1 && elsewhere.length >= 2, `sessions: ${clients.map((c) => nodeOf(c.socket))}`);

    // Every writer on the victim sends as fast as acks come back, each write a value of
    // its own (gravity 0..20, step 0.01), until its socket drops.
    const acked = new Map();  // seq -> gravity of every acknowledged write
    let next = 100;
    const writers = onVictim.map(async (c) => {
      while (c.socket.connected) {
        const gravity = (next++) / 100;
        let res;
        try {
          res = await ack(c.socket, 'parameter:update', { universe_id: u.id, category: 'physics', parameters: { gravity } }, 3000);
        } catch { break; }  // no ack: the node died with the write in flight
        if (res?.ok === true) {
          assert.equal(res.parameters.gravity, gravity);
          acked.set(res.seq, gravity);
        }
      }
    });
    await until('writes acknowledged before the kill', () => acked.size >= 15);
    await victim.kill9();
    await Promise.all(writers);
    const ackedBeforeKill = new Map(acked);

    // In PostgreSQL: every acknowledged seq with its value.
    const stored = new Map(psql(database, `SELECT seq, changes_json FROM history WHERE universe_id = ${u.id} ORDER BY seq`)
      .split('\n').filter(Boolean).map((line) => {
        const [seq, changes] = line.split('|');
        return [Number(seq), JSON.parse(changes).gravity];
      }));
    for (const [seq, gravity] of ackedBeforeKill) assert.equal(stored.get(seq), gravity, `acknowledged seq ${seq} stored`);
    context.diagnostic(`${onVictim.length} writers on ${victimId}: ${ackedBeforeKill.size} writes acknowledged before the kill, ${stored.size} stored`);

    // The victim's clients reconnect through HAProxy, to a live node, and join again.
    for (const c of onVictim) {
      await until('a victim client back on another node', () => c.socket.connected && c.joins >= 2, 20000);
      assert.notEqual(nodeOf(c.socket), victimId);
    }
    // Their state:initial holds every acknowledged change (the history is < 100 entries).
    const maxAcked = Math.max(...ackedBeforeKill.keys());
    for (const c of [...onVictim, ...elsewhere]) {
      if (c.joins < 2) {  // the others rejoin to read state:initial again
        const initial = once(c.socket, 'state:initial', 5000);
        await ack(c.socket, 'universe:join', { universe_id: u.id });
        c.initial = await initial;
      }
      const seen = new Map(c.initial.history.filter((h) => h.kind === 'parameter').map((h) => [h.seq, h.changes.gravity]));
      for (const [seq, gravity] of ackedBeforeKill) assert.equal(seen.get(seq), gravity, `seq ${seq} in state:initial`);
      assert.ok(Math.max(...seen.keys()) >= maxAcked);
    }
    // And they carry on: a write from a moved client is heard by a client that never moved.
    const heard = once(elsewhere[0].socket, 'parameter:updated', 5000, (d) => d.parameters.gravity === 19.5);
    const res = await ack(onVictim[0].socket, 'parameter:update', { universe_id: u.id, category: 'physics', parameters: { gravity: 19.5 } });
    assert.equal(res.ok, true, JSON.stringify(res));
    assert.ok(res.seq > maxAcked);
    assert.equal((await heard).seq, res.seq);
  });

  // Last: it stops the PostgreSQL server every node uses (and starts it again).
  it('PostgreSQL stopped: writes get server_error, /healthz says unavailable, and the nodes store again once it is back', async () => {
    const live = nodes.filter((n) => n.running);
    assert.ok(live.length >= 2);
    const [writerNode, readerNode] = live;
    const u = await freshUniverse(live[0], world, { is_public: true });
    const writer = await t.open(writerNode, world.owner.token);
    const reader = await t.open(readerNode, world.collaborator.token);
    await join(writer, u.id);
    await join(reader, u.id);
    const ok = await ack(writer, 'parameter:update', { universe_id: u.id, category: 'physics', parameters: { gravity: 3 } });
    assert.equal(ok.ok, true, JSON.stringify(ok));
    await until('the reader hearing the first write', async () => (await sync(reader, u.id)).physics_parameters.gravity === 3);

    const control = postgresControl(postgresUrl);
    const heardDuringOutage = [];
    reader.on('parameter:updated', (d) => heardDuringOutage.push(d));
    writer.on('parameter:updated', (d) => heardDuringOutage.push(d));
    try {
      control.stopImmediately();
      for (let i = 0; i < 5; i++) {
        const res = await ack(writer, 'parameter:update', { universe_id: u.id, category: 'physics', parameters: { gravity: 4 + i } }, 10000);
        assert.equal(res.ok, false, `write ${i} during the outage: ${JSON.stringify(res)}`);
        assert.equal(res.error.code, 'server_error', JSON.stringify(res));
      }
      // 503, so a load balancer takes the node out: with no store it can acknowledge nothing.
      for (const node of live) {
        const h = await health(node);
        assert.equal(h.status, 503, JSON.stringify(h));
        assert.equal(h.body.error?.code, 'unavailable', JSON.stringify(h));
      }
      // Reads from the room's cache keep working, and still hold the last stored value.
      assert.equal((await sync(writer, u.id)).physics_parameters.gravity, 3);
      assert.equal((await sync(reader, u.id)).physics_parameters.gravity, 3);
      assert.deepEqual(heardDuringOutage, [], 'nothing unstored is announced');
    } finally {
      control.start();
    }
    // Without a restart: the very next write is stored (each failed one left the
    // connection to be opened again by the next call), and /healthz turns 200.
    const heard = once(reader, 'parameter:updated', 5000, (d) => d.parameters.gravity === 12);
    const res = await ack(writer, 'parameter:update', { universe_id: u.id, category: 'physics', parameters: { gravity: 12 } });
    assert.equal(res.ok, true, `the first write after PostgreSQL is back: ${JSON.stringify(res)}`);
    assert.equal(res.seq, ok.seq + 1, 'the failed writes took no seq');
    assert.equal((await heard).seq, res.seq);
    assert.equal(psql(database, `SELECT count(*) FROM history WHERE universe_id = ${u.id}`), '2');
    for (const node of live) await until(`${node.name} healthy again`, async () => (await health(node)).status === 200, 10000);
    assert.equal(writerNode.running && readerNode.running, true, 'no node ended');
  });
});

// Needs no PostgreSQL: a listener that never answers stands in for it.
describe('cluster failures: PostgreSQL unreachable at start', { skip: skipReason(), timeout: 60000 }, () => {
  // libpq alone would wait forever for a server that accepts the connection and never
  // answers (a frozen host, a half-dead proxy), and the node with it.
  // Both forms of conninfo the option takes (docs/operations.md, "PostgreSQL store").
  for (const form of ['uri', 'keywords']) {
    it(`a node whose PostgreSQL accepts the connection but never answers gives up (connect_timeout) instead of hanging (${form})`, async () => {
      const silent = net.createServer((socket) => { socket.on('data', () => {}); socket.on('error', () => {}); });
      await new Promise((resolve) => silent.listen(0, '127.0.0.1', resolve));
      const { port } = silent.address();
      const conninfo = form === 'uri' ? `postgresql://harmonic@127.0.0.1:${port}/harmonic`
        : `host=127.0.0.1 port=${port} user=harmonic dbname=harmonic`;
      try {
        const started = Date.now();
        const proc = spawn(serverBinary, ['--host', '127.0.0.1', '--port', '0', '--jwt-secret', 'x'.repeat(32),
          '--postgres', conninfo], { stdio: ['ignore', 'pipe', 'pipe'] });
        let output = '';
        proc.stdout.on('data', (d) => { output += d; });
        proc.stderr.on('data', (d) => { output += d; });
        const exited = new Promise((resolve) => proc.once('exit', (code) => resolve(code)));
        const timer = setTimeout(() => proc.kill('SIGKILL'), 30000);
        const code = await exited;
        clearTimeout(timer);
        assert.equal(code, 1, `exit code (null: still waiting after 30 s, killed)\n${output}`);
        assert.match(output, /timeout expired/);
        assert.ok(Date.now() - started < 20000);
      } finally {
        silent.close();
      }
    });
  }
});
