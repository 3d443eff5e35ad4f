// Starts and stops a real `harmonic-server` process for end-to-end tests.
//
// Every server gets a fresh temporary data dir (never /work/shared) and its own JWT
// secret, so tests can mint tokens. The binary is $HARMONIC_BUILD/server/harmonic-server
// (HARMONIC_BUILD defaults to <repo>/build). With `--port 0` the server prints
// "listening on http://127.0.0.1:<port>"; we parse it from stdout (or stderr) within 15 s.
//
// The server's output is kept in memory (last ~200 lines) and written to
// tests/e2e/artifacts/<name>-<pid>.log so a failing test can be read afterwards.

import { execFileSync, spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, '..', '..', '..');
export const buildDir = process.env.HARMONIC_BUILD
  ? path.resolve(process.env.HARMONIC_BUILD)
  : path.join(repoRoot, 'build');
export const serverBinary = path.join(buildDir, 'server', 'harmonic-server');
const artifactsDir = path.join(repoRoot, 'tests', 'e2e', 'artifacts');

// With --tls-cert the server listens on https:// (and --redirect-http prints its port).
const LISTEN_RE = /listening on (https?):\/\/127\.0\.0\.1:(\d+)/;
const REDIRECT_RE = /redirecting http:\/\/127\.0\.0\.1:(\d+) to https/;
const live = new Set();

// Never leave a server behind, whatever happens to the test process.
process.on('exit', () => {
  for (const s of live) {
    try { s.proc?.kill('SIGKILL'); } catch { /* already gone */ }
  }
});

export function serverAvailable() {
  try {
    fs.accessSync(serverBinary, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function makeWebRoot() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'harmonic-e2e-web-'));
  fs.writeFileSync(path.join(dir, 'index.html'),
    '<!doctype html><html><head><title>e2e web root</title></head><body>harmonic-e2e-index</body></html>\n');
  fs.writeFileSync(path.join(dir, 'app.js'), 'console.log("harmonic-e2e-app");\n');
  fs.writeFileSync(path.join(dir, 'style.css'), 'body { color: #123456; }\n');
  return dir;
}

// A fresh database on the server `url` names (created with psql), as a URL; undefined
// without a url.
function postgresDatabaseFor(url) {
  if (!url) return undefined;
  const name = `harmonic_e2e_${process.pid}_${crypto.randomBytes(4).toString('hex')}`;
  execFileSync('psql', [url, '-q', '-c', `CREATE DATABASE ${name}`], { stdio: ['ignore', 'ignore', 'inherit'] });
  const database = new URL(url);
  database.pathname = `/${name}`;
  return database.toString();
}

