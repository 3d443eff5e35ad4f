// Connection level: the connection snippet of docs/protocol.md and its events, the Engine.IO open
// packet, Socket.IO CONNECT, namespaces, polling and the upgrade, heartbeat (ping/pong).
// The raw polling transport has its own file (transport-polling.test.mjs).

import { after, afterEach, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { io } from 'socket.io-client';
import { skipReason, startServer } from './lib/server.mjs';
import { Tracker, ack, api, documentOptions, join, makeWorld, once, record, sleep, transportName } from './lib/clients.mjs';
import { freshUniverse } from './lib/world.mjs';

describe('protocol: connection', { skip: skipReason(), timeout: 120000 }, () => {
  let server;
  let world;
  const t = new Tracker();
  before(async () => {
    server = await startServer({ name: 'connection' });
    world = await makeWorld(server);
  });
  afterEach(() => t.closeAll());
  after(async () => { t.closeAll(); await server?.dispose(); });

  it('the connection snippet of docs/protocol.md connects; connect/disconnect/error handlers behave', async () => {
    const socket = io(server.url, documentOptions(world.owner.token));
    t.sockets.add(socket);
    const log = [];
    socket.on('connect', () => log.push('connect'));
    socket.on('disconnect', (reason) => log.push(`disconnect:${reason}`));
    socket.on('error', (error) => log.push(`error:${error}`));
    await once(socket, 'connect', 5000);
    assert.equal(socket.connected, true);
    assert.equal(typeof socket.id, 'string');
    assert.equal(socket.io.engine.transport.name, transportName());
    socket.disconnect();
    await sleep(50);
    assert.deepEqual(log, ['connect', 'disconnect:io client disconnect']);
  });

  it('Engine.IO open packet: sid, no upgrades, pingInterval 25000, pingTimeout 20000, maxPayload 1000000', async () => {
    const raw = await t.raw(server);
    const h = raw.handshake;
    assert.equal(typeof h.sid, 'string');
    assert.ok(h.sid.length > 0);
    assert.deepEqual(h.upgrades, []);
    assert.equal(h.pingInterval, 25000);
    assert.equal(h.pingTimeout, 20000);
    assert.equal(h.maxPayload, 1000000);
    const other = await t.raw(server);
    assert.notEqual(other.handshake.sid, h.sid, 'every connection has its own sid');
  });

  it('Socket.IO CONNECT with a token -> 40{"sid":...}', async () => {
    const raw = await t.raw(server);
    const reply = await raw.sioConnect({ token: world.owner.token });
    assert.match(reply, /^40\{/);
    const body = JSON.parse(reply.slice(2));
    assert.equal(typeof body.sid, 'string');
  });

  it('Socket.IO CONNECT without auth payload -> 40 (unauthenticated)', async () => {
    const raw = await t.raw(server);
    const reply = await raw.sioConnect(undefined);
    assert.match(reply, /^40\{/);
  });

  it('another namespace -> 44/admin,{"message":...}; the main namespace still works on that connection', async () => {
    const raw = await t.raw(server);
    const reply = await raw.sioConnect({ token: world.owner.token }, '/admin');
    assert.ok(reply.startsWith('44/admin,'), reply);
    const body = JSON.parse(reply.slice('44/admin,'.length));
    assert.equal(typeof body.message, 'string');
    const main = await raw.sioConnect({ token: world.owner.token });
    assert.match(main, /^40\{/);
  });

  it('socket.io-client to another namespace gets connect_error', async () => {
    const socket = io(`${server.url}/admin`, { ...documentOptions(world.owner.token), reconnection: false, forceNew: true });
    t.sockets.add(socket);
    const err = await once(socket, 'connect_error', 5000);
    assert.equal(typeof err.message, 'string');
  });

  it('transport=polling -> the Engine.IO open packet, offering the upgrade to websocket', async () => {
    const r = await api(server, 'GET', '/socket.io/?EIO=4&transport=polling');
    assert.equal(r.status, 200);
    assert.match(r.text, /^0\{/);
    const open = JSON.parse(r.text.slice(1));
    assert.deepEqual(open.upgrades, ['websocket']);
    assert.equal(typeof open.sid, 'string');
  });

  it('io(url) with default options connects over polling, then upgrades; events emitted meanwhile arrive once, in order', async () => {
    const u = await freshUniverse(server, world);
    const watcher = await t.open(server, world.collaborator.token);
    await join(watcher, u.id);
    const rec = record(watcher, 'collaboration:message');
    const socket = io(server.url, { auth: { token: world.owner.token }, forceNew: true, reconnection: false });
    t.sockets.add(socket);
    const seen = [];
    socket.io.on('open', () => seen.push(socket.io.engine.transport.name));
    socket.io.engine.on('upgrade', (transport) => seen.push(transport.name));
    await once(socket, 'connect', 5000);
    // Emitted at once, while the upgrade may still be under way: the client buffers
    // them or sends them over polling; either way each arrives once, in order.
    await ack(socket, 'universe:join', { universe_id: u.id });
    for (let i = 1; i <= 10; i += 1) socket.emit('collaboration:message', { universe_id: u.id, message: `m${i}` });
    await rec.wait(10, 5000);
    await sleep(200);
    assert.deepEqual(rec.events.map((m) => m.message), Array.from({ length: 10 }, (_, i) => `m${i + 1}`));
    assert.deepEqual(seen, ['polling', 'websocket']);
    assert.equal(socket.io.engine.transport.name, 'websocket');
  });

  it('an EVENT before the Socket.IO CONNECT -> disconnected', async () => {
    const raw = await t.raw(server);
    raw.emit('universe:join', { universe_id: '1' });
    const closed = await raw.waitClose(3000);
    assert.ok(closed.code >= 1000, JSON.stringify(closed));
  });

  it('raw EVENT with an ack id -> ACK 43N[{ok:true}] and the event itself', async () => {
    const u = await freshUniverse(server, world);
    const raw = await t.raw(server);
    await raw.sioConnect({ token: world.owner.token });
    raw.emit('universe:join', { universe_id: u.id }, 7);
    const a = await raw.nextAck(7);
    assert.equal(a.ok, true);
    const ev = await raw.nextEvent('universe:joined');
    assert.equal(ev.universe.id, u.id);
    const init = await raw.nextEvent('state:initial');
    assert.equal(init.universe.id, u.id);
  });

  it('several clients at once do not disturb each other', async () => {
    const u = await freshUniverse(server, world);
    const sockets = await Promise.all([world.owner, world.collaborator, world.owner].map((x) => t.open(server, x.token)));
    const joined = await Promise.all(sockets.map((s) => join(s, u.id)));
    for (const j of joined) assert.equal(j.initial.universe.id, u.id);
  });

  it('a debug-mode client (no transports option, so polling first) connects and authenticates', async () => {
    const socket = io(server.url, { debug: true, debugLevel: 3, reconnection: false, forceNew: true });
    t.sockets.add(socket);
    await once(socket, 'connect', 3000);
    const reply = await ack(socket, 'authenticate', { token: world.owner.token });
    assert.equal(reply.ok, true, JSON.stringify(reply));
  });
});

describe('protocol: heartbeat', { skip: skipReason(), timeout: 60000 }, () => {
  let server;
  const t = new Tracker();
  before(async () => { server = await startServer({ name: 'heartbeat', pingInterval: 300, pingTimeout: 300 }); });
  after(async () => { t.closeAll(); await server?.dispose(); });

  it('open packet carries the configured ping interval and timeout', async () => {
    const raw = await t.raw(server);
    assert.equal(raw.handshake.pingInterval, 300);
    assert.equal(raw.handshake.pingTimeout, 300);
    raw.close();
  });

  it('a client that never answers "2" with "3" is closed within about a second; one that answers stays', async () => {
    const silent = await t.raw(server, { autoPong: false });
    const polite = await t.raw(server, { autoPong: true });
    const started = Date.now();
    await silent.waitClose(2500);
    const elapsed = Date.now() - started;
    assert.ok(silent.pings >= 1, 'the server pinged');
    assert.ok(elapsed <= 2000, `closed after ${elapsed} ms`);
    await sleep(1500);
    assert.equal(polite.open, true, 'the answering client is still connected');
    assert.ok(polite.pings >= 3, `pings received: ${polite.pings}`);
  });

  it('pings come every pingInterval, well inside the client\'s pingInterval + pingTimeout deadline', async () => {
    // socket.io-client closes with "ping timeout" when no ping arrives within
    // pingInterval + pingTimeout of the previous one; a server that waits for
    // pingTimeout before scheduling the next interval races that deadline.
    const raw = await t.raw(server);
    const times = [];
    raw.ws.on('message', (d) => { if (d.toString() === '2') times.push(Date.now()); });
    await sleep(2200);
    raw.close();
    const gaps = times.slice(1).map((x, i) => x - times[i]);
    assert.ok(gaps.length >= 3, `pings: ${times.length}`);
    const worst = Math.max(...gaps);
    assert.ok(worst <= 450, `gaps between pings ${gaps.join(',')} ms; expected ~300 (deadline 600)`);
  });

  it('socket.io-client stays connected across many ping intervals', async () => {
    const socket = t.connect(server, undefined);
    await once(socket, 'connect', 5000);
    let disconnected = false;
    socket.on('disconnect', (reason) => { disconnected = reason; });
    await sleep(4000);
    assert.equal(disconnected, false, `disconnected: ${disconnected}`);
    assert.equal(socket.connected, true);
  });
});

describe('protocol: heartbeat with pingInterval shorter than pingTimeout', { skip: skipReason(), timeout: 60000 }, () => {
  let server;
  const t = new Tracker();
  before(async () => { server = await startServer({ name: 'heartbeat-short', pingInterval: 200, pingTimeout: 1000 }); });
  after(async () => { t.closeAll(); await server?.dispose(); });

  it('a silent client is closed pingTimeout after the first unanswered ping; later pings do not move that deadline', async () => {
    const silent = await t.raw(server, { autoPong: false });
    const polite = await t.raw(server, { autoPong: true });
    const started = Date.now();
    await silent.waitClose(4000);
    const elapsed = Date.now() - started;
    assert.ok(elapsed >= 1000 && elapsed <= 2000, `closed after ${elapsed} ms (first ping at 200, deadline 1200)`);
    assert.equal(polite.open, true, 'the answering client is still connected');
  });
});
