// `harmonic-server admin` on a running and a stopped server's data dir (docs/operations.md,
// "Admin commands"): lists, password resets that end every session, user and universe
// deletion; every refused request exits non-zero and changes nothing.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { skipReason, startServer } from './lib/server.mjs';
import { api, createUniverse, register, uniqueName } from './lib/clients.mjs';
import { runServerCommand } from './lib/operator.mjs';

describe('operations: admin commands', { skip: skipReason(), timeout: 120000 }, () => {
  let server;
  const admin = (...args) => runServerCommand(['admin', '--data-dir', server.dataDir, ...args]);
  const admitted = async (token) => (await api(server, 'GET', '/api/auth/me', undefined, token)).status;
  const canLogin = async (username, password) =>
    (await api(server, 'POST', '/api/auth/login', { username, password })).status === 200;

  before(async () => { server = await startServer({ name: 'admin' }); });
  after(async () => { await server?.dispose(); });

  it('user list and universe list show what the server holds', async () => {
    const alice = await register(server, uniqueName('alice'));
    const universe = await createUniverse(server, alice.token, { name: 'Listed World' });
    const users = await admin('user', 'list');
    assert.equal(users.code, 0, users.stderr);
    const lines = users.stdout.trim().split('\n');
    assert.equal(lines[0], 'id\tusername\temail\tcreated_at\tuniverses');
    const row = lines.find((l) => l.split('\t')[1] === alice.username);
    assert.ok(row, users.stdout);
    assert.equal(row.split('\t')[0], String(alice.user.id));
    assert.equal(row.split('\t')[4], '1');

    const universes = await admin('universe', 'list');
    assert.equal(universes.code, 0, universes.stderr);
    const listed = universes.stdout.trim().split('\n').find((l) => l.startsWith(`${universe.id}\t`));
    assert.ok(listed?.startsWith(`${universe.id}\t${alice.username}\tno\t`), universes.stdout);
    assert.ok(listed.endsWith('\tListed World'), listed);
  });

  it('reset-password prints a one-time password and ends every session', async () => {
    const bob = await register(server, uniqueName('bob'));
    assert.equal(await admitted(bob.token), 200);
    const r = await admin('user', 'reset-password', bob.username.toUpperCase());  // names are case-insensitive
    assert.equal(r.code, 0, r.stderr);
    const password = r.stdout.trim();
    assert.match(password, /^[0-9a-f]{24}$/);
    assert.equal(await admitted(bob.token), 401, 'the old token is revoked');
    assert.equal(await canLogin(bob.username, bob.password), false);
    assert.equal(await canLogin(bob.username, password), true);
  });

  it('reset-password --password-stdin takes a valid password and refuses a short one', async () => {
    const carol = await register(server, uniqueName('carol'));
    const short = await admin('user', 'reset-password', carol.username, '--password-stdin');
    assert.equal(short.code, 1);
    assert.match(short.stderr, /harmonic-server admin: .*password/);
    assert.equal(await admitted(carol.token), 200, 'a refused reset changes nothing');

    const r = await runServerCommand(['admin', '--data-dir', server.dataDir, 'user', 'reset-password', carol.username,
      '--password-stdin'], { input: 'a-chosen-password-7\n' });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, '', 'a password read from stdin is not echoed');
    assert.equal(await admitted(carol.token), 401);
    assert.equal(await canLogin(carol.username, 'a-chosen-password-7'), true);
  });

  it('reset-password of an unknown user fails', async () => {
    const r = await admin('user', 'reset-password', 'nobody_by_this_name');
    assert.equal(r.code, 1);
    assert.match(r.stderr, /no user named 'nobody_by_this_name'/);
    assert.equal(r.stdout, '', 'no password is printed for nobody');
  });

  it('user delete transfers the universes, or deletes them, as asked', async () => {
    const dave = await register(server, uniqueName('dave'));
    const erin = await register(server, uniqueName('erin'));
    const kept = await createUniverse(server, dave.token, { name: 'Kept' });

    const unsaid = await admin('user', 'delete', dave.username);
    assert.notEqual(unsaid.code, 0);
    assert.match(unsaid.stderr, /--transfer-to USER or --delete-universes/);
    const both = await admin('user', 'delete', dave.username, '--transfer-to', erin.username, '--delete-universes');
    assert.notEqual(both.code, 0);
    const noHeir = await admin('user', 'delete', dave.username, '--transfer-to', 'no_such_heir');
    assert.equal(noHeir.code, 1);
    assert.match(noHeir.stderr, /no user named 'no_such_heir'/);
    const self = await admin('user', 'delete', dave.username, '--transfer-to', dave.username);
    assert.equal(self.code, 1);
    assert.equal(await admitted(dave.token), 200, 'refused deletions change nothing');
    assert.equal((await api(server, 'GET', `/api/universes/${kept.id}`, undefined, dave.token)).status, 200);

    const r = await admin('user', 'delete', dave.username, '--transfer-to', erin.username);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(await admitted(dave.token), 401);
    assert.equal(await canLogin(dave.username, dave.password), false);
    const inherited = await api(server, 'GET', `/api/universes/${kept.id}`, undefined, erin.token);
    assert.equal(inherited.status, 200);
    assert.equal(inherited.body.role, 'owner');
    assert.equal(String(inherited.body.owner_id), String(erin.user.id));

    const lost = await createUniverse(server, erin.token, { name: 'Lost' });
    const gone = await admin('user', 'delete', erin.username, '--delete-universes');
    assert.equal(gone.code, 0, gone.stderr);
    const list = await admin('universe', 'list');
    for (const id of [kept.id, lost.id]) {
      assert.ok(!list.stdout.split('\n').some((l) => l.startsWith(`${id}\t`)), `universe ${id} was deleted with its owner`);
    }
  });

  it('universe delete removes one universe; a bad or unknown id fails', async () => {
    const frank = await register(server, uniqueName('frank'));
    const u = await createUniverse(server, frank.token);
    for (const bad of ['abc', '-1', '99999999']) {
      const r = await admin('universe', 'delete', bad);
      assert.equal(r.code, 1, bad);
      assert.match(r.stderr, /harmonic-server admin: /);
    }
    assert.equal((await api(server, 'GET', `/api/universes/${u.id}`, undefined, frank.token)).status, 200);
    const r = await admin('universe', 'delete', String(u.id));
    assert.equal(r.code, 0, r.stderr);
    assert.equal((await api(server, 'GET', `/api/universes/${u.id}`, undefined, frank.token)).status, 404);
  });

  it('works on a stopped server, and never creates a data dir', async () => {
    const gina = await register(server, uniqueName('gina'));
    const u = await createUniverse(server, gina.token);
    await server.stop();
    const r = await admin('universe', 'delete', String(u.id));
    assert.equal(r.code, 0, r.stderr);
    await server.restart({ samePort: false });
    assert.equal((await api(server, 'GET', `/api/universes/${u.id}`, undefined, gina.token)).status, 404);

    const nowhere = path.join(os.tmpdir(), `harmonic-e2e-no-such-dir-${process.pid}`);
    const missing = await runServerCommand(['admin', '--data-dir', nowhere, 'user', 'list']);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /no data directory/);
    assert.equal(fs.existsSync(nowhere), false);
  });
});
