// Logs and metrics for operators (docs/operations.md, "Logs"; docs/metrics.md): with
// --log-format json every line the server writes is one JSON object, and HTTP requests and
// realtime connections leave access lines with the client, user and duration; every series
// /metrics shows is documented in docs/metrics.md.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot, skipReason, startServer } from './lib/server.mjs';
import { Tracker, api, createUniverse, join, register, sleep, uniqueName } from './lib/clients.mjs';

describe('operations: json logs, access log, documented metrics', { skip: skipReason(), timeout: 60000 }, () => {
  let server;
  const t = new Tracker();
  before(async () => { server = await startServer({ name: 'json-logs', extraArgs: ['--log-format', 'json'] }); });
  after(async () => { t.closeAll(); await server?.dispose(); });

  it('every output line is a JSON object; requests and connections leave access lines', async () => {
    const user = await register(server, uniqueName('logged'));
    const universe = await createUniverse(server, user.token);
    const socket = await t.open(server, user.token);
    await join(socket, universe.id);
    await sleep(200);  // the connection lives a measurable while
    t.closeAll();
    assert.equal((await api(server, 'GET', '/api/auth/me')).status, 401);
    await sleep(300);  // the close reaches the server
    await server.stop();

    const lines = server.lines.map((l) => l.replace(/^\[(out|err)\] /, '')).filter((l) => l !== '');
    assert.ok(lines.length > 5, server.tail());
    const records = lines.map((line) => {
      let record;
      assert.doesNotThrow(() => { record = JSON.parse(line); }, `not JSON: ${line}`);
      assert.equal(typeof record, 'object');
      assert.match(record.time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:\d\d$/, line);
      assert.ok(['trace', 'debug', 'info', 'warning', 'error', 'critical'].includes(record.level), line);
      assert.equal(typeof record.msg, 'string', line);
      return record;
    });
    assert.ok(records.some((r) => /listening on http:\/\/127\.0\.0\.1:\d+/.test(r.msg)), 'the listening line, as JSON');

    const access = records.filter((r) => r.msg === 'access');
    const created = access.find((r) => r.access === 'http' && r.method === 'POST' && r.path === '/api/universes');
    assert.ok(created, JSON.stringify(access));
    assert.equal(created.status, 201);
    assert.equal(created.client, '127.0.0.1');
    assert.equal(created.user, String(user.user.id));
    assert.ok(typeof created.duration_ms === 'number' && created.duration_ms >= 0);
    const anonymous = access.find((r) => r.access === 'http' && r.path === '/api/auth/me' && r.status === 401);
    assert.ok(anonymous, 'a refused request is logged');
    assert.equal(anonymous.user, '');

    const opened = access.find((r) => r.access === 'socket_connect' && r.transport === 'websocket');
    assert.ok(opened, JSON.stringify(access));
    assert.equal(opened.client, '127.0.0.1');
    const closed = access.find((r) => r.access === 'socket_disconnect' && r.connection === opened.connection);
    assert.ok(closed, JSON.stringify(access));
    assert.equal(closed.user, String(user.user.id));
    assert.ok(closed.duration_ms >= 150, `the connection lasted ${closed.duration_ms} ms`);
  });

  it('every series /metrics shows is documented in docs/metrics.md', async () => {
    if (!server.running) await server.restart({ samePort: false });
    // Traffic that makes the labelled series appear: events in and out, an error, HTTP.
    const user = await register(server, uniqueName('metered'));
    const universe = await createUniverse(server, user.token);
    const socket = await t.open(server, user.token);
    await join(socket, universe.id);
    socket.emit('no:such:event', {});
    await sleep(200);
    const metrics = await api(server, 'GET', '/metrics');
    assert.equal(metrics.status, 200);
    const docs = fs.readFileSync(path.join(repoRoot, 'docs', 'metrics.md'), 'utf8');
    const names = new Set(metrics.text.split('\n').filter((l) => l && !l.startsWith('#')).map((l) => l.split(/[{ ]/)[0]));
    for (const family of ['harmonic_connections', 'harmonic_events_in_total', 'harmonic_errors_total', 'harmonic_write_latency_seconds_bucket']) {
      assert.ok(names.has(family), `${family} in /metrics:\n${metrics.text}`);
    }
    const undocumented = [...names].filter((name) => !docs.includes(`\`${name}\``));
    assert.deepEqual(undocumented, [], 'series in /metrics that docs/metrics.md does not describe');
  });
});
