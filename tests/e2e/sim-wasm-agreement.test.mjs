// The simulation is deterministic across platforms: the native harmonic-sim and the
// WebAssembly build run under node must print the same state hash for the same
// seed, parameters and step count. Unlike the server suites this one never skips:
// a missing binary is a failure, because the agreement is a promise we make.
//
//   HARMONIC_BUILD=/path/build HARMONIC_WEB_BUILD=/path/build-web node --test sim-wasm-agreement.test.mjs
import test from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const nativeBuild = process.env.HARMONIC_BUILD ?? path.join(repo, 'build');
const webBuild = process.env.HARMONIC_WEB_BUILD ?? path.join(repo, 'build-web');
const nativeSim = path.join(nativeBuild, 'tools', 'harmonic-sim', 'harmonic-sim');
const wasmSim = path.join(webBuild, 'tools', 'harmonic-sim', 'harmonic-sim.js');

// Each case stresses a different part of the step: collisions under gravity, the
// field and drag, fast tiny particles with many sub-steps, an ideal gas, live
// settings of every kind at their extremes, and 100,000 particles.
const cases = [
  { name: 'defaults', args: ['--seed', '1', '--steps', '600'] },
  { name: 'another seed', args: ['--seed', '987654321', '--steps', '300'] },
  {
    name: 'attractor with heavy drag',
    args: ['--seed', '7', '--steps', '600', '--particles', '5000',
      '--param', 'physics.field_strength=7.5', '--param', 'physics.air_resistance=0.9',
      '--param', 'physics.density=3'],
  },
  {
    name: 'fast tiny particles, maximum time scale',
    args: ['--seed', '9', '--steps', '200', '--particles', '20000',
      '--param', 'physics.time_scale=10', '--param', 'physics.particle_speed=100',
      '--param', 'physics.particle_size=0.1'],
  },
  {
    name: 'elastic gas with a repulsor',
    args: ['--seed', '11', '--steps', '400', '--param', 'physics.gravity=0',
      '--param', 'physics.elasticity=1', '--param', 'physics.friction=0',
      '--param', 'physics.field_strength=-10'],
  },
  {
    name: 'big sticky particles',
    args: ['--seed', '3', '--steps', '300', '--particles', '3000',
      '--param', 'physics.particle_size=10', '--param', 'physics.elasticity=0',
      '--param', 'physics.friction=1', '--param', 'physics.gravity=20'],
  },
  { name: '100,000 particles', args: ['--seed', '5', '--steps', '60', '--particles', '100000'] },
];

async function hashFrom(command, args) {
  const { stdout } = await run(command, args, { timeout: 300_000, maxBuffer: 1 << 20 });
  const hash = stdout.trim();
  assert.match(hash, /^[0-9a-f]{16}$/, `unexpected output from ${command}: ${stdout}`);
  return hash;
}

test('the native and WebAssembly harmonic-sim binaries exist', () => {
  assert.ok(existsSync(nativeSim), `missing ${nativeSim} (build the native tree, or set HARMONIC_BUILD)`);
  assert.ok(existsSync(wasmSim), `missing ${wasmSim} (build the web tree, or set HARMONIC_WEB_BUILD)`);
});

for (const { name, args } of cases) {
  test(`native and WebAssembly agree: ${name}`, async () => {
    assert.ok(existsSync(nativeSim), `missing ${nativeSim}`);
    assert.ok(existsSync(wasmSim), `missing ${wasmSim}`);
    const [native, wasm] = await Promise.all([
      hashFrom(nativeSim, [...args, '--hash']),
      hashFrom(process.execPath, ['--no-experimental-fetch', wasmSim, ...args, '--hash']),
    ]);
    assert.equal(wasm, native);
  });
}

test('different seeds give different universes (the hash is not constant)', async () => {
  assert.ok(existsSync(nativeSim), `missing ${nativeSim}`);
  const a = await hashFrom(nativeSim, ['--seed', '1', '--steps', '10', '--hash']);
  const b = await hashFrom(nativeSim, ['--seed', '2', '--steps', '10', '--hash']);
  assert.notEqual(a, b);
});
