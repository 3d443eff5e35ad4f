// TLS without a proxy (docs/operations.md, "TLS"): --tls-cert/--tls-key make the server
// speak HTTPS and WSS itself. A test CA and a certificate for 127.0.0.1 are made here
// with the `openssl` command; nothing is read from outside the temporary folder.
//
// Checked: socket.io-client over wss:// and over polling + upgrade on https:// with the
// CA trusted (connect with a token, join, parameter:update acked); refusal with another
// CA; TLS 1.1 refused while 1.2 is accepted; plain HTTP on the TLS port answered with a
// clear 400; --redirect-http answering 301 to the HTTPS URL; and a certificate reload
// (SIGHUP) under load: 20 editing clients lose no connection and no edit, and a new
// connection is shown the new certificate.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { io } from 'socket.io-client';
import { serverBinary, skipReason, startServer } from './lib/server.mjs';
import { ack, connected, join, sleep, uniqueName } from './lib/clients.mjs';
import { httpsJson, makeCa, makeServerCert } from './lib/test-pki.mjs';

// The certificate the server presents to a new connection, and the protocol agreed.
function tlsProbe(port, options) {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host: '127.0.0.1', port, servername: undefined, ...options }, () => {
      const result = { serial: socket.getPeerCertificate().serialNumber, protocol: socket.getProtocol() };
      socket.end();
      resolve(result);
    });
    socket.setTimeout(5000, () => socket.destroy(new Error('timeout')));
    socket.on('error', reject);
  });
}

// Raw bytes to a port and everything it answers until it closes.
function rawExchange(port, request) {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write(request));
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (c) => { text += c; });
    socket.on('end', () => resolve(text));
    socket.on('error', reject);
    socket.setTimeout(5000, () => socket.destroy(new Error('no answer within 5 s')));
  });
}

