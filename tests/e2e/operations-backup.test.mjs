// Backup and restore (docs/operations.md, "Backup and restore"): `harmonic-server backup`
// while 50 socket.io clients write, the copy passes SQLite's integrity check and holds
// every change acknowledged before the backup began; `restore` refuses a live data dir
// and a damaged file, and a restored server serves what the copy holds.

import { after, afterEach, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { HarmonicServer, skipReason, startServer } from './lib/server.mjs';
import { Tracker, ack, api, join, makeWorld } from './lib/clients.mjs';
import { freshUniverse } from './lib/world.mjs';
import { runServerCommand, sqlite } from './lib/operator.mjs';

const WRITERS = 50;

describe('operations: backup and restore', { skip: skipReason(), timeout: 180000 }, () => {
  let server;
  let world;
  let scratch;
  const t = new Tracker();
  before(async () => {
    server = await startServer({ name: 'backup', rateLimit: 100000, rateBurst: 100000 });
    world = await makeWorld(server);
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'harmonic-e2e-backup-'));
  });
  afterEach(() => t.closeAll());
  after(async () => {
    t.closeAll();
    await server?.dispose();
    if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
  });

  it(`a backup taken while ${WRITERS} clients write holds every change acknowledged before it began`, async () => {
    const u = await freshUniverse(server, world);
    const sockets = await Promise.all(Array.from({ length: WRITERS }, () => t.open(server, world.owner.token)));
    await Promise.all(sockets.map((s) => join(s, u.id)));

    // Each client writes chat messages one after another until told to stop, and notes
    // the moment each was acknowledged.
    const acked = [];  // { message, at }
    let writing = true;
    const writer = async (socket, index) => {
      for (let n = 0; writing; n++) {
        const message = `w${index}-${n}`;
        const r = await ack(socket, 'collaboration:message', { universe_id: u.id, message }, 10000);
        assert.equal(r.ok, true, JSON.stringify(r));
        acked.push({ message, at: performance.now() });
      }
    };
    const writers = sockets.map((s, i) => writer(s, i));
    // Writes well under way (a count, not a fixed wait, so a slow machine waits longer).
    const waitFor = async (condition, what) => {
      for (const deadline = Date.now() + 30000; !condition();) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    await waitFor(() => acked.length >= 2 * WRITERS, 'the first writes');

    const copy = path.join(scratch, 'during-writes.sqlite3');
    const began = performance.now();
    const backup = await runServerCommand(['backup', '--data-dir', server.dataDir, '--to', copy]);
    const ended = performance.now();
    const ackedAtEnd = acked.length;
    await waitFor(() => acked.length >= ackedAtEnd + WRITERS, 'writes after the backup');  // and still going
    writing = false;
    await Promise.all(writers);
    assert.equal(backup.code, 0, backup.stderr);
    const before = acked.filter((a) => a.at < began).map((a) => a.message);
    const after = acked.filter((a) => a.at > ended);
    assert.ok(before.length >= 2 * WRITERS, `writes acknowledged before the backup: ${before.length}`);
    assert.ok(after.length > 0, 'writes went on after the backup');
    console.log(`# backup took ${(ended - began).toFixed(0)} ms with ${acked.length} messages written around it`);

    assert.equal(fs.statSync(copy).mode & 0o777, 0o600, 'the copy is private like the database');
    assert.deepEqual(await sqlite(copy, 'PRAGMA integrity_check'), ['ok']);
    const stored = new Set(await sqlite(copy, `SELECT message FROM messages WHERE universe_id = ${Number(u.id)}`));
    const missing = before.filter((m) => !stored.has(m));
    assert.deepEqual(missing, [], 'every message acknowledged before the backup began is in the copy');
    const sent = new Set(acked.map((a) => a.message));
    for (const m of stored) assert.ok(sent.has(m), `the copy holds only messages that were sent: ${m}`);
  });

  it('backup refuses to overwrite a file and to read a data dir without a database', async () => {
    const existing = path.join(scratch, 'existing.sqlite3');
    fs.writeFileSync(existing, 'keep me');
    const overwrite = await runServerCommand(['backup', '--data-dir', server.dataDir, '--to', existing]);
    assert.equal(overwrite.code, 1);
    assert.match(overwrite.stderr, /already exists/);
    assert.equal(fs.readFileSync(existing, 'utf8'), 'keep me');

    const empty = fs.mkdtempSync(path.join(scratch, 'empty-'));
    const none = await runServerCommand(['backup', '--data-dir', empty, '--to', path.join(scratch, 'none.sqlite3')]);
    assert.equal(none.code, 1);
    assert.match(none.stderr, /no database/);
    assert.ok(!fs.existsSync(path.join(scratch, 'none.sqlite3')));
  });

  it('restore refuses a running server\'s data dir and a damaged file, and restores into a stopped one', async () => {
    const u = await freshUniverse(server, world, { name: 'Before the backup' });
    const copy = path.join(scratch, 'for-restore.sqlite3');
    const backup = await runServerCommand(['backup', '--data-dir', server.dataDir, '--to', copy]);
    assert.equal(backup.code, 0, backup.stderr);
    const later = await freshUniverse(server, world, { name: 'After the backup' });

    const live = await runServerCommand(['restore', '--from', copy, '--data-dir', server.dataDir]);
    assert.equal(live.code, 3, live.stderr);
    assert.match(live.stderr, /running harmonic-server/);

    const damaged = path.join(scratch, 'damaged.sqlite3');
    const bytes = fs.readFileSync(copy);
    bytes.fill(0x55, 4096, Math.min(bytes.length, 3 * 4096));  // pages 2 and 3 overwritten
    fs.writeFileSync(damaged, bytes);
    const notText = path.join(scratch, 'not-a-database.sqlite3');
    fs.writeFileSync(notText, 'hello, this is not SQLite');

    await server.stop();
    const databaseBefore = fs.readFileSync(path.join(server.dataDir, 'harmonic.sqlite3'));
    for (const bad of [damaged, notText, path.join(scratch, 'missing.sqlite3')]) {
      const r = await runServerCommand(['restore', '--from', bad, '--data-dir', server.dataDir]);
      assert.equal(r.code, 1, `${bad}: ${r.stderr}`);
      assert.match(r.stderr, /harmonic-server restore: /);
    }
    assert.ok(databaseBefore.equals(fs.readFileSync(path.join(server.dataDir, 'harmonic.sqlite3'))), 'a refused restore changes nothing');

    const restored = await runServerCommand(['restore', '--from', copy, '--data-dir', server.dataDir]);
    assert.equal(restored.code, 0, restored.stderr);
    assert.equal(fs.statSync(path.join(server.dataDir, 'harmonic.sqlite3')).mode & 0o777, 0o600);
    assert.ok(fs.existsSync(path.join(server.dataDir, 'harmonic.sqlite3.before-restore')), 'the replaced database is kept');

    await server.restart({ samePort: false });
    const back = await api(server, 'GET', `/api/universes/${u.id}`, undefined, world.owner.token);
    assert.equal(back.status, 200, 'the universe from before the backup is back');
    const gone = await api(server, 'GET', `/api/universes/${later.id}`, undefined, world.owner.token);
    assert.equal(gone.status, 404, 'the universe made after the backup is not');
  });

  it('a server does not start while a restore holds the data dir', async () => {
    // The lock a restore takes is an flock on harmonic.lock; flock(1) holds the same.
    const dataDir = fs.mkdtempSync(path.join(scratch, 'locked-'));
    const { spawn } = await import('node:child_process');
    const holder = spawn('flock', ['--exclusive', path.join(dataDir, 'harmonic.lock'), 'sleep', '30'], { stdio: 'ignore' });
    try {
      await new Promise((r) => setTimeout(r, 300));
      const s = new HarmonicServer({ name: 'locked', dataDir });
      await assert.rejects(s.start(), /exited before listening/);
      assert.match(s.tail(), /a restore is running/);
    } finally {
      holder.kill('SIGKILL');
    }
  });
});
