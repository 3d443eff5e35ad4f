// Password hashing (argon2id, ~0.1 s of CPU each) runs on worker threads: a burst of
// sign-ups must not stall the realtime traffic that the I/O thread serves. Were the
// hashing on the I/O thread, eight sign-ups would hold every ack for ~0.8 s.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { skipReason, startServer } from './lib/server.mjs';
import { Tracker, api, createUniverse, join, register, sleep, uniqueName } from './lib/clients.mjs';

describe('realtime stays responsive while accounts are created', { skip: skipReason(), timeout: 60000 }, () => {
  let server;
  const t = new Tracker();
  before(async () => { server = await startServer({ name: 'responsive' }); });
  after(async () => { t.closeAll(); await server?.dispose(); });

  it('acks keep flowing during a burst of eight registrations', async () => {
    const owner = await register(server, uniqueName('rsp'));
    const universe = await createUniverse(server, owner.token);
    const socket = await t.open(server, owner.token);
    await join(socket, universe.id);

    let registering = true;
    const signups = Promise.all(Array.from({ length: 8 }, () =>
      api(server, 'POST', '/api/auth/register', { username: uniqueName('burst'), password: 'password-123' })))
      .finally(() => { registering = false; });

    const roundTrips = [];
    while (registering) {
      const started = performance.now();
      const reply = await socket.timeout(5000).emitWithAck('collaboration:presence', { universe_id: universe.id, status: 'active' });
      roundTrips.push(performance.now() - started);
      assert.equal(reply.ok, true, JSON.stringify(reply));
      await sleep(60);  // stay inside the event budget (20/s; presence costs 1)
    }
    const created = await signups;
    assert.ok(created.every((r) => r.status === 201), created.map((r) => r.status).join(','));
    assert.ok(roundTrips.length >= 3, `only ${roundTrips.length} round trips while registering`);
    const worst = Math.max(...roundTrips);
    assert.ok(worst < 300, `an ack waited ${worst.toFixed(0)} ms behind password hashing`);
  });
});
