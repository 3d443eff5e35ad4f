// Child process of the hostile soak (forked by lib/soak.mjs): runs every attack of
// lib/attacks.mjs at once, in its own process so its CPU does not delay the measuring
// process. Protocol over IPC: parent sends {type:'start', config}; child answers
// {type:'ready'} once the prefill is done and the attacks start, and {type:'stats'} at the
// end; {type:'stop'} ends every loop early. It exits by itself after the deadline, and
// the parent kills it if it does not.

import { ATTACKS, AttackContext, attackPlan, prefill, sleep } from './attacks.mjs';

let ctx = null;

process.on('message', async (msg) => {
  if (msg?.type === 'stop') {
    if (ctx) ctx.stopped = true;
    return;
  }
  if (msg?.type !== 'start') return;
  const { config } = msg;
  ctx = new AttackContext({ ...config, deadline: Date.now() + config.prefillMs + config.attackMs });
  const plan = attackPlan(config.hostile, config.only);
  if (plan.stateSyncFlood) await prefill(ctx, { maxMs: config.prefillMs });
  ctx.deadline = Date.now() + config.attackMs;
  process.send({ type: 'ready', plan });
  await Promise.allSettled(Object.entries(plan).map(([name, n]) => ATTACKS[name](ctx, n).catch((e) => {
    ctx.count(name, `crashed: ${e.message}`);
  })));
  ctx.closeAll();
  process.send({ type: 'stats', stats: ctx.stats }, () => {
    // give the sockets' FINs a moment, then leave
    sleep(100).then(() => process.exit(0));
  });
});

// The parent is gone (or closed the channel): nothing left to attack for.
process.on('disconnect', () => {
  ctx?.closeAll();
  process.exit(0);
});