export class HarmonicServer {
  constructor(options = {}) {
    this.options = { ...options };
    this.name = options.name ?? 'server';
    this.host = '127.0.0.1';
    this.dataDir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'harmonic-e2e-data-'));
    this.ownsDataDir = !options.dataDir;
    this.webRoot = options.webRoot ?? makeWebRoot();
    this.ownsWebRoot = !options.webRoot;
    this.jwtSecret = options.jwtSecret ?? crypto.randomBytes(24).toString('hex');
    this.port = options.port ?? 0;
    this.proc = null;
    this.exited = null; // promise of {code, signal}
    this.exitInfo = null;
    this.lines = [];
    this.logFile = null;
    // Under tests/cluster/postgres.sh every server stores in PostgreSQL instead, each in a
    // database of its own (kept across its restarts, like its data dir).
    this.postgresUrl = options.postgresUrl ?? postgresDatabaseFor(process.env.HARMONIC_TEST_POSTGRES_URL);
  }

  get url() { return `${this.scheme ?? 'http'}://${this.host}:${this.port}`; }
  get wsUrl() { return `${this.scheme === 'https' ? 'wss' : 'ws'}://${this.host}:${this.port}`; }
  get running() { return this.proc !== null && this.exitInfo === null; }
  // The process id while it runs (for /proc/<pid>/status in soak measurements).
  get pid() { return this.running ? this.proc.pid : null; }

  args(port) {
    const o = this.options;
    const a = ['--host', this.host, '--port', String(port), '--data-dir', this.dataDir,
      '--web-root', this.webRoot, '--jwt-secret', this.jwtSecret,
      '--log-level', o.logLevel ?? process.env.HARMONIC_E2E_LOG_LEVEL ?? 'info'];
    const tuning = {
      pingInterval: '--ping-interval', pingTimeout: '--ping-timeout',
      rateLimit: '--rate-limit', rateBurst: '--rate-burst',
      cursorRate: '--cursor-rate', cursorBurst: '--cursor-burst',
      maxUniversesPerUser: '--max-universes-per-user', universeCreationsPerMinute: '--universe-creations-per-minute',
      apiRateLimit: '--api-rate-limit',
    };
    for (const [key, flag] of Object.entries(tuning)) {
      if (o[key] !== undefined) a.push(flag, String(o[key]));
    }
    // Test files register many users from one address; the limit itself has its own test.
    a.push('--register-limit', String(o.registerLimit ?? 100000));
    // Likewise every test connection comes from 127.0.0.1, and large rooms share a few
    // accounts; the caps have their own tests (hostile-connection-caps.test.mjs), which
    // set them again in extraArgs (the last value wins).
    a.push('--max-connections-per-ip', String(o.maxConnectionsPerIp ?? 100000));
    a.push('--max-sockets-per-user', String(o.maxSocketsPerUser ?? 100000));
    if (this.postgresUrl) a.push('--postgres', this.postgresUrl);
    if (o.extraArgs) a.push(...o.extraArgs);
    return a;
  }

  // Spawns the process and resolves once it prints its listening line.
  async start({ port } = {}) {
    if (this.running) throw new Error('server already running');
    if (!serverAvailable()) throw new Error(`harmonic-server binary not found at ${serverBinary}`);
    const wantPort = port ?? this.port ?? 0;
    // options.env: variables added to this process's environment (HARMONIC_METRICS_TOKEN, ...)
    const env = { ...process.env, ...(this.options.env ?? {}) };
    const proc = spawn(serverBinary, this.args(wantPort), { stdio: ['ignore', 'pipe', 'pipe'], env });
    this.proc = proc;
    this.exitInfo = null;
    fs.mkdirSync(artifactsDir, { recursive: true });
    this.logFile = path.join(artifactsDir, `${this.name}-${proc.pid}.log`);
    const log = fs.createWriteStream(this.logFile);
    live.add(this);
    this.exited = new Promise((resolve) => {
      proc.on('exit', (code, signal) => {
        this.exitInfo = { code, signal };
        live.delete(this);
        log.end();
        resolve(this.exitInfo);
      });
    });

    let onListen;
    const listening = new Promise((resolve) => { onListen = resolve; });
    const feed = (stream, tag) => {
      let buf = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk) => {
        log.write(chunk);
        buf += chunk;
        let nl;
        while ((nl = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, nl);
          buf = buf.slice(nl + 1);
          this.lines.push(`[${tag}] ${line}`);
          if (this.lines.length > 200) this.lines.shift();
          const redirect = REDIRECT_RE.exec(line);
          if (redirect) this.redirectPort = Number(redirect[1]);
          const m = LISTEN_RE.exec(line);
          if (m) {
            this.scheme = m[1];
            onListen(Number(m[2]));
          }
        }
      });
    };
    feed(proc.stdout, 'out');
    feed(proc.stderr, 'err');

    let timer;
    const timeout = new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`server did not print its listening line within 15 s\n${this.tail()}`)), 15000);
    });
    const died = this.exited.then((info) => {
      throw new Error(`server exited before listening (${JSON.stringify(info)})\n${this.tail()}`);
    });
    try {
      this.port = await Promise.race([listening, timeout, died]);
    } catch (e) {
      proc.kill('SIGKILL');
      throw e;
    } finally {
      clearTimeout(timer);
      died.catch(() => {});
    }
    return this;
  }

  tail(n = 40) { return this.lines.slice(-n).join('\n'); }

  // SIGTERM and wait for the exit; SIGKILL after timeoutMs. Returns {code, signal}.
  async stop({ timeoutMs = 10000 } = {}) {
    if (!this.running) return this.exitInfo;
    this.proc.kill('SIGTERM');
    let timer;
    const killed = new Promise((resolve) => {
      timer = setTimeout(() => {
        this.proc.kill('SIGKILL');
        resolve(null);
      }, timeoutMs);
    });
    const first = await Promise.race([this.exited, killed]);
    clearTimeout(timer);
    const info = await this.exited;
    return first === null ? { ...info, timedOut: true } : info;
  }

  async kill9() {
    if (!this.running) return this.exitInfo;
    this.proc.kill('SIGKILL');
    return this.exited;
  }

  // Start again on the same data dir and JWT secret, on the same port by default.
  // Retries briefly if the port is still held by the previous process' sockets.
  async restart({ samePort = true } = {}) {
    if (this.running) await this.stop();
    const port = samePort ? this.port : 0;
    let lastErr;
    for (let i = 0; i < 10; i++) {
      try {
        return await this.start({ port });
      } catch (e) {
        lastErr = e;
        await new Promise((r) => setTimeout(r, 300));
      }
    }
    throw lastErr;
  }

  // Stop (hard) and remove the temporary directories this object created.
  async dispose() {
    if (this.running) await this.stop({ timeoutMs: 3000 });
    if (this.ownsDataDir) fs.rmSync(this.dataDir, { recursive: true, force: true });
    if (this.ownsWebRoot) fs.rmSync(this.webRoot, { recursive: true, force: true });
  }
}

// The binary's --help text ('' if it cannot run): lets a test pass an option only to a
// build that has it, e.g. the hostile soak lifting a per-address cap on new builds.
export function serverHelp() {
  try {
    return execFileSync(serverBinary, ['--help'], { encoding: 'utf8', timeout: 5000, stdio: ['ignore', 'pipe', 'ignore'] });
  } catch (e) {
    return typeof e.stdout === 'string' ? e.stdout : '';
  }
}

export async function startServer(options = {}) {
  const s = new HarmonicServer(options);
  await s.start();
  return s;
}

// For `describe(..., { skip: skipReason() })`: skip a whole file cleanly when there is
// no binary yet, instead of failing every test with the same message. Set
// HARMONIC_E2E_REQUIRE_SERVER=1 (as CI should) to fail instead.
export function skipReason() {
  if (serverAvailable() || process.env.HARMONIC_E2E_REQUIRE_SERVER === '1') return false;
  return `no server binary at ${serverBinary}`;
}
