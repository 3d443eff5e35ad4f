// The well-behaved half of the hostile soak (lib/soak.mjs): socket.io-client sockets with
// the options of docs/protocol.md ("Connecting"), each in one universe, sending an acked
// parameter:update, an acked chat message and a cursor frame at fixed intervals. It
// records per phase the ack round trips and this process's event-loop delay, every
// disconnect, and what was acknowledged (for lib/soak-verify.mjs).

import { monitorEventLoopDelay } from 'node:perf_hooks';
import { join, sleep } from './clients.mjs';

export const ACK_TIMEOUT_MS = 10000; // an ack later than this counts as lost in flight

export function percentile(values, p) {
  if (!values.length) return NaN;
  const v = [...values].sort((a, b) => a - b);
  return v[Math.min(v.length - 1, Math.ceil((p / 100) * v.length) - 1)];
}

export class WellBehavedLoad {
  constructor(server, world, s, tracker) {
    Object.assign(this, { server, world, s, tracker });
    this.clients = [];
    this.phase = 'setup';
    this.latencies = {};          // phase -> ack round trips (ms)
    this.loopDelay = {};          // phase -> this process's event-loop delay histogram
    this.disconnects = [];        // {client, reason, phase}
    this.ackErrors = [];          // {event, code, phase}
    this.ackTimeouts = [];        // {event, phase}
    this.inflight = 0;
    this.counter = world.universes.map(() => 0);
    this.acked = world.universes.map(() => ({ updates: [], messages: [] }));
    this.unknown = world.universes.map(() => new Map()); // key -> values whose ack never came
    this.timer = null;
  }

  async connect() {
    const { clients } = this.s;
    for (let start = 0; start < clients; start += 20) {
      await Promise.all(Array.from({ length: Math.min(20, clients - start) }, async (_, k) => {
        const i = start + k;
        const user = this.world.users[i % this.world.users.length];
        const u = i % this.world.universes.length;
        const socket = await this.tracker.open(this.server, user.token);
        await join(socket, this.world.universes[u]);
        socket.on('disconnect', (reason) => this.disconnects.push({ client: i, reason, phase: this.phase }));
        this.clients.push({ i, u, socket, next: {} });
      }));
    }
  }

  setPhase(phase) {
    this.loopDelay[this.phase]?.disable();
    this.phase = phase;
    const h = monitorEventLoopDelay({ resolution: 10 });
    h.enable();
    this.loopDelay[phase] = h;
  }

  // Each client's first events at a random point of its interval: spread out, not a
  // burst of every client at once that would weigh on the baseline's p99.
  start() {
    const now = performance.now();
    for (const c of this.clients) {
      c.next = { update: now + Math.random() * this.s.updateMs, chat: now + Math.random() * this.s.chatMs,
        cursor: now + Math.random() * this.s.cursorMs };
    }
    this.timer = setInterval(() => this.tick(), 20);
  }

  tick() {
    const now = performance.now();
    for (const c of this.clients) {
      if (!c.socket.connected) continue;
      if (this.due(c, 'update', now, this.s.updateMs)) this.update(c);
      if (this.due(c, 'chat', now, this.s.chatMs)) this.chat(c);
      if (this.due(c, 'cursor', now, this.s.cursorMs)) {
        c.socket.emit('collaboration:cursor', { universe_id: this.world.universes[c.u], position: { x: Math.random() * 800, y: Math.random() * 600 } });
      }
    }
  }

  // Whether c's next `what` is due; schedules the one after. A client that fell behind
  // (this process was descheduled) skips what it missed rather than bursting past the
  // server's event budget.
  due(c, what, now, intervalMs) {
    if (now < c.next[what]) return false;
    c.next[what] += intervalMs;
    if (c.next[what] < now) c.next[what] = now + intervalMs;
    return true;
  }

  // Acked emit from client c: the round trip goes to the phase it was sent in.
  send(c, event, payload, onOk, onLost) {
    const phase = this.phase;
    const started = performance.now();
    this.inflight += 1;
    c.socket.timeout(ACK_TIMEOUT_MS).emitWithAck(event, payload).then((reply) => {
      (this.latencies[phase] ??= []).push(performance.now() - started);
      if (reply?.ok === true) onOk(reply);
      else this.ackErrors.push({ event, code: reply?.error?.code ?? JSON.stringify(reply), phase });
    }, () => {
      // A lost ack counts as the longest wait we allow: leaving it out would make a
      // stalled server look fast (only the few acks that came would be measured).
      (this.latencies[phase] ??= []).push(ACK_TIMEOUT_MS);
      this.ackTimeouts.push({ event, phase });
      onLost?.();
    }).finally(() => { this.inflight -= 1; });
  }

  update(c) {
    const n = ++this.counter[c.u];
    const [category, key, value] = [
      ['physics', 'particle_count', 1 + (n % 99999)],
      ['music', 'tempo', 40 + (n % 161)],
      ['physics', 'gravity', (n % 2001) / 100],
    ][n % 3];
    const record = { key: `${category}.${key}`, category, name: key, value };
    this.send(c, 'parameter:update', { universe_id: this.world.universes[c.u], category, parameters: { [key]: value } },
      (reply) => this.acked[c.u].updates.push({ ...record, seq: reply.seq }),
      () => {
        const m = this.unknown[c.u];
        if (!m.has(record.key)) m.set(record.key, new Set());
        m.get(record.key).add(value);
      });
  }

  chat(c) {
    const n = ++this.counter[c.u];
    this.send(c, 'collaboration:message', { universe_id: this.world.universes[c.u], message: `soak ${c.i} ${n}` },
      (reply) => this.acked[c.u].messages.push(String(reply.message?.id)));
  }

  // Stop sending and wait (bounded) for the acks in flight.
  async stop() {
    clearInterval(this.timer);
    this.timer = null;
    for (let waited = 0; this.inflight > 0 && waited < ACK_TIMEOUT_MS + 1000; waited += 50) await sleep(50);
    this.loopDelay[this.phase]?.disable();
  }

  phaseSummary(phase) {
    const lat = this.latencies[phase] ?? [];
    const h = this.loopDelay[phase];
    return {
      acks: lat.length,
      p50_ms: percentile(lat, 50),
      p99_ms: percentile(lat, 99),
      max_ms: lat.length ? Math.max(...lat) : NaN,
      client_loop_delay_p99_ms: h ? h.percentile(99) / 1e6 : NaN,
    };
  }
}
