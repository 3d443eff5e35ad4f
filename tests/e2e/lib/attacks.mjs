// The hostile half of the soak (issue 12, "A hostile soak, bounded"): every attack the
// review found, each as a bounded loop (a deadline and a count), against 127.0.0.1 only.
// They run in their own process (lib/attacker-process.mjs) so that their CPU does not
// delay the well-behaved clients' clock. Each attack counts what it did in `stats[name]`.

import crypto from 'node:crypto';
import net from 'node:net';
import { OPCODE, encodeFrame, openRawWebSocket, textFrame, waitSocketClosed } from './raw-websocket.mjs';

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// How many hostile connections (or looping workers) each attack gets out of `total`.
// Every attack gets at least its minimum, so a small run still runs all of them.
// `only` (names) keeps some of them, to see which attack a failure comes from.
export function attackPlan(total, only = null) {
  const share = (fraction, min) => Math.max(min, Math.round(total * fraction));
  const plan = {
    pingFlood: share(0.02, 2),         // raw sockets that send pings and never read
    neverReadInRoom: share(0.2, 4),    // joined a busy public universe, never read
    stateSyncFlood: share(0.04, 4),    // state:sync {last_sync: 0} on a huge universe
    slowloris: share(0.2, 4),          // half-sent HTTP headers, a byte a second
    halfOpen: share(0.14, 4),          // TCP connect, then silence
    unauthIdlers: share(0.2, 4),       // Engine.IO open, never a CONNECT
    badFrames: share(0.04, 2),         // workers: one invalid frame per connection
    tokenSpam: share(0.04, 2),         // workers: forged/garbage JWTs, CONNECT and authenticate
    listFlood: share(0.04, 2),         // workers: GET /api/universes in a loop
    createFlood: 1,                    // worker: POST /api/universes (public) in a loop
  };
  if (!only) return plan;
  const unknown = only.filter((name) => !(name in plan));
  if (unknown.length) throw new Error(`unknown attacks: ${unknown.join(', ')}`);
  return Object.fromEntries(Object.entries(plan).filter(([name]) => only.includes(name)));
}

// Per-attack bounds, besides the shared deadline.
const MAX_RECONNECTS = 200;           // per slot of a holding attack
const MAX_ITERATIONS = 100000;        // per worker of a looping attack
const MAX_FLOOD_BYTES = 4 * 1024 ** 3; // per ping-flood socket
const MAX_CREATES = 20000;            // universes one create-flood worker asks for

export class AttackContext {
  constructor({ port, deadline, tokens, universes, heavyUniverse }) {
    this.port = port;
    this.deadline = deadline;           // Date.now() value after which every loop ends
    this.tokens = tokens;               // valid JWTs of the attacker accounts
    this.universes = universes;         // ids of the well-behaved clients' public universes
    this.heavyUniverse = heavyUniverse; // a public universe of an attacker, filled up by prefill()
    this.stopped = false;
    this.open = new Set();              // every socket, for closeAll()
    this.stats = {};
  }

  get over() { return this.stopped || Date.now() >= this.deadline; }
  token(i) { return this.tokens[i % this.tokens.length]; }
  count(attack, key, n = 1) {
    const s = (this.stats[attack] ??= {});
    s[key] = (s[key] ?? 0) + n;
  }

  track(thing) {
    this.open.add(thing);
    const sock = thing.sock ?? thing;
    sock.once('close', () => this.open.delete(thing));
    return thing;
  }

  async ws(attack, opts = {}) {
    try {
      const c = this.track(await openRawWebSocket(this.port, opts));
      this.count(attack, 'opened');
      return c;
    } catch {
      this.count(attack, 'refused');
      return null;
    }
  }

  closeAll() {
    for (const thing of this.open) thing.destroy(); // RawWebSocket and net.Socket alike
    this.open.clear();
  }
}

// Holds `n` slots open until the deadline, reopening a slot (after a pause) when the
// server closes it; `openSlot(i)` returns a socket-like object with waitClosed or null.
async function holdSlots(ctx, attack, n, openSlot) {
  await Promise.all(Array.from({ length: n }, async (_, i) => {
    for (let attempt = 0; attempt < MAX_RECONNECTS && !ctx.over; attempt++) {
      const c = await openSlot(i);
      if (!c) { await sleep(200); continue; }
      while (!ctx.over && !(await c.waitClosed(250))) { /* hold */ }
      if (!ctx.over) ctx.count(attack, 'closedByServer');
      await sleep(100);
    }
  }));
}

async function socketIoConnect(c, token, timeoutMs = 3000) {
  const reply = c.nextText((t) => t.startsWith('40') || t.startsWith('44'), timeoutMs);
  c.sendText(`40${JSON.stringify({ token })}`);
  return (await reply).startsWith('40');
}

