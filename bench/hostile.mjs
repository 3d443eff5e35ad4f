// bench/hostile: the hostile soak (tests/e2e/lib/soak.mjs, the same scenario the e2e test
// runs) at the issue's size and for longer, with a report in bench/results/. The server is
// $HARMONIC_BUILD/server/harmonic-server (default <repo>/build), started fresh on a
// temporary data dir by tests/e2e/lib/server.mjs.
import { writeFileSync, mkdirSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { benchDir, currentCommit, option } from './lib/cli.mjs';
import { serverBinary, startServer } from '../tests/e2e/lib/server.mjs';
import { SOAK_LIMITS, describeResult, runSoak, soakServerOptions, soakSettings } from '../tests/e2e/lib/soak.mjs';


const settings = soakSettings({
  clients: Number(option('--clients', 200)),
  hostile: Number(option('--hostile', option('--clients', 200))),
  universes: Number(option('--universes', 8)),
  baselineS: Number(option('--baseline', 30)),
  attackS: Number(option('--attack', 120)),
  prefillS: 8,
  recoveryS: 60,
});
const date = new Date().toISOString().slice(0, 10);
const out = resolve(option('--out', join(benchDir, 'results', `hostile-${date}.md`)));

const server = await startServer({ ...soakServerOptions('bench-hostile') });
let result;
try {
  result = await runSoak(server, settings, (line) => console.error(`hostile: ${line}`));
} finally {
  await server.dispose();
}

const mb = (kb) => Math.round(kb / 1024);
const commit = currentCommit();
const v = result.verification;
const lost = v ? v.lostUpdates.length + v.lostHistory.length + v.lostMessages.length : NaN;
const checks = [
  ['well-behaved clients disconnected', result.disconnects.length, '0', result.disconnects.length === 0],
  ['ack p99 under attack / baseline', result.ackP99Ratio.toFixed(2), `≤ ${SOAK_LIMITS.ackP99Ratio}`, result.ackP99Ratio <= SOAK_LIMITS.ackP99Ratio],
  ['server RSS max (MB)', mb(result.rss.maxKb), `< ${SOAK_LIMITS.rssMaxMb}`, result.rss.maxKb < SOAK_LIMITS.rssMaxMb * 1024],
  ['acknowledged writes lost', v ? lost : `not verified (${result.verificationError ?? 'server gone'})`, '0', lost === 0],
  ['acks never received / refused', `${result.ackTimeouts.length} / ${result.ackErrors.length}`, '0 / 0',
    result.ackTimeouts.length === 0 && result.ackErrors.length === 0],
  ['server alive after the attack', result.serverAlive ? 'yes' : 'no', 'yes', result.serverAlive],
  ['server answers /healthz again after the attack (ms)', result.recoveryMs ?? `not within ${settings.recoveryMs / 1000} s`, '(reported)', true],
];
const held = checks.every((c) => c[3]);
const md = [
  `# Hostile soak (${date})`, '',
  `${settings.clients} well-behaved clients in ${settings.universes} universes (one acked parameter:update a second, a chat message every 5 s and a cursor frame a second each) for ${settings.baselineMs / 1000} s alone, then for ${settings.attackMs / 1000} s while ${settings.hostile} hostile connections run every attack at once. Scenario: tests/e2e/lib/soak.mjs and lib/attacks.mjs (the e2e test hostile-soak.test.mjs runs the same, shorter).`, '',
  `Server: \`${serverBinary}\` (checkout at ${commit}); machine: ${cpus().length} cores, load average at the end ${loadavg().map((x) => x.toFixed(2)).join(' ')}.`, '',
  '| check | measured | limit | held |', '|---|---|---|---|',
  ...checks.map(([name, value, limit, ok]) => `| ${name} | ${value} | ${limit} | ${ok ? 'yes' : '**no**'} |`), '',
  '| phase | acks | p50 (ms) | p99 (ms) | max (ms) | load generator event-loop delay p99 (ms) | server RSS max (MB) |', '|---|---|---|---|---|---|---|',
  ...['baseline', 'attack'].map((p) => {
    const s = result[p];
    return `| ${p} | ${s.acks} | ${s.p50_ms.toFixed(1)} | ${s.p99_ms.toFixed(1)} | ${s.max_ms.toFixed(1)} | ${s.client_loop_delay_p99_ms.toFixed(1)} | ${mb(result.rss.byPhaseKb[p] ?? 0)} |`;
  }), '',
  ...(result.baseline.client_loop_delay_p99_ms > 50
    ? [`Note: this process's own event loop was delayed (p99 ${result.baseline.client_loop_delay_p99_ms.toFixed(0)} ms) already in the baseline: the machine or the client count is too much for one measuring process, so the baseline is not a clean yardstick. Rerun on a quieter machine or with fewer clients (\`--clients\`).`, '']
    : []),
  '## Attacks', '',
  `Connections or workers per attack: \`${JSON.stringify(result.plan)}\``, '',
  '| attack | counts |', '|---|---|',
  ...Object.entries(result.attackStats ?? {}).map(([name, counts]) => `| ${name} | ${Object.entries(counts).map(([k, n]) => `${k} ${n}`).join(', ')} |`), '',
  '## Summary', '', '```', describeResult(result), '```', '',
];
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, md.join('\n'));
// Long lists (thousands of lost acks from a stalled server) are kept as count + first ten.
const compact = (value) => (Array.isArray(value) && value.length > 10 ? { count: value.length, first: value.slice(0, 10) }
  : value && typeof value === 'object' && !Array.isArray(value) ? Object.fromEntries(Object.entries(value).map(([k, x]) => [k, compact(x)]))
    : value);
writeFileSync(out.replace(/\.md$/, '.json'), JSON.stringify(compact(result), null, 2));
console.log(describeResult(result));
console.log(`report: ${out}`);
console.log(held ? 'all limits held' : 'LIMITS NOT HELD');
process.exitCode = held ? 0 : 1;
