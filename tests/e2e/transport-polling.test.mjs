// The Engine.IO v4 long-polling transport over raw HTTP (docs/protocol.md, "Transports"):
// the handshake, every error answer of the specification, overlapping and cancelled
// requests, the client's close, maxPayload, heartbeats, and the upgrade to WebSocket with
// nothing lost or reordered.

import { after, afterEach, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { skipReason, startServer } from './lib/server.mjs';
import { Tracker, makeWorld, sleep } from './lib/clients.mjs';
import { freshUniverse } from './lib/world.mjs';
import { PollingClient, SEPARATOR, engineRequest, halfSentRequest } from './lib/polling.mjs';
import { metricValue } from './lib/hostile.mjs';

const engineErrors = {
  0: 'Transport unknown',
  1: 'Session ID unknown',
  2: 'Bad handshake method',
  3: 'Bad request',
  4: 'Forbidden',
  5: 'Unsupported protocol version',
};

function assertEngineError(r, code, status = 400) {
  assert.equal(r.status, status, r.text);
  assert.match(r.type, /application\/json/);
  assert.deepEqual(r.body, { code, message: engineErrors[code] });
}

// CONNECT over polling with a token; resolves the client once 40{...} arrived.
async function connectedPolling(server, token) {
  const c = await PollingClient.open(server);
  assert.equal((await c.post(`40${JSON.stringify({ token })}`)).text, 'ok');
  await c.until((p) => p.startsWith('40{'));
  return c;
}

function openProbe(server, sid) {
  const ws = new WebSocket(`${server.wsUrl}/socket.io/?EIO=4&transport=websocket&sid=${encodeURIComponent(sid)}`);
  const frames = [];
  const waiters = [];
  ws.on('message', (d) => { frames.push(d.toString()); for (const w of [...waiters]) w(); });
  ws.closed = new Promise((resolve) => ws.on('close', (code) => { resolve(code); for (const w of [...waiters]) w(); }));
  ws.on('error', () => {});
  ws.next = (pred, timeoutMs = 3000) => new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no frame within ${timeoutMs} ms; got ${JSON.stringify(frames)}`)), timeoutMs);
    const check = () => {
      const i = frames.findIndex(pred);
      if (i < 0) return;
      clearTimeout(timer);
      waiters.splice(waiters.indexOf(check), 1);
      resolve(frames.splice(i, 1)[0]);
    };
    waiters.push(check);
    check();
  });
  ws.frames = frames;
  return new Promise((resolve, reject) => { ws.on('open', () => resolve(ws)); ws.on('unexpected-response', (req, res) => reject(Object.assign(new Error(`HTTP ${res.statusCode}`), { status: res.statusCode }))); });
}

describe('transport: long-polling', { skip: skipReason(), timeout: 120000 }, () => {
  let server;
  let world;
  const t = new Tracker();
  const sockets = new Set();
  before(async () => {
    server = await startServer({ name: 'polling', rateLimit: 1000, rateBurst: 1000, extraArgs: ['--node-id', 'node-a', '--max-payload', '4000'] });
    world = await makeWorld(server);
  });
  afterEach(() => { t.closeAll(); for (const ws of sockets) ws.terminate(); sockets.clear(); });
  after(async () => { t.closeAll(); await server?.dispose(); });

  it('handshake: open packet with a sid prefixed by the node id, upgrades ["websocket"], the limits', async () => {
    const c = await PollingClient.open(server);
    assert.equal(c.handshakeResponse.status, 200);
    assert.match(c.handshakeResponse.type, /^text\/plain/);
    assert.match(c.sid, /^node-a\.[A-Za-z0-9_-]{20}$/);
    assert.deepEqual(c.handshake.upgrades, ['websocket']);
    assert.equal(c.handshake.pingInterval, 25000);
    assert.equal(c.handshake.pingTimeout, 20000);
    assert.equal(c.handshake.maxPayload, 4000);
    const other = await PollingClient.open(server);
    assert.notEqual(other.sid, c.sid);
  });

  it('a direct WebSocket: upgrades [] and the same node prefix', async () => {
    const raw = await t.raw(server);
    assert.deepEqual(raw.handshake.upgrades, []);
    assert.match(raw.handshake.sid, /^node-a\./);
  });

  it('every error case of the specification: status and {"code","message"}', async () => {
    assertEngineError(await engineRequest(server, 'GET', 'transport=polling'), 5);
    assertEngineError(await engineRequest(server, 'GET', 'EIO=3&transport=polling'), 5);
    assertEngineError(await engineRequest(server, 'GET', 'EIO=4'), 0);
    assertEngineError(await engineRequest(server, 'GET', 'EIO=4&transport=carrier-pigeon'), 0);
    assertEngineError(await engineRequest(server, 'POST', 'EIO=4&transport=polling', { body: '40' }), 2);
    assertEngineError(await engineRequest(server, 'PUT', 'EIO=4&transport=polling', { body: '40' }), 2);
    assertEngineError(await engineRequest(server, 'GET', 'EIO=4&transport=polling&sid=node-a.nope'), 1);
    assertEngineError(await engineRequest(server, 'POST', 'EIO=4&transport=polling&sid=node-a.nope', { body: '3' }), 1);
    // transport=websocket without an upgrade, with or without a sid
    assertEngineError(await engineRequest(server, 'GET', 'EIO=4&transport=websocket'), 3);
    const c = await PollingClient.open(server);
    assertEngineError(await engineRequest(server, 'GET', `EIO=4&transport=websocket&sid=${c.sid}`), 3);
    // a WebSocket upgrade with an unknown sid is refused at the HTTP level
    await assert.rejects(openProbe(server, 'node-a.nope'), (e) => e.status === 400);
    // the session named in the cases above is still fine
    assert.equal((await c.post('40')).text, 'ok');
    assert.match((await c.until((p) => p.startsWith('40'))), /^40\{/);
  });

  it('CONNECT, an event with an ack and a broadcast over polling alone', async () => {
    const u = await freshUniverse(server, world);
    const c = await connectedPolling(server, world.owner.token);
    assert.equal((await c.post(`421${JSON.stringify(['universe:join', { universe_id: u.id }])}`)).text, 'ok');
    const ackPacket = await c.until((p) => p.startsWith('431['));
    assert.equal(JSON.parse(ackPacket.slice(3))[0].ok, true);
    await c.until((p) => p.startsWith('42["state:initial"'));
  });

  it('several packets in one POST are handled in order; several frames leave in one GET', async () => {
    const u = await freshUniverse(server, world);
    const c = await connectedPolling(server, world.owner.token);
    await c.post(`420${JSON.stringify(['universe:join', { universe_id: u.id }])}`);
    await c.until((p) => p.startsWith('42["state:initial"'));
    const posts = [1, 2, 3].map((i) => `42${i}${JSON.stringify(['collaboration:message', { universe_id: u.id, message: `m${i}` }])}`);
    assert.equal((await c.post(posts.join(SEPARATOR))).text, 'ok');
    await sleep(200);
    const r = await c.get();
    const acks = r.packets.filter((p) => /^43\d\[/.test(p)).map((p) => p[2]);
    assert.deepEqual(acks, ['1', '2', '3'], r.text);
  });

  it('a second concurrent GET: 400 and the session is closed (the held GET gets "1")', async () => {
    const c = await connectedPolling(server, world.owner.token);
    const held = c.get();
    await sleep(150);
    assertEngineError(await c.get(), 3);
    const first = await held;
    assert.equal(first.status, 200);
    assert.equal(first.text, '1');
    assertEngineError(await c.get(), 1);
  });

  it('a second concurrent POST: 400 and the session is closed', async () => {
    const c = await connectedPolling(server, world.owner.token);
    const path = `/socket.io/?${c.query}`;
    const half = await halfSentRequest(server, `POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: 10\r\n\r\n40`);
    await sleep(150);
    assertEngineError(await c.post('3'), 3);
    assertEngineError(await c.get(), 1);
    half.socket.destroy();
  });

  it('a GET the client cancels closes the session', async () => {
    const c = await connectedPolling(server, world.owner.token);
    const abort = new AbortController();
    const held = c.get({ signal: abort.signal }).catch((e) => e);
    await sleep(150);
    abort.abort();
    assert.equal((await held).name, 'AbortError');
    await sleep(150);
    assertEngineError(await c.get(), 1);
  });

  it('a POST of "1" closes the session; a waiting GET gets "6" (noop)', async () => {
    const c = await connectedPolling(server, world.owner.token);
    const held = c.get();
    await sleep(150);
    assert.equal((await c.post('1')).text, 'ok');
    assert.equal((await held).text, '6');
    assertEngineError(await c.get(), 1);
  });

  it('a POST over maxPayload: 413 and the session is closed', async () => {
    const c = await connectedPolling(server, world.owner.token);
    const big = `42${JSON.stringify(['collaboration:message', { universe_id: 'x', message: 'y'.repeat(5000) }])}`;
    const r = await c.post(big);
    assert.equal(r.status, 413);
    assertEngineError(await c.get(), 1);
    // Also past the REST body limit (64 KiB), which Beast checks while reading the headers.
    const d = await connectedPolling(server, world.owner.token);
    assert.equal((await d.post(`4${'z'.repeat(70000)}`)).status, 413);
    assertEngineError(await d.get(), 1);
  });

  it('a malformed payload (an empty packet, an unknown type) closes the session', async () => {
    for (const body of [`40${SEPARATOR}${SEPARATOR}3`, '9nonsense']) {
      const c = await connectedPolling(server, world.owner.token);
      assert.equal((await c.post(body)).text, 'ok');
      const r = await c.get();
      assert.ok(r.packets.includes('1'), `close packet for ${JSON.stringify(body)}: ${r.text}`);
      assertEngineError(await c.get(), 1);
    }
  });

  it('upgrade: 2probe/3probe, the held GET gets a noop, "5" switches; frames before and after arrive once, in order', async () => {
    const u = await freshUniverse(server, world);
    const c = await connectedPolling(server, world.owner.token);
    await c.post(`420${JSON.stringify(['universe:join', { universe_id: u.id }])}`);
    await c.until((p) => p.startsWith('42["state:initial"'));
    // Another member streams numbered messages through the whole switch.
    const sender = await t.open(server, world.collaborator.token);
    await sender.timeout(3000).emitWithAck('universe:join', { universe_id: u.id });
    let sent = 0;
    const streaming = (async () => {
      while (sent < 60) {
        sent += 1;
        sender.emit('collaboration:message', { universe_id: u.id, message: `n${sent}` });
        await sleep(10);
      }
    })();
    const received = [];
    const collect = (p) => {
      if (!p.startsWith('42["collaboration:message"')) return;
      received.push(JSON.parse(p.slice(2))[1].message);
    };
    const held = c.get();
    const ws = await openProbe(server, c.sid);
    sockets.add(ws);
    ws.send('2probe');
    assert.equal(await ws.next((f) => f === '3probe'), '3probe');
    const released = await held;
    assert.equal(released.status, 200);
    for (const p of released.packets) collect(p);
    // Polling with this sid still works until "5" (the client may have one GET in flight).
    const late = await c.get();
    for (const p of late.packets) collect(p);
    await sleep(100);  // frames pile up in the session's buffer meanwhile
    ws.send('5');
    await streaming;
    await sleep(500);
    ws.on('message', () => {});
    for (const f of ws.frames.splice(0)) collect(f);
    assert.deepEqual(received, Array.from({ length: 60 }, (_, i) => `n${i + 1}`));
    // The upgraded session speaks over the WebSocket now, and polling is over.
    ws.send(`427${JSON.stringify(['collaboration:message', { universe_id: u.id, message: 'over ws' }])}`);
    assert.match(await ws.next((f) => f.startsWith('437[')), /"ok":true/);
    assertEngineError(await c.get(), 1);
    // A second WebSocket with that sid is refused.
    await assert.rejects(openProbe(server, c.sid), (e) => e.status === 400);
  });

  it('a probe that never sends "5" is dropped after 10 s; polling goes on', { timeout: 30000 }, async () => {
    const c = await connectedPolling(server, world.owner.token);
    const ws = await openProbe(server, c.sid);
    sockets.add(ws);
    const started = Date.now();
    const code = await ws.closed;
    const elapsed = Date.now() - started;
    assert.ok(elapsed >= 9000 && elapsed < 13000, `dropped after ${elapsed} ms (code ${code})`);
    // The session still polls: an ack comes back over polling.
    await c.post(`429${JSON.stringify(['universe:join', { universe_id: 'no-such-universe' }])}`);
    await c.until((p) => p.startsWith('439['));
  });

  it('a probing WebSocket that sends anything but 2probe/5 is dropped; a second probe is refused', async () => {
    const c = await connectedPolling(server, world.owner.token);
    const ws = await openProbe(server, c.sid);
    sockets.add(ws);
    await assert.rejects(openProbe(server, c.sid), (e) => e.status === 400);
    ws.send('40');
    await ws.closed;
    await sleep(100);
    // The session was not harmed, and may probe again.
    const again = await openProbe(server, c.sid);
    sockets.add(again);
    again.send('2probe');
    assert.equal(await again.next((f) => f === '3probe'), '3probe');
  });
});

describe('transport: heartbeats over polling', { skip: skipReason(), timeout: 60000 }, () => {
  let server;
  before(async () => { server = await startServer({ name: 'polling-heartbeat', pingInterval: 300, pingTimeout: 300 }); });
  after(async () => { await server?.dispose(); });

  it('the ping waits for the next GET; a session that never pongs is closed and its sid then gets 400', async () => {
    const silent = await PollingClient.open(server);
    const polite = await PollingClient.open(server);
    const r = await silent.get();
    assert.equal(r.text, '2', 'a held GET is answered with the ping');
    const deadline = Date.now() + 3000;
    let pongs = 0;
    while (Date.now() < deadline) {
      const p = await polite.get();
      assert.equal(p.status, 200, p.text);
      if (p.packets.includes('2')) { pongs += 1; await polite.post('3'); }
      if (pongs >= 3) break;
    }
    assert.ok(pongs >= 3, `pings answered: ${pongs}`);
    assertEngineError(await silent.get(), 1);
  });
});

describe('transport: polling sessions count against the connection caps', { skip: skipReason(), timeout: 60000 }, () => {
  let server;
  before(async () => { server = await startServer({ name: 'polling-caps', extraArgs: ['--max-connections-per-ip', '4'] }); });
  after(async () => { await server?.dispose(); });

  it('each session holds a slot of the client address until it ends; past the cap a handshake gets 503', async () => {
    // A few kept-alive HTTP connections carry the requests; each session adds its own
    // slot, so sequential handshakes soon reach the cap of 4.
    const sessions = [];
    let refused;
    for (let i = 0; i < 10 && !refused; i += 1) {
      const r = await engineRequest(server, 'GET', 'EIO=4&transport=polling');
      if (r.status === 200) sessions.push(new PollingClient(server, JSON.parse(r.text.slice(1))));
      else refused = r;
    }
    assert.ok(refused, 'a handshake was refused');
    assert.ok(sessions.length >= 1 && sessions.length <= 3, `sessions admitted: ${sessions.length}`);
    assert.equal(refused.status, 503, refused.text);
    assert.equal(refused.body?.error?.code, 'unavailable');
    // A session that ends gives its slot back.
    assert.equal((await sessions[0].post('1')).text, 'ok');
    const again = await PollingClient.open(server);
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    assert.ok(metricValue(metrics, 'harmonic_connections_refused_total', { reason: 'max_connections_per_ip' }) >= 1);
    assert.match(again.sid, /\./);
  });
});
