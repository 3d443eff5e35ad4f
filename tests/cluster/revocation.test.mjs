// Cluster mode, a revocation a node missed (docs/cluster.md, "When Redis is away"): a
// logout or password change is announced to the other nodes on Redis, which does not keep
// it; a node cut off from Redis at that moment must still end its sockets holding those
// tokens once its link is back. Run it through tests/cluster/run.sh, which starts the
// throwaway PostgreSQL and Redis (its own: this test stops Redis and starts another on
// the same port) and sets HARMONIC_TEST_POSTGRES_URL and HARMONIC_TEST_REDIS_URL.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { Tracker, api, login, register, sleep, uniqueName } from '../e2e/lib/clients.mjs';
import { clusterSkip, collect, redisUrl, startNodes, stopProcess, until } from './lib/nodes.mjs';

// How soon after Redis is back the sockets must be closed: the link retries every second,
// then the node's next tick (50 ms) re-checks its sockets' tokens.
const CLOSED_WITHIN_MS = 5000;

describe('cluster: revocations made while Redis was away', {
  skip: clusterSkip,
  timeout: 90000,
}, () => {
  let nodes;
  let restartedRedis;  // the Redis started again on redis.sh's port after stopping that one
  const t = new Tracker();

  before(async () => {
    ({ nodes } = await startNodes({ name: 'revocation', count: 2, idPrefix: 'r' }));
  });
  after(async () => {
    t.closeAll();
    for (const node of nodes) await node.dispose();
    await stopProcess(restartedRedis);
  });

  it('a logout and a password change on node 1 during the outage close their sockets on node 2 once Redis is back', async () => {
    const leaving = await register(nodes[0], uniqueName('bye'));
    const otherToken = (await login(nodes[0], leaving.username, leaving.password)).token;
    const changing = await register(nodes[0], uniqueName('pw'));
    const noReconnect = { reconnection: false };
    const loggedOut = await t.open(nodes[1], leaving.token, noReconnect);
    const kept = await t.open(nodes[1], otherToken, noReconnect);
    const passwordChanged = await t.open(nodes[1], changing.token, noReconnect);
    const ending = [loggedOut, passwordChanged];
    const errors = ending.map((socket) => collect(socket, 'system:error'));
    const closedAt = ending.map(() => null);
    ending.forEach((socket, i) => socket.on('disconnect', () => { closedAt[i] = Date.now(); }));

    const { port } = new URL(redisUrl);
    execFileSync('redis-cli', ['-p', port, 'shutdown', 'nosave'], { stdio: 'ignore' });
    await until('both nodes noticing', () => nodes.every((n) => n.lines.some((l) => l.includes('subscription lost'))));

    const out = await api(nodes[0], 'POST', '/api/auth/logout', undefined, leaving.token);
    assert.equal(out.status, 204, out.text);
    const changed = await api(nodes[0], 'POST', '/api/auth/password',
      { current_password: changing.password, new_password: 'another-horse-7' }, changing.token);
    assert.equal(changed.status, 200, changed.text);
    // Node 2 refuses both tokens on a new request at once (the store has the revocations)...
    for (const token of [leaving.token, changing.token]) {
      assert.equal((await api(nodes[1], 'GET', '/api/auth/me', undefined, token)).status, 401);
    }
    // ...but cannot have heard of them: its open sockets are still there.
    await sleep(500);
    assert.deepEqual(closedAt, [null, null], 'node 2 cannot know yet');

    restartedRedis = spawn('redis-server', ['--port', port, '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: 'ignore' });
    const backAt = Date.now();
    await until('node 2 closing both sockets', () => closedAt.every((at) => at !== null), CLOSED_WITHIN_MS + 5000);
    const seconds = closedAt.map((at) => ((at - backAt) / 1000).toFixed(1));
    console.log(`revocation: node 2 closed the revoked sockets ${seconds.join(' s and ')} s after Redis was started again`);
    for (const at of closedAt) assert.ok(at - backAt <= CLOSED_WITHIN_MS, `${seconds} s`);
    // What a revocation heard live sends (token_deadlines.cpp), before the close.
    assert.deepEqual(errors.map((list) => list.map((e) => [e.code, e.message, e.details?.reason])), [
      [['unauthorized', 'this session was signed out', 'session_ended']],
      [['unauthorized', 'the password was changed; sign in again', 'session_ended']],
    ]);
    await sleep(200);
    assert.equal(kept.connected, true, 'a socket with another, valid token of the user stays');
  });
});
