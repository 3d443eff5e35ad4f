// Collaboration events of docs/protocol.md (cursor, presence, chat) against a real
// server: who receives what, viewer rights, spoofing, limits, stored chat history.

import { after, afterEach, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { skipReason, startServer } from './lib/server.mjs';
import { Tracker, join, makeWorld, once, record, sleep } from './lib/clients.mjs';
import { ackError, ackOk, expectNone, freshUniverse, sysError, openRoom } from './lib/world.mjs';

describe('protocol: collaboration events', { skip: skipReason(), timeout: 120000 }, () => {
  let server;
  let world;
  const t = new Tracker();
  before(async () => {
    server = await startServer({ name: 'collaboration', rateLimit: 1000, rateBurst: 1000 });
    world = await makeWorld(server);
  });
  afterEach(() => t.closeAll());
  after(async () => { t.closeAll(); await server?.dispose(); });

  const room = () => openRoom(server, world, t);

  it('collaboration:cursor (document payload) -> the room except the sender, with username', async () => {
    const { u, owner, collab, viewer, outsider } = await room();
    const got = [collab, viewer].map((s) => once(s, 'collaboration:cursor'));
    const senderNone = expectNone(owner, 'collaboration:cursor', 500);
    const outsiderNone = expectNone(outsider, 'collaboration:cursor', 500);
    owner.emit('collaboration:cursor', { universe_id: u.id, user_id: world.owner.user.id, position: { x: 100, y: 200 } });
    for (const p of got) {
      assert.deepEqual(await p, { universe_id: u.id, user_id: world.owner.user.id, username: world.owner.username, position: { x: 100, y: 200 } });
    }
    await senderNone;
    await outsiderNone;
  });

  it('cursors and presence are never stored in history or messages', async () => {
    const { u, owner, collab } = await room();
    const got = once(collab, 'collaboration:cursor');
    owner.emit('collaboration:cursor', { universe_id: u.id, position: { x: 5, y: 6 } });
    await got;
    await ackOk(owner, 'collaboration:presence', { universe_id: u.id, status: 'idle' });
    const synced = once(owner, 'state:synced');
    owner.emit('state:sync', { universe_id: u.id, last_sync: 0 });
    const s = await synced;
    assert.deepEqual(s.state.history.filter((h) => h.kind !== 'universe'), []);
    assert.deepEqual(s.state.messages, []);
  });

  it('a viewer may show a cursor; fractional positions are kept', async () => {
    const { u, owner, viewer } = await room();
    const got = once(owner, 'collaboration:cursor');
    viewer.emit('collaboration:cursor', { universe_id: u.id, position: { x: 0.25, y: -3.5 } });
    const d = await got;
    assert.equal(d.user_id, world.viewer.user.id);
    assert.deepEqual(d.position, { x: 0.25, y: -3.5 });
  });

  it('cursor hidden: true is relayed (the pointer left); hidden: false is not; a non-boolean is refused', async () => {
    const { u, owner, collab } = await room();
    let got = once(collab, 'collaboration:cursor');
    owner.emit('collaboration:cursor', { universe_id: u.id, position: { x: 7, y: 8 }, hidden: true });
    assert.deepEqual(await got, { universe_id: u.id, user_id: world.owner.user.id, username: world.owner.username,
      position: { x: 7, y: 8 }, hidden: true });
    got = once(collab, 'collaboration:cursor');
    owner.emit('collaboration:cursor', { universe_id: u.id, position: { x: 9, y: 10 }, hidden: false });
    assert.equal('hidden' in (await got), false);
    const collabNone = expectNone(collab, 'collaboration:cursor', 500);
    await ackError(owner, 'collaboration:cursor', { universe_id: u.id, position: { x: 1, y: 2 }, hidden: 'yes' }, 'invalid_parameters');
    await collabNone;
  });

  it('cursor: spoofed user_id -> unauthorized; bad position -> invalid_parameters; not joined -> invalid_universe', async () => {
    const { u, owner, collab, outsider } = await room();
    const ownerNone = expectNone(owner, 'collaboration:cursor', 800);
    await ackError(collab, 'collaboration:cursor', { universe_id: u.id, user_id: world.owner.user.id, position: { x: 1, y: 2 } }, 'unauthorized');
    await ackError(collab, 'collaboration:cursor', { universe_id: u.id, position: { x: 'left', y: 2 } }, 'invalid_parameters');
    await ackError(collab, 'collaboration:cursor', { universe_id: u.id }, 'invalid_parameters');
    await sysError(outsider, 'collaboration:cursor', { universe_id: u.id, position: { x: 1, y: 2 } }, 'invalid_universe');
    await ownerNone;
  });

  it('collaboration:presence (document payload) -> the room, sender included; status shows in participants', async () => {
    const { u, owner, collab, viewer, outsider } = await room();
    const got = [owner, collab, viewer].map((s) => once(s, 'collaboration:presence'));
    const outsiderNone = expectNone(outsider, 'collaboration:presence', 500);
    viewer.emit('collaboration:presence', { universe_id: u.id, user_id: world.viewer.user.id, status: 'away' });
    for (const p of got) {
      const d = await p;
      assert.equal(d.universe_id, u.id);
      assert.equal(d.user_id, world.viewer.user.id);
      assert.equal(d.status, 'away');
    }
    await outsiderNone;
    for (const status of ['idle', 'active']) await ackOk(collab, 'collaboration:presence', { universe_id: u.id, status });

    const late = await t.open(server, world.owner.token);
    const { initial } = await join(late, u.id);
    const byId = Object.fromEntries(initial.participants.map((p) => [p.id, p]));
    assert.equal(byId[world.viewer.user.id].status, 'away');
    assert.equal(byId[world.collaborator.user.id].status, 'active');
    assert.equal(byId[world.viewer.user.id].username, world.viewer.username);
  });

  it('presence: status outside active|idle|away -> invalid_parameters; spoofed user_id -> unauthorized', async () => {
    const { u, owner, collab } = await room();
    const ownerNone = expectNone(owner, 'collaboration:presence', 800);
    await ackError(collab, 'collaboration:presence', { universe_id: u.id, status: 'busy' }, 'invalid_parameters');
    await ackError(collab, 'collaboration:presence', { universe_id: u.id, status: 7 }, 'invalid_parameters');
    await sysError(collab, 'collaboration:presence', { universe_id: u.id, user_id: world.viewer.user.id, status: 'idle' }, 'unauthorized');
    await ownerNone;
  });

  it('collaboration:message (document payload) -> the room, sender included, with id, username and timestamp', async () => {
    const { u, owner, collab, viewer, outsider } = await room();
    const got = [owner, collab, viewer].map((s) => once(s, 'collaboration:message'));
    const outsiderNone = expectNone(outsider, 'collaboration:message', 500);
    const before = Date.now();
    collab.emit('collaboration:message', { universe_id: u.id, user_id: world.collaborator.user.id, message: 'Hello!' });
    const msgs = [];
    for (const p of got) msgs.push(await p);
    for (const m of msgs) {
      assert.equal(m.universe_id, u.id);
      assert.equal(m.user_id, world.collaborator.user.id);
      assert.equal(m.username, world.collaborator.username);
      assert.equal(m.message, 'Hello!');
      assert.equal(typeof m.id, 'string');
      assert.ok(m.id.length > 0);
      assert.equal(typeof m.timestamp, 'number');
      assert.ok(Math.abs(m.timestamp - before) < 10000, `timestamp in ms since epoch: ${m.timestamp}`);
      assert.deepEqual(Object.keys(m).sort(), ['id', 'message', 'timestamp', 'universe_id', 'user_id', 'username']);
    }
    assert.equal(new Set(msgs.map((m) => m.id)).size, 1, 'every recipient sees the same id');
    await outsiderNone;
  });

  it('a viewer may chat; messages are stored and come back in state:initial.messages with the same ids', async () => {
    const { u, owner, viewer } = await room();
    const rec = record(owner, 'collaboration:message');
    await ackOk(viewer, 'collaboration:message', { universe_id: u.id, message: 'from the viewer' });
    await ackOk(owner, 'collaboration:message', { universe_id: u.id, message: 'héllo 世界 🎵' });
    await rec.wait(2);
    rec.stop();
    assert.notEqual(rec.events[0].id, rec.events[1].id);

    const late = await t.open(server, world.collaborator.token);
    const { initial } = await join(late, u.id);
    const stored = initial.messages.map((m) => [m.id, m.user_id, m.username, m.message]);
    assert.deepEqual(stored, rec.events.map((m) => [m.id, m.user_id, m.username, m.message]));
    assert.equal(initial.messages[1].message, 'héllo 世界 🎵');
  });

  it('message length: 1-2000 characters (not bytes); empty, blank-only and 2001 refused', async () => {
    const { u, owner, collab } = await room();
    const rec = record(collab, 'collaboration:message');
    await ackOk(owner, 'collaboration:message', { universe_id: u.id, message: 'x' });
    await ackOk(owner, 'collaboration:message', { universe_id: u.id, message: 'a'.repeat(2000) });
    await ackOk(owner, 'collaboration:message', { universe_id: u.id, message: 'é'.repeat(2000) });
    await ackError(owner, 'collaboration:message', { universe_id: u.id, message: 'a'.repeat(2001) }, 'invalid_parameters');
    await ackError(owner, 'collaboration:message', { universe_id: u.id, message: '' }, 'invalid_parameters');
    await ackError(owner, 'collaboration:message', { universe_id: u.id, message: '   \n\t ' }, 'invalid_parameters');
    // Control characters, as in names (issue 12, finding 2: each cost six bytes in every sync).
    await ackError(owner, 'collaboration:message', { universe_id: u.id, message: '\u0001'.repeat(2000) }, 'invalid_parameters');
    await ackError(owner, 'collaboration:message', { universe_id: u.id, message: 'two\nlines' }, 'invalid_parameters');
    await sysError(owner, 'collaboration:message', { universe_id: u.id }, 'invalid_parameters');
    await sysError(owner, 'collaboration:message', { universe_id: u.id, message: 12345 }, 'invalid_parameters');
    await sleep(300);
    rec.stop();
    assert.deepEqual(rec.events.map((m) => m.message.length), [1, 2000, 2000]);
    assert.equal(rec.events[2].message, 'é'.repeat(2000));
  });

  it('message: spoofed user_id -> unauthorized; not joined -> invalid_universe; nothing stored', async () => {
    const { u, owner, collab, outsider } = await room();
    const ownerNone = expectNone(owner, 'collaboration:message', 800);
    await ackError(collab, 'collaboration:message', { universe_id: u.id, user_id: world.owner.user.id, message: 'I am the owner' }, 'unauthorized');
    await ackError(outsider, 'collaboration:message', { universe_id: u.id, message: 'let me in' }, 'invalid_universe');
    await ackError(outsider, 'collaboration:message', { universe_id: '31337313', message: 'anyone?' }, 'invalid_universe');
    await ownerNone;
    const late = await t.open(server, world.collaborator.token);
    const { initial } = await join(late, u.id);
    assert.deepEqual(initial.messages, []);
  });

  it('state:initial carries the latest 50 chat messages', async () => {
    const u = await freshUniverse(server, world);
    const owner = await t.open(server, world.owner.token);
    await join(owner, u.id);
    for (let i = 0; i < 55; i++) await ackOk(owner, 'collaboration:message', { universe_id: u.id, message: `m${i}` });
    const late = await t.open(server, world.collaborator.token);
    const { initial } = await join(late, u.id);
    assert.equal(initial.messages.length, 50);
    const texts = new Set(initial.messages.map((m) => m.message));
    for (let i = 5; i < 55; i++) assert.ok(texts.has(`m${i}`), `m${i} missing`);
  });
});
