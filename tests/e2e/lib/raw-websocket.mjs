// A WebSocket client on a bare TCP socket, for the hostile soak: it can write any bytes
// (unmasked frames, bad opcodes, invalid UTF-8, oversized lengths, floods of prebuilt
// frames) and it can stop reading, which a well-mannered library (`ws`) cannot.
// Server-to-client frames are parsed only as far as the attacks need (text frames and
// close); everything else is skipped. Only 127.0.0.1 is ever contacted.

import crypto from 'node:crypto';
import net from 'node:net';

export const OPCODE = Object.freeze({ continuation: 0x0, text: 0x1, binary: 0x2, close: 0x8, ping: 0x9, pong: 0xa });

// One client frame. `mask: false` writes an unmasked frame (a protocol error from a
// client, RFC 6455 §5.1); `declaredLength` lies about the payload length.
export function encodeFrame(opcode, payload = Buffer.alloc(0), { fin = true, mask = true, declaredLength } = {}) {
  const body = Buffer.isBuffer(payload) ? payload : Buffer.from(payload);
  const length = declaredLength ?? body.length;
  const header = [];
  header.push((fin ? 0x80 : 0) | opcode);
  const maskBit = mask ? 0x80 : 0;
  if (length < 126) {
    header.push(maskBit | length);
  } else if (length < 65536) {
    header.push(maskBit | 126, length >> 8, length & 0xff);
  } else {
    const big = Buffer.alloc(8);
    big.writeBigUInt64BE(BigInt(length));
    header.push(maskBit | 127, ...big);
  }
  if (!mask) return Buffer.concat([Buffer.from(header), body]);
  const key = crypto.randomBytes(4);
  const masked = Buffer.alloc(body.length);
  for (let i = 0; i < body.length; i++) masked[i] = body[i] ^ key[i & 3];
  return Buffer.concat([Buffer.from(header), key, masked]);
}

export const textFrame = (text) => encodeFrame(OPCODE.text, Buffer.from(text, 'utf8'));

// Opens TCP to 127.0.0.1:port, sends the upgrade for the Engine.IO WebSocket endpoint and
// resolves once the 101 arrives. `onText(text)` gets every text frame the server sends
// while the socket is read; `pause()` stops reading for good (the kernel buffers fill
// and the server's writes back up). Rejects on refusal, close or timeout.
export function openRawWebSocket(port, { path = '/socket.io/?EIO=4&transport=websocket', timeoutMs = 5000, onText } = {}) {
  return new Promise((resolve, reject) => {
    const sock = net.connect({ host: '127.0.0.1', port });
    sock.setNoDelay(true);
    const client = new RawWebSocket(sock, onText);
    let handshake = Buffer.alloc(0);
    let settled = false;
    const fail = (err) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      sock.destroy();
      reject(err);
    };
    const timer = setTimeout(() => fail(new Error('websocket upgrade timed out')), timeoutMs);
    sock.on('error', (e) => fail(e));
    sock.on('close', () => { client.closed = true; fail(new Error('closed during upgrade')); });
    sock.on('connect', () => {
      sock.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n`
        + `Sec-WebSocket-Key: ${crypto.randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`);
    });
    const onData = (chunk) => {
      handshake = Buffer.concat([handshake, chunk]);
      const end = handshake.indexOf('\r\n\r\n');
      if (end < 0) {
        if (handshake.length > 16384) fail(new Error('upgrade response too long'));
        return;
      }
      const head = handshake.subarray(0, end).toString('latin1');
      if (!/^HTTP\/1\.1 101/.test(head)) return fail(new Error(`upgrade refused: ${head.split('\r\n')[0]}`));
      settled = true;
      clearTimeout(timer);
      sock.off('data', onData);
      sock.on('data', (c) => client.feed(c));
      client.feed(handshake.subarray(end + 4));
      resolve(client);
    };
    sock.on('data', onData);
  });
}

class RawWebSocket {
  constructor(sock, onText) {
    this.sock = sock;
    this.onText = onText ?? (() => {});
    this.buffer = Buffer.alloc(0);
    this.closed = false;
    this.closeCode = null;
    sock.on('close', () => { this.closed = true; });
    sock.on('error', () => {});
  }

  feed(chunk) {
    if (chunk.length) this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
    for (;;) {
      const b = this.buffer;
      if (b.length < 2) return;
      const opcode = b[0] & 0x0f;
      let length = b[1] & 0x7f;
      let offset = 2;
      if (length === 126) {
        if (b.length < 4) return;
        length = b.readUInt16BE(2);
        offset = 4;
      } else if (length === 127) {
        if (b.length < 10) return;
        length = Number(b.readBigUInt64BE(2));
        offset = 10;
      }
      if (b.length < offset + length) return;
      const payload = b.subarray(offset, offset + length);
      this.buffer = b.subarray(offset + length);
      if (opcode === OPCODE.text) this.onText(payload.toString('utf8'));
      if (opcode === OPCODE.close) this.closeCode = payload.length >= 2 ? payload.readUInt16BE(0) : 1005;
    }
  }

  // Resolves with the first text frame matching pred (already received ones are not kept).
  nextText(pred, timeoutMs = 3000) {
    return new Promise((resolve, reject) => {
      const previous = this.onText;
      const timer = setTimeout(() => { this.onText = previous; reject(new Error('no matching frame')); }, timeoutMs);
      this.onText = (text) => {
        previous(text);
        if (!pred(text)) return;
        clearTimeout(timer);
        this.onText = previous;
        resolve(text);
      };
    });
  }

  // Writes bytes without waiting; writes nothing and returns false while node's buffer
  // for this socket is over its high-water mark (the server is not reading us: an attack
  // loop then waits and retries, so the attacker's own memory stays bounded).
  write(bytes) {
    if (this.closed || this.sock.destroyed || this.sock.writableNeedDrain) return false;
    this.sock.write(bytes);
    return true;
  }

  sendText(text) { return this.write(textFrame(text)); }
  pause() { this.sock.pause(); }
  destroy() { this.sock.destroy(); this.closed = true; }

  waitClosed(timeoutMs) { return waitSocketClosed(this.sock, timeoutMs); }
}

// Resolves true once `sock` is closed, false after timeoutMs (the listener is removed, so
// polling this in a loop does not pile up listeners).
export function waitSocketClosed(sock, timeoutMs) {
  if (sock.destroyed || sock.closed) return Promise.resolve(true);
  return new Promise((resolve) => {
    const onClose = () => { clearTimeout(timer); resolve(true); };
    const timer = setTimeout(() => { sock.off('close', onClose); resolve(false); }, timeoutMs);
    sock.once('close', onClose);
  });
}
