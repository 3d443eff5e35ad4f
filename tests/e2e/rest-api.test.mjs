// REST smoke test through real HTTP: register/login rules, universes, collaborators and
// who may do what; static files from --web-root, /healthz, /metrics.

import { after, afterEach, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { skipReason, startServer } from './lib/server.mjs';
import { Tracker, api, join, once, register, uniqueName } from './lib/clients.mjs';

describe('REST API and static files', { skip: skipReason(), timeout: 120000 }, () => {
  let server;
  const t = new Tracker();
  let owner;
  let collab;
  let stranger;
  before(async () => {
    server = await startServer({ name: 'rest' });
    owner = await register(server, uniqueName('rowner'));
    collab = await register(server, uniqueName('rcollab'));
    stranger = await register(server, uniqueName('rstranger'));
  });
  afterEach(() => t.closeAll());
  after(async () => { t.closeAll(); await server?.dispose(); });

  it('register -> 201 {token, user:{id (string), username}}', async () => {
    const username = uniqueName('reg');
    const r = await api(server, 'POST', '/api/auth/register', { username, password: 'password-123' });
    assert.equal(r.status, 201, r.text);
    assert.equal(typeof r.body.token, 'string');
    assert.equal(r.body.token.split('.').length, 3);
    assert.equal(typeof r.body.user.id, 'string');
    assert.equal(r.body.user.username, username);
    assert.match(r.headers.get('content-type'), /application\/json/);
  });

  it('register validation: username 3-32 of [A-Za-z0-9_.-], password >= 8, unique without regard to case', async () => {
    const good = async (username, password = 'password-123') => {
      const r = await api(server, 'POST', '/api/auth/register', { username, password });
      assert.equal(r.status, 201, `${username}: ${r.text}`);
    };
    const bad = async (username, password = 'password-123', status = 400) => {
      const r = await api(server, 'POST', '/api/auth/register', { username, password });
      assert.equal(r.status, status, `${JSON.stringify(username)}/${password}: ${r.status} ${r.text}`);
      assert.equal(r.body?.token, undefined);
    };
    const base = uniqueName('v').slice(0, 20);
    await good(`${base}.a-b_c`);
    await good('x'.repeat(29) + Math.floor(Math.random() * 900 + 100));
    await good(`k${Math.floor(Math.random() * 90 + 10)}`);
    await good(`${base}pw8`, '12345678');
    await bad('ab');
    await bad('y'.repeat(33));
    await bad('has space');
    await bad('slash/name');
    await bad('');
    await bad(`${base}pw7`, '1234567');
    await bad(`${base}.A-B_C`, 'password-123', 409);
    const r = await api(server, 'POST', '/api/auth/register', { username: 12345, password: 'password-123' });
    assert.equal(r.status, 400);
    const nojson = await api(server, 'POST', '/api/auth/register', '{"username":', undefined);
    assert.equal(nojson.status, 400);
  });

  it('login -> 200 with a working token; wrong password or unknown user -> 401', async () => {
    const ok = await api(server, 'POST', '/api/auth/login', { username: owner.username, password: owner.password });
    assert.equal(ok.status, 200, ok.text);
    assert.deepEqual(ok.body.user, owner.user);
    const me = await api(server, 'GET', '/api/auth/me', undefined, ok.body.token);
    assert.equal(me.status, 200, me.text);
    assert.equal(me.body.user.id, owner.user.id);
    const wrong = await api(server, 'POST', '/api/auth/login', { username: owner.username, password: 'wrong-password' });
    assert.equal(wrong.status, 401);
    assert.equal(wrong.body?.token, undefined);
    const nobody = await api(server, 'POST', '/api/auth/login', { username: 'nobody_here_xyz', password: 'whatever-123' });
    assert.equal(nobody.status, 401);
  });

  it('POST /api/universes -> 201 universe with string ids; without a token -> 401', async () => {
    const r = await api(server, 'POST', '/api/universes', { name: 'Made by REST', description: 'desc', is_public: true }, owner.token);
    assert.equal(r.status, 201, r.text);
    const u = r.body;
    assert.equal(typeof u.id, 'string');
    assert.equal(u.owner_id, owner.user.id);
    assert.equal(u.name, 'Made by REST');
    assert.equal(u.description, 'desc');
    assert.equal(u.is_public, true);
    assert.ok(u.seed !== undefined && u.seed !== null);
    assert.ok(u.created_at !== undefined);
    assert.ok(u.updated_at !== undefined);
    const anon = await api(server, 'POST', '/api/universes', { name: 'anon', description: '', is_public: false });
    assert.equal(anon.status, 401);
    const forged = await api(server, 'POST', '/api/universes', { name: 'forged', description: '', is_public: false }, `${owner.token}x`);
    assert.equal(forged.status, 401);
    const noName = await api(server, 'POST', '/api/universes', { name: '', description: '', is_public: false }, owner.token);
    assert.equal(noName.status, 400);
    const longName = await api(server, 'POST', '/api/universes', { name: 'n'.repeat(101), description: '', is_public: false }, owner.token);
    assert.equal(longName.status, 400);
  });

  it('collaborators: only the owner adds them; a collaborator can then join and edit; strangers cannot see a private universe', async () => {
    const u = (await api(server, 'POST', '/api/universes', { name: 'Shared', description: '', is_public: false }, owner.token)).body;

    const before = await api(server, 'GET', `/api/universes/${u.id}`, undefined, collab.token);
    assert.ok([403, 404].includes(before.status), `collaborator-to-be reads private: ${before.status}`);
    const ws0 = await t.open(server, collab.token);
    const err = await ws0.timeout(3000).emitWithAck('universe:join', { universe_id: u.id });
    assert.equal(err.error?.code, 'unauthorized');

    const add = await api(server, 'POST', `/api/universes/${u.id}/collaborators`, { username: collab.username }, owner.token);
    assert.ok(add.status === 200 || add.status === 201, add.text);
    const again = await api(server, 'POST', `/api/universes/${u.id}/collaborators`, { username: collab.username }, owner.token);
    assert.equal(again.status, 409);
    const unknown = await api(server, 'POST', `/api/universes/${u.id}/collaborators`, { username: 'no_such_user_zz' }, owner.token);
    assert.equal(unknown.status, 404);
    const byCollab = await api(server, 'POST', `/api/universes/${u.id}/collaborators`, { username: stranger.username }, collab.token);
    assert.equal(byCollab.status, 403);
    const byStranger = await api(server, 'POST', `/api/universes/${u.id}/collaborators`, { username: stranger.username }, stranger.token);
    assert.ok([403, 404].includes(byStranger.status), `${byStranger.status}`);

    const read = await api(server, 'GET', `/api/universes/${u.id}`, undefined, collab.token);
    assert.equal(read.status, 200, read.text);
    const ws = await t.open(server, collab.token);
    await join(ws, u.id);

    const rename = await api(server, 'PATCH', `/api/universes/${u.id}`, { name: 'Renamed by collaborator' }, collab.token);
    assert.equal(rename.status, 200, rename.text);
    assert.equal(rename.body.name, 'Renamed by collaborator');
    const pub = await api(server, 'PATCH', `/api/universes/${u.id}`, { is_public: true }, collab.token);
    assert.equal(pub.status, 403, 'only the owner changes is_public');
    const del = await api(server, 'DELETE', `/api/universes/${u.id}`, undefined, collab.token);
    assert.equal(del.status, 403, 'only the owner deletes');
    const strangerRead = await api(server, 'GET', `/api/universes/${u.id}`, undefined, stranger.token);
    assert.ok([403, 404].includes(strangerRead.status));
    const strangerPatch = await api(server, 'PATCH', `/api/universes/${u.id}`, { name: 'mine' }, stranger.token);
    assert.ok([403, 404].includes(strangerPatch.status));
    const check = await api(server, 'GET', `/api/universes/${u.id}`, undefined, owner.token);
    assert.equal(check.body.name, 'Renamed by collaborator');
    assert.equal(check.body.is_public, false);
  });

  it('a REST rename and a collaborator added reach the room as system:notification', async () => {
    const u = (await api(server, 'POST', '/api/universes', { name: 'Noticed', description: '', is_public: false }, owner.token)).body;
    const ws = await t.open(server, owner.token);
    await join(ws, u.id);
    const added = once(ws, 'system:notification', 3000);
    const r = await api(server, 'POST', `/api/universes/${u.id}/collaborators`, { username: stranger.username }, owner.token);
    assert.ok(r.status === 200 || r.status === 201);
    const n = await added;
    assert.equal(typeof n.type, 'string');
    assert.match(n.message, new RegExp(stranger.username));

    const renamed = once(ws, 'system:notification', 3000, (x) => x.type === 'universe_renamed');
    const updated = once(ws, 'universe:updated', 3000);
    const p = await api(server, 'PATCH', `/api/universes/${u.id}`, { name: 'Noticed twice' }, owner.token);
    assert.equal(p.status, 200);
    assert.deepEqual((await updated).changes, { name: 'Noticed twice' });
    assert.ok((await renamed).message.length > 0);
  });

  it('GET /healthz -> 200', async () => {
    const r = await api(server, 'GET', '/healthz');
    assert.equal(r.status, 200);
    assert.equal(r.body?.status, 'ok');
  });

  it('GET /metrics -> Prometheus text with connection and event counters', async () => {
    const u = (await api(server, 'POST', '/api/universes', { name: 'Metered', description: '', is_public: false }, owner.token)).body;
    const ws = await t.open(server, owner.token);
    await join(ws, u.id);
    const r = await api(server, 'GET', '/metrics');
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type'), /text\/plain/);
    const open = /^harmonic_connections (\d+)$/m.exec(r.text);
    assert.ok(open, r.text.slice(0, 500));
    assert.ok(Number(open[1]) >= 1);
    assert.match(r.text, /^harmonic_events_in_total\{event="universe:join"\} [1-9]\d*$/m);
    assert.match(r.text, /^# TYPE harmonic_connections gauge$/m);
  });

  it('static files from --web-root: index.html at /, types by extension, 404 for missing', async () => {
    const root = await fetch(`${server.url}/`);
    assert.equal(root.status, 200);
    assert.match(root.headers.get('content-type'), /text\/html/);
    assert.match(await root.text(), /harmonic-e2e-index/);
    const js = await fetch(`${server.url}/app.js`);
    assert.equal(js.status, 200);
    assert.match(js.headers.get('content-type'), /javascript/);
    assert.match(await js.text(), /harmonic-e2e-app/);
    const css = await fetch(`${server.url}/style.css`);
    assert.match(css.headers.get('content-type'), /text\/css/);
    await css.text();
    const apiMissing = await api(server, 'GET', '/api/no-such-route');
    assert.equal(apiMissing.status, 404);
    assert.match(apiMissing.headers.get('content-type'), /application\/json/);
  });

  it('path traversal out of the web root is refused', async () => {
    for (const p of ['/../../../../etc/passwd', '/%2e%2e/%2e%2e/%2e%2e/etc/passwd', '/..%2f..%2f..%2fetc%2fpasswd', '/app.js/../../../etc/passwd']) {
      const { status, body } = await rawHttp(server, `GET ${p} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);
      assert.ok(!/root:.*:0:0:/.test(body), `${p} leaked /etc/passwd`);
      assert.ok(status !== 200 || /harmonic-e2e-index/.test(body), `${p}: ${status}`);
    }
    assert.equal(server.running, true);
  });
});

function rawHttp(server, request) {
  return new Promise((resolve, reject) => {
    const sock = net.connect(server.port, '127.0.0.1');
    let data = '';
    const timer = setTimeout(() => { sock.destroy(); reject(new Error('raw HTTP timeout')); }, 5000);
    sock.on('data', (d) => { data += d.toString('latin1'); });
    sock.on('end', () => { clearTimeout(timer); resolve({ status: Number(/^HTTP\/1\.1 (\d+)/.exec(data)?.[1]), body: data }); });
    sock.on('error', (e) => { clearTimeout(timer); reject(e); });
    sock.write(request);
  });
}

describe('registration flood', { skip: skipReason(), timeout: 60000 }, () => {
  let server;
  before(async () => { server = await startServer({ name: 'register-limit', registerLimit: 2 }); });
  after(async () => { await server?.dispose(); });

  it('past the hourly quota of an address: 429 with Retry-After, and no account is created', async () => {
    for (let i = 0; i < 2; i++) await register(server, uniqueName('flood'));
    const username = uniqueName('flood');
    const r = await api(server, 'POST', '/api/auth/register', { username, password: 'password-123' });
    assert.equal(r.status, 429, r.text);
    assert.equal(r.body.error.code, 'rate_limited');
    const retry = Number(r.headers.get('retry-after'));
    assert.ok(retry > 3500 && retry <= 3600, `Retry-After ${retry}`);
    const login = await api(server, 'POST', '/api/auth/login', { username, password: 'password-123' });
    assert.equal(login.status, 401, 'the refused registration left no account behind');
    // Without --trusted-proxy, a forged X-Forwarded-For does not buy a fresh quota.
    const forged = await api(server, 'POST', '/api/auth/register', { username: uniqueName('forged'), password: 'password-123' },
      undefined, { 'x-forwarded-for': '198.51.100.77' });
    assert.equal(forged.status, 429, forged.text);
  });
});

describe('behind a trusted reverse proxy', { skip: skipReason(), timeout: 60000 }, () => {
  let server;
  before(async () => {
    server = await startServer({ name: 'trusted-proxy', registerLimit: 1, extraArgs: ['--trusted-proxy', '127.0.0.1'] });
  });
  after(async () => { await server?.dispose(); });

  it('the quota is per client address named in X-Forwarded-For', async () => {
    const signup = (address) => api(server, 'POST', '/api/auth/register', { username: uniqueName('proxied'), password: 'password-123' },
      undefined, { 'x-forwarded-for': address });
    assert.equal((await signup('198.51.100.1')).status, 201);
    assert.equal((await signup('198.51.100.2')).status, 201, 'another client behind the same proxy has its own quota');
    assert.equal((await signup('198.51.100.1')).status, 429);
    // What a client writes to the left of the proxy's entry is not believed.
    assert.equal((await signup('203.0.113.5, 198.51.100.1')).status, 429);
  });
});

describe('a metrics token', { skip: skipReason(), timeout: 60000 }, () => {
  const servers = [];
  after(async () => { await Promise.all(servers.map((s) => s.dispose())); });

  // From the environment (so it stays out of the process list) or from the command line.
  for (const [how, options] of [['HARMONIC_METRICS_TOKEN', { env: { HARMONIC_METRICS_TOKEN: 'scrape-0123456789' } }],
                                ['--metrics-token', { extraArgs: ['--metrics-token', 'scrape-0123456789'] }]]) {
    it(`set by ${how}: /metrics wants it as a bearer token, /healthz stays open`, async () => {
      const server = await startServer({ name: 'metrics-token', ...options });
      servers.push(server);
      const refused = await api(server, 'GET', '/metrics');
      assert.equal(refused.status, 401, refused.text);
      assert.equal(refused.body.error.code, 'unauthorized');
      assert.doesNotMatch(refused.text, /harmonic_/);
      assert.equal((await api(server, 'GET', '/metrics', undefined, 'scrape-wrong')).status, 401);
      const scraped = await api(server, 'GET', '/metrics', undefined, 'scrape-0123456789');
      assert.equal(scraped.status, 200);
      assert.match(scraped.text, /^harmonic_http_requests_total\{status="401"\} 2$/m);
      assert.equal((await api(server, 'GET', '/healthz')).status, 200);
    });
  }
});
