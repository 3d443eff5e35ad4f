// Clients for end-to-end tests: REST through fetch, socket.io-client with the options
// from docs/protocol.md, and a raw Engine.IO/Socket.IO WebSocket client
// (package `ws`) that can send any frame. Every wait has a timeout; `Tracker.closeAll()`
// closes whatever a test opened.

import crypto from 'node:crypto';
import { io } from 'socket.io-client';
import WebSocket from 'ws';
import { SEPARATOR, engineRequest } from './polling.mjs';

// ---------------------------------------------------------------------------
// REST
// ---------------------------------------------------------------------------

export async function api(server, method, path, body, token, extraHeaders = {}) {
  const headers = { ...extraHeaders };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : (typeof body === 'string' ? body : JSON.stringify(body)),
    signal: AbortSignal.timeout(10000),
  });
  const text = await res.text();
  let json;
  try { json = text ? JSON.parse(text) : undefined; } catch { json = undefined; }
  return { status: res.status, headers: res.headers, text, body: json };
}

let userCounter = 0;
export function uniqueName(prefix = 'u') {
  userCounter += 1;
  return `${prefix}_${process.pid % 10000}_${userCounter}_${crypto.randomBytes(3).toString('hex')}`.slice(0, 32);
}

// Registers a user; returns {token, user:{id, username}, username, password}.
export async function register(server, username = uniqueName(), password = 'correct-horse-9') {
  const r = await api(server, 'POST', '/api/auth/register', { username, password });
  if (r.status !== 201) throw new Error(`register ${username}: HTTP ${r.status} ${r.text}`);
  return { ...r.body, username, password };
}

export async function login(server, username, password) {
  const r = await api(server, 'POST', '/api/auth/login', { username, password });
  if (r.status !== 200) throw new Error(`login ${username}: HTTP ${r.status} ${r.text}`);
  return r.body;
}

export async function createUniverse(server, token, fields = {}) {
  const body = { name: fields.name ?? `Universe ${uniqueName('n')}`, description: fields.description ?? 'e2e', is_public: fields.is_public ?? false };
  const r = await api(server, 'POST', '/api/universes', body, token);
  if (r.status !== 201) throw new Error(`create universe: HTTP ${r.status} ${r.text}`);
  return r.body;
}

export async function addCollaborator(server, ownerToken, universeId, username) {
  const r = await api(server, 'POST', `/api/universes/${universeId}/collaborators`, { username }, ownerToken);
  if (r.status < 200 || r.status >= 300) throw new Error(`add collaborator: HTTP ${r.status} ${r.text}`);
  return r.body;
}

// Owner, collaborator, public viewer and stranger; a private universe shared with the
// collaborator and a public one. `viewer` and `stranger` have no rights on either;
// the viewer is the one tests use to join the public universe.
export async function makeWorld(server) {
  const [owner, collaborator, viewer, stranger] = [
    await register(server, uniqueName('owner')),
    await register(server, uniqueName('collab')),
    await register(server, uniqueName('viewer')),
    await register(server, uniqueName('stranger')),
  ];
  const priv = await createUniverse(server, owner.token, { name: 'Private World', description: 'private', is_public: false });
  const pub = await createUniverse(server, owner.token, { name: 'Public World', description: 'public', is_public: true });
  await addCollaborator(server, owner.token, priv.id, collaborator.username);
  await addCollaborator(server, owner.token, pub.id, collaborator.username);
  return { owner, collaborator, viewer, stranger, priv, pub };
}

// ---------------------------------------------------------------------------
// socket.io-client
// ---------------------------------------------------------------------------

// The transport the socket.io-client helpers use: the document's `websocket`, or
// `polling` alone when HARMONIC_E2E_TRANSPORT=polling (the protocol suites run again that
// way: protocol-over-polling.test.mjs).
export function transportName() {
  return process.env.HARMONIC_E2E_TRANSPORT === 'polling' ? 'polling' : 'websocket';
}

// The connection options of docs/protocol.md, "Connecting".
export function documentOptions(token) {
  return {
    auth: { token },
    transports: [transportName()],
    reconnection: true,
    reconnectionAttempts: 5,
    reconnectionDelay: 1000,
  };
}

// Keeps track of what a test opened so `after` can close all of it.
export class Tracker {
  constructor() { this.sockets = new Set(); this.raws = new Set(); }

  // io(url, documentOptions) — not awaited, exactly like the document.
  connect(server, token, extraOpts = {}) {
    const opts = token === undefined ? { transports: [transportName()], reconnection: false } : documentOptions(token);
    const socket = io(server.url, { forceNew: true, ...opts, ...extraOpts });
    this.sockets.add(socket);
    return socket;
  }

