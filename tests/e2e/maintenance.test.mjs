// SIGTERM: every connected client gets system:maintenance {type, message,
// estimated_duration}, then the connections close and the process exits 0; writes
// acknowledged before are kept.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { skipReason, startServer } from './lib/server.mjs';
import { Tracker, ack, join, makeWorld, once, sleep } from './lib/clients.mjs';
import { freshUniverse } from './lib/world.mjs';

describe('maintenance: SIGTERM', { skip: skipReason(), timeout: 120000 }, () => {
  let server;
  let world;
  const t = new Tracker();
  before(async () => {
    server = await startServer({ name: 'maintenance' });
    world = await makeWorld(server);
  });
  after(async () => { t.closeAll(); await server?.dispose(); });

  it('every client gets system:maintenance (joined, not joined, unauthenticated, raw), then closes; exit code 0', async () => {
    const u = await freshUniverse(server, world);
    const joined = await t.open(server, world.owner.token, { reconnection: false });
    await join(joined, u.id);
    const idle = await t.open(server, world.collaborator.token, { reconnection: false });
    const anon = await t.open(server, undefined);
    const raw = await t.raw(server);
    await raw.sioConnect({ token: world.viewer.token });

    const res = await ack(joined, 'parameter:update', { universe_id: u.id, category: 'music', parameters: { tempo: 150 } });
    assert.equal(res.ok, true);

    const notices = [joined, idle, anon].map((s) => once(s, 'system:maintenance', 5000));
    const discs = [joined, idle, anon].map((s) => once(s, 'disconnect', 8000));
    const order = [];
    joined.on('system:maintenance', () => order.push('maintenance'));
    joined.on('disconnect', () => order.push('disconnect'));
    const started = Date.now();
    const exited = server.stop({ timeoutMs: 15000 });

    for (const p of notices) {
      const m = await p;
      assert.equal(typeof m.type, 'string');
      assert.ok(m.type.length > 0);
      assert.equal(typeof m.message, 'string');
      assert.ok(m.message.length > 0);
      assert.ok('estimated_duration' in m, JSON.stringify(m));
    }
    const rawNotice = await raw.nextEvent('system:maintenance', 5000);
    assert.equal(typeof rawNotice.message, 'string');
    for (const p of discs) await p;
    await raw.waitClose(8000);
    const info = await exited;
    assert.equal(info.timedOut, undefined, 'exited by itself');
    assert.equal(info.code, 0, JSON.stringify(info));
    assert.ok(Date.now() - started < 10000);
    assert.deepEqual(order, ['maintenance', 'disconnect']);

    await server.restart({ samePort: false });
    const again = await t.open(server, world.owner.token);
    const { initial } = await join(again, u.id);
    assert.equal(initial.parameters.music.tempo, 150);
  });

  it('SIGTERM with no clients exits 0 promptly', async () => {
    if (!server.running) await server.restart({ samePort: false });
    t.closeAll();
    await sleep(100);
    const started = Date.now();
    const info = await server.stop({ timeoutMs: 10000 });
    assert.equal(info.code, 0, JSON.stringify(info));
    assert.ok(Date.now() - started < 5000, `took ${Date.now() - started} ms`);
  });
});
