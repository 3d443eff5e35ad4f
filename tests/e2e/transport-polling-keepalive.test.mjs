// A long-polling client keeps its connections between requests: the connection that
// carries its POSTs is idle from one pong to the next (up to pingInterval), so the
// server must keep a connection that has carried polling requests open longer than
// pingInterval + pingTimeout. A plain HTTP connection keeps the short idle bound
// (--http-header-timeout) that stops idlers holding connections (docs/protocol.md,
// "Transports"). Without this, every idle polling client reconnected for each pong, and
// under load the reconnect storms overflowed the listen queue and sessions missed
// their pongs (bench/results/polling-2026-12-03.md).

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { skipReason, startServer } from './lib/server.mjs';
import { sleep } from './lib/clients.mjs';

const headerTimeoutMs = 800;

// One raw keep-alive HTTP/1.1 connection: send a request, read one whole response.
class RawConnection {
  constructor(server) {
    this.server = server;
    this.received = Buffer.alloc(0);
    this.waiters = [];
    this.closedAt = null;
  }

  open() {
    return new Promise((resolve, reject) => {
      this.socket = net.connect(this.server.port, this.server.host, resolve);
      this.socket.on('error', reject);
      this.socket.on('data', (d) => { this.received = Buffer.concat([this.received, d]); this.wake(); });
      this.socket.on('close', () => { this.closedAt = Date.now(); this.wake(); });
    });
  }

  wake() { for (const w of this.waiters.splice(0)) w(); }

  get closed() { return this.closedAt !== null; }

  async request(method, target, body = '') {
    assert.ok(!this.closed, `the server closed the connection before ${method} ${target}`);
    const head = `${method} ${target} HTTP/1.1\r\nHost: ${this.server.host}:${this.server.port}\r\n` +
      (body ? `Content-Type: text/plain;charset=UTF-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` : '') + '\r\n';
    this.socket.write(head + body);
    for (;;) {
      const text = this.received.toString('latin1');
      const end = text.indexOf('\r\n\r\n');
      if (end >= 0) {
        const length = Number(/content-length:\s*(\d+)/i.exec(text.slice(0, end))?.[1] ?? 0);
        if (this.received.length >= end + 4 + length) {
          const status = Number(text.slice(9, 12));
          const payload = this.received.subarray(end + 4, end + 4 + length).toString();
          this.received = this.received.subarray(end + 4 + length);
          return { status, body: payload };
        }
      }
      assert.ok(!this.closed, `the server closed the connection during ${method} ${target}`);
      await new Promise((w) => this.waiters.push(w));
    }
  }

  async waitClosed(ms) {
    const deadline = Date.now() + ms;
    while (!this.closed && Date.now() < deadline) await sleep(20);
    return this.closed;
  }

  destroy() { this.socket?.destroy(); }
}

describe('long-polling keep-alive', { skip: skipReason() }, () => {
  let server;
  before(async () => {
    server = await startServer({
      pingInterval: 1500, pingTimeout: 3000,
      extraArgs: ['--http-header-timeout', String(headerTimeoutMs)],
    });
  });
  after(async () => { await server?.stop(); });

  it('keeps a polling connection open while idle past the header timeout, and the session alive', async () => {
    const get = new RawConnection(server);
    const post = new RawConnection(server);
    await get.open();
    await post.open();
    try {
      const open = await get.request('GET', '/socket.io/?EIO=4&transport=polling');
      assert.equal(open.status, 200, open.body);
      const sid = JSON.parse(open.body.slice(1)).sid;
      const query = `/socket.io/?EIO=4&transport=polling&sid=${encodeURIComponent(sid)}`;
      assert.equal((await post.request('POST', query, '40')).body, 'ok');
      const connected = await get.request('GET', query);
      assert.match(connected.body, /^40\{/);
      // Three heartbeats, each answered on the same two connections after an idle wait
      // longer than the header timeout.
      for (let beat = 0; beat < 3; beat += 1) {
        await sleep(headerTimeoutMs * 1.5);
        assert.ok(!get.closed && !post.closed, `a polling connection was closed while idle (heartbeat ${beat})`);
        const ping = await get.request('GET', query);
        assert.equal(ping.status, 200, ping.body);
        assert.equal(ping.body, '2');
        await sleep(headerTimeoutMs * 1.5);
        const pong = await post.request('POST', query, '3');
        assert.equal(pong.body, 'ok');
      }
    } finally {
      get.destroy();
      post.destroy();
    }
  });

  it('still closes an idle plain HTTP connection after the header timeout', async () => {
    const c = new RawConnection(server);
    await c.open();
    try {
      const health = await c.request('GET', '/healthz');
      assert.equal(health.status, 200);
      const idleFrom = Date.now();
      assert.ok(await c.waitClosed(headerTimeoutMs * 4), 'an idle REST connection was kept open');
      assert.ok(c.closedAt - idleFrom >= headerTimeoutMs * 0.8, `closed after ${c.closedAt - idleFrom} ms`);
    } finally {
      c.destroy();
    }
  });

  it('gives a polling connection that goes silent a bound too (pingInterval + pingTimeout + grace)', async () => {
    const c = new RawConnection(server);
    await c.open();
    try {
      const open = await c.request('GET', '/socket.io/?EIO=4&transport=polling');
      assert.equal(open.status, 200);
      const idleFrom = Date.now();
      assert.ok(await c.waitClosed(20000), 'an idle polling connection was never closed');
      assert.ok(c.closedAt - idleFrom >= 1500 + 3000 - 200, `closed after ${c.closedAt - idleFrom} ms`);
    } finally {
      c.destroy();
    }
  });
});