  // connect() and wait for 'connect' (rejects on connect_error).
  async open(server, token, extraOpts = {}) {
    const socket = this.connect(server, token, extraOpts);
    await connected(socket);
    return socket;
  }

  // opts.transport 'polling': a RawPollingClient (the same interface over long-polling).
  async raw(server, opts = {}) {
    const r = await (opts.transport === 'polling' ? RawPollingClient : RawClient).open(server, opts);
    this.raws.add(r);
    return r;
  }

  closeAll() {
    for (const s of this.sockets) { s.io.reconnection(false); s.disconnect(); s.io.engine?.close(); }
    for (const r of this.raws) r.close();
    this.sockets.clear();
    this.raws.clear();
  }
}

export function connected(socket, timeoutMs = 5000) {
  if (socket.connected) return Promise.resolve(socket);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { cleanup(); reject(new Error(`no 'connect' within ${timeoutMs} ms`)); }, timeoutMs);
    const ok = () => { cleanup(); resolve(socket); };
    const bad = (err) => { cleanup(); reject(Object.assign(new Error(`connect_error: ${err?.message}`), { cause: err })); };
    const cleanup = () => { clearTimeout(timer); socket.off('connect', ok); socket.off('connect_error', bad); };
    socket.on('connect', ok);
    socket.on('connect_error', bad);
  });
}

// First occurrence of `event` (optionally matching `pred`) on any emitter with on/off
// (a socket, socket.io manager). Resolves with the first argument.
export function once(emitter, event, timeoutMs = 3000, pred = () => true) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { emitter.off(event, handler); reject(new Error(`no '${event}' within ${timeoutMs} ms`)); }, timeoutMs);
    function handler(...args) {
      if (!pred(...args)) return;
      clearTimeout(timer);
      emitter.off(event, handler);
      resolve(args[0]);
    }
    emitter.on(event, handler);
  });
}

// Records every `event` from now on: {events, stop(), wait(n, timeoutMs)}.
export function record(emitter, event) {
  const events = [];
  const waiters = [];
  const handler = (arg) => {
    events.push(arg);
    for (const w of [...waiters]) if (events.length >= w.n) { w.resolve(events); waiters.splice(waiters.indexOf(w), 1); }
  };
  emitter.on(event, handler);
  return {
    events,
    stop() { emitter.off(event, handler); return events; },
    wait(n, timeoutMs = 3000) {
      if (events.length >= n) return Promise.resolve(events);
      return new Promise((resolve, reject) => {
        const w = { n, resolve: (v) => { clearTimeout(w.timer); resolve(v); } };
        w.timer = setTimeout(() => { waiters.splice(waiters.indexOf(w), 1); reject(new Error(`only ${events.length}/${n} '${event}' within ${timeoutMs} ms`)); }, timeoutMs);
        waiters.push(w);
      });
    },
  };
}

// Asserts that `event` does not arrive within `ms` (non-delivery).
export async function expectNone(emitter, event, ms = 300, pred = () => true) {
  const got = [];
  const handler = (...args) => { if (pred(...args)) got.push(args[0]); };
  emitter.on(event, handler);
  await sleep(ms);
  emitter.off(event, handler);
  if (got.length) throw new Error(`unexpected '${event}': ${JSON.stringify(got[0])}`);
}

export function sleep(ms) { return new Promise((r) => setTimeout(r, ms)); }

// Emit with an ack (socket.io-client 4.8: timeout().emitWithAck()).
export function ack(socket, event, payload, timeoutMs = 5000) {
  return socket.timeout(timeoutMs).emitWithAck(event, payload);
}

// Emit without an ack and wait for the next system:error.
export async function emitExpectError(socket, event, payload, timeoutMs = 3000) {
  const p = once(socket, 'system:error', timeoutMs);
  socket.emit(event, payload);
  return p;
}

// Join and wait for this socket's own universe:joined and state:initial.
export async function join(socket, universeId, userId) {
  const initial = once(socket, 'state:initial', 5000);
  const payload = { universe_id: universeId };
  if (userId !== undefined) payload.user_id = userId;
  const res = await ack(socket, 'universe:join', payload);
  if (!res || res.ok !== true) throw new Error(`join ${universeId} failed: ${JSON.stringify(res)}`);
  return { ack: res, initial: await initial };
}

export async function sync(socket, universeId) {
  const p = once(socket, 'parameter:synced', 3000, (d) => d?.universe_id === universeId);
  socket.emit('parameter:sync', { universe_id: universeId });
  return p;
}

// ---------------------------------------------------------------------------
// Raw Engine.IO v4 / Socket.IO v5 over WebSocket
// ---------------------------------------------------------------------------