async function joinRoom(c, universeId, ackId) {
  const reply = c.nextText((t) => t.startsWith(`43${ackId}[`), 3000);
  c.sendText(`42${ackId}${JSON.stringify(['universe:join', { universe_id: universeId }])}`);
  return JSON.parse((await reply).slice(2 + String(ackId).length))[0]?.ok === true;
}

// An authenticated raw socket that has joined `universeId` (answers pings until paused).
async function joinedSocket(ctx, attack, token, universeId) {
  let c;
  c = await ctx.ws(attack, { onText: (t) => { if (t === '2') c?.sendText('3'); } });
  if (!c) return null;
  try {
    if (!(await socketIoConnect(c, token))) { ctx.count(attack, 'connectRefused'); c.destroy(); return null; }
    if (!(await joinRoom(c, universeId, 1))) { ctx.count(attack, 'joinRefused'); c.destroy(); return null; }
    return c;
  } catch {
    ctx.count(attack, 'setupFailed');
    c.destroy();
    return null;
  }
}

// --- prefill: the attacker's own public universe gets ~1000 chat messages full of
// quotes and backslashes (each escapes to 2 bytes; control characters, which escaped to 6,
// are refused in chat since finding 2) and ~1000 history entries, so that one
// state:sync of it is a reply of megabytes (finding 2). Bounded by count and time.
export async function prefill(ctx, { sockets = 12, maxEvents = 2000, maxMs = 8000 } = {}) {
  const until = Math.min(ctx.deadline, Date.now() + maxMs);
  const escaped = '"\\'.repeat(1000); // 2000 characters, 4000 bytes as JSON
  const plain = 'x'.repeat(2000);
  let sent = 0;
  await Promise.all(Array.from({ length: sockets }, async (_, i) => {
    const c = await joinedSocket(ctx, 'prefill', ctx.token(i), ctx.heavyUniverse);
    if (!c) return;
    for (let k = 0; sent < maxEvents && Date.now() < until && !ctx.stopped; k++) {
      const message = k % 2 ? plain : escaped;
      c.sendText(`42${JSON.stringify(['collaboration:message', { universe_id: ctx.heavyUniverse, message }])}`);
      c.sendText(`42${JSON.stringify(['parameter:update', { universe_id: ctx.heavyUniverse, category: 'physics', parameters: { particle_count: 1 + (sent % 99999) } }])}`);
      sent += 2;
      await sleep(100); // 20 events/s: the default budget of one connection
    }
    c.destroy();
  }));
  ctx.count('prefill', 'events', sent);
}

// --- 1. WebSocket ping flood from a socket that never reads --------------------------
export async function pingFlood(ctx, n) {
  // ~1 MB of 125-byte pings per write: few wake-ups per megabyte, so even a starved
  // (niced) attacker process floods at full speed.
  const pings = Buffer.concat(Array.from({ length: 8192 }, () => encodeFrame(OPCODE.ping, crypto.randomBytes(125))));
  await Promise.all(Array.from({ length: n }, async () => {
    for (let attempt = 0; attempt < MAX_RECONNECTS && !ctx.over; attempt++) {
      const c = await ctx.ws('pingFlood');
      if (!c) { await sleep(200); continue; }
      c.pause();
      let bytes = 0;
      while (!ctx.over && !c.closed && bytes < MAX_FLOOD_BYTES) {
        if (c.write(pings)) bytes += pings.length;
        await sleep(1); // node buffers one chunk at a time; when the server stops reading we wait here
      }
      ctx.count('pingFlood', 'bytes', bytes);
      if (!ctx.over) ctx.count('pingFlood', 'closedByServer');
      c.destroy();
    }
  }));
}

// --- 2a. never-reading sockets in the well-behaved clients' rooms ---------------------
export async function neverReadInRoom(ctx, n) {
  await holdSlots(ctx, 'neverReadInRoom', n, async (i) => {
    const universeId = ctx.universes[i % ctx.universes.length];
    const c = await joinedSocket(ctx, 'neverReadInRoom', ctx.token(i), universeId);
    if (!c) return null;
    c.pause();
    // It writes a cursor now and then (never reading): a write to a socket the server has
    // closed fails, which is how a paused socket learns it must reconnect.
    const cursor = textFrame(`42${JSON.stringify(['collaboration:cursor', { universe_id: universeId, position: { x: 1, y: 1 } }])}`);
    const poke = setInterval(() => c.write(cursor), 2000);
    c.sock.once('close', () => clearInterval(poke));
    return c;
  });
}

