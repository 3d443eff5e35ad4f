// A raw Engine.IO v4 long-polling client for end-to-end tests: every request is an
// ordinary HTTP request (fetch, or a raw TCP socket for half-sent ones), so tests can
// make the exact requests the specification's error cases are about.

import net from 'node:net';

export const SEPARATOR = '\x1e';

export function enginePath(query) {
  return `/socket.io/?${query}`;
}

// Any request to the transport; resolves {status, type, text, body (JSON or undefined), packets}.
export async function engineRequest(server, method, query, { body, headers = {}, signal, timeoutMs = 10000 } = {}) {
  const res = await fetch(`${server.url}${enginePath(query)}`, {
    method,
    body,
    headers: body === undefined ? headers : { 'content-type': 'text/plain;charset=UTF-8', ...headers },
    signal: signal ?? AbortSignal.timeout(timeoutMs),
  });
  const text = await res.text();
  let json;
  try { json = JSON.parse(text); } catch { json = undefined; }
  return { status: res.status, type: res.headers.get('content-type') ?? '', headers: res.headers, text, body: json, packets: text.split(SEPARATOR) };
}

export class PollingClient {
  // GET EIO=4&transport=polling: resolves a client holding the sid and the open packet.
  static async open(server, { headers } = {}) {
    const r = await engineRequest(server, 'GET', 'EIO=4&transport=polling', { headers });
    if (r.status !== 200 || !r.text.startsWith('0')) throw new Error(`polling handshake: HTTP ${r.status} ${r.text}`);
    const c = new PollingClient(server, JSON.parse(r.text.slice(1)));
    c.handshakeResponse = r;
    return c;
  }

  constructor(server, handshake) {
    this.server = server;
    this.handshake = handshake;
    this.sid = handshake.sid;
  }

  get query() { return `EIO=4&transport=polling&sid=${encodeURIComponent(this.sid)}`; }

  get(options = {}) { return engineRequest(this.server, 'GET', this.query, options); }

  post(packets, options = {}) {
    const body = Array.isArray(packets) ? packets.join(SEPARATOR) : packets;
    return engineRequest(this.server, 'POST', this.query, { ...options, body });
  }

  // Polls until a packet matching pred arrives (answering pings); resolves with it.
  async until(pred, timeoutMs = 5000) {
    const deadline = Date.now() + timeoutMs;
    this.seen ??= [];
    for (;;) {
      const i = this.seen.findIndex(pred);
      if (i >= 0) return this.seen.splice(i, 1)[0];
      if (Date.now() > deadline) throw new Error(`no matching packet within ${timeoutMs} ms; saw ${JSON.stringify(this.seen.slice(-5))}`);
      const r = await this.get({ timeoutMs: Math.max(100, deadline - Date.now()) });
      if (r.status !== 200) throw new Error(`poll: HTTP ${r.status} ${r.text}`);
      for (const p of r.packets) {
        if (p === '2') await this.post('3');
        else this.seen.push(p);
      }
    }
  }
}

// Sends `head` (and optionally part of a body) on a raw TCP connection and leaves it
// open: a request the server is still reading. Resolves with the socket and a promise of
// everything the server writes back before closing.
export function halfSentRequest(server, text) {
  return new Promise((resolve, reject) => {
    const socket = net.connect(server.port, server.host, () => {
      socket.write(text);
      resolve({ socket, reply });
    });
    let received = '';
    const reply = new Promise((done) => {
      socket.on('data', (d) => { received += d.toString(); });
      socket.on('close', () => done(received));
      socket.on('error', () => {});
    });
    socket.on('error', reject);
  });
}
