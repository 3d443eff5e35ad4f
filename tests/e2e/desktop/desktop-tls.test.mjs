// The desktop client over TLS straight to harmonic-server (--tls-cert/--tls-key; no
// proxy): with the test CA given by --ca-file it signs in with a token, joins over wss://,
// hears a change a socket.io-client makes, and its slider drag reaches that client. Without
// the CA it refuses the server's certificate and never joins.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { io } from 'socket.io-client';

import { join, record, sleep, uniqueName } from '../lib/clients.mjs';
import { HarmonicServer } from '../lib/server.mjs';
import { httpsJson, makeCa, makeServerCert } from '../lib/test-pki.mjs';
import { desktopSkipReason, launchDesktop, startXvfb } from './lib/desktop.mjs';

const skip = desktopSkipReason();

describe('desktop client over TLS', { skip, timeout: 180000 }, () => {
  let dir, caPem, server, xvfb, alice, universe;
  const clients = [];

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'harmonic-desktop-tls-'));
    const ca = makeCa(dir, 'ca');
    const cert = makeServerCert(dir, ca, 'server', '2001');
    caPem = fs.readFileSync(ca.cert);
    xvfb = await startXvfb();
    server = new HarmonicServer({ name: 'desktop-tls', extraArgs: ['--tls-cert', cert.cert, '--tls-key', cert.key] });
    await server.start();
    assert.equal(server.scheme, 'https');
    const username = uniqueName('alice');
    const registered = await httpsJson(server, caPem, 'POST', '/api/auth/register', { username, password: 'correct-horse-9' });
    assert.equal(registered.status, 201, JSON.stringify(registered.body));
    alice = { token: registered.body.token, id: registered.body.user.id };
    const created = await httpsJson(server, caPem, 'POST', '/api/universes', { name: 'Over TLS', is_public: false }, alice.token);
    assert.equal(created.status, 201, JSON.stringify(created.body));
    universe = created.body.universe ?? created.body;
  });

  after(async () => {
    for (const c of clients) await c.dispose();
    await server?.dispose();
    await xvfb?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  test('with the CA trusted it joins over wss://, hears a change and sends a slider drag', async () => {
    const desktop = launchDesktop({
      display: xvfb.display, server, name: 'tls',
      args: ['--token', alice.token, '--universe', String(universe.id), '--ca-file', path.join(dir, 'ca.crt'), '--frames', '100000'],
      script: [
        { action: 'wait_status', key: 'joined', equals: true, timeout_ms: 30000 },
        { action: 'wait_widget', widget: 'param.physics.gravity' },
        { action: 'wait_status', key: 'parameters.physics.elasticity', equals: 0.37, timeout_ms: 30000 },
        { action: 'drag_slider', category: 'physics', name: 'gravity', to: 15.0 },
        { action: 'wait_status', key: 'parameters.physics.gravity', not_equals: 9.81 },
        { action: 'wait_frames', frames: 2 },
        { action: 'quit' },
      ],
    });
    clients.push(desktop);
    const joined = await desktop.waitFor((s) => s.joined && s.universe_id === String(universe.id), { what: 'desktop joined over TLS', timeout: 30000 });
    assert.equal(joined.connection, 'connected');

    const observer = io(server.url, { auth: { token: alice.token }, transports: ['websocket'], ca: caPem, forceNew: true, reconnection: false });
    try {
      await join(observer, universe.id);
      const updates = record(observer, 'parameter:updated');
      observer.emit('parameter:update', { universe_id: universe.id, category: 'physics', parameters: { elasticity: 0.37 } });
      await desktop.waitFor((s) => s.parameters.physics.elasticity === 0.37, { what: 'elasticity 0.37 on the desktop', timeout: 10000 });
      const dragged = (d) => d?.category === 'physics' && Math.abs((d?.parameters?.gravity ?? 0) - 15) < 0.6;
      await desktop.waitFor(() => updates.events.some(dragged), { what: 'the observer gets the dragged gravity', timeout: 30000 });
    } finally {
      observer.disconnect();
    }
    const result = await desktop.exit();
    assert.equal(result.code, 0, `exit ${JSON.stringify(result)}\n${desktop.output().slice(-2000)}`);
    assert.equal(desktop.status().script.failure, '');
  });

  test('without the CA it refuses the certificate and never joins', async () => {
    const desktop = launchDesktop({
      display: xvfb.display, server, name: 'tls-untrusted',
      args: ['--token', alice.token, '--universe', String(universe.id), '--frames', '100000'],
    });
    clients.push(desktop);
    await desktop.waitFor((s) => s.frames > 10, { what: 'the untrusted desktop drawing', timeout: 30000 });
    await sleep(4000);
    const s = desktop.status();
    assert.equal(s.joined, false, `joined without trusting the server: ${JSON.stringify({ ...s, ui: undefined }).slice(0, 400)}`);
    assert.notEqual(s.connection, 'connected');
  });
});