// --- 2b. state:sync floods: half never read the replies, half read and discard --------
export async function stateSyncFlood(ctx, n) {
  // Ten requests per write, ten writes a second: 100 requests/s per connection, five
  // times the event budget, with few wake-ups of the attacker process.
  const one = textFrame(`42${JSON.stringify(['state:sync', { universe_id: ctx.heavyUniverse, last_sync: 0 }])}`);
  const burst = Buffer.concat(Array.from({ length: 10 }, () => one));
  await Promise.all(Array.from({ length: n }, async (_, i) => {
    for (let attempt = 0; attempt < MAX_RECONNECTS && !ctx.over; attempt++) {
      const c = await joinedSocket(ctx, 'stateSyncFlood', ctx.token(i), ctx.heavyUniverse);
      if (!c) { await sleep(200); continue; }
      if (i % 2 === 0) c.pause();
      for (let k = 0; k < MAX_ITERATIONS && !ctx.over && !c.closed; k++) {
        if (c.write(burst)) ctx.count('stateSyncFlood', 'requests', 10);
        await sleep(100);
      }
      if (!ctx.over) ctx.count('stateSyncFlood', 'closedByServer');
      c.destroy();
    }
  }));
}

// --- 3. list floods, and the creation flood that makes each list expensive -------------
export async function listFlood(ctx, n) {
  await Promise.all(Array.from({ length: n }, async (_, i) => {
    for (let k = 0; k < MAX_ITERATIONS && !ctx.over; k++) {
      try {
        const res = await fetch(`http://127.0.0.1:${ctx.port}/api/universes`, {
          headers: { authorization: `Bearer ${ctx.token(i)}` }, signal: AbortSignal.timeout(5000) });
        await res.arrayBuffer();
        ctx.count('listFlood', `http${res.status}`);
      } catch {
        ctx.count('listFlood', 'failed');
        await sleep(50);
      }
    }
  }));
}

export async function createFlood(ctx, n) {
  await Promise.all(Array.from({ length: n }, async (_, i) => {
    for (let k = 0; k < MAX_CREATES && !ctx.over; k++) {
      try {
        const res = await fetch(`http://127.0.0.1:${ctx.port}/api/universes`, {
          method: 'POST',
          headers: { authorization: `Bearer ${ctx.token(i + 1)}`, 'content-type': 'application/json' },
          body: JSON.stringify({ name: `spam ${k}`, description: 'y'.repeat(1000), is_public: true }),
          signal: AbortSignal.timeout(5000) });
        await res.arrayBuffer();
        ctx.count('createFlood', `http${res.status}`);
        if (res.status === 429 || res.status === 403) await sleep(100); // refused: keep trying, not spinning
      } catch {
        ctx.count('createFlood', 'failed');
        await sleep(50);
      }
    }
  }));
}

// --- 7. slowloris: headers sent a byte at a time, never finished ----------------------
export async function slowloris(ctx, n) {
  const rawTcp = () => new Promise((resolve) => {
    const sock = net.connect({ host: '127.0.0.1', port: ctx.port });
    sock.on('error', () => {});
    sock.once('connect', () => resolve(sock));
    sock.once('close', () => resolve(null));
  });
  await holdSlots(ctx, 'slowloris', n, async () => {
    const sock = await rawTcp();
    if (!sock) { ctx.count('slowloris', 'refused'); return null; }
    ctx.track(sock);
    ctx.count('slowloris', 'opened');
    sock.resume(); // read what the server says (a 408, its close) so a closed slot reopens
    sock.write(`GET /api/universes HTTP/1.1\r\nHost: 127.0.0.1:${ctx.port}\r\nX-Slow: `);
    const drip = setInterval(() => { if (!sock.destroyed) sock.write('a'); }, 1000);
    sock.once('close', () => clearInterval(drip));
    return { waitClosed: (ms) => waitSocketClosed(sock, ms) };
  });
}

// --- 7. half-open TCP: connect and go silent ------------------------------------------
export async function halfOpen(ctx, n) {
  await holdSlots(ctx, 'halfOpen', n, () => new Promise((resolve) => {
    const sock = net.connect({ host: '127.0.0.1', port: ctx.port });
    sock.on('error', () => {});
    sock.once('connect', () => {
      ctx.track(sock);
      ctx.count('halfOpen', 'opened');
      // Silent, but reading (flowing): the server's close is seen and the slot reconnects.
      sock.resume();
      resolve({ waitClosed: (ms) => waitSocketClosed(sock, ms) });
    });
    sock.once('close', () => resolve(null));
  }));
}

// --- 7. unauthenticated idlers: Engine.IO open (pings answered), never a CONNECT -----
export async function unauthIdlers(ctx, n) {
  await holdSlots(ctx, 'unauthIdlers', n, async () => {
    let c;
    c = await ctx.ws('unauthIdlers', { onText: (t) => { if (t === '2') c?.sendText('3'); } });
    return c;
  });
}

