// GET /api/universes in pages (limit/cursor), and what one account may create: the
// per-account quota (403 quota_exceeded) and the creation rate (429 with Retry-After),
// through real HTTP (issue 12, finding 3; docs/operations.md, "Universe lists and quotas").

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { skipReason, startServer } from './lib/server.mjs';
import { api, register, uniqueName } from './lib/clients.mjs';

async function create(server, token, name, isPublic = true) {
  return api(server, 'POST', '/api/universes', { name, description: '', is_public: isPublic }, token);
}

// Every universe the token's user sees, page by page; the pages' sizes too.
async function walk(server, token, limit) {
  const ids = [];
  const sizes = [];
  let cursor = null;
  for (let page = 0; page < 100; page++) {
    const query = `?limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const r = await api(server, 'GET', `/api/universes${query}`, undefined, token);
    assert.equal(r.status, 200, r.text);
    assert.ok(Array.isArray(r.body.universes));
    assert.ok('next_cursor' in r.body, 'every page says whether there is a next one');
    ids.push(...r.body.universes.map((u) => u.id));
    sizes.push(r.body.universes.length);
    cursor = r.body.next_cursor;
    if (cursor === null) return { ids, sizes };
    assert.equal(typeof cursor, 'string');
  }
  throw new Error('more than 100 pages');
}

describe('REST universe list pages, quota and creation rate', { skip: skipReason(), timeout: 60000 }, () => {
  let server;
  let alice;
  let bob;
  let carol;
  const visibleToCarol = new Set();
  before(async () => {
    server = await startServer({ name: 'rest-universe-list', maxUniversesPerUser: 12, universeCreationsPerMinute: 13 });
    [alice, bob, carol] = [await register(server, uniqueName('alice')), await register(server, uniqueName('bob')),
      await register(server, uniqueName('carol'))];
    for (let i = 0; i < 11; i++) {
      const r = await create(server, alice.token, `alice ${i}`, i % 4 !== 0);
      assert.equal(r.status, 201, r.text);
      if (i % 4 !== 0) visibleToCarol.add(r.body.id);
    }
    for (let i = 0; i < 6; i++) {
      const r = await create(server, bob.token, `bob ${i}`, i % 2 === 0);
      assert.equal(r.status, 201, r.text);
      if (i % 2 === 0) visibleToCarol.add(r.body.id);
    }
    const own = await create(server, carol.token, 'carol private', false);
    visibleToCarol.add(own.body.id);
  });
  after(async () => { await server?.dispose(); });

  it('paging walks every visible universe exactly once, newest first, whatever the page size', async () => {
    for (const limit of [1, 3, 5, 200]) {
      const { ids, sizes } = await walk(server, carol.token, limit);
      assert.equal(ids.length, visibleToCarol.size, `limit ${limit}: no universe twice, none missing`);
      assert.deepEqual(new Set(ids), visibleToCarol, `limit ${limit}`);
      assert.ok(sizes.slice(0, -1).every((size) => size === limit), `limit ${limit}: full pages before the last`);
      const numeric = ids.map(Number);
      assert.deepEqual(numeric, [...numeric].sort((a, b) => b - a), 'newest (highest id) first');
    }
    const all = await api(server, 'GET', '/api/universes', undefined, carol.token);
    assert.equal(all.body.universes.length, visibleToCarol.size, 'the default page (50) holds them all');
    assert.equal(all.body.next_cursor, null);
    const roles = new Map(all.body.universes.map((u) => [u.name, u.role]));
    assert.equal(roles.get('carol private'), 'owner');
    assert.equal(roles.get('alice 1'), 'viewer');
  });

  it('a bad limit or cursor is a 400 naming the field', async () => {
    for (const limit of ['0', '201', '-5', 'ten', '1.5', '']) {
      const r = await api(server, 'GET', `/api/universes?limit=${encodeURIComponent(limit)}`, undefined, carol.token);
      assert.equal(r.status, 400, `limit=${limit}: ${r.text}`);
      assert.equal(r.body.error.code, 'bad_request');
      assert.equal(r.body.error.details.field, 'limit');
    }
    for (const cursor of ['abc', '-1', '0', '1e5', '']) {
      const r = await api(server, 'GET', `/api/universes?cursor=${encodeURIComponent(cursor)}`, undefined, carol.token);
      assert.equal(r.status, 400, `cursor=${cursor}: ${r.text}`);
      assert.equal(r.body.error.details.field, 'cursor');
    }
    const anonymous = await api(server, 'GET', '/api/universes?limit=5');
    assert.equal(anonymous.status, 401);
  });

  it('past the quota, create and import answer 403 quota_exceeded', async () => {
    const twelfth = await create(server, alice.token, 'alice 11');
    assert.equal(twelfth.status, 201, twelfth.text);
    const over = await create(server, alice.token, 'alice 12');
    assert.equal(over.status, 403, over.text);
    assert.equal(over.body.error.code, 'quota_exceeded');
    const imported = await api(server, 'POST', '/api/universes/import', { name: 'copy', parameters: {} }, alice.token);
    assert.equal(imported.status, 403, imported.text);
    assert.equal(imported.body.error.code, 'quota_exceeded');
    const mine = (await walk(server, alice.token, 200)).ids.length;
    assert.equal(mine, 12 + 3, 'her twelve and bob\'s three public ones; nothing more was made');
  });

  it('creating faster than the per-minute rate answers 429 with Retry-After', async () => {
    const dave = await register(server, uniqueName('dave'));
    const made = [];
    for (let i = 0; i < 12; i++) {
      const r = await create(server, dave.token, `dave ${i}`, false);
      assert.equal(r.status, 201, `creation ${i}: ${r.text}`);
      made.push(r.body.id);
    }
    // Below the quota again, so what refuses next is the rate alone.
    for (const id of made.slice(0, 2)) {
      assert.equal((await api(server, 'DELETE', `/api/universes/${id}`, undefined, dave.token)).status, 204);
    }
    assert.equal((await create(server, dave.token, 'dave 13th', false)).status, 201);
    const fast = await create(server, dave.token, 'dave too fast', false);
    assert.equal(fast.status, 429, fast.text);
    assert.equal(fast.body.error.code, 'rate_limited');
    const retry = Number(fast.headers.get('retry-after'));
    assert.ok(retry >= 1 && retry <= 60, `Retry-After ${fast.headers.get('retry-after')}`);
    const other = await create(server, bob.token, 'bob is not limited by dave', false);
    assert.equal(other.status, 201, other.text);
  });
});
