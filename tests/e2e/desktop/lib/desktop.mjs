// Runs the real desktop client (harmonic-desktop) under Xvfb with Mesa's software
// OpenGL, the way CI and a support engineer would: a private X display, a private
// config directory, --status-json to read what the client knows, --script to act like
// a person (mouse and keyboard through ImGui), --screenshot to see the window.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { buildDir, repoRoot } from '../../lib/server.mjs';

export const desktopBinary = process.env.HARMONIC_DESKTOP
  ? path.resolve(process.env.HARMONIC_DESKTOP)
  : path.join(buildDir, 'native', 'harmonic-desktop');
export const artifactsDir = path.join(repoRoot, 'tests', 'e2e', 'artifacts');

function executable(file) {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export function desktopAvailable() { return executable(desktopBinary); }
export function xvfbAvailable() { return spawnSync('sh', ['-c', 'command -v Xvfb'], { stdio: 'ignore' }).status === 0; }

// For describe(..., {skip}): missing pieces skip locally, but fail when CI asks for
// everything (HARMONIC_E2E_REQUIRE_SERVER=1): then the tests run and report it.
export function desktopSkipReason() {
  if (process.env.HARMONIC_E2E_REQUIRE_SERVER === '1') return false;
  if (!desktopAvailable()) return `no desktop client at ${desktopBinary}`;
  if (!xvfbAvailable()) return 'Xvfb is not installed';
  return false;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// A private X server on the first free display number from 90 up.
export async function startXvfb({ width = 1280, height = 800 } = {}) {
  if (!xvfbAvailable()) throw new Error('Xvfb is not installed (apt-get install xvfb)');
  for (let n = 90 + (process.pid % 7); n < 140; n++) {
    if (fs.existsSync(`/tmp/.X${n}-lock`) || fs.existsSync(`/tmp/.X11-unix/X${n}`)) continue;
    const proc = spawn('Xvfb', [`:${n}`, '-screen', '0', `${width}x${height}x24`, '-nolisten', 'tcp'],
      { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    proc.stderr.on('data', (c) => { stderr += c; });
    const exited = new Promise((resolve) => proc.on('exit', resolve));
    for (let i = 0; i < 50; i++) {
      if (fs.existsSync(`/tmp/.X11-unix/X${n}`)) {
        return { display: `:${n}`, proc, stop: async () => { proc.kill('SIGTERM'); await exited; } };
      }
      if (proc.exitCode !== null) break;
      await sleep(100);
    }
    proc.kill('SIGKILL');
    if (!/already active|Server is already/.test(stderr)) throw new Error(`Xvfb :${n} did not start: ${stderr}`);
  }
  throw new Error('no free X display');
}

// One run of the desktop client. `args` are extra command-line options; `script` an
// array of steps written as JSON lines to --script.
export function launchDesktop({ display, server, args = [], script = null, name = 'desktop', configDir = null }) {
  if (!desktopAvailable()) throw new Error(`harmonic-desktop binary not found at ${desktopBinary}`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `harmonic-desktop-${name}-`));
  const statusFile = path.join(dir, 'status.json');
  const config = configDir ?? path.join(dir, 'config');
  const full = ['--server', server.url, '--status-json', statusFile, '--config', path.join(config, 'settings.json'), ...args];
  if (script) {
    const scriptFile = path.join(dir, 'script.jsonl');
    fs.writeFileSync(scriptFile, script.map((s) => JSON.stringify(s)).join('\n') + '\n');
    full.push('--script', scriptFile);
  }
  const proc = spawn(desktopBinary, full, {
    env: { ...process.env, DISPLAY: display, LIBGL_ALWAYS_SOFTWARE: '1', XDG_CONFIG_HOME: config },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  proc.stdout.on('data', (c) => { output += c; });
  proc.stderr.on('data', (c) => { output += c; });
  const exited = new Promise((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal })));
  fs.mkdirSync(artifactsDir, { recursive: true });
  exited.then(() => fs.writeFileSync(path.join(artifactsDir, `desktop-${name}.log`), output));

  const client = {
    proc, dir, statusFile, configDir: config, exited,
    output: () => output,
    status() {
      try { return JSON.parse(fs.readFileSync(statusFile, 'utf8')); } catch { return null; }
    },
    // Polls the status file until predicate(status) holds; returns that status.
    async waitFor(predicate, { timeout = 20000, what = 'condition' } = {}) {
      const deadline = Date.now() + timeout;
      let last = null;
      while (Date.now() < deadline) {
        last = client.status();
        if (last && predicate(last)) return last;
        if (proc.exitCode !== null) break;
        await sleep(50);
      }
      const brief = last ? JSON.stringify({ ...last, ui: undefined }).slice(0, 1500) : 'no status file';
      throw new Error(`desktop: timed out waiting for ${what}; exit ${proc.exitCode}; last status: ${brief}\n${output.slice(-2000)}`);
    },
    async exit({ timeout = 30000 } = {}) {
      const timer = setTimeout(() => proc.kill('SIGKILL'), timeout);
      const result = await exited;
      clearTimeout(timer);
      return result;
    },
    async dispose() {
      if (proc.exitCode === null && proc.signalCode === null) {
        proc.kill('SIGTERM');
        await Promise.race([exited, sleep(5000)]);
        if (proc.exitCode === null) proc.kill('SIGKILL');
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  return client;
}

// What ImageMagick sees in a PNG (or a region "WxH+X+Y" of it): size, the standard
// deviation of its pixels (0 = one flat colour) and how many distinct colours it has.
export function imageStats(file, region = null) {
  const args = [file];
  if (region) args.push('-crop', region, '+repage');
  args.push('-format', '%w %h %[fx:standard_deviation] %k', 'info:');
  const r = spawnSync('convert', args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`convert ${file}: ${r.stderr}`);
  const [w, h, sd, colours] = r.stdout.trim().split(/\s+/);
  return { width: Number(w), height: Number(h), stddev: Number(sd), colours: Number(colours) };
}
