// Peers that vanish at awkward moments: the server must survive every one of them and
// keep serving everyone else. Each case runs a few times, then a normal socket.io-client
// must still connect and get an ack.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import WebSocket from 'ws';
import { skipReason, startServer } from './lib/server.mjs';
import { Tracker, createUniverse, join, register, sleep, uniqueName } from './lib/clients.mjs';

const PATH = '/socket.io/?EIO=4&transport=websocket';

function openWs(server) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${server.wsUrl}${PATH}`);
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

// A raw TCP connection that has done the WebSocket upgrade; returns the socket.
function upgradedSocket(server) {
  return new Promise((resolve, reject) => {
    const socket = net.connect(server.port, '127.0.0.1');
    socket.once('error', reject);
    socket.once('connect', () => {
      socket.write(`GET ${PATH} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
        'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n');
    });
    let seen = '';
    const onData = (chunk) => {
      seen += chunk.toString('latin1');
      if (seen.includes('\r\n\r\n')) {
        socket.off('data', onData);
        assert.match(seen, /^HTTP\/1\.1 101/);
        resolve(socket);
      }
    };
    socket.on('data', onData);
  });
}

describe('peers that vanish at awkward moments', { skip: skipReason(), timeout: 90000 }, () => {
  let server;
  let user;
  let universe;
  const t = new Tracker();
  before(async () => {
    server = await startServer({ name: 'robust' });
    user = await register(server, uniqueName('robust'));
    universe = await createUniverse(server, user.token);
  });
  after(async () => { t.closeAll(); await server?.dispose(); });

  async function stillServing() {
    assert.equal(server.running, true, 'the server process is still alive');
    const socket = await t.open(server, user.token);
    await join(socket, universe.id);
    const reply = await socket.timeout(3000).emitWithAck('parameter:sync', { universe_id: universe.id });
    assert.equal(reply.ok, true);
    t.closeAll();
  }

  it('a client that closes the moment it is open', async () => {
    for (let i = 0; i < 5; i++) (await openWs(server)).close();
    await sleep(200);
    await stillServing();
  });

  it('a client that terminates (TCP reset) right after opening, and one mid-CONNECT', async () => {
    for (let i = 0; i < 5; i++) (await openWs(server)).terminate();
    for (let i = 0; i < 5; i++) {
      const ws = await openWs(server);
      ws.send('40');
      ws.terminate();
    }
    await sleep(200);
    await stillServing();
  });

  it('a client that sends half a frame and disappears, or a close frame and keeps writing', async () => {
    for (let i = 0; i < 3; i++) {
      const socket = await upgradedSocket(server);
      socket.write(Buffer.from([0x81, 0xfe, 0x10, 0x00, 1, 2, 3, 4, 9, 9]));  // masked text, 4096 bytes promised
      socket.destroy();
    }
    for (let i = 0; i < 3; i++) {
      const socket = await upgradedSocket(server);
      socket.write(Buffer.from([0x88, 0x82, 0, 0, 0, 0, 0x03, 0xe8]));  // close 1000, mask 0
      socket.write(Buffer.from([0x81, 0x81, 0, 0, 0, 0, 0x34]));        // then text "4"
      await sleep(20);
      socket.destroy();
    }
    await sleep(200);
    await stillServing();
  });

  it('a client that is closed while the server still has frames queued for it', async () => {
    const sockets = [];
    for (let i = 0; i < 5; i++) {
      const socket = await t.open(server, user.token);
      await join(socket, universe.id);
      sockets.push(socket);
    }
    // Everyone chats; half the clients vanish while the broadcasts are on their way.
    for (const [n, socket] of sockets.entries()) {
      socket.emit('collaboration:message', { universe_id: universe.id, message: `hello ${n}` });
      if (n % 2 === 0) socket.io.engine.close();
    }
    await sleep(300);
    t.closeAll();
    await stillServing();
  });
});
