// Connection caps (--max-connections, --max-connections-per-ip, --max-sockets-per-user),
// the deadline to authenticate a Socket.IO connection, and the HTTP header read timeout.
// Each cap runs on its own server with a small limit; every refusal is clean (HTTP 503
// with a JSON error, or WebSocket close 1013 with a Socket.IO explanation) and counted in
// /metrics as harmonic_connections_refused_total{reason=...}.

import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { skipReason, startServer } from './lib/server.mjs';
import { RawClient, Tracker, api, once, register, sleep, uniqueName } from './lib/clients.mjs';
import { SOCKET_IO_PATH, metricValue, readUntilClosed, tcpConnect } from './lib/hostile.mjs';

const HALF_REQUEST = 'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ';

async function refusedCount(server, reason) {
  const r = await api(server, 'GET', '/metrics');
  assert.equal(r.status, 200);
  return metricValue(r.text, 'harmonic_connections_refused_total', { reason });
}

// What an HTTP request on a fresh connection gets: {status, body} (body parsed as JSON).
async function rawRequest(server, request) {
  const socket = await tcpConnect(server);
  socket.write(request);
  const { data, timedOut } = await readUntilClosed(socket, 5000);
  socket.destroy();
  assert.equal(timedOut, false, 'the refused connection is closed');
  const text = data.toString('latin1');
  const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1]);
  const body = text.slice(text.indexOf('\r\n\r\n') + 4);
  return { status, body: body ? JSON.parse(body) : undefined };
}

// Opens `count` connections that each send half a request and then wait.
async function halfOpen(server, count) {
  const sockets = [];
  for (let i = 0; i < count; i++) {
    const s = await tcpConnect(server);
    s.write(HALF_REQUEST);
    sockets.push(s);
  }
  await sleep(100);
  return sockets;
}

// The status a WebSocket upgrade gets (101 when it opens). With keepOpen the opened
// socket is returned too, for the caller to close.
function upgradeStatus(server, { headers = {}, keepOpen = false } = {}) {
  return new Promise((resolve) => {
    const ws = new WebSocket(`${server.wsUrl}${SOCKET_IO_PATH}`, { headers });
    ws.on('unexpected-response', (req, res) => { resolve(res.statusCode); req.destroy(); });
    ws.on('open', () => {
      if (keepOpen) resolve({ status: 101, ws });
      else { resolve(101); ws.terminate(); }
    });
    ws.on('error', () => resolve('error'));
  });
}

