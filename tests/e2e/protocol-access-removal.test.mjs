// Access removal reaches live sockets (issue 12, finding 4). Whatever path takes rights
// away (universe:update is_public false over the socket, PATCH is_public false or DELETE
// of a collaborator over REST, the universe deleted), every socket that lost access is
// removed from the room at once: it gets system:error `unauthorized` (details.universe_id,
// details.reason), the others universe:left, and what it sends for that universe later is
// refused and reaches nobody (docs/protocol.md).

import { after, afterEach, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { skipReason, startServer } from './lib/server.mjs';
import { Tracker, api, join, makeWorld, once } from './lib/clients.mjs';
import { ackError, ackOk, expectNone, freshUniverse } from './lib/world.mjs';

describe('protocol: access removal reaches live sockets', { skip: skipReason(), timeout: 120000 }, () => {
  let server;
  let world;
  const t = new Tracker();
  before(async () => {
    server = await startServer({ name: 'access-removal', rateLimit: 1000, rateBurst: 1000 });
    world = await makeWorld(server);
  });
  afterEach(() => t.closeAll());
  after(async () => { t.closeAll(); await server?.dispose(); });

  // Owner and `who` joined to a fresh universe; returns the sockets and what to wait for.
  async function room({ is_public, who }) {
    const u = await freshUniverse(server, world, { is_public });
    const owner = await t.open(server, world.owner.token);
    const other = await t.open(server, who.token);
    await join(owner, u.id);
    await join(other, u.id);
    return { u, owner, other };
  }

  function evicted(socket, u, reason) {
    const error = once(socket, 'system:error', 3000, (e) => e.details?.universe_id === u.id);
    const left = once(socket, 'universe:left', 3000, (e) => e.universe_id === u.id);
    return Promise.all([error, left]).then(([e]) => {
      assert.equal(e.code, 'unauthorized', JSON.stringify(e));
      assert.equal(e.details.reason, reason, JSON.stringify(e));
      assert.equal(typeof e.message, 'string');
    });
  }

  // The evicted socket is refused for everything on the universe, and the room hears nothing of it.
  async function shutOut(gone, stays, u) {
    const quiet = Promise.all([
      expectNone(stays, 'collaboration:message', 600, (m) => m.message === 'still here?'),
      expectNone(stays, 'collaboration:cursor', 600),
      expectNone(gone, 'collaboration:message', 600),
    ]);
    for (const [event, payload] of [
      ['parameter:sync', { universe_id: u.id }],
      ['state:sync', { universe_id: u.id, last_sync: 0 }],
      ['collaboration:message', { universe_id: u.id, message: 'still here?' }],
      ['collaboration:cursor', { universe_id: u.id, position: { x: 1, y: 2 } }],
      ['collaboration:presence', { universe_id: u.id, status: 'idle' }],
    ]) {
      const res = await gone.timeout(3000).emitWithAck(event, payload);
      assert.equal(res.ok, false, `${event}: ${JSON.stringify(res)}`);
    }
    // ... and no longer receives the room's broadcasts.
    await ackOk(stays, 'collaboration:message', { universe_id: u.id, message: 'only for those who stay' });
    await quiet;
  }

  it('universe:update {is_public:false} over the socket evicts the public viewer', async () => {
    const { u, owner, other } = await room({ is_public: true, who: world.viewer });
    const gone = evicted(other, u, 'access_removed');
    const ownerSees = once(owner, 'universe:left', 3000, (e) => e.user_id === world.viewer.user.id);
    await ackOk(owner, 'universe:update', { universe_id: u.id, changes: { is_public: false } });
    await gone;
    await ownerSees;
    await shutOut(other, owner, u);
    await ackError(other, 'universe:join', { universe_id: u.id }, 'unauthorized');
  });

  it('PATCH is_public false over REST evicts the public viewer', async () => {
    const { u, owner, other } = await room({ is_public: true, who: world.viewer });
    const gone = evicted(other, u, 'access_removed');
    const ownerSees = once(owner, 'universe:left', 3000, (e) => e.user_id === world.viewer.user.id);
    const res = await api(server, 'PATCH', `/api/universes/${u.id}`, { is_public: false }, world.owner.token);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    await gone;
    await ownerSees;
    await shutOut(other, owner, u);
  });

  it('a collaborator removed over REST from a private universe is evicted; parameter:sync and chat are refused', async () => {
    const { u, owner, other } = await room({ is_public: false, who: world.collaborator });
    const gone = evicted(other, u, 'access_removed');
    const ownerSees = once(owner, 'universe:left', 3000, (e) => e.user_id === world.collaborator.user.id);
    const res = await api(server, 'DELETE', `/api/universes/${u.id}/collaborators/${world.collaborator.user.id}`, undefined, world.owner.token);
    assert.ok(res.status === 200 || res.status === 204, `HTTP ${res.status} ${JSON.stringify(res.body)}`);
    await gone;
    await ownerSees;
    await shutOut(other, owner, u);
    await ackError(other, 'parameter:update', { universe_id: u.id, category: 'physics', parameters: { gravity: 2 } }, 'invalid_universe');
  });

  it('a collaborator removed from a public universe stays as a viewer and can no longer edit', async () => {
    const { u, owner, other } = await room({ is_public: true, who: world.collaborator });
    const noEviction = expectNone(other, 'system:error', 800);
    const res = await api(server, 'DELETE', `/api/universes/${u.id}/collaborators/${world.collaborator.user.id}`, undefined, world.owner.token);
    assert.ok(res.status === 200 || res.status === 204, `HTTP ${res.status}`);
    await noEviction;
    await ackError(other, 'parameter:update', { universe_id: u.id, category: 'physics', parameters: { gravity: 2 } }, 'unauthorized');
    await ackOk(other, 'parameter:sync', { universe_id: u.id });
    void owner;
  });

  it('a deleted universe evicts everyone in its room with unauthorized (reason universe_deleted)', async () => {
    const { u, owner, other } = await room({ is_public: true, who: world.viewer });
    const both = [evicted(owner, u, 'universe_deleted'), evicted(other, u, 'universe_deleted')];
    const res = await api(server, 'DELETE', `/api/universes/${u.id}`, undefined, world.owner.token);
    assert.ok(res.status === 200 || res.status === 204, `HTTP ${res.status}`);
    await Promise.all(both);
    await ackError(owner, 'parameter:sync', { universe_id: u.id }, 'invalid_universe');
    await ackError(other, 'collaboration:message', { universe_id: u.id, message: 'hello?' }, 'invalid_universe');
  });
});
