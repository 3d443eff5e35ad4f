// Export and import through real HTTP: the universe's music rendered to WAV by the
// shared music engine (off the server's I/O thread), and the JSON document round trip.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { skipReason, startServer } from './lib/server.mjs';
import { api, createUniverse, register, uniqueName } from './lib/clients.mjs';

async function fetchBytes(server, path, token) {
  const res = await fetch(`${server.url}${path}`, {
    headers: { authorization: `Bearer ${token}` },
    signal: AbortSignal.timeout(60000),
  });
  return { status: res.status, type: res.headers.get('content-type'), bytes: Buffer.from(await res.arrayBuffer()) };
}

describe('universe export and import', { skip: skipReason(), timeout: 120000 }, () => {
  let server;
  let owner;
  let stranger;
  let universe;
  before(async () => {
    server = await startServer({ name: 'export' });
    owner = await register(server, uniqueName('xowner'));
    stranger = await register(server, uniqueName('xstranger'));
    universe = await createUniverse(server, owner.token, { name: 'Loud' });
  });
  after(async () => { await server?.dispose(); });

  it('export.wav renders N seconds of 16-bit mono 48 kHz audio, the same bytes every time', async () => {
    const first = await fetchBytes(server, `/api/universes/${universe.id}/export.wav?seconds=2`, owner.token);
    assert.equal(first.status, 200);
    assert.equal(first.type, 'audio/wav');
    const wav = first.bytes;
    assert.equal(wav.toString('ascii', 0, 4), 'RIFF');
    assert.equal(wav.toString('ascii', 8, 12), 'WAVE');
    assert.equal(wav.readUInt16LE(22), 1, 'mono');
    assert.equal(wav.readUInt32LE(24), 48000, 'sample rate');
    assert.equal(wav.readUInt16LE(34), 16, 'bits per sample');
    assert.equal(wav.length, 44 + 2 * 48000 * 2);
    let loudest = 0;
    for (let i = 44; i < wav.length; i += 2) loudest = Math.max(loudest, Math.abs(wav.readInt16LE(i)));
    assert.ok(loudest > 100, `the universe should make sound (peak ${loudest})`);
    const second = await fetchBytes(server, `/api/universes/${universe.id}/export.wav?seconds=2`, owner.token);
    assert.ok(second.bytes.equals(wav), 'deterministic for the same seed and parameters');
  });

  it('HEAD export.wav names the length at once, without rendering 120 s of audio', async () => {
    const started = Date.now();
    const res = await fetch(`${server.url}/api/universes/${universe.id}/export.wav?seconds=120`, {
      method: 'HEAD', headers: { authorization: `Bearer ${owner.token}` }, signal: AbortSignal.timeout(10000) });
    const elapsed = Date.now() - started;
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'audio/wav');
    assert.equal(Number(res.headers.get('content-length')), 44 + 2 * 48000 * 120);
    assert.ok(elapsed < 1000, `answered in ${elapsed} ms (rendering 120 s first takes seconds)`);
    const health = await fetch(`${server.url}/healthz`, { method: 'HEAD' });
    assert.equal(health.status, 200);
    assert.equal(Number(health.headers.get('content-length')), '{"status":"ok"}'.length, 'HEAD keeps the GET\'s length');
  });

  it('export.wav refuses bad lengths and strangers, and the server stays responsive while rendering', async () => {
    for (const seconds of ['0', '121', 'abc', '-1', '1e999']) {
      const r = await api(server, 'GET', `/api/universes/${universe.id}/export.wav?seconds=${seconds}`, undefined, owner.token);
      assert.equal(r.status, 400, `seconds=${seconds}: ${r.text}`);
    }
    const hidden = await api(server, 'GET', `/api/universes/${universe.id}/export.wav`, undefined, stranger.token);
    assert.equal(hidden.status, 404);
    const none = await api(server, 'GET', `/api/universes/${universe.id}/export.wav`);
    assert.equal(none.status, 401);

    const rendering = fetchBytes(server, `/api/universes/${universe.id}/export.wav?seconds=20`, owner.token);
    const started = Date.now();
    const health = await api(server, 'GET', '/healthz');
    assert.equal(health.status, 200);
    assert.ok(Date.now() - started < 500, 'the I/O thread is not blocked by rendering');
    assert.equal((await rendering).status, 200);
  });

  it('export.json and import round trip the parameters into a new universe', async () => {
    const changed = await api(server, 'PATCH', `/api/universes/${universe.id}`, { description: 'exported' }, owner.token);
    assert.equal(changed.status, 200, changed.text);
    const exported = await api(server, 'GET', `/api/universes/${universe.id}/export.json`, undefined, owner.token);
    assert.equal(exported.status, 200);
    assert.equal(exported.body.name, 'Loud');
    assert.equal(exported.body.parameters.music.tempo, 120);
    const document = { ...exported.body, name: 'Copy' };
    document.parameters.music.tempo = 77;
    const imported = await api(server, 'POST', '/api/universes/import', document, stranger.token);
    assert.equal(imported.status, 201, imported.text);
    assert.notEqual(imported.body.id, universe.id);
    assert.equal(imported.body.owner_id, stranger.user.id);
    assert.equal(imported.body.parameters.music.tempo, 77);
    document.parameters.music.tempo = 1000;
    const refused = await api(server, 'POST', '/api/universes/import', document, stranger.token);
    assert.equal(refused.status, 400);
    assert.ok(JSON.stringify(refused.body.error.details).includes('music.tempo'));
  });
});
