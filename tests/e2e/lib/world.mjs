// Shared fixtures for the protocol tests: one server per file, four users, and a fresh
// universe per test where state matters.

import assert from 'node:assert/strict';
import { addCollaborator, ack, createUniverse, expectNone, join, once, sleep } from './clients.mjs';

// A new universe owned by world.owner with world.collaborator added.
export async function freshUniverse(server, world, { is_public = false, name } = {}) {
  const u = await createUniverse(server, world.owner.token, { name: name ?? `U${Date.now() % 100000}`, is_public });
  await addCollaborator(server, world.owner.token, u.id, world.collaborator.username);
  return u;
}

// Owner, collaborator and public viewer joined to a fresh public universe, plus an
// outsider who is connected but has not joined.
export async function openRoom(server, world, tracker) {
  const u = await freshUniverse(server, world, { is_public: true });
  const owner = await tracker.open(server, world.owner.token);
  const collab = await tracker.open(server, world.collaborator.token);
  const viewer = await tracker.open(server, world.viewer.token);
  const outsider = await tracker.open(server, world.stranger.token);
  await join(owner, u.id);
  await join(collab, u.id);
  await join(viewer, u.id);
  return { u, owner, collab, viewer, outsider };
}

// Emit with an ack and assert it failed with `code`; returns the error object.
export async function ackError(socket, event, payload, code) {
  const res = await ack(socket, event, payload);
  assert.equal(res?.ok, false, `${event} should fail with ${code}, got ${JSON.stringify(res)}`);
  assert.equal(typeof res.error, 'object');
  assert.equal(res.error.code, code, `${event}: ${JSON.stringify(res.error)}`);
  assert.equal(typeof res.error.message, 'string');
  return res.error;
}

// Emit with an ack and assert success; returns the ack.
export async function ackOk(socket, event, payload) {
  const res = await ack(socket, event, payload);
  assert.equal(res?.ok, true, `${event} should succeed, got ${JSON.stringify(res)}`);
  return res;
}

// Emit without an ack and assert a system:error with `code` arrives.
export async function sysError(socket, event, payload, code) {
  const p = once(socket, 'system:error', 3000);
  socket.emit(event, payload);
  const err = await p;
  assert.equal(err.code, code, `${event}: ${JSON.stringify(err)}`);
  assert.equal(typeof err.message, 'string');
  assert.ok('details' in err, `system:error has details: ${JSON.stringify(err)}`);
  return err;
}

export { expectNone, sleep };
