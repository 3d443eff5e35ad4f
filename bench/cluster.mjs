// `bench/run cluster [--quick] [--nodes 1,2,3] [--out FILE]`: the rooms load (clients
// spread over many universes, one editor each) against one harmonic-server on SQLite, then
// against 1, 2 and 3 nodes on PostgreSQL and Redis behind HAProxy (deploy/haproxy.cfg),
// with the same load generator as the other scenarios (harmonic-load). Writes
// bench/results/cluster-<date>.md (+ .json); docs/cluster.md, "Capacity" reads it.
//
// Run through bench/run, which wraps it in tests/cluster/postgres.sh and redis.sh (a
// throwaway PostgreSQL and Redis on loopback ports); every node and HAProxy are started
// here, each configuration fresh (a new database), and stopped by their PIDs.
//
// CPU per delivered message counts every process the configuration needs: the nodes,
// PostgreSQL's postmaster and its backends, Redis and HAProxy, read from /proc at the
// start and end of harmonic-load's measured window (it prints "measuring" with --trace).
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchDir, currentCommit, flag, option, repo } from './lib/cli.mjs';
import { startHaproxy } from '../tests/cluster/lib/nodes.mjs';

const quick = flag('--quick');
const postgresUrl = process.env.HARMONIC_TEST_POSTGRES_URL;
const redisUrl = process.env.HARMONIC_TEST_REDIS_URL;
if (!postgresUrl || !redisUrl) {
  console.error('bench/cluster.mjs: run it as `bench/run cluster` (it starts PostgreSQL and Redis)');
  process.exit(2);
}
const nodeCounts = option('--nodes', '1,2,3').split(',').map(Number);
if (nodeCounts.some((n) => !(n >= 1 && n <= 3))) {
  console.error('bench/cluster.mjs: --nodes takes counts from 1 to 3 (deploy/haproxy.cfg names three nodes)');
  process.exit(2);
}

// The rooms scenario of bench/README.md, smaller: on PostgreSQL every change is a commit
// on the node's event loop (docs/cluster.md, "Not done yet"), and one node on this shared
// machine commits ~50-100 changes/s, so the fixed phase offers 50 changes/s (the full
// 500 universes at 1 update/s would measure only a growing backlog, and carry it into
// the max phase). The max phase keeps 4 updates in flight per editor: the capacity.
const load = quick
  ? { clients: 200, universes: 20, users: 5, rate: 1, window: 4, warmup: 1, duration: 3 }
  : { clients: 1000, universes: 50, users: 20, rate: 1, window: 4, warmup: 3, duration: 10 };
const permissive = ['--rate-limit', '1000000', '--rate-burst', '1000000', '--cursor-rate', '1000000',
                    '--cursor-burst', '1000000', '--register-limit', '1000000', '--max-connections', '1000000',
                    '--max-connections-per-ip', '1000000', '--max-sockets-per-user', '1000000',
                    '--max-universes-per-user', '1000000', '--universe-creations-per-minute', '1000000',
                    '--api-rate-limit', '1000000'];
const jwtSecret = `bench-cluster-${process.pid}`;
const clockTicks = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim());

