// A peer that floods WebSocket pings and never reads what the server sends back. Every
// ping asks for a pong; before the fix each pong was queued without bound while the
// session kept reading, and one such connection grew the server by hundreds of MB in
// seconds. Now control frames count against the per-connection write bounds and a session
// whose backlog is over its high-water mark stops reading (backpressure): memory stays
// flat, the flooder is no longer read (or is dropped), and everyone else is served.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { skipReason, startServer } from './lib/server.mjs';
import { Tracker, ack, createUniverse, join, register, sleep, uniqueName } from './lib/clients.mjs';
import { maskedFrame, rssKiB, upgradedSocket } from './lib/hostile.mjs';

const FLOOD_MS = 4000;

describe('a ping flood from a peer that never reads', { skip: skipReason(), timeout: 60000 }, () => {
  let server;
  const t = new Tracker();
  before(async () => { server = await startServer({ name: 'ping-flood' }); });
  after(async () => { t.closeAll(); await server?.dispose(); });

  // WebSocket pings (answered with pongs) and Engine.IO ping probes (answered with "3probe").
  const floods = [
    ['WebSocket ping frames', maskedFrame(0x9, Buffer.alloc(125, 0x70))],
    ['Engine.IO ping probes', maskedFrame(0x1, Buffer.from(`2${'p'.repeat(120)}`))],
  ];
  for (const [kind, frame] of floods) it(`${kind}: memory stays bounded, the flooder is no longer read, others are acked`, async () => {
    const user = await register(server, uniqueName('calm'));
    const universe = await createUniverse(server, user.token);
    const calm = await t.open(server, user.token);
    await join(calm, universe.id);

    const baselineKiB = rssKiB(server);
    const { socket } = await upgradedSocket(server);  // paused: we never read
    let closedByServer = false;
    socket.on('close', () => { closedByServer = true; });

    // ~512 KB of pings with the largest payload a control frame may carry.
    const chunk = Buffer.concat(Array.from({ length: 4000 }, () => frame));
    let peakKiB = baselineKiB;
    let slowestAckMs = 0;
    let acks = 0;
    const flooding = (async () => {
      const end = Date.now() + FLOOD_MS;
      while (Date.now() < end && !closedByServer) {
        // Our own buffer stays small: what the server does not read waits in the kernel.
        if (socket.writableLength < (4 << 20)) socket.write(chunk);
        else await sleep(10);
        await new Promise((r) => setImmediate(r));
      }
    })();
    const measuring = (async () => {
      const end = Date.now() + FLOOD_MS;
      while (Date.now() < end) {
        const started = Date.now();
        // presence costs 1 of the event budget (parameter:sync costs 3: 10 a second would outrun it)
        const reply = await ack(calm, 'collaboration:presence', { universe_id: universe.id, status: 'active' }, 5000);
        assert.equal(reply.ok, true);
        slowestAckMs = Math.max(slowestAckMs, Date.now() - started);
        acks += 1;
        peakKiB = Math.max(peakKiB, rssKiB(server));
        await sleep(100);
      }
    })();
    await Promise.all([flooding, measuring]);
    peakKiB = Math.max(peakKiB, rssKiB(server));

    // A server that still reads the flooder drains our side within a moment.
    await sleep(1000);
    const stillQueuedOnOurSide = socket.writableLength;
    socket.destroy();

    const grewMiB = (peakKiB - baselineKiB) / 1024;
    const written = socket.bytesWritten;
    console.log(`${kind}: wrote ${(written / 1048576).toFixed(1)} MiB, server grew ${grewMiB.toFixed(1)} MiB, ` +
      `${stillQueuedOnOurSide} bytes unread by it, dropped: ${closedByServer}, ${acks} acks, slowest ${slowestAckMs} ms`);
    assert.ok(grewMiB < 32, `the server grew by ${grewMiB.toFixed(1)} MiB during a ${FLOOD_MS} ms ping flood`);
    assert.ok(closedByServer || stillQueuedOnOurSide > 0,
      'the flooder was neither dropped nor left unread (the server kept reading it)');
    assert.ok(acks >= 10, `only ${acks} acks during the flood`);
    assert.ok(slowestAckMs < 2000, `a well-behaved client waited ${slowestAckMs} ms for an ack`);
    assert.equal(server.running, true);
  });
});

describe('a ping flooder that never drains', { skip: skipReason(), timeout: 60000 }, () => {
  let server;
  before(async () => {
    server = await startServer({ name: 'ping-flood-drop', pingInterval: 300, pingTimeout: 300 });
  });
  after(async () => { await server?.dispose(); });

  it('is dropped once its Engine.IO pong is overdue (it is not read, so its pong cannot be)', async () => {
    const { socket } = await upgradedSocket(server);
    let closed = false;
    socket.on('close', () => { closed = true; });
    const chunk = Buffer.concat(Array.from({ length: 4000 }, () => maskedFrame(0x9, Buffer.alloc(125, 0x70))));
    const started = Date.now();
    while (!closed && Date.now() - started < 5000) {
      if (socket.writableLength < (4 << 20)) socket.write(chunk);
      await sleep(5);
    }
    socket.destroy();
    assert.ok(closed, 'the flooder was still connected after 5 s');
    assert.equal(server.running, true);
  });
});
