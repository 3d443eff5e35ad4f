// state:sync is paged by a byte budget (docs/protocol.md, "Limits and paging"; issue 12,
// finding 2): a universe with more history and chat than one reply may hold answers page
// by page, each within 256 KB (plus one entry), and following `cursor` until `has_more`
// is false gives every entry and message exactly once.

import { after, afterEach, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { skipReason, startServer } from './lib/server.mjs';
import { Tracker, ack, join, makeWorld, once } from './lib/clients.mjs';
import { ackError, freshUniverse } from './lib/world.mjs';

const BUDGET = 256 * 1024;

describe('protocol: state:sync paging', { skip: skipReason(), timeout: 180000 }, () => {
  let server;
  let world;
  let u;
  let owner;
  const written = { seqs: new Set(), messages: new Set(), stamps: [] };
  const t = new Tracker();

  before(async () => {
    server = await startServer({ name: 'sync-paging', rateLimit: 100000, rateBurst: 100000 });
    world = await makeWorld(server);
    u = await freshUniverse(server, world);
    owner = await t.open(server, world.owner.token);
    await join(owner, u.id);
    // ~600 KB of chat and a few hundred history entries: the reply must page.
    for (let batch = 0; batch < 15; batch++) {
      const acks = await Promise.all(Array.from({ length: 20 }, (_, i) => {
        const n = batch * 20 + i;
        return Promise.all([
          ack(owner, 'collaboration:message', { universe_id: u.id, message: `note ${n} ${'♪'.repeat(600)}` }),
          ack(owner, 'parameter:update', { universe_id: u.id, category: 'physics', parameters: { gravity: 1 + (n % 20) } }),
        ]);
      }));
      for (const [message, update] of acks) {
        assert.equal(message.ok, true, JSON.stringify(message));
        assert.equal(update.ok, true, JSON.stringify(update));
        written.messages.add(message.message.id);
        written.seqs.add(update.seq);
        written.stamps.push(message.message.timestamp);
      }
    }
  });
  afterEach(() => {});
  after(async () => { t.closeAll(); await server?.dispose(); });

  async function page(socket, request) {
    const reply = once(socket, 'state:synced', 10000, (d) => d.universe_id === u.id);
    const res = await ack(socket, 'state:sync', request);
    assert.equal(res.ok, true, JSON.stringify(res));
    const p = await reply;
    assert.equal(res.has_more, p.has_more);
    return p;
  }

  // Every page of a sync from `lastSync`, following the cursor.
  async function allPages(socket, lastSync) {
    const pages = [];
    let request = { universe_id: u.id, last_sync: lastSync };
    for (;;) {
      assert.ok(pages.length < 50, 'bounded');
      const p = await page(socket, request);
      pages.push(p);
      if (!p.has_more) return pages;
      assert.equal(typeof p.cursor, 'object', JSON.stringify(p.cursor));
      request = { universe_id: u.id, last_sync: lastSync, cursor: p.cursor };
    }
  }

  it('last_sync 0: pages within the budget, together everything exactly once, has_more false at the end', async () => {
    const pages = await allPages(owner, 0);
    assert.ok(pages.length >= 3, `${pages.length} pages for ~600 KB`);
    const seqs = [];
    const ids = [];
    for (const p of pages) {
      const entries = [...p.state.history, ...p.state.messages];
      const largest = Math.max(...entries.map((e) => Buffer.byteLength(JSON.stringify(e))));
      const size = Buffer.byteLength(JSON.stringify(['state:synced', p])) + 2;
      assert.ok(size <= BUDGET + largest, `page of ${size} bytes`);
      assert.ok(size > BUDGET / 2 || !p.has_more, `a page cut short: ${size} bytes`);
      assert.ok(p.state.parameters.physics, 'each page carries the parameters');
      seqs.push(...p.state.history.map((h) => h.seq));
      ids.push(...p.state.messages.map((m) => m.id));
    }
    assert.equal(pages.at(-1).has_more, false);
    assert.equal(new Set(seqs).size, seqs.length, 'no history entry twice');
    assert.equal(new Set(ids).size, ids.length, 'no message twice');
    for (const seq of written.seqs) assert.ok(seqs.includes(seq), `history seq ${seq} missing`);
    for (const id of written.messages) assert.ok(ids.includes(id), `message ${id} missing`);
    assert.equal(ids.length, written.messages.size);
  });

  it('from a later last_sync: only what is newer, still paged, nothing twice', async () => {
    const stamps = [...written.stamps].sort((a, b) => a - b);
    const middle = stamps[Math.floor(stamps.length / 2)];
    const pages = await allPages(owner, middle);
    const messages = pages.flatMap((p) => p.state.messages);
    const history = pages.flatMap((p) => p.state.history);
    assert.ok(messages.length > 0 && history.length > 0);
    for (const x of [...messages, ...history]) assert.ok(x.timestamp > middle, `${x.timestamp} <= ${middle}`);
    assert.equal(messages.length, stamps.filter((s) => s > middle).length);
    assert.equal(new Set(messages.map((m) => m.id)).size, messages.length);
  });

  it('last_sync out of range or not an integer, or a malformed cursor -> invalid_parameters', async () => {
    for (const last_sync of [1e300, -1, 1.5, 2 ** 53, 'yesterday']) {
      await ackError(owner, 'state:sync', { universe_id: u.id, last_sync }, 'invalid_parameters');
    }
    await ackError(owner, 'state:sync', { universe_id: u.id, last_sync: 0, cursor: 'next' }, 'invalid_parameters');
    await ackError(owner, 'state:sync', { universe_id: u.id, last_sync: 0, cursor: { history_seq: -1 } }, 'invalid_parameters');
    await ackError(owner, 'state:sync', { universe_id: u.id, last_sync: 0, cursor: { message_id: '01' } }, 'invalid_parameters');
  });
});
