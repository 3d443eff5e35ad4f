// Bad input as raw WebSocket frames: malformed Socket.IO packets, invalid JSON, deep
// nesting, binary frames, oversized frames, unparseable Engine.IO packets, NaN-like
// numbers, wrong types, strings over limits. After each, the same connection (when it is
// meant to stay open) and a fresh socket.io-client are served normally.
// With HARMONIC_E2E_TRANSPORT=polling (protocol-over-polling.test.mjs) the same packets
// go as long-polling POSTs instead (RawPollingClient).

import { after, afterEach, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { skipReason, startServer } from './lib/server.mjs';
import { Tracker, join, makeWorld, rawAuthed, sleep, sync, transportName } from './lib/clients.mjs';
import { freshUniverse } from './lib/world.mjs';
import { DEFAULTS } from './lib/params.mjs';

const transport = transportName();

describe(`protocol: bad input (raw ${transport === 'polling' ? 'polling payloads' : 'frames'})`, { skip: skipReason(), timeout: 180000 }, () => {
  let server;
  let world;
  let u;
  const t = new Tracker();
  before(async () => {
    server = await startServer({ name: 'bad-input', rateLimit: 1000, rateBurst: 1000 });
    world = await makeWorld(server);
    u = await freshUniverse(server, world);
  });
  afterEach(() => t.closeAll());
  after(async () => { t.closeAll(); await server?.dispose(); });

  // A raw client, authenticated as the owner and joined to u.
  async function joinedRaw(opts) {
    const raw = await rawAuthed(t, server, world.owner.token, { transport, ...opts });
    raw.emit('universe:join', { universe_id: u.id }, 1);
    const a = await raw.nextAck(1);
    assert.equal(a.ok, true, JSON.stringify(a));
    return raw;
  }

  // The raw connection still answers: parameter:sync -> parameter:synced.
  async function stillUsable(raw) {
    raw.emit('parameter:sync', { universe_id: u.id });
    const s = await raw.nextEvent('parameter:synced', 3000);
    assert.equal(s.universe_id, u.id);
    return s;
  }

  // A brand-new socket.io-client is served normally.
  async function serverHealthy() {
    assert.equal(server.running, true, `server died: ${JSON.stringify(server.exitInfo)}\n${server.tail()}`);
    const socket = await t.open(server, world.collaborator.token);
    const { initial } = await join(socket, u.id);
    assert.equal(initial.universe.id, u.id);
    const s = await sync(socket, u.id);
    assert.equal(s.universe_id, u.id);
    socket.disconnect();
  }

  async function expectInvalid(raw, frame, label) {
    raw.send(frame);
    const err = await raw.nextEvent('system:error', 3000).catch((e) => { throw new Error(`${label}: ${e.message}`); });
    assert.equal(err.code, 'invalid_parameters', `${label}: ${JSON.stringify(err)}`);
    assert.equal(typeof err.message, 'string', label);
    assert.equal(raw.open, true, `${label}: connection must stay open`);
    await stillUsable(raw);
  }

  const deep = (n) => `${'['.repeat(n)}${']'.repeat(n)}`;
  const malformed = {
    'invalid JSON (truncated)': '42["parameter:sync",{"universe_id":',
    'invalid JSON (NaN literal)': '42["parameter:sync",{"universe_id":NaN}]',
    'invalid JSON (trailing garbage)': '42["parameter:sync",{}]xyz',
    'payload not an array': '42{"name":"parameter:sync"}',
    'empty array': '42[]',
    'event name not a string': '42[42,{"a":1}]',
    'event name null': '42[null]',
    'JSON string instead of array': '42"parameter:sync"',
    'garbage after packet type': '42abc',
    'unknown Socket.IO packet type 9': '49',
    'Socket.IO packet type 7 (out of range)': '47["x"]',
    'empty Socket.IO packet': '4',
    '33 levels of nesting': `42["parameter:sync",${deep(32)}]`,
    '100000 levels of nesting': `42["parameter:sync",${deep(100000)}]`,
    'deep object nesting': `42["parameter:sync",${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}]`,
  };

  for (const [label, frame] of Object.entries(malformed)) {
    it(`malformed: ${label} -> system:error invalid_parameters; connection usable`, async () => {
      const raw = await joinedRaw();
      await expectInvalid(raw, frame, label);
      await serverHealthy();
    });
  }

  it('32 levels of nesting are still accepted as JSON (the event is refused for its content only)', async () => {
    const raw = await joinedRaw();
    // depth: array(1) > object(2) > ... keep total depth <= 32
    const payload = `{"universe_id":"${u.id}","x":${deep(30)}}`;
    raw.send(`42["parameter:sync",${payload}]`);
    const s = await raw.nextEvent('parameter:synced', 3000);
    assert.equal(s.universe_id, u.id);
  });

  it('binary frame -> system:error invalid_parameters; connection usable', async () => {
    const raw = await joinedRaw();
    raw.sendBinary(Buffer.from([0x04, 0x02, 0xff, 0x00, 0x10]));
    const err = await raw.nextEvent('system:error', 3000);
    assert.equal(err.code, 'invalid_parameters');
    await stillUsable(raw);
    await serverHealthy();
  });

  it('a malformed packet with an ack id is answered in the ack when the id is readable', async () => {
    const raw = await joinedRaw();
    raw.send(`4277["parameter:update",{"universe_id":"${u.id}","category":"physics","parameters":{"gravity":"heavy"}}]`);
    const a = await raw.nextAck(77);
    assert.equal(a.ok, false);
    assert.equal(a.error.code, 'invalid_parameters');
    await sleep(300);
    assert.deepEqual(raw.events('system:error'), [], 'no system:error when the ack carries the error');
  });

  it('unparseable Engine.IO packet "9x" -> the connection is closed', async () => {
    const raw = await joinedRaw();
    raw.send('9x');
    await raw.waitClose(3000);
    await serverHealthy();
  });

  it('empty text frame -> the connection is closed (an empty Engine.IO packet is malformed)', async () => {
    const raw = await joinedRaw();
    raw.send('');
    const closed = await raw.waitClose(3000);
    // WebSocket: a normal close after what was queued; polling: the close packet.
    assert.equal(closed.code, transport === 'polling' ? 200 : 1000);
    await serverHealthy();
  });

  it('frame larger than maxPayload (1,000,000 bytes) -> close 1009 (polling: 413)', async () => {
    const raw = await joinedRaw();
    const big = `42["collaboration:message",{"universe_id":"${u.id}","message":"${'a'.repeat(1000100)}"}]`;
    raw.send(big);
    const closed = await raw.waitClose(5000);
    if (transport === 'polling') {
      // The held GET may see the session end (close packet) before the POST's answer.
      await raw.posting;
      assert.equal(raw.postStatuses.at(-1), 413);
    } else {
      assert.equal(closed.code, 1009);
    }
    await serverHealthy();
  });

  it('frame just under maxPayload with a too-long message -> invalid_parameters, connection usable', async () => {
    const raw = await joinedRaw();
    const msg = 'b'.repeat(900000);
    raw.send(`42["collaboration:message",{"universe_id":"${u.id}","message":"${msg}"}]`);
    const err = await raw.nextEvent('system:error', 5000);
    assert.equal(err.code, 'invalid_parameters');
    await stillUsable(raw);
    await serverHealthy();
  });

  it('event before Socket.IO CONNECT -> disconnected', async () => {
    const raw = await t.raw(server, { transport });
    raw.send(`42["parameter:sync",{"universe_id":"${u.id}"}]`);
    await raw.waitClose(3000);
    await serverHealthy();
  });

  it('invalid UTF-8 in a text frame -> closed with 1007 (polling: the session is closed)', async () => {
    const raw = await joinedRaw();
    const bytes = Buffer.from([0x34, 0x32, 0x5b, 0x22, 0xc3, 0x28, 0x22, 0x5d]);
    if (transport === 'polling') raw.send(bytes);
    else raw.ws.send(bytes, { binary: false });
    const closed = await raw.waitClose(3000);
    assert.equal(closed.code, transport === 'polling' ? 200 : 1007);
    await serverHealthy();
  });

  const badValues = {
    'gravity 1e999': '{"gravity":1e999}',
    'gravity -1e999': '{"gravity":-1e999}',
    'particle_count 1e400': '{"particle_count":1e400}',
    'gravity 1e-400 then out-of-range friction': '{"gravity":1e-400,"friction":2}',
    'particle_count beyond int64': '{"particle_count":123456789012345678901234567890}',
    'gravity as a string number': '{"gravity":"15"}',
    'gravity as an array': '{"gravity":[15]}',
    'gravity as an object': '{"gravity":{"value":15}}',
  };
  for (const [label, params] of Object.entries(badValues)) {
    it(`value: ${label} -> invalid_parameters, nothing applied`, async () => {
      const raw = await joinedRaw();
      await expectInvalid(raw, `42["parameter:update",{"universe_id":"${u.id}","category":"physics","parameters":${params}}]`, label);
      const s = await stillUsable(raw);
      assert.deepEqual(s.physics_parameters, DEFAULTS.physics, `${label}: nothing applied`);
      await serverHealthy();
    });
  }

  const wrongShapes = {
    'no payload': () => '42["parameter:update"]',
    'payload is a string': () => '42["parameter:update","physics"]',
    'payload is a number': () => '42["parameter:update",5]',
    'payload is null': () => '42["parameter:update",null]',
    'category is a number': (id) => `42["parameter:update",{"universe_id":"${id}","category":5,"parameters":{"gravity":1}}]`,
    'changes not an object (universe:update)': (id) => `42["universe:update",{"universe_id":"${id}","changes":"rename"}]`,
    'delta change without from/to': (id) => `42["parameter:delta",{"universe_id":"${id}","category":"physics","changes":{"gravity":15}}]`,
    'batch updates not an array': (id) => `42["parameter:batch_update",{"universe_id":"${id}","updates":{"category":"physics"}}]`,
    'cursor position not an object': (id) => `42["collaboration:cursor",{"universe_id":"${id}","position":"here"}]`,
    'cursor position 1e999': (id) => `42["collaboration:cursor",{"universe_id":"${id}","position":{"x":1e999,"y":0}}]`,
    'message over 2000 characters': (id) => `42["collaboration:message",{"universe_id":"${id}","message":"${'m'.repeat(2001)}"}]`,
    'universe name over 100 characters': (id) => `42["universe:update",{"universe_id":"${id}","changes":{"name":"${'n'.repeat(101)}"}}]`,
    'event name of 100000 characters': () => `42["${'e'.repeat(100000)}",{}]`,
  };
  for (const [label, makeFrame] of Object.entries(wrongShapes)) {
    it(`wrong shape: ${label} -> invalid_parameters; connection usable`, async () => {
      const raw = await joinedRaw();
      await expectInvalid(raw, makeFrame(u.id), label);
      await serverHealthy();
    });
  }

  it('universe_id of the wrong type -> invalid_parameters or invalid_universe, nothing applied', async () => {
    for (const id of [JSON.stringify('9'.repeat(100000)), '123', 'null', '{"id":"1"}', '["1"]', 'true']) {
      const raw = await joinedRaw();
      raw.send(`42["parameter:update",{"universe_id":${id},"category":"physics","parameters":{"gravity":2}}]`);
      const err = await raw.nextEvent('system:error', 3000);
      assert.ok(['invalid_parameters', 'invalid_universe'].includes(err.code), `${id}: ${JSON.stringify(err)}`);
      const s = await stillUsable(raw);
      assert.equal(s.physics_parameters.gravity, DEFAULTS.physics.gravity);
      raw.close();
    }
    await serverHealthy();
  });

  it('a lone surrogate escape in a message -> refused or stored, never a crash', async () => {
    const raw = await joinedRaw();
    raw.send(`421["collaboration:message",{"universe_id":"${u.id}","message":"bad \\ud800 surrogate"}]`);
    // refused as a malformed packet (system:error) or as a bad message (ack), or stored (ack ok)
    const f = await raw.next((fr) => typeof fr === 'string' && (fr.startsWith('431[') || fr.startsWith('42["system:error"')), 3000);
    if (f.startsWith('431[')) {
      const a = JSON.parse(f.slice(3))[0];
      if (a.ok === false) assert.equal(a.error.code, 'invalid_parameters');
    } else {
      assert.equal(JSON.parse(f.slice(2))[1].code, 'invalid_parameters');
    }
    await stillUsable(raw);
    await serverHealthy();
  });

  it('a burst of 200 malformed frames does not stall other clients', async () => {
    const raw = await joinedRaw();
    const started = Date.now();
    for (let i = 0; i < 200; i++) raw.send(i % 2 ? '42[' : `42["x${i}"`);
    await serverHealthy();
    assert.ok(Date.now() - started < 5000, `served after ${Date.now() - started} ms`);
    await sleep(300);
    if (raw.open) await stillUsable(raw);
  });
});
