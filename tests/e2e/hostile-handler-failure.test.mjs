// An exception that escapes a handler must cost one connection, not the process. The
// failure is real, not simulated: the users table is renamed under the running server
// (sqlite3 on the same database, as a broken disk or a bad migration would leave it), so
// the token check of a Socket.IO CONNECT throws a storage error. Before the fix that
// exception left io.run() and the server exited.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { skipReason, startServer } from './lib/server.mjs';
import { engineRequest } from './lib/polling.mjs';
import { RawClient, RawPollingClient, api, register, sleep, uniqueName } from './lib/clients.mjs';

function sqlite(server, statement) {
  execFileSync('sqlite3', ['-cmd', '.timeout 5000', path.join(server.dataDir, 'harmonic.sqlite3'), statement], { timeout: 10000 });
}

describe('an exception escaping a handler', { skip: skipReason(), timeout: 60000 }, () => {
  let server;
  before(async () => { server = await startServer({ name: 'handler-failure' }); });
  after(async () => { await server?.dispose(); });

  it('drops that connection and keeps serving', async () => {
    const user = await register(server, uniqueName('victim'));
    sqlite(server, 'ALTER TABLE users RENAME TO users_away;');
    try {
      const raw = await RawClient.open(server);
      raw.send(`40${JSON.stringify({ token: user.token })}`);
      const closed = await raw.waitClose(5000);
      assert.ok(closed, 'the connection whose handler failed is closed');
    } finally {
      sqlite(server, 'ALTER TABLE users_away RENAME TO users;');
    }
    await sleep(200);
    assert.equal(server.running, true, `the server is still running\n${server.tail()}`);
    const health = await api(server, 'GET', '/healthz');
    assert.equal(health.status, 200);
    const raw = await RawClient.open(server);
    const reply = await raw.sioConnect({ token: user.token });
    assert.match(reply, /^40/, 'a new connection is served once the table is back');
    raw.close();
  });

  it('over long-polling too: the session is closed, its POST answered, and the server serves on', async () => {
    const user = await register(server, uniqueName('victim'));
    const raw = await RawPollingClient.open(server);
    sqlite(server, 'ALTER TABLE users RENAME TO users_away;');
    try {
      const post = await engineRequest(server, 'POST', raw.query, { body: `40${JSON.stringify({ token: user.token })}` });
      assert.equal(post.status, 200, 'the POST is answered');
      const closed = await raw.waitClose(5000);
      assert.equal(closed.code, 200, `the held GET gets the close packet: ${JSON.stringify(closed)}`);
      const after = await engineRequest(server, 'GET', raw.query);
      assert.equal(after.body?.code, 1, 'the session is gone');
    } finally {
      sqlite(server, 'ALTER TABLE users_away RENAME TO users;');
    }
    const again = await RawPollingClient.open(server);
    const reply = await again.sioConnect({ token: user.token });
    assert.match(reply, /^40/, 'a new session is served once the table is back');
    again.close();
  });
});