function binaries() {
  const load = process.env.HARMONIC_LOAD ?? [join(repo, 'build', 'bench', 'harmonic-load'), join(repo, 'build-bench', 'harmonic-load')]
    .find((p) => existsSync(p));
  const server = process.env.HARMONIC_SERVER ?? join(repo, 'build', 'server', 'harmonic-server');
  if (!load || !existsSync(server)) {
    console.error('bench/cluster.mjs: build harmonic-server and harmonic-load first (scripts/build.sh native, or bench/run --quick once)');
    process.exit(2);
  }
  return { load, server };
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const psql = (url, sql) => execFileSync('psql', [url, '-At', '-q', '-c', sql], { encoding: 'utf8' }).trim();
const redisCli = (...cmd) => execFileSync('redis-cli', ['-u', redisUrl, ...cmd], { encoding: 'utf8' });


// --- processes ------------------------------------------------------------------------
function startNode(bins, name, extra) {
  const dataDir = mkdtempSync(join(tmpdir(), 'harmonic-bench-cluster-'));
  const child = spawn(bins.server, ['--host', '127.0.0.1', '--port', '0', '--data-dir', dataDir, '--jwt-secret', jwtSecret,
                                    '--log-level', 'warn', ...permissive, ...extra], { stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise((r) => child.once('exit', (code, signal) => r({ code, signal })));
  let output = '';
  return new Promise((resolveNode, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start: ${output}`)), 20000);
    const feed = (d) => {
      output = (output + d).slice(-4000);
      const m = output.match(/listening on http:\/\/[\d.]+:(\d+)/);
      if (m) {
        clearTimeout(timer);
        resolveNode({ name, child, port: Number(m[1]), dataDir, exited });
      }
    };
    child.stdout.on('data', feed);
    child.stderr.on('data', feed);
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`${name} exited (${code}): ${output}`)); });
  });
}

async function stop(proc) {
  if (proc.child.exitCode === null && proc.child.signalCode === null) proc.child.kill('SIGTERM');
  const timer = setTimeout(() => proc.child.kill('SIGKILL'), 8000);
  await proc.exited;
  clearTimeout(timer);
  if (proc.dataDir) rmSync(proc.dataDir, { recursive: true, force: true });
}

// HAProxy in front of the nodes (tests/cluster/lib/nodes.mjs); with fewer than three, the
// run waits until its health checks (2 s, fall 2) took the missing ones out.
async function startFront(nodes) {
  const haproxy = await startHaproxy(nodes.map((node) => node.port));
  if (nodes.length < 3) await sleep(5000);
  return haproxy;
}

// --- CPU and counters ------------------------------------------------------------------
function cpuSeconds(pid) {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / clockTicks;  // utime + stime
  } catch {
    return 0;  // gone
  }
}

function childrenOf(parent) {
  const out = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const text = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (Number(text.slice(text.lastIndexOf(')') + 2).split(' ')[1]) === parent) out.push(Number(entry));
    } catch { /* gone */ }
  }
  return out;
}

// PostgreSQL's postmaster (first line of postmaster.pid in its data folder) and Redis's pid.
function servicePids() {
  const dataDir = psql(postgresUrl, 'SHOW data_directory');
  const postmaster = Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  const redis = Number(redisCli('INFO', 'server').match(/process_id:(\d+)/)[1]);
  return { postmaster, redis };
}

function snapshot(groups, database) {
  const cpu = {};
  for (const [group, pids] of Object.entries(groups)) {
    const list = group === 'postgres' ? [pids[0], ...childrenOf(pids[0])] : pids;
    cpu[group] = Object.fromEntries(list.map((pid) => [pid, cpuSeconds(pid)]));
  }
  const counters = {};
  if (database) {
    // Write transactions: the next transaction id to be assigned (a read-only transaction
    // takes none, and reading it takes none). pg_stat_database's xact_commit would lag:
    // a busy backend reports its counters about once a second.
    counters.commits = Number(psql(postgresUrl, 'SELECT txid_snapshot_xmax(txid_current_snapshot())'));
    counters.publishes = Number(redisCli('INFO', 'commandstats').match(/cmdstat_publish:calls=(\d+)/)?.[1] ?? 0);
  }
  return { at: Date.now(), cpu, counters };
}

// CPU seconds per group between two snapshots (a process only in the second counts from 0:
// a backend that started meanwhile).
function cpuBetween(before, after) {
  const out = {};
  for (const [group, pids] of Object.entries(after.cpu)) {
    out[group] = Object.entries(pids).reduce((sum, [pid, s]) => sum + s - (before.cpu[group]?.[pid] ?? 0), 0);
  }
  return out;
}

// harmonic-load with --trace: "measuring fixed|max" starts each measured window, which
// lasts --duration seconds; a snapshot is taken at both ends.
function runLoad(bins, port, serverPid, groups, database) {
  const loadArgs = ['--scenario', 'rooms', '--label', 'cluster', '--port', String(port), '--server-pid', String(serverPid),
                    '--clients', String(load.clients), '--universes', String(load.universes), '--users', String(load.users),
                    '--rate', String(load.rate), '--window', String(load.window), '--warmup', String(load.warmup),
                    '--duration', String(load.duration), '--trace'];
  if (quick) loadArgs.push('--drain', '3');
  return new Promise((resolveRun, reject) => {
    const child = spawn(bins.load, loadArgs, { stdio: ['ignore', 'pipe', 'pipe'] });
    const windows = [];
    let out = '', err = '', pending = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => {
      pending += d;
      let nl;
      while ((nl = pending.indexOf('\n')) >= 0) {
        const line = pending.slice(0, nl);
        pending = pending.slice(nl + 1);
        if (!line.startsWith('measuring ')) { if (!line.startsWith('trace ')) err = (err + line + '\n').slice(-4000); continue; }
        const w = { phase: line.slice('measuring '.length), before: snapshot(groups, database) };
        windows.push(w);
        setTimeout(() => { w.after = snapshot(groups, database); }, load.duration * 1000);
      }
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 300000);
    child.on('exit', async (code) => {
      clearTimeout(timer);
      if (code !== 0) return reject(new Error(`harmonic-load failed (${code}): ${err}`));
      while (windows.some((w) => !w.after)) await sleep(50);
      try { resolveRun({ result: JSON.parse(out.trim().split('\n').pop()), windows }); } catch (e) { reject(e); }
    });
  });
}

// --- one configuration ------------------------------------------------------------------
async function measure(bins, nodeCount) {
  const label = nodeCount === 0 ? 'one node, SQLite' : `${nodeCount} node${nodeCount > 1 ? 's' : ''}, PostgreSQL + Redis + HAProxy`;
  process.stderr.write(`bench cluster: ${label}... `);
  const started = [];
  try {
    let port, groups, database;
    if (nodeCount === 0) {
      const node = await startNode(bins, 'single', []);
      started.push(node);
      port = node.port;
      groups = { nodes: [node.child.pid] };
    } else {
      database = `harmonic_bench_${process.pid}_${nodeCount}`;
      psql(postgresUrl, `CREATE DATABASE ${database}`);
      const url = new URL(postgresUrl);
      url.pathname = `/${database}`;
      const nodes = [];
      for (let i = 0; i < nodeCount; i++) {  // one after the other: the first creates the schema
        const node = await startNode(bins, `n${i + 1}`, ['--postgres', url.toString(), '--redis', redisUrl, '--node-id', `n${i + 1}`]);
        nodes.push(node);
        started.push(node);
      }
      const haproxy = await startFront(nodes);
      started.push(haproxy);
      port = haproxy.port;
      const { postmaster, redis } = servicePids();
      groups = { nodes: nodes.map((n) => n.child.pid), postgres: [postmaster], redis: [redis], haproxy: [haproxy.child.pid] };
    }
    const { result, windows } = await runLoad(bins, port, groups.nodes[0], groups, database);
    for (const phase of result.phases ?? []) {
      const w = windows.find((x) => x.phase === phase.phase);
      if (!w) continue;
      const seconds = (w.after.at - w.before.at) / 1000;
      const cpu = cpuBetween(w.before, w.after);
      const total = Object.values(cpu).reduce((a, b) => a + b, 0);
      const delivered = phase.delivered_per_s * seconds;
      phase.cluster = {
        cpu_s: cpu,
        cpu_us_per_message: total * 1e6 / delivered,
        cpu_util: total / seconds,
        // Sent per second is the editors' changes (one update each).
        changes_per_s: phase.sent / phase.window_s,
      };
      if (database) {
        phase.cluster.commits_per_s = (w.after.counters.commits - w.before.counters.commits) / seconds;
        phase.cluster.publishes_per_s = (w.after.counters.publishes - w.before.counters.publishes) / seconds;
      }
    }
    const max = result.phases?.find((p) => p.phase === 'max');
    process.stderr.write(max ? `${Math.round(max.delivered_per_s)} msg/s at capacity\n` : 'no max phase\n');
    return { label, nodes: nodeCount, result };
  } catch (error) {
    process.stderr.write(`FAILED: ${error.message}\n`);
    return { label, nodes: nodeCount, error: error.message };
  } finally {
    for (const proc of started.reverse()) await stop(proc);
  }
}

// --- report ---------------------------------------------------------------------------------
const fmt = (v, digits = 0) => (v === undefined || v === null || !Number.isFinite(v) ? 'n/a'
  : Number(v).toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }));

function report(runs, meta) {
  const md = [];
  md.push(`# Cluster benchmark: one node on SQLite, 1 to 3 nodes on PostgreSQL + Redis behind HAProxy (${meta.date}${quick ? ', quick' : ''})`, '');
  md.push(`- Machine: ${meta.nproc} cores (${meta.cpu}), shared with other work: load average ${meta.loadBefore} before, ${meta.loadAfter} after.`);
  md.push(`- Everything on this one machine, on 127.0.0.1: the nodes, PostgreSQL (tests/cluster/postgres.sh: \`fsync=off\`, a throwaway server), Redis, HAProxy (deploy/haproxy.cfg) and the load generator. More nodes here share the same 2 cores: this measures the cost of the cluster path, not scaling.`);
  md.push(`- harmonic-server \`${meta.server}\` at commit ${meta.commit}; load: harmonic-load's rooms scenario, ${load.clients} clients in ${load.universes} universes (one editor each, every member a recipient), sessions spread round robin over the nodes by HAProxy, so most recipients of a change are on another node than its editor.`);
  md.push(`- Fixed phase: every editor 1 update/s (${load.universes} changes/s); max phase: every editor keeps ${load.window} updates in flight. ${load.duration} s measured per phase after ${load.warmup} s warm-up.`);
  md.push(`- Latency: from the editor's write to each member's read (it includes the commit: a change is announced only after it is stored); the acknowledgement to the editor comes at the same time as its own node's deliveries.`);
  md.push(`- CPU per delivered message: every process of the configuration (nodes, PostgreSQL backends, Redis, HAProxy) over the measured window, divided by the messages delivered in it; not the load generator.`, '');
  md.push('| configuration | fixed: delivered msg/s | fixed: p50 / p99 ms | max: changes/s | max: delivered msg/s | max: p50 / p99 ms | CPU µs per delivered msg (max) | × one SQLite node | PostgreSQL write transactions per change | Redis PUBLISH per change | lost |');
  md.push('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  const baseline = runs.find((r) => r.nodes === 0)?.result?.phases?.find((p) => p.phase === 'max')?.cluster?.cpu_us_per_message;
  for (const run of runs) {
    if (run.error) { md.push(`| ${run.label} | failed: ${run.error.replace(/\|/g, '/').slice(0, 200)} |`); continue; }
    const fixed = run.result.phases.find((p) => p.phase === 'fixed');
    const max = run.result.phases.find((p) => p.phase === 'max');
    const lost = run.result.phases.reduce((s, p) => s + (p.lost ?? 0), 0);
    const perChange = (x) => (max.cluster.changes_per_s ? x / max.cluster.changes_per_s : NaN);
    md.push(`| ${run.label} | ${fmt(fixed?.delivered_per_s)} | ${fmt(fixed?.latency_ms.p50, 1)} / ${fmt(fixed?.latency_ms.p99, 1)} | ` +
      `${fmt(max?.cluster.changes_per_s)} | ${fmt(max?.delivered_per_s)} | ${fmt(max?.latency_ms.p50, 1)} / ${fmt(max?.latency_ms.p99, 1)} | ` +
      `${fmt(max?.cluster.cpu_us_per_message, 1)} | ${run.nodes && baseline ? fmt(max.cluster.cpu_us_per_message / baseline, 2) + '×' : ''} | ` +
      `${run.nodes ? fmt(perChange(max.cluster.commits_per_s), 2) : ''} | ${run.nodes ? fmt(perChange(max.cluster.publishes_per_s), 2) : ''} | ${lost} |`);
  }
  md.push('', '## CPU by process (max phase): µs per delivered message, and share of one core', '');
  md.push('| configuration | nodes | PostgreSQL | Redis | HAProxy | total |');
  md.push('|---|---:|---:|---:|---:|---:|');
  for (const run of runs) {
    const max = run.result?.phases?.find((p) => p.phase === 'max');
    if (!max?.delivered_per_s) continue;
    const s = max.cluster.cpu_s, seconds = max.window_s, delivered = max.delivered_per_s * seconds;
    const cell = (v) => (v === undefined ? '' : `${fmt(v * 1e6 / delivered, 1)} µs (${fmt(v / seconds * 100)}%)`);
    md.push(`| ${run.label} | ${cell(s.nodes)} | ${cell(s.postgres)} | ${cell(s.redis)} | ${cell(s.haproxy)} | ` +
      `${fmt(max.cluster.cpu_us_per_message, 1)} µs (${fmt(max.cluster.cpu_util * 100)}%) |`);
  }
  md.push('', '## Details', '');
  for (const run of runs) {
    if (!run.result) continue;
    const c = run.result.connect;
    md.push(`- **${run.label}**: connected ${c.connected} (failed ${c.failed}) in ${fmt(c.ramp_s, 1)} s, connect + join p99 ${fmt(c.p99_ms, 1)} ms`);
    for (const p of run.result.phases) {
      md.push(`  - ${p.phase}: sent ${fmt(p.sent)}, delivered ${fmt(p.delivered_per_s)} msg/s over ${fmt(p.window_s, 1)} s, latency p50/p99/p99.9/max ` +
        `${fmt(p.latency_ms.p50, 1)}/${fmt(p.latency_ms.p99, 1)}/${fmt(p.latency_ms.p999, 1)}/${fmt(p.latency_ms.max, 1)} ms, lost ${p.lost} of ${fmt(p.expected)}, ` +
        `first node's CPU ${fmt((p.server_cpu_util ?? 0) * 100)}% (waited for a CPU ${fmt((p.server_cpu_wait ?? 0) * 100)}% of the window), load generator ${fmt(p.loadgen_cpu_util * 100)}%` +
        (p.server_errors ? `, server errors ${p.server_errors}` : '') + (p.disconnects ? `, disconnects ${p.disconnects}` : '') + (p.stalls ? `, stalled windows ${p.stalls}` : ''));
    }
    if (run.result.first_errors?.length) md.push(`  - first errors: ${run.result.first_errors.slice(0, 3).map((e) => '`' + e + '`').join('; ')}`);
  }
  return md.join('\n') + '\n';
}

async function main() {
  const bins = binaries();
  const meta = {
    date: new Date().toISOString().slice(0, 10),
    nproc: cpus().length,
    cpu: cpus()[0]?.model ?? 'unknown CPU',
    loadBefore: loadavg().map((x) => x.toFixed(2)).join(', '),
    server: bins.server.replace(repo + '/', ''),
    commit: currentCommit(),
    load,
  };
  const runs = [];
  for (const n of [0, ...nodeCounts]) runs.push(await measure(bins, n));
  meta.loadAfter = loadavg().map((x) => x.toFixed(2)).join(', ');
  const outDir = join(benchDir, 'results');
  mkdirSync(outDir, { recursive: true });
  const out = option('--out', join(outDir, `cluster-${meta.date}${quick ? '-quick' : ''}.md`));
  const text = report(runs, meta);
  writeFileSync(out, text);
  writeFileSync(out.replace(/\.md$/, '.json'), JSON.stringify({ meta, runs }, null, 1));
  process.stdout.write(text);
  process.exit(runs.every((r) => !r.error) ? 0 : 1);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