describe('transport: TLS without a proxy', { skip: skipReason(), timeout: 180000 }, () => {
  let dir;
  let ca;
  let otherCa;
  let caPem;
  let server;
  let owner;
  let universe;
  const sockets = new Set();

  const open = async (options = {}) => {
    const socket = io(server.url, {
      forceNew: true, reconnection: false, auth: { token: owner.token }, ca: caPem, transports: ['websocket'], ...options,
    });
    sockets.add(socket);
    await connected(socket, 10000);
    return socket;
  };

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'harmonic-e2e-tls-'));
    ca = makeCa(dir, 'ca');
    otherCa = makeCa(dir, 'other-ca');
    caPem = fs.readFileSync(ca.cert);
    const first = makeServerCert(dir, ca, 'server', '1001');
    server = await startServer({
      name: 'tls', rateLimit: 1000, rateBurst: 1000,
      extraArgs: ['--tls-cert', first.cert, '--tls-key', first.key, '--redirect-http', '0'],
    });
    assert.equal(server.scheme, 'https');
    const username = uniqueName('tls');
    const registered = await httpsJson(server, caPem, 'POST', '/api/auth/register', { username, password: 'correct-horse-9' });
    assert.equal(registered.status, 201);
    owner = registered.body;
    const created = await httpsJson(server, caPem, 'POST', '/api/universes',
      { name: 'TLS World', description: 'tls', is_public: false }, owner.token);
    assert.equal(created.status, 201);
    universe = created.body;
  });

  after(async () => {
    for (const s of sockets) s.disconnect();
    await server?.dispose();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('socket.io-client over wss:// with the CA trusted: connect with a token, join, parameter:update acked', async () => {
    const socket = await open();
    assert.equal(socket.io.engine.transport.name, 'websocket');
    await join(socket, universe.id);
    const res = await ack(socket, 'parameter:update',
      { universe_id: universe.id, category: 'physics', parameters: { gravity: 12 } });
    assert.equal(res?.ok, true, JSON.stringify(res));
  });

  it('socket.io-client with default transports (polling, then upgrade) over https://', async () => {
    const socket = await open({ transports: ['polling', 'websocket'] });
    await join(socket, universe.id);
    const res = await ack(socket, 'parameter:update',
      { universe_id: universe.id, category: 'physics', parameters: { gravity: 13 } });
    assert.equal(res?.ok, true, JSON.stringify(res));
    const deadline = Date.now() + 5000;
    while (socket.io.engine.transport.name !== 'websocket' && Date.now() < deadline) await sleep(50);
    assert.equal(socket.io.engine.transport.name, 'websocket', 'the polling session upgraded to wss');
  });

  it('a client that trusts another CA refuses the server (connect_error)', async () => {
    const socket = io(server.url, {
      forceNew: true, reconnection: false, auth: { token: owner.token }, ca: fs.readFileSync(otherCa.cert), transports: ['websocket'],
    });
    sockets.add(socket);
    await assert.rejects(connected(socket, 10000));
    assert.equal(socket.connected, false);
  });

  it('TLS 1.1 is refused; TLS 1.2 and 1.3 are accepted', async () => {
    await assert.rejects(
      tlsProbe(server.port, { ca: caPem, minVersion: 'TLSv1.1', maxVersion: 'TLSv1.1', ciphers: 'DEFAULT@SECLEVEL=0' }),
      // The server's protocol_version alert (70), not a refusal by the client's own library.
      (e) => e.code === 'ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION',
    );
    assert.equal((await tlsProbe(server.port, { ca: caPem, maxVersion: 'TLSv1.2' })).protocol, 'TLSv1.2');
    assert.equal((await tlsProbe(server.port, { ca: caPem })).protocol, 'TLSv1.3');
  });

  it('TLS 1.2 offers only ECDHE with AES-GCM or ChaCha20: a CBC-only client is refused', async () => {
    await assert.rejects(tlsProbe(server.port, { ca: caPem, maxVersion: 'TLSv1.2', ciphers: 'ECDHE-ECDSA-AES128-SHA256:AES128-SHA' }));
    const ok = await tlsProbe(server.port, { ca: caPem, maxVersion: 'TLSv1.2', ciphers: 'ECDHE-ECDSA-CHACHA20-POLY1305' });
    assert.equal(ok.protocol, 'TLSv1.2');
  });

  it('plain HTTP on the TLS port gets a clear plain-text 400 and the connection closes', async () => {
    const answer = await rawExchange(server.port, 'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    assert.match(answer, /^HTTP\/1\.1 400 /);
    assert.match(answer, /content-type: text\/plain/i);
    assert.match(answer, /speaks HTTPS only/);
  });

  it('--redirect-http answers 301 to the same target on the HTTPS port', async () => {
    assert.ok(server.redirectPort > 0, 'the server printed its redirect port');
    const res = await new Promise((resolve, reject) => {
      http.get({ host: '127.0.0.1', port: server.redirectPort, path: '/universe/7?x=1', headers: { host: 'example.test:8080' } },
        (r) => { r.resume(); r.on('end', () => resolve(r)); }).on('error', reject);
    });
    assert.equal(res.statusCode, 301);
    assert.equal(res.headers.location, `https://example.test:${server.port}/universe/7?x=1`);
  });

  it('SIGHUP reloads the certificate under load: no client disconnects, every edit acked, new connections get the new certificate', async () => {
    assert.equal((await tlsProbe(server.port, { ca: caPem })).serial, '1001');
    const clients = await Promise.all(Array.from({ length: 20 }, () => open()));
    await Promise.all(clients.map((s) => join(s, universe.id)));
    let disconnects = 0;
    for (const s of clients) s.on('disconnect', () => { disconnects += 1; });

    let editing = true;
    const acked = [];
    const failures = [];
    const loops = clients.map(async (s, i) => {
      let n = 0;
      while (editing) {
        n += 1;
        const res = await ack(s, 'parameter:update',
          { universe_id: universe.id, category: 'physics', parameters: { gravity: (i * 1000 + n) % 20 } }, 10000)
          .catch((e) => ({ ok: false, error: String(e) }));
        if (res?.ok === true) acked.push(1);
        else failures.push(res);
      }
    });

    await sleep(500);
    const before = acked.length;
    // Renew the way certbot does: new files moved into place, then the signal.
    const renewed = makeServerCert(dir, ca, 'renewed', '1002');
    fs.copyFileSync(renewed.key, path.join(dir, 'server.key.good'));
    fs.renameSync(renewed.key, path.join(dir, 'server.key'));
    fs.renameSync(renewed.cert, path.join(dir, 'server.crt'));
    process.kill(server.pid, 'SIGHUP');
    await sleep(1000);
    const probe = await tlsProbe(server.port, { ca: caPem });
    await sleep(500);
    editing = false;
    await Promise.all(loops);

    assert.equal(failures.length, 0, `edits not acked: ${failures.length}, first: ${JSON.stringify(failures[0])}`);
    assert.ok(before > 0 && acked.length > before, `edits went on through the reload (${before} then ${acked.length})`);
    assert.equal(disconnects, 0);
    assert.ok(clients.every((s) => s.connected));
    assert.equal(probe.serial, '1002', 'a new connection is shown the renewed certificate');
    assert.ok(server.lines.some((l) => /TLS certificate reloaded/.test(l)), server.tail());
  });

  it('the per-address connection cap holds through TLS: charged at accept, the refusal (503) answered over TLS', async () => {
    const capped = await startServer({
      name: 'tls-capped', extraArgs: ['--tls-cert', path.join(dir, 'server.crt'), '--tls-key', path.join(dir, 'server.key.good'),
        '--max-connections-per-ip', '2'],
    });
    try {
      const held = await Promise.all([0, 1].map(() => new Promise((resolve, reject) => {
        const socket = tls.connect({ host: '127.0.0.1', port: capped.port, ca: caPem }, () => resolve(socket));
        socket.on('error', reject);
      })));
      const refused = await new Promise((resolve, reject) => {
        https.get(`${capped.url}/healthz`, { ca: caPem, agent: false }, (res) => {
          let text = '';
          res.on('data', (c) => { text += c; });
          res.on('end', () => resolve({ status: res.statusCode, text }));
        }).on('error', reject);
      });
      assert.equal(refused.status, 503);
      assert.match(refused.text, /too many connections from your address/);
      for (const socket of held) socket.destroy();
    } finally {
      await capped.dispose();
    }
  });

  it('bad TLS options stop the server at start with a clear error', () => {
    const run = (...args) => spawnSync(serverBinary, ['--port', '0', '--data-dir', path.join(dir, 'unused-data'),
      '--jwt-secret', 'x'.repeat(32), ...args], { encoding: 'utf8', timeout: 10000 });
    const notPem = path.join(dir, 'not-a-certificate.pem');
    fs.writeFileSync(notPem, 'junk\n');
    const cases = [
      [['--tls-cert', notPem, '--tls-key', ca.key], /cannot load the TLS certificate .*not-a-certificate\.pem/],
      [['--tls-cert', ca.cert, '--tls-key', otherCa.key], /TLS key .*other-ca\.key: key values mismatch/],
      [['--tls-cert', ca.cert], /--tls-cert requires --tls-key/],
      [['--redirect-http', '8080'], /--redirect-http requires --tls-cert/],
    ];
    for (const [args, message] of cases) {
      const result = run(...args);
      assert.notEqual(result.status, 0, args.join(' '));
      assert.match(`${result.stdout}${result.stderr}`, message);
      assert.doesNotMatch(result.stdout, /listening on/);
    }
  });

  it('a reload with a broken key keeps the old certificate and the server', async () => {
    fs.writeFileSync(path.join(dir, 'server.key'), 'not a key\n');
    process.kill(server.pid, 'SIGHUP');
    await sleep(500);
    assert.ok(server.running);
    assert.ok(server.lines.some((l) => /TLS certificate not reloaded/.test(l)), server.tail());
    assert.equal((await tlsProbe(server.port, { ca: caPem })).serial, '1002');
  });
});
