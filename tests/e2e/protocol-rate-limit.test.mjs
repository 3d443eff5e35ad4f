// Rate limiting: a token bucket per connection (here --rate-limit 5 --rate-burst 10),
// `rate_limit {limit, remaining, reset_at}` at most once a second, `system:error
// rate_limited` or the ack error, refused events not applied, cursor frames coalesced
// on their own budget (--cursor-rate 10 --cursor-burst 10) and never refused.
// Expensive events spend more of the bucket (state:sync 10, universe:join 5,
// parameter:sync 3; docs/protocol.md): the counting tests use presence, which costs 1.

import { after, afterEach, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { skipReason, startServer } from './lib/server.mjs';
import { Tracker, ack, join, makeWorld, once, record, sleep } from './lib/clients.mjs';
import { ackOk, freshUniverse } from './lib/world.mjs';

const RATE = 5;
const BURST = 10;

describe('protocol: rate limiting', { skip: skipReason(), timeout: 120000 }, () => {
  let server;
  let world;
  const t = new Tracker();
  before(async () => {
    server = await startServer({ name: 'rate-limit', rateLimit: RATE, rateBurst: BURST, cursorRate: 10, cursorBurst: 10 });
    world = await makeWorld(server);
  });
  afterEach(() => t.closeAll());
  after(async () => { t.closeAll(); await server?.dispose(); });

  async function joined(user, u) {
    const s = await t.open(server, user.token);
    await join(s, u.id);
    await sleep(BURST / RATE * 1000 + 100); // let the bucket fill again after the join
    return s;
  }

  it('a burst over the bucket: some events served, the rest refused with rate_limit and system:error rate_limited', async () => {
    const u = await freshUniverse(server, world);
    const s = await joined(world.owner, u);
    const synced = record(s, 'collaboration:presence');
    const limits = record(s, 'rate_limit');
    const errors = record(s, 'system:error');
    const sentAt = Date.now();
    for (let i = 0; i < 30; i++) s.emit('collaboration:presence', { universe_id: u.id, status: i % 2 ? 'idle' : 'active' });
    await sleep(700);
    [synced, limits, errors].forEach((r) => r.stop());

    assert.ok(synced.events.length >= BURST - 1 && synced.events.length <= BURST + 5, `served ${synced.events.length}`);
    assert.equal(limits.events.length, 1, `rate_limit at most once a second: ${JSON.stringify(limits.events)}`);
    const rl = limits.events[0];
    assert.equal(rl.limit, BURST);
    assert.ok(Number.isInteger(rl.remaining) && rl.remaining >= 0 && rl.remaining < BURST, JSON.stringify(rl));
    assert.equal(typeof rl.reset_at, 'number');
    assert.ok(rl.reset_at > sentAt && rl.reset_at <= Date.now() + (BURST / RATE) * 1000 + 1000, `reset_at ${rl.reset_at} vs now ${Date.now()}`);
    const limited = errors.events.filter((e) => e.code === 'rate_limited');
    assert.ok(limited.length >= 1, JSON.stringify(errors.events));
    assert.equal(errors.events.length, limited.length, 'no other errors');
    assert.ok(synced.events.length + limited.length <= 30);
  });

  it('refused events are not applied; their acks carry rate_limited and no system:error is sent', async () => {
    const u = await freshUniverse(server, world);
    const s = await joined(world.owner, u);
    const errors = record(s, 'system:error');
    const results = await Promise.all(Array.from({ length: 25 }, (_, i) => ack(s, 'collaboration:message', { universe_id: u.id, message: `burst ${i}` })));
    const ok = results.filter((r) => r.ok === true);
    const refused = results.filter((r) => r.ok === false);
    assert.ok(ok.length >= BURST - 1 && ok.length <= BURST + 3, `accepted ${ok.length}`);
    assert.equal(ok.length + refused.length, 25);
    for (const r of refused) assert.equal(r.error.code, 'rate_limited', JSON.stringify(r));
    await sleep(300);
    errors.stop();
    assert.deepEqual(errors.events.filter((e) => e.code === 'rate_limited'), []);

    await sleep(BURST / RATE * 1000 + 200);
    const synced = once(s, 'state:synced');
    s.emit('state:sync', { universe_id: u.id, last_sync: 0 });
    const stored = (await synced).state.messages.map((m) => m.message);
    const accepted = results.map((r, i) => (r.ok ? `burst ${i}` : null)).filter(Boolean);
    assert.deepEqual([...stored].sort(), [...accepted].sort());
  });

  it('after reset_at the bucket is full again', async () => {
    const u = await freshUniverse(server, world);
    const s = await joined(world.owner, u);
    const limit = once(s, 'rate_limit', 3000);
    for (let i = 0; i < 20; i++) s.emit('parameter:sync', { universe_id: u.id });
    const rl = await limit;
    await sleep(Math.max(0, rl.reset_at - Date.now()) + 100);
    const results = await Promise.all(Array.from({ length: BURST - 1 }, () => ack(s, 'collaboration:presence', { universe_id: u.id, status: 'active' })));
    assert.deepEqual(results.map((r) => r.ok), Array(BURST - 1).fill(true), JSON.stringify(results.filter((r) => !r.ok)));
  });

  it('expensive events spend more: state:sync 10, parameter:sync 3, presence 1', async () => {
    const u = await freshUniverse(server, world);
    const s = await joined(world.owner, u);
    const first = await ack(s, 'state:sync', { universe_id: u.id, last_sync: 0 });
    assert.equal(first.ok, true, JSON.stringify(first));
    const second = await ack(s, 'state:sync', { universe_id: u.id, last_sync: 0 });
    assert.equal(second.ok, false, JSON.stringify(second));
    assert.equal(second.error.code, 'rate_limited');
    await sleep(3 / RATE * 1000 + 100);  // three tokens back: one parameter:sync, not two
    const syncs = await Promise.all([ack(s, 'parameter:sync', { universe_id: u.id }), ack(s, 'parameter:sync', { universe_id: u.id })]);
    assert.deepEqual(syncs.map((r) => r.ok), [true, false], JSON.stringify(syncs));
  });

  it('rate_limit is sent at most once a second while events keep being refused', async () => {
    const u = await freshUniverse(server, world);
    const s = await joined(world.owner, u);
    const limits = record(s, 'rate_limit');
    const started = Date.now();
    while (Date.now() - started < 2500) {
      s.emit('parameter:sync', { universe_id: u.id });
      await sleep(10);
    }
    await sleep(100);
    limits.stop();
    assert.ok(limits.events.length >= 2 && limits.events.length <= 3, `rate_limit count ${limits.events.length} in 2.5 s`);
  });

  it('the bucket is per connection: another connection of the same user is not limited', async () => {
    const u = await freshUniverse(server, world);
    const a = await joined(world.owner, u);
    const b = await joined(world.owner, u);
    const limit = once(a, 'rate_limit', 3000);
    for (let i = 0; i < 25; i++) a.emit('parameter:sync', { universe_id: u.id });
    await limit;
    const res = await ack(b, 'parameter:update', { universe_id: u.id, category: 'physics', parameters: { gravity: 7 } });
    assert.equal(res.ok, true, JSON.stringify(res));
  });

  it('cursor frames over their budget are coalesced (latest wins), never refused, and do not use the event budget', async () => {
    const u = await freshUniverse(server, world, { is_public: true });
    const a = await joined(world.owner, u);
    const b = await joined(world.collaborator, u);
    const got = record(b, 'collaboration:cursor');
    const errs = record(a, 'system:error');
    const limits = record(a, 'rate_limit');
    for (let i = 0; i < 100; i++) a.emit('collaboration:cursor', { universe_id: u.id, position: { x: i, y: 2 * i } });
    const sentAt = Date.now();
    // the latest position arrives within ~100 ms of the throttle window
    while (Date.now() - sentAt < 1500 && got.events.at(-1)?.position.x !== 99) await sleep(10);
    const latency = Date.now() - sentAt;
    await sleep(300);
    got.stop(); errs.stop(); limits.stop();
    assert.ok(got.events.length >= 1);
    assert.deepEqual(got.events.at(-1).position, { x: 99, y: 198 }, 'latest position wins');
    assert.ok(latency <= 600, `latest position delivered after ${latency} ms`);
    assert.ok(got.events.length < 100, `coalesced: ${got.events.length} delivered of 100`);
    const xs = got.events.map((e) => e.position.x);
    assert.deepEqual(xs, [...xs].sort((p, q) => p - q), 'positions arrive in order');
    assert.deepEqual(errs.events, []);
    assert.deepEqual(limits.events, []);
    await ackOk(a, 'collaboration:message', { universe_id: u.id, message: 'still allowed' });
  });
});
