// Cross-origin access (docs/protocol.md, "Transports"; docs/operations.md, "Cross-origin
// access"): only the server's own origin and --cors-origin ones may open realtime
// sessions from a browser; CORS headers echo a listed origin only; preflights are
// answered before any route or session. Clients without an Origin are unaffected.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import WebSocket from 'ws';
import { serverBinary, skipReason, startServer } from './lib/server.mjs';
import { Tracker, api, register } from './lib/clients.mjs';
import { PollingClient, engineRequest } from './lib/polling.mjs';

const listed = 'https://app.example.com';
const stranger = 'https://evil.example';

function wsStatus(server, origin) {
  return new Promise((resolve) => {
    const ws = new WebSocket(`${server.wsUrl}/socket.io/?EIO=4&transport=websocket`, origin ? { origin } : {});
    ws.on('message', (d) => { ws.terminate(); resolve({ opened: true, first: d.toString() }); });
    ws.on('unexpected-response', (req, res) => { resolve({ opened: false, status: res.statusCode }); req.destroy(); });
    ws.on('error', () => {});
  });
}

describe('transport: cross-origin policy', { skip: skipReason(), timeout: 60000 }, () => {
  let server;
  const t = new Tracker();
  before(async () => {
    server = await startServer({ name: 'cors', extraArgs: ['--cors-origin', listed, '--cors-origin', 'http://other.example:8080'] });
  });
  after(async () => { t.closeAll(); await server?.dispose(); });

  it('WebSocket upgrades: no Origin, the own origin and a listed one open; another is refused 403', async () => {
    assert.equal((await wsStatus(server)).opened, true);
    assert.equal((await wsStatus(server, server.url)).opened, true);
    assert.equal((await wsStatus(server, listed)).opened, true);
    assert.deepEqual(await wsStatus(server, stranger), { opened: false, status: 403 });
    assert.deepEqual(await wsStatus(server, 'null'), { opened: false, status: 403 });
  });

  it('polling: a listed origin gets its origin echoed with credentials; another gets 403 {"code":4}', async () => {
    const ok = await engineRequest(server, 'GET', 'EIO=4&transport=polling', { headers: { origin: listed } });
    assert.equal(ok.status, 200);
    assert.equal(ok.headers.get('access-control-allow-origin'), listed);
    assert.equal(ok.headers.get('access-control-allow-credentials'), 'true');
    assert.match(ok.headers.get('vary') ?? '', /Origin/);
    const refused = await engineRequest(server, 'GET', 'EIO=4&transport=polling', { headers: { origin: stranger } });
    assert.equal(refused.status, 403);
    assert.deepEqual(refused.body, { code: 4, message: 'Forbidden' });
    assert.equal(refused.headers.get('access-control-allow-origin'), null);
  });

  it('polling requests of a live session from another origin are refused and leave it alone', async () => {
    const c = await PollingClient.open(server);
    const post = await c.post('40', { headers: { origin: stranger } });
    assert.equal(post.status, 403);
    const get = await c.get({ headers: { origin: stranger } });
    assert.equal(get.status, 403);
    assert.equal((await c.post('40', { headers: { origin: server.url } })).text, 'ok');
    assert.match(await c.until((p) => p.startsWith('40')), /^40\{/);
  });

  it('REST: a listed origin is echoed, never "*"; the own origin and others get no CORS header', async () => {
    const user = await register(server);
    const mine = await api(server, 'GET', '/api/universes', undefined, user.token, { origin: listed });
    assert.equal(mine.status, 200);
    assert.equal(mine.headers.get('access-control-allow-origin'), listed);
    assert.match(mine.headers.get('vary') ?? '', /Origin/);
    const other = await api(server, 'GET', '/api/universes', undefined, user.token, { origin: stranger });
    assert.equal(other.headers.get('access-control-allow-origin'), null);
    const plain = await api(server, 'GET', '/api/universes', undefined, user.token);
    assert.equal(plain.headers.get('access-control-allow-origin'), null);
  });

  it('preflight: 204 with methods and headers for a listed origin, 403 otherwise; no session is opened', async () => {
    const ask = (origin, path) => fetch(`${server.url}${path}`, {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type, authorization' },
    });
    const ok = await ask(listed, '/api/auth/login');
    assert.equal(ok.status, 204);
    assert.equal(ok.headers.get('access-control-allow-origin'), listed);
    assert.match(ok.headers.get('access-control-allow-methods'), /POST/);
    assert.match(ok.headers.get('access-control-allow-headers'), /Authorization/i);
    assert.match(ok.headers.get('access-control-allow-headers'), /Content-Type/i);
    const poll = await ask('http://other.example:8080', '/socket.io/?EIO=4&transport=polling');
    assert.equal(poll.status, 204);
    assert.equal(await poll.text(), '', 'no open packet: no session');
    assert.equal((await ask(stranger, '/api/auth/login')).status, 403);
    assert.equal((await ask(stranger, '/socket.io/?EIO=4&transport=polling')).status, 403);
  });

  it('--cors-origin refuses what is not an origin', () => {
    for (const bad of ['*', 'example.com', 'https://example.com/app', 'null']) {
      assert.throws(() => execFileSync(serverBinary, ['--cors-origin', bad, '--port', '0'], { stdio: 'pipe', timeout: 5000 }),
        (e) => e.status !== 0 && /cors-origin|ORIGIN|origin/.test(String(e.stderr)), bad);
    }
  });
});
