// Authentication over the realtime protocol (docs/protocol.md): token in CONNECT auth, the
// `authenticate` event, and refused tokens (forged, expired, alg:none, tampered) crafted
// here with node:crypto and the server's --jwt-secret.

import { after, afterEach, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { skipReason, startServer } from './lib/server.mjs';
import { Tracker, decodeJwt, join, makeWorld, once, signJwt } from './lib/clients.mjs';
import { ackError, ackOk, freshUniverse, sysError } from './lib/world.mjs';

describe('protocol: authentication', { skip: skipReason(), timeout: 120000 }, () => {
  let server;
  let world;
  let u;
  const t = new Tracker();
  before(async () => {
    server = await startServer({ name: 'auth' });
    world = await makeWorld(server);
    u = await freshUniverse(server, world);
  });
  afterEach(() => t.closeAll());
  after(async () => { t.closeAll(); await server?.dispose(); });

  const now = () => Math.floor(Date.now() / 1000);
  // The claims the server itself put in the owner's token, with some fields replaced.
  const claims = (over = {}) => ({ ...decodeJwt(world.owner.token).payload, ...over });

  function badTokens() {
    const good = world.owner.token;
    const [h, , s] = good.split('.');
    const otherPayload = Buffer.from(JSON.stringify(claims({ sub: world.collaborator.user.id }))).toString('base64url');
    return {
      'HS256 with a wrong secret': signJwt(claims({ exp: now() + 3600 }), 'not-the-secret'),
      'expired (exp one hour ago)': signJwt(claims({ iat: now() - 7200, exp: now() - 3600 }), server.jwtSecret),
      'alg none': signJwt(claims({ exp: now() + 3600 }), '', { alg: 'none', typ: 'JWT' }),
      'alg NONE': signJwt(claims({ exp: now() + 3600 }), '', { alg: 'NONE', typ: 'JWT' }),
      'alg none keeping the real signature': `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${good.split('.')[1]}.${s}`,
      'payload swapped to another user (signature of the original)': `${h}.${otherPayload}.${s}`,
      'not a JWT at all': 'definitely-not-a-jwt',
      'truncated': good.slice(0, good.length - 5),
    };
  }

  it('sanity: the token claims are {sub: user id, exp}; a token minted here with the server secret is accepted', async () => {
    const { header, payload } = decodeJwt(world.owner.token);
    assert.equal(header.alg, 'HS256');
    assert.equal(String(payload.sub), world.owner.user.id);
    assert.equal(typeof payload.exp, 'number');
    assert.ok(payload.exp > now());
    const minted = signJwt(claims({ exp: now() + 600 }), server.jwtSecret);
    const socket = await t.open(server, minted);
    const { initial } = await join(socket, u.id);
    assert.equal(initial.universe.id, u.id);
  });

  it('token in CONNECT auth (document options) -> connect; events work', async () => {
    const socket = t.connect(server, world.collaborator.token);
    const connected = once(socket, 'connect', 5000);
    await connected;
    assert.equal(typeof socket.id, 'string');
    const { initial } = await join(socket, u.id, world.collaborator.user.id);
    assert.ok(initial.participants.some((p) => p.id === world.collaborator.user.id));
  });

  it('bad tokens in CONNECT auth -> connect_error "unauthorized" (socket.io-client)', async () => {
    for (const [label, token] of Object.entries(badTokens())) {
      const socket = t.connect(server, token);
      const err = await once(socket, 'connect_error', 5000).catch((e) => { throw new Error(`${label}: ${e.message}`); });
      assert.equal(err.message, 'unauthorized', label);
      assert.equal(socket.connected, false, label);
      socket.disconnect();
    }
  });

  it('bad tokens in CONNECT auth -> CONNECT_ERROR 44{"message":"unauthorized"} (raw)', async () => {
    for (const [label, token] of Object.entries(badTokens())) {
      const raw = await t.raw(server);
      const reply = await raw.sioConnect({ token });
      assert.ok(reply.startsWith('44'), `${label}: ${reply}`);
      assert.equal(JSON.parse(reply.slice(2)).message, 'unauthorized', label);
      raw.close();
    }
  });

  it('a token that is not a string in CONNECT auth -> CONNECT_ERROR unauthorized', async () => {
    for (const auth of [{ token: 12345 }, { token: { sub: world.owner.user.id } }, { token: [world.owner.token] }]) {
      const raw = await t.raw(server);
      const reply = await raw.sioConnect(auth);
      assert.ok(reply.startsWith('44'), `${JSON.stringify(auth)}: ${reply}`);
      assert.equal(JSON.parse(reply.slice(2)).message, 'unauthorized');
      raw.close();
    }
  });

  it('a token for a user that does not exist is refused', async () => {
    const token = signJwt(claims({ sub: '987654321', exp: now() + 600 }), server.jwtSecret);
    const socket = t.connect(server, token);
    const err = await once(socket, 'connect_error', 5000);
    assert.equal(err.message, 'unauthorized');
  });

  it('no token: connection accepted but unauthenticated; every event except authenticate -> unauthorized', async () => {
    const socket = await t.open(server, undefined);
    assert.equal(socket.connected, true);
    await sysError(socket, 'universe:join', { universe_id: u.id }, 'unauthorized');
    await ackError(socket, 'universe:join', { universe_id: u.id }, 'unauthorized');
    await ackError(socket, 'parameter:sync', { universe_id: u.id }, 'unauthorized');
    await ackError(socket, 'collaboration:message', { universe_id: u.id, message: 'hi' }, 'unauthorized');
  });

  it('no token: even an unknown event is unauthorized (not invalid_parameters)', async () => {
    const socket = await t.open(server, undefined);
    await ackError(socket, 'some:unknown', {}, 'unauthorized');
  });

  it('the security flow of docs/protocol.md: authenticate on connect -> authenticated {user}; then events work', async () => {
    const socket = t.connect(server, undefined);
    const authenticated = once(socket, 'authenticated', 5000);
    socket.on('connect', () => {
      socket.emit('authenticate', { token: world.collaborator.token });
    });
    const d = await authenticated;
    assert.deepEqual(d.user, { id: world.collaborator.user.id, username: world.collaborator.username });
    const { initial } = await join(socket, u.id);
    assert.equal(initial.universe.id, u.id);
  });

  it('authenticate with an ack -> {ok:true}', async () => {
    const socket = await t.open(server, undefined);
    await ackOk(socket, 'authenticate', { token: world.owner.token });
    await join(socket, u.id);
  });

  it('failed authenticate -> system:error unauthorized and the connection stays unauthenticated', async () => {
    const socket = await t.open(server, undefined);
    for (const [label, token] of Object.entries(badTokens())) {
      const err = await sysError(socket, 'authenticate', { token }, 'unauthorized').catch((e) => { throw new Error(`${label}: ${e.message}`); });
      assert.ok(err);
    }
    await sysError(socket, 'authenticate', {}, 'unauthorized');
    await ackError(socket, 'authenticate', { token: 'nope' }, 'unauthorized');
    await ackError(socket, 'universe:join', { universe_id: u.id }, 'unauthorized');
    // and a good token still works afterwards
    const ok = once(socket, 'authenticated');
    socket.emit('authenticate', { token: world.owner.token });
    assert.equal((await ok).user.id, world.owner.user.id);
    await join(socket, u.id);
  });

  it('authenticating again as someone else is refused; the identity stays', async () => {
    const socket = await t.open(server, world.owner.token);
    await sysError(socket, 'authenticate', { token: world.collaborator.token }, 'unauthorized');
    await join(socket, u.id);
    const msg = once(socket, 'collaboration:message');
    await ackOk(socket, 'collaboration:message', { universe_id: u.id, message: 'who am I' });
    const m = await msg;
    assert.equal(m.user_id, world.owner.user.id);
    assert.equal(m.username, world.owner.username);
  });

  it('a token from login works like the one from register', async () => {
    const res = await fetch(`${server.url}/api/auth/login`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: world.viewer.username, password: world.viewer.password }),
    });
    assert.equal(res.status, 200);
    const body = await res.json();
    assert.deepEqual(body.user, { id: world.viewer.user.id, username: world.viewer.username });
    const socket = await t.open(server, body.token);
    await ackError(socket, 'universe:join', { universe_id: u.id }, 'unauthorized'); // private, not shared with the viewer
  });
});
