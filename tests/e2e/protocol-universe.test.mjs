// Universe events of docs/protocol.md (join, leave, update) with owner, collaborator,
// public viewer and stranger, against a real server: who receives what, rights, spoofing,
// unknown universes, participants with several connections, onAny logging.

import { after, afterEach, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { skipReason, startServer } from './lib/server.mjs';
import { Tracker, api, join, makeWorld, once, record } from './lib/clients.mjs';
import { ackError, ackOk, expectNone, freshUniverse, sysError, openRoom } from './lib/world.mjs';
import { CATEGORIES } from './lib/params.mjs';

describe('protocol: universe events', { skip: skipReason(), timeout: 120000 }, () => {
  let server;
  let world;
  const t = new Tracker();
  before(async () => {
    server = await startServer({ name: 'universe' });
    world = await makeWorld(server);
  });
  afterEach(() => t.closeAll());
  after(async () => { t.closeAll(); await server?.dispose(); });

  it('universe:join (document payload) -> universe:joined and state:initial for the joiner', async () => {
    const u = await freshUniverse(server, world);
    const socket = await t.open(server, world.owner.token);
    const joined = once(socket, 'universe:joined');
    const initial = once(socket, 'state:initial');
    socket.emit('universe:join', { universe_id: u.id, user_id: world.owner.user.id });

    const j = await joined;
    assert.equal(j.user_id, world.owner.user.id);
    assert.equal(typeof j.user_id, 'string');
    assert.equal(j.universe.id, u.id);
    assert.equal(typeof j.universe.id, 'string');
    assert.equal(j.universe.name, u.name);
    assert.equal(j.universe.owner_id, world.owner.user.id);
    assert.ok(Array.isArray(j.participants));
    assert.deepEqual(j.participants.map((p) => p.id), [world.owner.user.id]);
    assert.equal(j.participants[0].username, world.owner.username);
    assert.ok(['active', 'idle', 'away'].includes(j.participants[0].status), j.participants[0].status);

    const s = await initial;
    assert.equal(s.universe.id, u.id);
    assert.deepEqual(Object.keys(s.parameters).sort(), [...CATEGORIES].sort());
    assert.equal(s.parameters.physics.gravity, 9.81);
    assert.ok(Array.isArray(s.participants));
    assert.deepEqual(s.participants.map((p) => p.id), [world.owner.user.id]);
    assert.ok(Array.isArray(s.history));
    assert.equal(s.history.length, 0, 'a new universe has no history');
    assert.ok(Array.isArray(s.messages));
    assert.equal(s.messages.length, 0);
  });

  it('universe:joined goes to the whole room; state:initial only to the joiner; not to outsiders', async () => {
    const u = await freshUniverse(server, world);
    const owner = await t.open(server, world.owner.token);
    const outsider = await t.open(server, world.stranger.token);
    await join(owner, u.id);

    const collab = await t.open(server, world.collaborator.token);
    const ownerSees = once(owner, 'universe:joined', 3000, (d) => d.user_id === world.collaborator.user.id);
    const ownerNoInitial = expectNone(owner, 'state:initial', 500);
    const outsiderNone = expectNone(outsider, 'universe:joined', 500);
    const { initial } = await join(collab, u.id);

    const seen = await ownerSees;
    assert.equal(seen.universe.id, u.id);
    assert.deepEqual(seen.participants.map((p) => p.id).sort(), [world.owner.user.id, world.collaborator.user.id].sort());
    assert.deepEqual(initial.participants.map((p) => p.id).sort(), [world.owner.user.id, world.collaborator.user.id].sort());
    await ownerNoInitial;
    await outsiderNone;
  });

  it('joining a private universe without rights is unauthorized (viewer, stranger), with and without ack', async () => {
    const u = await freshUniverse(server, world);
    const owner = await t.open(server, world.owner.token);
    await join(owner, u.id);
    const viewer = await t.open(server, world.viewer.token);
    const stranger = await t.open(server, world.stranger.token);
    const ownerNone = expectNone(owner, 'universe:joined', 500);

    await ackError(viewer, 'universe:join', { universe_id: u.id }, 'unauthorized');
    await sysError(stranger, 'universe:join', { universe_id: u.id }, 'unauthorized');
    await ownerNone;
    // and they are not in the room: a later event for it is invalid_universe
    await ackError(viewer, 'collaboration:message', { universe_id: u.id, message: 'hi' }, 'invalid_universe');
  });

  it('a public universe can be joined read-only by any signed-in user', async () => {
    const u = await freshUniverse(server, world, { is_public: true });
    const viewer = await t.open(server, world.viewer.token);
    const { initial } = await join(viewer, u.id, world.viewer.user.id);
    assert.equal(initial.universe.id, u.id);
    assert.equal(initial.universe.is_public, true);
    await ackError(viewer, 'universe:update', { universe_id: u.id, changes: { name: 'Taken over' } }, 'unauthorized');
    await ackError(viewer, 'parameter:update', { universe_id: u.id, category: 'physics', parameters: { gravity: 1 } }, 'unauthorized');
  });

  it('unknown universe -> invalid_universe', async () => {
    const socket = await t.open(server, world.owner.token);
    await ackError(socket, 'universe:join', { universe_id: '987654321' }, 'invalid_universe');
    await ackError(socket, 'universe:join', { universe_id: 'no-such-universe' }, 'invalid_universe');
    await sysError(socket, 'universe:join', { universe_id: '987654322' }, 'invalid_universe');
  });

  it('universe:join with someone else\'s user_id is unauthorized and does not join', async () => {
    const u = await freshUniverse(server, world);
    const owner = await t.open(server, world.owner.token);
    await join(owner, u.id);
    const collab = await t.open(server, world.collaborator.token);
    const ownerNone = expectNone(owner, 'universe:joined', 500);
    await ackError(collab, 'universe:join', { universe_id: u.id, user_id: world.owner.user.id }, 'unauthorized');
    await ownerNone;
    await ackError(collab, 'parameter:sync', { universe_id: u.id }, 'invalid_universe');
  });

  it('universe:leave (document payload) -> universe:left to the room, leaver included', async () => {
    const u = await freshUniverse(server, world);
    const owner = await t.open(server, world.owner.token);
    const collab = await t.open(server, world.collaborator.token);
    const outsider = await t.open(server, world.stranger.token);
    await join(owner, u.id);
    await join(collab, u.id);

    const ownerSees = once(owner, 'universe:left');
    const collabSees = once(collab, 'universe:left');
    const outsiderNone = expectNone(outsider, 'universe:left', 500);
    collab.emit('universe:leave', { universe_id: u.id, user_id: world.collaborator.user.id });
    assert.deepEqual(pick(await ownerSees, ['universe_id', 'user_id']), { universe_id: u.id, user_id: world.collaborator.user.id });
    assert.deepEqual(pick(await collabSees, ['universe_id', 'user_id']), { universe_id: u.id, user_id: world.collaborator.user.id });
    await outsiderNone;

    // after leaving, the collaborator no longer gets room traffic and its events are invalid_universe
    const collabNone = expectNone(collab, 'parameter:updated', 500);
    await ackOk(owner, 'parameter:update', { universe_id: u.id, category: 'physics', parameters: { gravity: 3 } });
    await collabNone;
    await ackError(collab, 'parameter:update', { universe_id: u.id, category: 'physics', parameters: { gravity: 4 } }, 'invalid_universe');
  });

  it('disconnect -> universe:left to the room', async () => {
    const u = await freshUniverse(server, world);
    const owner = await t.open(server, world.owner.token);
    const collab = await t.open(server, world.collaborator.token);
    await join(owner, u.id);
    await join(collab, u.id);
    const left = once(owner, 'universe:left', 3000);
    collab.disconnect();
    const d = await left;
    assert.equal(d.universe_id, u.id);
    assert.equal(d.user_id, world.collaborator.user.id);
  });

  it('participants list each user once with two connections; universe:left only when the last connection leaves', async () => {
    const u = await freshUniverse(server, world);
    const collab = await t.open(server, world.collaborator.token);
    await join(collab, u.id);
    const owner1 = await t.open(server, world.owner.token);
    const owner2 = await t.open(server, world.owner.token);
    await join(owner1, u.id);
    const { initial } = await join(owner2, u.id);
    const ids = initial.participants.map((p) => p.id);
    assert.equal(ids.filter((id) => id === world.owner.user.id).length, 1, JSON.stringify(initial.participants));
    assert.deepEqual([...ids].sort(), [world.owner.user.id, world.collaborator.user.id].sort());

    // a third connection (the collaborator's second) sees the same list
    const collab2 = await t.open(server, world.collaborator.token);
    const j = await join(collab2, u.id);
    assert.equal(j.initial.participants.length, 2, JSON.stringify(j.initial.participants));

    const noneYet = expectNone(collab, 'universe:left', 500);
    await ackOk(owner1, 'universe:leave', { universe_id: u.id });
    await noneYet;

    const left = once(collab, 'universe:left', 3000);
    const leaverGets = once(owner2, 'universe:left', 3000);
    await ackOk(owner2, 'universe:leave', { universe_id: u.id });
    assert.equal((await left).user_id, world.owner.user.id);
    assert.equal((await leaverGets).user_id, world.owner.user.id);
  });

  it('universe:update (document payload) -> universe:updated and universe_renamed notification to the room', async () => {
    const { u, owner, collab, viewer, outsider } = await openRoom(server, world, t);

    const updates = [owner, collab, viewer].map((s) => once(s, 'universe:updated'));
    const notes = [owner, collab, viewer].map((s) => once(s, 'system:notification', 3000, (n) => n.type === 'universe_renamed'));
    const outsiderNone = expectNone(outsider, 'universe:updated', 500);
    owner.emit('universe:update', { universe_id: u.id, changes: { name: 'New Name', description: 'New Description' } });
    for (const p of updates) {
      const d = await p;
      assert.equal(d.universe_id, u.id);
      assert.deepEqual(d.changes, { name: 'New Name', description: 'New Description' });
    }
    for (const p of notes) {
      const n = await p;
      assert.equal(typeof n.message, 'string');
      assert.ok(n.message.length > 0);
      assert.ok('data' in n);
    }
    await outsiderNone;

    // stored: a new joiner sees the new name
    const again = await t.open(server, world.collaborator.token);
    const { initial } = await join(again, u.id);
    assert.equal(initial.universe.name, 'New Name');
    assert.equal(initial.universe.description, 'New Description');
    // and it is in the history as kind "universe"
    const last = initial.history.at(-1);
    assert.equal(last.kind, 'universe');
    assert.equal(last.user_id, world.owner.user.id);
  });

  it('a collaborator may update the universe; a description-only change sends no universe_renamed', async () => {
    const u = await freshUniverse(server, world);
    const owner = await t.open(server, world.owner.token);
    const collab = await t.open(server, world.collaborator.token);
    await join(owner, u.id);
    await join(collab, u.id);
    const updated = once(owner, 'universe:updated');
    const noRename = expectNone(owner, 'system:notification', 500, (n) => n.type === 'universe_renamed');
    await ackOk(collab, 'universe:update', { universe_id: u.id, changes: { description: 'only the description' } });
    const d = await updated;
    assert.deepEqual(d.changes, { description: 'only the description' });
    await noRename;
  });

  it('universe:update validation: name 1-100, description <= 2000; nothing applied on refusal', async () => {
    const u = await freshUniverse(server, world);
    const owner = await t.open(server, world.owner.token);
    await join(owner, u.id);
    await ackError(owner, 'universe:update', { universe_id: u.id, changes: { name: '' } }, 'invalid_parameters');
    await ackError(owner, 'universe:update', { universe_id: u.id, changes: { name: 'x'.repeat(101) } }, 'invalid_parameters');
    await ackError(owner, 'universe:update', { universe_id: u.id, changes: { name: 'ok name', description: 'd'.repeat(2001) } }, 'invalid_parameters');
    await ackError(owner, 'universe:update', { universe_id: u.id, changes: { name: 42 } }, 'invalid_parameters');
    // The rule REST uses (issue 12, finding 9): no control characters in names.
    const rest = await api(server, 'PATCH', `/api/universes/${u.id}`, { name: 'bad\u0001name' }, world.owner.token);
    assert.equal(rest.status, 400);
    const refused = await ackError(owner, 'universe:update', { universe_id: u.id, changes: { name: 'bad\u0001name' } }, 'invalid_parameters');
    assert.equal(refused.message, rest.body.error.message, 'the same rule, the same words');
    await ackError(owner, 'universe:update', { universe_id: u.id, changes: { description: 'bell\u0007' } }, 'invalid_parameters');
    await ackOk(owner, 'universe:update', { universe_id: u.id, changes: { name: 'y'.repeat(100), description: 'd'.repeat(2000) } });

    const other = await t.open(server, world.collaborator.token);
    const { initial } = await join(other, u.id);
    assert.equal(initial.universe.name, 'y'.repeat(100));
    assert.equal(initial.universe.description, 'd'.repeat(2000));
  });

  it('universe:update for a universe not joined -> invalid_universe', async () => {
    const u = await freshUniverse(server, world);
    const owner = await t.open(server, world.owner.token);
    await ackError(owner, 'universe:update', { universe_id: u.id, changes: { name: 'Nope' } }, 'invalid_universe');
    await sysError(owner, 'universe:update', { universe_id: u.id, changes: { name: 'Nope' } }, 'invalid_universe');
  });

  it('an unknown event -> invalid_parameters naming it', async () => {
    const owner = await t.open(server, world.owner.token);
    const err = await sysError(owner, 'universe:explode', { universe_id: '1' }, 'invalid_parameters');
    assert.match(JSON.stringify(err), /universe:explode/);
    const err2 = await ackError(owner, 'totally:unknown', {}, 'invalid_parameters');
    assert.match(JSON.stringify(err2), /totally:unknown/);
  });

  it('socket.onAny (document\'s event logging) sees every server event with its arguments', async () => {
    const u = await freshUniverse(server, world);
    const socket = t.connect(server, world.owner.token);
    const seen = [];
    socket.onAny((event, ...args) => { seen.push([event, args]); });
    await once(socket, 'connect', 5000);
    socket.emit('universe:join', { universe_id: u.id });
    await once(socket, 'state:initial');
    await once(socket, 'universe:joined').catch(() => {}); // may already have arrived
    const names = seen.map(([e]) => e);
    assert.ok(names.includes('universe:joined'), names.join(','));
    assert.ok(names.includes('state:initial'), names.join(','));
    const [, args] = seen.find(([e]) => e === 'universe:joined');
    assert.equal(args.length, 1);
    assert.equal(args[0].universe.id, u.id);
  });

  it('every id on the wire is a string', async () => {
    const u = await freshUniverse(server, world);
    const owner = await t.open(server, world.owner.token);
    const { initial } = await join(owner, u.id);
    await ackOk(owner, 'parameter:update', { universe_id: u.id, category: 'physics', parameters: { gravity: 2 } });
    const msg = once(owner, 'collaboration:message');
    await ackOk(owner, 'collaboration:message', { universe_id: u.id, message: 'ids?' });
    const m = await msg;
    assert.equal(typeof initial.universe.id, 'string');
    assert.equal(typeof initial.universe.owner_id, 'string');
    for (const p of initial.participants) assert.equal(typeof p.id, 'string');
    assert.equal(typeof m.id, 'string');
    assert.equal(typeof m.user_id, 'string');
    assert.equal(typeof m.universe_id, 'string');
    const synced = once(owner, 'state:synced');
    owner.emit('state:sync', { universe_id: u.id, last_sync: 0 });
    const s = await synced;
    assert.ok(s.state.history.length >= 1);
    for (const h of s.state.history) assert.equal(typeof h.user_id, 'string');
  });

  it('ack: a failing event with an ack gets {ok:false,...} and no system:error', async () => {
    const owner = await t.open(server, world.owner.token);
    const errs = record(owner, 'system:error');
    await ackError(owner, 'universe:join', { universe_id: '55555555' }, 'invalid_universe');
    await new Promise((r) => setTimeout(r, 400));
    errs.stop();
    assert.deepEqual(errs.events, []);
  });
});

function pick(obj, keys) {
  return Object.fromEntries(keys.map((k) => [k, obj[k]]));
}
