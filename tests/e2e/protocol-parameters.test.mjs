// Parameter events of docs/protocol.md (update, reset, sync, batch_update, delta)
// against a real server: who receives what, validation against docs/parameters.md, atomicity,
// rights, spoofing, conflicts, history.

import { after, afterEach, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { skipReason, startServer } from './lib/server.mjs';
import { Tracker, join, makeWorld, once, record, sleep, sync } from './lib/clients.mjs';
import { ackError, ackOk, expectNone, freshUniverse, sysError, openRoom } from './lib/world.mjs';
import { DEFAULTS, syncedShape } from './lib/params.mjs';

// parameter:updated / parameter:reset may carry extra fields (the server adds the history
// `seq`); the fields docs/protocol.md lists are compared exactly, the extra ones only by type.
function docFields(d) {
  const { seq, ...rest } = d;
  if (seq !== undefined) assert.ok(Number.isInteger(seq), `seq: ${seq}`);
  return rest;
}

describe('protocol: parameter events', { skip: skipReason(), timeout: 120000 }, () => {
  let server;
  let world;
  const t = new Tracker();
  before(async () => {
    server = await startServer({ name: 'parameters', rateLimit: 1000, rateBurst: 1000 });
    world = await makeWorld(server);
  });
  afterEach(() => t.closeAll());
  after(async () => { t.closeAll(); await server?.dispose(); });

  const room = () => openRoom(server, world, t);
  // The owner and `size` viewers in a fresh public universe: broadcasts big enough for the
  // server to hand their writes to its send helper.
  const bigRoom = async (size) => {
    const u = await freshUniverse(server, world, { is_public: true });
    const owner = await t.open(server, world.owner.token);
    await join(owner, u.id);
    const members = await Promise.all(Array.from({ length: size }, async () => {
      const s = await t.open(server, world.viewer.token);
      await join(s, u.id);
      return s;
    }));
    return { u, owner, members };
  };

  it('parameter:sync (document payload) -> parameter:synced with the docs/parameters.md defaults, to the sender only', async () => {
    const { u, owner, collab, outsider } = await room();
    const others = [expectNone(collab, 'parameter:synced', 500), expectNone(outsider, 'parameter:synced', 500)];
    const synced = once(owner, 'parameter:synced');
    owner.emit('parameter:sync', { universe_id: u.id });
    assert.deepEqual(await synced, syncedShape(u.id, DEFAULTS));
    await Promise.all(others);
  });

  it('parameter:update (document payload) -> parameter:updated with only the applied values, to the room', async () => {
    const { u, owner, collab, viewer, outsider } = await room();
    const got = [owner, collab, viewer].map((s) => once(s, 'parameter:updated'));
    const outsiderNone = expectNone(outsider, 'parameter:updated', 500);
    owner.emit('parameter:update', { universe_id: u.id, category: 'physics', parameters: { gravity: 15.0, particle_speed: 50.0 } });
    for (const p of got) {
      assert.deepEqual(docFields(await p), {
        universe_id: u.id, category: 'physics', parameters: { gravity: 15, particle_speed: 50 }, user_id: world.owner.user.id,
      });
    }
    await outsiderNone;
    const s = await sync(owner, u.id);
    assert.deepEqual(s.physics_parameters, { ...DEFAULTS.physics, gravity: 15, particle_speed: 50 });
    assert.deepEqual(s.music_parameters, DEFAULTS.music);
  });

  it('a room of 120 gets every update once and in order (broadcasts large enough to be shared between send threads)', async () => {
    const { u, owner, members } = await bigRoom(120);
    const seen = members.map((s) => record(s, 'parameter:updated'));
    const updates = 40;
    for (let i = 1; i <= updates; i++) {
      owner.emit('parameter:update', { universe_id: u.id, category: 'physics', parameters: { gravity: i / 10 } });
    }
    await Promise.all(seen.map((r) => r.wait(updates, 10000)));
    await sleep(200);  // anything extra would show up now
    const expected = Array.from({ length: updates }, (_, i) => (i + 1) / 10);
    for (const r of seen) assert.deepEqual(r.events.map((d) => d.parameters.gravity), expected);
  });

  it('members dropping mid-broadcast in a large room cost the others nothing', async () => {
    const { u, owner, members } = await bigRoom(120);
    const stay = members.slice(0, 60);
    const leave = members.slice(60);
    const seen = stay.map((s) => record(s, 'parameter:updated'));
    const updates = 40;
    for (let i = 1; i <= updates; i++) {
      owner.emit('parameter:update', { universe_id: u.id, category: 'physics', parameters: { gravity: i / 10 } });
      // Half the room goes away without a goodbye while the broadcasts are being written.
      if (i === 5) for (const s of leave) { s.io.reconnection(false); s.io.engine.close(); }
    }
    await Promise.all(seen.map((r) => r.wait(updates, 10000)));
    const expected = Array.from({ length: updates }, (_, i) => (i + 1) / 10);
    for (const r of seen) assert.deepEqual(r.events.map((d) => d.parameters.gravity), expected);
    // And the server still serves: a newcomer joins and reads the last value.
    const late = await t.open(server, world.viewer.token);
    await join(late, u.id);
    assert.equal((await sync(late, u.id)).physics_parameters.gravity, 4);
  });

  it('a collaborator may update; integers stay integers, enums and colours are applied', async () => {
    const { u, owner, collab } = await room();
    const seen = once(owner, 'parameter:updated', 3000, (d) => d.category === 'music');
    await ackOk(collab, 'parameter:update', { universe_id: u.id, category: 'music', parameters: { tempo: 90, key: 'F#', scale: 'blues' } });
    const d = await seen;
    assert.equal(d.user_id, world.collaborator.user.id);
    assert.deepEqual(d.parameters, { tempo: 90, key: 'F#', scale: 'blues' });
    assert.ok(Number.isInteger(d.parameters.tempo));

    await ackOk(collab, 'parameter:update', { universe_id: u.id, category: 'physics', parameters: { particle_count: 5000, field_strength: -10 } });
    await ackOk(collab, 'parameter:update', { universe_id: u.id, category: 'visualization', parameters: { glow_color: '#123ABC', camera_rotation: -180 } });
    await ackOk(collab, 'parameter:update', { universe_id: u.id, category: 'audio', parameters: { waveform: 'sawtooth', filter_cutoff: 20000, attack: 0.001 } });
    const s = await sync(owner, u.id);
    assert.equal(s.physics_parameters.particle_count, 5000);
    assert.ok(Number.isInteger(s.physics_parameters.particle_count));
    assert.equal(s.physics_parameters.field_strength, -10);
    assert.equal(s.visualization_parameters.glow_color, '#123ABC');
    assert.equal(s.visualization_parameters.camera_rotation, -180);
    assert.deepEqual(s.audio_parameters, { ...DEFAULTS.audio, waveform: 'sawtooth', filter_cutoff: 20000, attack: 0.001 });
    assert.deepEqual(s.music_parameters, { ...DEFAULTS.music, tempo: 90, key: 'F#', scale: 'blues' });
  });

  it('range bounds are inclusive', async () => {
    const { u, owner } = await room();
    await ackOk(owner, 'parameter:update', { universe_id: u.id, category: 'physics', parameters: { gravity: 0, time_scale: 0.1, particle_count: 1 } });
    await ackOk(owner, 'parameter:update', { universe_id: u.id, category: 'physics', parameters: { gravity: 20, time_scale: 10, particle_count: 100000 } });
    await ackOk(owner, 'parameter:update', { universe_id: u.id, category: 'music', parameters: { tempo: 40 } });
    await ackOk(owner, 'parameter:update', { universe_id: u.id, category: 'audio', parameters: { delay_feedback: 0.95 } });
    const s = await sync(owner, u.id);
    assert.equal(s.physics_parameters.gravity, 20);
    assert.equal(s.physics_parameters.particle_count, 100000);
    assert.equal(s.music_parameters.tempo, 40);
    assert.equal(s.audio_parameters.delay_feedback, 0.95);
  });

  const invalid = [
    ['out of range', 'physics', { gravity: 25 }, 'gravity'],
    ['below range', 'physics', { gravity: -0.5 }, 'gravity'],
    ['wrong type', 'physics', { gravity: 'heavy' }, 'gravity'],
    ['boolean for a number', 'physics', { friction: true }, 'friction'],
    ['fraction for an int', 'physics', { particle_count: 1.5 }, 'particle_count'],
    ['int over range', 'music', { tempo: 201 }, 'tempo'],
    ['unknown name', 'physics', { warp_factor: 9 }, 'warp_factor'],
    ['name of another category', 'physics', { tempo: 100 }, 'tempo'],
    ['bad enum', 'music', { key: 'H' }, 'key'],
    ['enum wrong case', 'audio', { waveform: 'SINE' }, 'waveform'],
    ['bad colour', 'visualization', { glow_color: '#GG0000' }, 'glow_color'],
    ['short colour', 'visualization', { particle_color: '#FFF' }, 'particle_color'],
    ['null value', 'audio', { volume: null }, 'volume'],
    ['delay_feedback over 0.95', 'audio', { delay_feedback: 0.96 }, 'delay_feedback'],
    ['one bad among good', 'physics', { gravity: 5, particle_speed: 500 }, 'particle_speed'],
  ];
  it('invalid values -> invalid_parameters naming the field; nothing of the request applied', async () => {
    const { u, owner, collab } = await room();
    const leaked = record(collab, 'parameter:updated');
    for (const [label, category, parameters, field] of invalid) {
      const err = await ackError(owner, 'parameter:update', { universe_id: u.id, category, parameters }, 'invalid_parameters');
      assert.match(JSON.stringify(err), new RegExp(field), `${label}: error should name ${field}: ${JSON.stringify(err)}`);
    }
    await sleep(200);
    assert.deepEqual(leaked.stop(), []);
    assert.deepEqual(await sync(owner, u.id), syncedShape(u.id, DEFAULTS));
  });

  it('unknown category and missing/empty parameters -> invalid_parameters', async () => {
    const { u, owner } = await room();
    const err = await ackError(owner, 'parameter:update', { universe_id: u.id, category: 'chemistry', parameters: { ph: 7 } }, 'invalid_parameters');
    assert.match(JSON.stringify(err), /chemistry|category/);
    await ackError(owner, 'parameter:update', { universe_id: u.id, category: 'physics' }, 'invalid_parameters');
    await ackError(owner, 'parameter:update', { universe_id: u.id, category: 'physics', parameters: [1, 2] }, 'invalid_parameters');
    await sysError(owner, 'parameter:update', { universe_id: u.id, category: 'physics', parameters: 'gravity=1' }, 'invalid_parameters');
    assert.deepEqual(await sync(owner, u.id), syncedShape(u.id, DEFAULTS));
  });

  it('viewer of a public universe cannot change parameters (unauthorized, nothing applied)', async () => {
    const { u, owner, viewer } = await room();
    const ownerNone = expectNone(owner, 'parameter:updated', 500);
    await ackError(viewer, 'parameter:update', { universe_id: u.id, category: 'physics', parameters: { gravity: 1 } }, 'unauthorized');
    await sysError(viewer, 'parameter:reset', { universe_id: u.id, category: 'physics' }, 'unauthorized');
    await ackError(viewer, 'parameter:batch_update', { universe_id: u.id, updates: [{ category: 'physics', parameters: { gravity: 2 } }] }, 'unauthorized');
    await ackError(viewer, 'parameter:delta', { universe_id: u.id, category: 'physics', changes: { gravity: { from: 9.81, to: 3 } } }, 'unauthorized');
    await ownerNone;
    // but may read them
    assert.deepEqual(await sync(viewer, u.id), syncedShape(u.id, DEFAULTS));
  });

  it('user_id spoofing on parameter:update -> unauthorized, nothing applied', async () => {
    const { u, owner, collab } = await room();
    await ackError(collab, 'parameter:update', { universe_id: u.id, user_id: world.owner.user.id, category: 'physics', parameters: { gravity: 1 } }, 'unauthorized');
    // the caller's own id is fine
    await ackOk(collab, 'parameter:update', { universe_id: u.id, user_id: world.collaborator.user.id, category: 'physics', parameters: { gravity: 2 } });
    const s = await sync(owner, u.id);
    assert.equal(s.physics_parameters.gravity, 2);
  });

  it('parameter events for a universe not joined or unknown -> invalid_universe', async () => {
    const u = await freshUniverse(server, world);
    const owner = await t.open(server, world.owner.token);
    await ackError(owner, 'parameter:update', { universe_id: u.id, category: 'physics', parameters: { gravity: 1 } }, 'invalid_universe');
    await ackError(owner, 'parameter:sync', { universe_id: u.id }, 'invalid_universe');
    await sysError(owner, 'parameter:reset', { universe_id: u.id, category: 'physics' }, 'invalid_universe');
    await ackError(owner, 'parameter:update', { universe_id: '424242424', category: 'physics', parameters: { gravity: 1 } }, 'invalid_universe');
    const other = await t.open(server, world.owner.token);
    await join(other, u.id);
    assert.equal((await sync(other, u.id)).physics_parameters.gravity, 9.81);
  });

  it('parameter:reset (document payload) -> parameter:reset with the defaults to the room', async () => {
    const { u, owner, collab, viewer, outsider } = await room();
    await ackOk(owner, 'parameter:update', { universe_id: u.id, category: 'physics', parameters: { gravity: 1, friction: 0.9 } });
    await ackOk(owner, 'parameter:update', { universe_id: u.id, category: 'music', parameters: { tempo: 60 } });
    const got = [owner, collab, viewer].map((s) => once(s, 'parameter:reset'));
    const outsiderNone = expectNone(outsider, 'parameter:reset', 500);
    collab.emit('parameter:reset', { universe_id: u.id, category: 'physics' });
    for (const p of got) {
      assert.deepEqual(docFields(await p), { universe_id: u.id, category: 'physics', default_parameters: DEFAULTS.physics, user_id: world.collaborator.user.id });
    }
    await outsiderNone;
    const s = await sync(owner, u.id);
    assert.deepEqual(s.physics_parameters, DEFAULTS.physics);
    assert.equal(s.music_parameters.tempo, 60, 'other categories untouched');
    await ackError(owner, 'parameter:reset', { universe_id: u.id, category: 'nope' }, 'invalid_parameters');
  });

  it('parameter:batch_update (document payload) -> one parameter:updated per category to the room', async () => {
    const { u, owner, collab, outsider } = await room();
    const rec = record(collab, 'parameter:updated');
    const outsiderNone = expectNone(outsider, 'parameter:updated', 500);
    owner.emit('parameter:batch_update', {
      universe_id: u.id,
      updates: [
        { category: 'physics', parameters: { gravity: 15.0 } },
        { category: 'music', parameters: { tempo: 120 } },
      ],
    });
    await rec.wait(2);
    await sleep(300);
    rec.stop();
    assert.equal(rec.events.length, 2, JSON.stringify(rec.events));
    const byCat = Object.fromEntries(rec.events.map((e) => [e.category, docFields(e)]));
    assert.deepEqual(byCat.physics, { universe_id: u.id, category: 'physics', parameters: { gravity: 15 }, user_id: world.owner.user.id });
    assert.deepEqual(byCat.music, { universe_id: u.id, category: 'music', parameters: { tempo: 120 }, user_id: world.owner.user.id });
    await outsiderNone;
    const s = await sync(owner, u.id);
    assert.equal(s.physics_parameters.gravity, 15);
  });

  it('parameter:batch_update is all or none: one bad part -> nothing applied', async () => {
    const { u, owner, collab } = await room();
    const collabNone = expectNone(collab, 'parameter:updated', 500);
    const err = await ackError(owner, 'parameter:batch_update', {
      universe_id: u.id,
      updates: [
        { category: 'physics', parameters: { gravity: 12 } },
        { category: 'music', parameters: { tempo: 20 } },
        { category: 'audio', parameters: { volume: 0.1 } },
      ],
    }, 'invalid_parameters');
    assert.match(JSON.stringify(err), /tempo/);
    await ackError(owner, 'parameter:batch_update', {
      universe_id: u.id,
      updates: [{ category: 'physics', parameters: { gravity: 12 } }, { category: 'alchemy', parameters: { lead: 1 } }],
    }, 'invalid_parameters');
    await ackError(owner, 'parameter:batch_update', { universe_id: u.id, updates: 'all of them' }, 'invalid_parameters');
    await collabNone;
    assert.deepEqual(await sync(owner, u.id), syncedShape(u.id, DEFAULTS));
  });

  it('parameter:batch_update naming one category twice applies the parts in order', async () => {
    const { u, owner, collab } = await room();
    const rec = record(collab, 'parameter:updated');
    await ackOk(owner, 'parameter:batch_update', {
      universe_id: u.id,
      updates: [
        { category: 'physics', parameters: { gravity: 5, friction: 0.2 } },
        { category: 'physics', parameters: { gravity: 6 } },
      ],
    });
    await rec.wait(1);
    await sleep(300);
    rec.stop();
    const merged = Object.assign({}, ...rec.events.filter((e) => e.category === 'physics').map((e) => e.parameters));
    assert.deepEqual(merged, { gravity: 6, friction: 0.2 });
    const s = await sync(owner, u.id);
    assert.equal(s.physics_parameters.gravity, 6);
    assert.equal(s.physics_parameters.friction, 0.2);
  });

  it('parameter:delta (document payload) applies when every from matches', async () => {
    const { u, owner, collab } = await room();
    await ackOk(owner, 'parameter:update', { universe_id: u.id, category: 'physics', parameters: { gravity: 10.0 } });
    const seen = once(collab, 'parameter:updated', 3000, (d) => d.parameters.gravity === 15);
    owner.emit('parameter:delta', { universe_id: u.id, category: 'physics', changes: { gravity: { from: 10.0, to: 15.0 } } });
    const d = await seen;
    assert.deepEqual(docFields(d), { universe_id: u.id, category: 'physics', parameters: { gravity: 15 }, user_id: world.owner.user.id });
    // a value as received works as `from` (exact comparison of what the server sent)
    await ackOk(owner, 'parameter:delta', { universe_id: u.id, category: 'physics', changes: { friction: { from: DEFAULTS.physics.friction, to: 0.25 }, gravity: { from: 15, to: 14.5 } } });
    const s = await sync(owner, u.id);
    assert.equal(s.physics_parameters.gravity, 14.5);
    assert.equal(s.physics_parameters.friction, 0.25);
  });

  it('parameter:delta conflict -> invalid_parameters, details.reason "conflict" with current values, nothing applied', async () => {
    const { u, owner, collab } = await room();
    const seen12 = once(collab, 'parameter:updated', 3000, (d) => d.parameters.gravity === 12);
    await ackOk(owner, 'parameter:update', { universe_id: u.id, category: 'physics', parameters: { gravity: 12 } });
    await seen12; // the ack may come before the broadcast
    const collabNone = expectNone(collab, 'parameter:updated', 500);
    const err = await ackError(owner, 'parameter:delta', {
      universe_id: u.id, category: 'physics',
      changes: { gravity: { from: 10.0, to: 15.0 }, friction: { from: 0.3, to: 0.9 } },
    }, 'invalid_parameters');
    assert.equal(err.details.reason, 'conflict');
    assert.equal(err.details.current.gravity, 12);
    await collabNone;

    const sysErr = await sysError(owner, 'parameter:delta', { universe_id: u.id, category: 'physics', changes: { gravity: { from: 9.81, to: 1 } } }, 'invalid_parameters');
    assert.equal(sysErr.details.reason, 'conflict');
    assert.deepEqual(sysErr.details.current, { gravity: 12 });

    const s = await sync(owner, u.id);
    assert.equal(s.physics_parameters.gravity, 12);
    assert.equal(s.physics_parameters.friction, 0.3, 'the matching part of a conflicting delta is not applied');
  });

  it('parameter:delta with an out-of-range `to` -> invalid_parameters (not a conflict)', async () => {
    const { u, owner } = await room();
    const err = await ackError(owner, 'parameter:delta', { universe_id: u.id, category: 'physics', changes: { gravity: { from: 9.81, to: 99 } } }, 'invalid_parameters');
    assert.notEqual(err.details?.reason, 'conflict');
    assert.equal((await sync(owner, u.id)).physics_parameters.gravity, 9.81);
  });

  it('history: seq grows by one per applied change, with kind/category/changes/user_id/timestamp', async () => {
    const { u, owner, collab } = await room();
    const before = Date.now();
    await ackOk(owner, 'parameter:update', { universe_id: u.id, category: 'physics', parameters: { gravity: 1 } });
    await ackError(owner, 'parameter:update', { universe_id: u.id, category: 'physics', parameters: { gravity: 100 } }, 'invalid_parameters');
    await ackOk(collab, 'parameter:update', { universe_id: u.id, category: 'audio', parameters: { volume: 0.5 } });
    await ackOk(owner, 'parameter:reset', { universe_id: u.id, category: 'physics' });
    await ackOk(owner, 'parameter:batch_update', { universe_id: u.id, updates: [{ category: 'music', parameters: { tempo: 100 } }] });

    const late = await t.open(server, world.collaborator.token);
    const { initial } = await join(late, u.id);
    const h = initial.history;
    assert.ok(h.length >= 4, JSON.stringify(h));
    for (let i = 1; i < h.length; i++) assert.equal(h[i].seq, h[i - 1].seq + 1, `seq ${JSON.stringify(h.map((e) => e.seq))}`);
    const hp = h.filter((e) => e.kind !== 'universe'); // REST setup (collaborator added) may log a universe entry
    assert.deepEqual(hp.slice(0, 3).map((e) => [e.kind, e.category, e.user_id]), [
      ['parameter', 'physics', world.owner.user.id],
      ['parameter', 'audio', world.collaborator.user.id],
      ['reset', 'physics', world.owner.user.id],
    ]);
    assert.deepEqual(hp[0].changes, { gravity: 1 });
    assert.deepEqual(hp[1].changes, { volume: 0.5 });
    for (const e of h) {
      assert.equal(typeof e.timestamp, 'number');
      assert.ok(e.timestamp >= before - 5000 && e.timestamp <= Date.now() + 5000, `timestamp ms since epoch: ${e.timestamp}`);
    }
    const last = h.at(-1);
    assert.equal(last.category, 'music');
    assert.deepEqual(last.changes, { tempo: 100 });
  });

  it('one connection receives parameter:updated in the order the server applied them', async () => {
    const { u, owner, collab } = await room();
    const rec = record(collab, 'parameter:updated');
    const acks = [];
    for (let i = 0; i < 20; i++) acks.push(ackOk(owner, 'parameter:update', { universe_id: u.id, category: 'physics', parameters: { gravity: i * 0.5 } }));
    await Promise.all(acks);
    await rec.wait(20);
    rec.stop();
    assert.deepEqual(rec.events.map((e) => e.parameters.gravity), Array.from({ length: 20 }, (_, i) => i * 0.5));
    const seqs = rec.events.map((e) => e.seq).filter((x) => x !== undefined);
    for (let i = 1; i < seqs.length; i++) assert.equal(seqs[i], seqs[i - 1] + 1);
    assert.equal((await sync(collab, u.id)).physics_parameters.gravity, 9.5);
  });

  it('success acks are {ok:true}', async () => {
    const { u, owner } = await room();
    const res = await ackOk(owner, 'parameter:update', { universe_id: u.id, category: 'audio', parameters: { lfo_rate: 2 } });
    assert.equal(res.error, undefined);
  });
});
