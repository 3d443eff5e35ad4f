// Tools for tests that attack the server the way a stranger would: raw TCP sockets that
// upgrade by hand and write masked WebSocket frames, half-sent HTTP requests, and the
// server's own view of the damage (its RSS from /proc, its /metrics counters).
// Every connection goes to 127.0.0.1 only.

import fs from 'node:fs';
import net from 'node:net';

export const SOCKET_IO_PATH = '/socket.io/?EIO=4&transport=websocket';

// A raw TCP connection to the server; resolves once connected. Errors (resets) are kept
// in `socket.errorSeen` instead of crashing the test.
export function tcpConnect(server) {
  return new Promise((resolve, reject) => {
    const socket = net.connect(server.port, '127.0.0.1');
    socket.once('error', reject);
    socket.once('connect', () => {
      socket.off('error', reject);
      socket.on('error', (e) => { socket.errorSeen = e; });
      resolve(socket);
    });
  });
}

// Resolves with everything the server sent on `socket` until it closed (or `timeoutMs`
// passed: then `timedOut` is true and the socket is still open).
export function readUntilClosed(socket, timeoutMs = 3000) {
  return new Promise((resolve) => {
    const chunks = [];
    const started = Date.now();
    const finish = (timedOut) => {
      clearTimeout(timer);
      socket.off('data', onData);
      resolve({ data: Buffer.concat(chunks), timedOut, afterMs: Date.now() - started });
    };
    const onData = (chunk) => chunks.push(chunk);
    const timer = setTimeout(() => finish(true), timeoutMs);
    socket.on('data', onData);
    socket.once('close', () => finish(false));
  });
}

// A raw TCP connection that has done the WebSocket upgrade to /socket.io/. Resolves with
// {socket, rest}: `rest` holds the bytes that followed the 101 answer (the Engine.IO open
// packet usually). The socket is left paused: nothing more is read unless the test asks.
export async function upgradedSocket(server) {
  const socket = await tcpConnect(server);
  socket.write(`GET ${SOCKET_IO_PATH} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
    'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n');
  let seen = Buffer.alloc(0);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no 101 within 3 s')), 3000);
    const onData = (chunk) => {
      seen = Buffer.concat([seen, chunk]);
      const end = seen.indexOf('\r\n\r\n');
      if (end < 0) return;
      clearTimeout(timer);
      socket.off('data', onData);
      socket.pause();
      const head = seen.subarray(0, end).toString('latin1');
      if (!/^HTTP\/1\.1 101/.test(head)) reject(new Error(`upgrade refused: ${head.split('\r\n')[0]}`));
      else resolve({ socket, rest: seen.subarray(end + 4) });
    };
    socket.on('data', onData);
  });
}

// One masked client frame (FIN set), as RFC 6455 requires of clients.
export function maskedFrame(opcode, payload = Buffer.alloc(0)) {
  const body = Buffer.from(payload);
  const key = Buffer.from([0x12, 0x34, 0x56, 0x78]);
  let header;
  if (body.length < 126) {
    header = Buffer.from([0x80 | opcode, 0x80 | body.length]);
  } else {
    header = Buffer.from([0x80 | opcode, 0x80 | 126, body.length >> 8, body.length & 0xff]);
  }
  const masked = Buffer.alloc(body.length);
  for (let i = 0; i < body.length; i++) masked[i] = body[i] ^ key[i % 4];
  return Buffer.concat([header, key, masked]);
}

// Unmasked server frames in `bytes`: [{opcode, payload}], stopping at an incomplete one.
export function serverFrames(bytes) {
  const frames = [];
  let at = 0;
  while (at + 2 <= bytes.length) {
    const opcode = bytes[at] & 0x0f;
    let length = bytes[at + 1] & 0x7f;
    let header = 2;
    if (length === 126) { if (at + 4 > bytes.length) break; length = bytes.readUInt16BE(at + 2); header = 4; }
    else if (length === 127) { if (at + 10 > bytes.length) break; length = Number(bytes.readBigUInt64BE(at + 2)); header = 10; }
    if (at + header + length > bytes.length) break;
    frames.push({ opcode, payload: bytes.subarray(at + header, at + header + length) });
    at += header + length;
  }
  return frames;
}

// The server process's resident memory, in KiB.
export function rssKiB(server) {
  const status = fs.readFileSync(`/proc/${server.proc.pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)\s+kB/.exec(status)[1]);
}

// One sample's value from /metrics text, e.g. metricValue(text, 'harmonic_connections_refused_total', {reason: 'x'});
// 0 when absent.
export function metricValue(text, name, labels = {}) {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`).join(',');
  const prefix = wanted ? `${name}{${wanted}} ` : `${name} `;
  const line = text.split('\n').find((l) => l.startsWith(prefix));
  return line ? Number(line.slice(prefix.length)) : 0;
}
