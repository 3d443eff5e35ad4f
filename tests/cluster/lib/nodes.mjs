// What every cluster test needs (tests/cluster/*.test.mjs, docs/cluster.md "Tests"): the
// throwaway PostgreSQL and Redis that tests/cluster/run.sh started, a database of the
// test's own, and harmonic-server nodes on them.

import { execFileSync, spawn } from 'node:child_process';
import crypto from 'node:crypto';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { skipReason, startServer } from '../../e2e/lib/server.mjs';
import { makeWorld, sleep } from '../../e2e/lib/clients.mjs';

export const postgresUrl = process.env.HARMONIC_TEST_POSTGRES_URL;
export const redisUrl = process.env.HARMONIC_TEST_REDIS_URL;
export const clusterSkip = skipReason() || (!postgresUrl || !redisUrl ? 'run through tests/cluster/run.sh' : false);

export function freePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

// Everything a socket hears of `event`, in order.
export function collect(socket, event) {
  const seen = [];
  socket.on(event, (payload) => seen.push(payload));
  return seen;
}

// Waits until `predicate` (sync or async) holds.
export async function until(what, predicate, timeoutMs = 10000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

// `count` nodes named `<name>-n1`.. with node ids `<idPrefix>1`.., on a fresh database
// and one token secret (a token from one node is good on all), each with its Redis link
// up. Started one after the other: the first one creates the schema.
export async function startNodes({ name, count = 3, idPrefix = 'n', extraArgs = [] }) {
  const dbName = `harmonic_${name}_${process.pid}_${crypto.randomBytes(4).toString('hex')}`;
  execFileSync('psql', [postgresUrl, '-q', '-c', `CREATE DATABASE ${dbName}`], { stdio: ['ignore', 'ignore', 'inherit'] });
  const database = new URL(postgresUrl);
  database.pathname = `/${dbName}`;
  const jwtSecret = crypto.randomBytes(24).toString('hex');
  const nodes = [];
  for (let i = 0; i < count; i++) {
    nodes.push(await startServer({
      name: `${name}-n${i + 1}`, postgresUrl: database.toString(), jwtSecret, rateLimit: 1000, rateBurst: 1000,
      extraArgs: ['--redis', redisUrl, '--node-id', `${idPrefix}${i + 1}`, ...extraArgs],
    }));
  }
  const world = await makeWorld(nodes[0]);
  for (const node of nodes) await until(`${node.name} subscribed`, () => node.lines.some((l) => l.includes('redis: subscribed')));
  return { nodes, world, database: database.toString() };
}

// Stops a process this test started (HAProxy, a Redis started again) and waits for it.
export async function stopProcess(child) {
  if (!child || child.exitCode !== null) return;
  child.kill();
  await new Promise((resolve) => child.once('exit', resolve));
}

const haproxyConfig = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'deploy', 'haproxy.cfg');

// HAProxy on deploy/haproxy.cfg in front of the nodes listening on `ports` (the config
// names three nodes; one not given points at port 1, where nobody listens, and its health
// check takes it out). Resolves once /healthz answers through it; stop it with
// stopProcess(child).
export async function startHaproxy(ports) {
  const port = await freePort();
  const env = { ...process.env, HARMONIC_FRONT: `127.0.0.1:${port}` };
  for (let i = 0; i < 3; i++) env[`HARMONIC_N${i + 1}`] = `127.0.0.1:${ports[i] ?? 1}`;
  const child = spawn('haproxy', ['-db', '-f', haproxyConfig], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  let errors = '';
  child.stderr.on('data', (chunk) => { errors = (errors + chunk).slice(-4000); });
  const url = `http://127.0.0.1:${port}`;
  await until('HAProxy up', async () => {
    if (child.exitCode !== null) throw new Error(`HAProxy exited: ${errors}`);
    return fetch(`${url}/healthz`).then((r) => r.ok, () => false);
  });
  return { child, port, url, exited };
}