// --- oversized and invalid frames: one per connection, the server must close ----------
const invalidFrames = [
  ['oversized', () => Buffer.concat([encodeFrame(OPCODE.text, Buffer.alloc(0), { declaredLength: 2_000_000 }), Buffer.alloc(65536, 0x61)])],
  ['hugeLength', () => encodeFrame(OPCODE.binary, Buffer.alloc(0), { declaredLength: 2 ** 52 })],
  ['badOpcode', () => encodeFrame(0x3, 'x')],
  ['badControlOpcode', () => encodeFrame(0xb, 'x')],
  ['badUtf8', () => encodeFrame(OPCODE.text, Buffer.from([0x34, 0x32, 0xff, 0xfe, 0xc3]))],
  ['unmasked', () => encodeFrame(OPCODE.text, '42["parameter:sync",{}]', { mask: false })],
  ['fragmentedPing', () => encodeFrame(OPCODE.ping, 'x', { fin: false })],
  ['longPing', () => encodeFrame(OPCODE.ping, Buffer.alloc(200, 0x61))],
  ['orphanContinuation', () => encodeFrame(OPCODE.continuation, 'x')],
  ['reservedCloseCode', () => encodeFrame(OPCODE.close, Buffer.from([0x03, 0xed]))],
  ['badUtf8CloseReason', () => encodeFrame(OPCODE.close, Buffer.from([0x03, 0xe8, 0xff, 0xfe]))],
  ['engineGarbage', () => textFrame('9\u0000garbage')],
  ['truncatedJson', () => textFrame('42["parameter:update",{"universe_id":')],
  ['deepJson', () => textFrame(`42${'['.repeat(200000)}`)],
];

export async function badFrames(ctx, n) {
  await Promise.all(Array.from({ length: n }, async (_, w) => {
    for (let k = 0; k < MAX_ITERATIONS && !ctx.over; k++) {
      const [name, make] = invalidFrames[(k * n + w) % invalidFrames.length];
      const c = await ctx.ws('badFrames');
      if (!c) { await sleep(100); continue; }
      c.write(make());
      const closed = await c.waitClosed(1000);
      ctx.count('badFrames', closed ? `${name}Closed` : `${name}NotClosedIn1s`);
      c.destroy();
    }
  }));
}

// --- token spam: forged and garbage JWTs, in CONNECT and in `authenticate` ------------
const b64url = (v) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');
function forgedTokens() {
  const now = Math.floor(Date.now() / 1000);
  const sign = (h, p, key) => `${b64url(h)}.${b64url(p)}.${crypto.createHmac('sha256', key).update(`${b64url(h)}.${b64url(p)}`).digest('base64url')}`;
  const hs = { alg: 'HS256', typ: 'JWT' };
  return [
    sign(hs, { sub: '1', exp: now + 3600 }, 'not-the-secret'),
    `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url({ sub: '1', exp: now + 3600 })}.`,
    sign(hs, { sub: '1', exp: now - 3600 }, crypto.randomBytes(16)),
    crypto.randomBytes(48).toString('base64'),
    'a.b.c',
    `${b64url(hs)}.${'A'.repeat(60000)}.x`,
    '',
  ];
}

export async function tokenSpam(ctx, n) {
  const tokens = forgedTokens();
  await Promise.all(Array.from({ length: n }, async (_, w) => {
    for (let k = 0; k < MAX_ITERATIONS && !ctx.over; k++) {
      const c = await ctx.ws('tokenSpam');
      if (!c) { await sleep(100); continue; }
      try {
        const token = tokens[(k + w) % tokens.length];
        if (await socketIoConnect(c, token, 2000)) ctx.count('tokenSpam', 'forgedAccepted');
        else ctx.count('tokenSpam', 'refused');
        // then CONNECT without auth and try `authenticate` a few times
        c.sendText('40');
        for (let j = 0; j < 5; j++) c.sendText(`42${JSON.stringify(['authenticate', { token: tokens[(k + j) % tokens.length] }])}`);
        const accepted = await c.nextText((t) => t.startsWith('42["authenticated"'), 300).then(() => true, () => false);
        if (accepted) ctx.count('tokenSpam', 'forgedAuthenticated');
      } catch {
        ctx.count('tokenSpam', 'noAnswer');
      }
      c.destroy();
    }
  }));
}

export const ATTACKS = { pingFlood, neverReadInRoom, stateSyncFlood, slowloris, halfOpen, unauthIdlers, badFrames, tokenSpam, listFlood, createFlood };
