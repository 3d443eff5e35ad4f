// Close frames a peer may not send (RFC 6455 section 7.4): a reserved or unassigned code
// is answered with 1002 (protocol error) and a reason that is not UTF-8 with 1007, never
// echoed back. A valid close is still echoed.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { skipReason, startServer } from './lib/server.mjs';
import { maskedFrame, readUntilClosed, serverFrames, upgradedSocket } from './lib/hostile.mjs';

function closeBody(code, reason = Buffer.alloc(0)) {
  const body = Buffer.alloc(2);
  body.writeUInt16BE(code);
  return Buffer.concat([body, Buffer.from(reason)]);
}

// Sends one close frame and returns the code of the close frame the server answers with.
async function answerTo(server, body) {
  const { socket, rest } = await upgradedSocket(server);
  socket.write(maskedFrame(0x8, body));
  socket.resume();
  const { data } = await readUntilClosed(socket, 5000);
  socket.destroy();
  const close = serverFrames(Buffer.concat([rest, data])).find((f) => f.opcode === 0x8);
  assert.ok(close, 'the server answered with a close frame');
  return close.payload.length >= 2 ? close.payload.readUInt16BE(0) : null;
}

describe('close frames with codes or reasons a peer may not send', { skip: skipReason(), timeout: 60000 }, () => {
  let server;
  before(async () => { server = await startServer({ name: 'ws-close' }); });
  after(async () => { await server?.dispose(); });

  it('reserved and unassigned codes are answered with 1002', async () => {
    for (const code of [0, 999, 1004, 1005, 1006, 1015, 1016, 2999, 5000]) {
      assert.equal(await answerTo(server, closeBody(code)), 1002, `close code ${code}`);
    }
  });

  it('a reason that is not UTF-8 is answered with 1007', async () => {
    assert.equal(await answerTo(server, closeBody(1000, Buffer.from([0xff, 0xfe]))), 1007);
    assert.equal(await answerTo(server, closeBody(4000, Buffer.from([0xed, 0xa0, 0x80]))), 1007);
  });

  it('valid codes are still echoed', async () => {
    for (const code of [1000, 1001, 3000, 4999]) {
      assert.equal(await answerTo(server, closeBody(code, 'bye')), code, `close code ${code}`);
    }
  });
});