describe('connection caps', { skip: skipReason(), timeout: 120000 }, () => {
  const servers = [];
  const t = new Tracker();
  after(async () => { t.closeAll(); for (const s of servers) await s.dispose(); });
  async function serverWith(name, extraArgs) {
    const s = await startServer({ name, extraArgs });
    servers.push(s);
    return s;
  }

  it('--max-connections: past the cap, new TCP connections get 503 with a JSON error', async () => {
    const server = await serverWith('cap-total', ['--max-connections', '4']);
    const held = await halfOpen(server, 4);
    const refused = await rawRequest(server, 'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    assert.equal(refused.status, 503);
    assert.equal(refused.body.error.code, 'unavailable');
    assert.equal(await upgradeStatus(server), 503);
    for (const s of held) s.destroy();
    await sleep(200);
    assert.equal((await api(server, 'GET', '/healthz')).status, 200, 'served again once connections closed');
    assert.ok(await refusedCount(server, 'max_connections') >= 2);
  });

  it('--max-connections-per-ip: half-sent requests and sockets from one address share the cap', async () => {
    // No REST call before the check: fetch keeps its connection alive, which would count too.
    const server = await serverWith('cap-ip', ['--max-connections-per-ip', '3']);
    const held = await halfOpen(server, 2);
    const socket = await t.raw(server);  // a WebSocket is the third connection
    const refused = await rawRequest(server, 'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    assert.equal(refused.status, 503);
    assert.equal(refused.body.error.code, 'unavailable');
    assert.equal(await upgradeStatus(server), 503);
    socket.close();
    for (const s of held) s.destroy();
    await sleep(200);
    assert.equal((await api(server, 'GET', '/healthz')).status, 200);
    assert.ok(await refusedCount(server, 'max_connections_per_ip') >= 2);
  });

  it('behind a trusted proxy the per-address cap counts the forwarded client, not the proxy', async () => {
    const server = await serverWith('cap-proxy', ['--max-connections-per-ip', '2', '--trusted-proxy', '127.0.0.1']);
    const from = (address) => ({ headers: { 'X-Forwarded-For': address }, keepOpen: true });
    const open = [await upgradeStatus(server, from('203.0.113.5')), await upgradeStatus(server, from('203.0.113.5'))];
    assert.deepEqual(open.map((o) => o.status), [101, 101]);
    assert.equal(await upgradeStatus(server, from('203.0.113.5')), 503, 'that client is at its cap');
    const other = await upgradeStatus(server, from('203.0.113.6'));
    assert.equal(other.status, 101, 'another client behind the same proxy is not');
    for (const o of [...open, other]) o.ws.terminate();
    assert.ok(await refusedCount(server, 'max_connections_per_ip') >= 1);
  });

  it('--max-sockets-per-user: the next socket of that user is refused with an explanation and 1013', async () => {
    const server = await serverWith('cap-user', ['--max-sockets-per-user', '2']);
    const user = await register(server, uniqueName('many'));
    const other = await register(server, uniqueName('other'));
    const first = await t.open(server, user.token);
    await t.open(server, user.token);

    // socket.io-client: connect_error with the reason, and no reconnection loop.
    const third = t.connect(server, user.token);
    const error = await once(third, 'connect_error', 5000);
    assert.equal(error.message, 'too_many_connections');

    // Raw CONNECT with the token: CONNECT_ERROR, then close 1013.
    const raw = await t.raw(server);
    const reply = await raw.sioConnect({ token: user.token });
    assert.match(reply, /^44\{"message":"too_many_connections"/);
    assert.equal((await raw.waitClose(5000)).code, 1013);

    // `authenticate` after a tokenless CONNECT: a failed ack, then close 1013.
    const late = await t.raw(server);
    assert.match(await late.sioConnect(), /^40/);
    late.emit('authenticate', { token: user.token }, 7);
    const ackReply = await late.nextAck(7);
    assert.equal(ackReply.ok, false);
    assert.equal(ackReply.error.code, 'too_many_connections');
    assert.equal((await late.waitClose(5000)).code, 1013);

    await t.open(server, other.token);  // another user is not affected
    first.disconnect();
    await sleep(200);
    await t.open(server, user.token);   // a freed slot is usable again
    assert.ok(await refusedCount(server, 'max_sockets_per_user') >= 3);
  });

  it('a Socket.IO connection that does not authenticate in time is closed', async () => {
    const server = await serverWith('auth-timeout', ['--auth-timeout', '800']);
    const user = await register(server, uniqueName('slow'));
    const idle = await t.raw(server);
    assert.match(await idle.sioConnect(), /^40/);   // connected, but no identity
    const authed = await t.raw(server);
    assert.match(await authed.sioConnect({ token: user.token }), /^40/);
    const started = Date.now();
    await idle.waitClose(5000);
    assert.ok(Date.now() - started < 3000);
    const notice = idle.events('system:error').at(-1);
    assert.equal(notice?.args[0]?.code, 'unauthorized');
    await sleep(500);
    assert.equal(authed.open, true, 'an authenticated connection stays');
    assert.ok(await refusedCount(server, 'auth_timeout') >= 1);
  });

  it('the 10 s default auth deadline is enforced (tokenless CONNECT, nothing more)', async () => {
    const server = await serverWith('auth-default', []);
    const idle = await t.raw(server);
    assert.match(await idle.sioConnect(), /^40/);
    const started = Date.now();
    await idle.waitClose(14000);
    const took = Date.now() - started;
    assert.ok(took > 8000 && took < 13000, `closed after ${took} ms`);
  });

  it('HTTP headers must arrive within the header timeout (slowloris)', async () => {
    const server = await serverWith('header-timeout', ['--http-header-timeout', '800']);
    const socket = await tcpConnect(server);
    socket.write(HALF_REQUEST);
    const { timedOut, afterMs } = await readUntilClosed(socket, 5000);
    socket.destroy();
    assert.equal(timedOut, false, 'a half-sent request is cut off');
    assert.ok(afterMs < 3000, `cut after ${afterMs} ms`);
    assert.equal((await api(server, 'GET', '/healthz')).status, 200);
  });
});