export class RawClient {
  // Opens ws://host:port/socket.io/?EIO=4&transport=websocket and waits for the `0{...}`
  // open packet (in `this.handshake`). Answers pings with `3` unless autoPong is false.
  static async open(server, { autoPong = true, query = 'EIO=4&transport=websocket', wsOptions = {}, timeoutMs = 5000 } = {}) {
    const c = new RawClient();
    c.autoPong = autoPong;
    c.ws = new WebSocket(`${server.wsUrl}/socket.io/?${query}`, { handshakeTimeout: timeoutMs, ...wsOptions });
    c.ws.on('message', (data, isBinary) => c.onMessage(data, isBinary));
    c.ws.on('close', (code, reason) => {
      c.closeInfo = { code, reason: reason.toString() };
      for (const w of c.closeWaiters) w(c.closeInfo);
      c.closeWaiters = [];
    });
    c.ws.on('error', (e) => { c.error = e; });
    const first = await c.next(() => true, timeoutMs).catch((e) => { c.close(); throw e; });
    if (typeof first !== 'string' || first[0] !== '0') throw new Error(`expected Engine.IO open packet, got ${JSON.stringify(first)}`);
    c.handshake = JSON.parse(first.slice(1));
    return c;
  }

  constructor() {
    this.frames = []; // every frame received, in order (strings, or Buffers for binary)
    this.used = new Set(); // indexes of frames already returned by next()
    this.waiters = [];
    this.closeInfo = null;
    this.closeWaiters = [];
    this.pings = 0;
  }

  onMessage(data, isBinary) {
    const frame = isBinary ? data : data.toString();
    if (frame === '2') {
      this.pings += 1;
      if (this.autoPong) this.send('3');
    }
    this.frames.push(frame);
    for (const w of [...this.waiters]) w();
  }

  send(data) {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(data);
  }

  // A binary message: a binary WebSocket frame.
  sendBinary(buffer) {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(buffer, { binary: true });
  }

  // The earliest received frame matching pred that no earlier call has returned (frames
  // that do not match stay available for later calls), waiting up to timeoutMs.
  next(pred, timeoutMs = 3000) {
    return new Promise((resolve, reject) => {
      const check = () => {
        for (let i = 0; i < this.frames.length; i++) {
          if (this.used.has(i)) continue;
          if (pred(this.frames[i])) { this.used.add(i); done(); resolve(this.frames[i]); return true; }
        }
        if (this.closeInfo) { done(); reject(new Error(`connection closed (${this.closeInfo.code}) while waiting`)); return true; }
        return false;
      };
      const timer = setTimeout(() => { done(); reject(new Error(`no matching frame within ${timeoutMs} ms; last frames ${JSON.stringify(this.frames.slice(-5).map((f) => String(f).slice(0, 200)))}`)); }, timeoutMs);
      const waiter = () => check();
      const done = () => { clearTimeout(timer); const i = this.waiters.indexOf(waiter); if (i >= 0) this.waiters.splice(i, 1); const j = this.closeWaiters.indexOf(waiter); if (j >= 0) this.closeWaiters.splice(j, 1); };
      if (check()) return;
      this.waiters.push(waiter);
      this.closeWaiters.push(waiter);
    });
  }

  // Socket.IO CONNECT to `nsp` with an auth object; resolves with the raw reply frame
  // (`40{...}` or `44{...}`, with `/nsp,` for other namespaces).
  async sioConnect(auth, nsp = '/') {
    const prefix = nsp === '/' ? '' : `${nsp},`;
    this.send(`40${prefix}${auth === undefined ? '' : JSON.stringify(auth)}`);
    return this.next((f) => typeof f === 'string' && (f.startsWith(`40${prefix}`) || f.startsWith(`44${prefix}`)), 3000);
  }

  emit(event, payload, ackId) {
    const args = payload === undefined ? [event] : [event, payload];
    this.send(`42${ackId ?? ''}${JSON.stringify(args)}`);
  }

  // Next EVENT named `event`; resolves with its first argument.
  async nextEvent(event, timeoutMs = 3000, pred = () => true) {
    const f = await this.next((fr) => {
      const p = parseEvent(fr);
      return p && p.name === event && pred(p.args[0]);
    }, timeoutMs);
    return parseEvent(f).args[0];
  }

  // ACK with id; resolves with its first argument.
  async nextAck(id, timeoutMs = 3000) {
    const f = await this.next((fr) => typeof fr === 'string' && new RegExp(`^43${id}\\[`).test(fr), timeoutMs);
    return JSON.parse(f.slice(2 + String(id).length))[0];
  }

  // Every EVENT received so far (parsed), including consumed ones.
  events(name) {
    return this.frames.map(parseEvent).filter((p) => p && (name === undefined || p.name === name));
  }

  waitClose(timeoutMs = 3000) {
    if (this.closeInfo) return Promise.resolve(this.closeInfo);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`connection not closed within ${timeoutMs} ms`)), timeoutMs);
      this.closeWaiters.push((info) => { clearTimeout(timer); resolve(info); });
    });
  }

  get open() { return this.ws.readyState === WebSocket.OPEN; }

  close() {
    try { this.ws.terminate(); } catch { /* ignore */ }
  }
}

// RawClient's interface over Engine.IO long-polling: a GET loop receives packets (pings
// answered like RawClient does), send() POSTs one packet at a time in order (a string, or
// a Buffer sent as it is, bytes and all). The connection counts as closed once the server
// sends the close packet or answers a request with an error; closeInfo.code is then the
// HTTP status (200 for a close packet).
export class RawPollingClient extends RawClient {
  static async open(server, { autoPong = true, timeoutMs = 5000 } = {}) {
    const c = new RawPollingClient();
    c.server = server;
    c.autoPong = autoPong;
    const r = await engineRequest(server, 'GET', 'EIO=4&transport=polling', { timeoutMs });
    if (r.status !== 200 || r.text[0] !== '0') throw new Error(`expected Engine.IO open packet, got HTTP ${r.status} ${r.text}`);
    c.handshake = JSON.parse(r.text.slice(1));
    c.aborter = new AbortController();
    c.posting = Promise.resolve();
    // Every POST's HTTP status, in order: the GET may report the session's end (its close
    // packet) before the POST that caused it is answered.
    c.postStatuses = [];
    c.poll();
    return c;
  }

  get query() { return `EIO=4&transport=polling&sid=${encodeURIComponent(this.handshake.sid)}`; }

  async poll() {
    while (!this.closeInfo) {
      let r;
      try {
        r = await engineRequest(this.server, 'GET', this.query, { signal: this.aborter.signal });
      } catch {
        return this.ended(0, 'request failed');
      }
      if (r.status !== 200) return this.ended(r.status, r.text);
      for (const packet of r.packets) {
        if (packet === '1') return this.ended(200, 'close packet');
        if (packet !== '6') this.onMessage(packet, false);
      }
    }
  }

  ended(code, reason) {
    if (this.closeInfo) return;
    this.closeInfo = { code, reason };
    for (const w of this.closeWaiters) w(this.closeInfo);
    this.closeWaiters = [];
  }

  send(data) {
    if (this.closeInfo) return;
    this.posting = this.posting.then(async () => {
      if (this.closeInfo) return;
      try {
        const r = await engineRequest(this.server, 'POST', this.query, { body: data, signal: this.aborter.signal });
        this.postStatuses.push(r.status);
        if (r.status !== 200) this.ended(r.status, r.text);
      } catch {
        this.ended(0, 'request failed');
      }
    });
  }

  // A binary message: "b" and base64 over polling.
  sendBinary(buffer) { this.send(`b${Buffer.from(buffer).toString('base64')}`); }

  get open() { return !this.closeInfo; }

  close() {
    this.ended(0, 'closed by the test');
    this.aborter.abort();
  }
}

export { SEPARATOR };

export function parseEvent(frame) {
  if (typeof frame !== 'string') return null;
  const m = /^42(\d*)(\[.*)$/s.exec(frame);
  if (!m) return null;
  try {
    const arr = JSON.parse(m[2]);
    return { ackId: m[1] ? Number(m[1]) : undefined, name: arr[0], args: arr.slice(1) };
  } catch {
    return null;
  }
}

// Raw client that has done the Socket.IO CONNECT with a token.
export async function rawAuthed(tracker, server, token, opts) {
  const r = await tracker.raw(server, opts);
  const reply = await r.sioConnect({ token });
  if (!reply.startsWith('40')) throw new Error(`raw CONNECT refused: ${reply}`);
  return r;
}

// ---------------------------------------------------------------------------
// JWT (HS256) for forged / expired / alg:none tokens
// ---------------------------------------------------------------------------

const b64url = (buf) => Buffer.from(buf).toString('base64url');

export function decodeJwt(token) {
  const [h, p] = token.split('.');
  return { header: JSON.parse(Buffer.from(h, 'base64url').toString()), payload: JSON.parse(Buffer.from(p, 'base64url').toString()) };
}

export function signJwt(payload, secret, header = { alg: 'HS256', typ: 'JWT' }) {
  const head = b64url(JSON.stringify(header));
  const body = b64url(JSON.stringify(payload));
  if (header.alg === 'none') return `${head}.${body}.`;
  const sig = crypto.createHmac('sha256', secret).update(`${head}.${body}`).digest();
  return `${head}.${body}.${b64url(sig)}`;
}
