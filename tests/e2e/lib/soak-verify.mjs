// After the hostile soak: every write the well-behaved clients saw acknowledged must be
// stored. Read back through REST GET /api/universes/{id} and state:sync (paged).

import { ack, api, join, once, sleep } from './clients.mjs';

// --- verification: every acknowledged write is stored -------------------------------------
// Everything state:sync gives, following has_more and cursor (docs/protocol.md, "Limits
// and paging") page by page; a page refused by the rate limit (state:sync costs 10 of the
// event budget) is asked for again. Bounded in pages and retries.
async function readAllState(socket, universeId) {
  const history = new Map();
  const messages = new Map();
  let parameters = null;
  let cursor = null;
  for (let page = 0, retries = 0; page < 400 && retries < 100;) {
    const replyP = once(socket, 'state:synced', 15000, (d) => d?.universe_id === universeId);
    const request = cursor ? { universe_id: universeId, last_sync: 0, cursor } : { universe_id: universeId, last_sync: 0 };
    const res = await ack(socket, 'state:sync', request, 15000);
    if (res?.ok !== true) {
      replyP.catch(() => {});
      if (res?.error?.code !== 'rate_limited') throw new Error(`state:sync: ${JSON.stringify(res)}`);
      retries += 1;
      await sleep(600);
      continue;
    }
    const reply = await replyP;
    page += 1;
    const st = reply.state ?? {};
    parameters ??= st.parameters;
    for (const h of st.history ?? []) if (!history.has(h.seq)) history.set(h.seq, h);
    for (const m of st.messages ?? []) if (!messages.has(String(m.id))) messages.set(String(m.id), m);
    if (reply.has_more !== true) break;
    cursor = reply.cursor;
  }
  return { parameters, history, messages };
}

const sameValue = (a, b) => (typeof a === 'number' && typeof b === 'number' ? Math.abs(a - b) < 1e-9 : a === b);

export async function verifyStored(server, world, load, tracker) {
  const out = { lostUpdates: [], lostHistory: [], lostMessages: [], checkedKeys: 0, checkedMessages: 0, checkedHistory: 0 };
  for (let u = 0; u < world.universes.length; u++) {
    const id = world.universes[u];
    const rest = await api(server, 'GET', `/api/universes/${id}`, undefined, world.owner.token);
    if (rest.status !== 200) throw new Error(`GET /api/universes/${id}: HTTP ${rest.status}`);
    const socket = await tracker.open(server, world.owner.token);
    await join(socket, id);
    const state = await readAllState(socket, id);
    socket.disconnect();

    // final parameters: the acked value with the highest seq, per key
    const last = new Map();
    for (const a of load.acked[u].updates) if (!last.has(a.key) || last.get(a.key).seq < a.seq) last.set(a.key, a);
    for (const [key, a] of last) {
      out.checkedKeys += 1;
      const restValue = rest.body.parameters?.[a.category]?.[a.name];
      const syncValue = state.parameters?.[a.category]?.[a.name];
      const unknown = load.unknown[u].get(key) ?? new Set();
      for (const [where, v] of [['rest', restValue], ['state:sync', syncValue]]) {
        if (!sameValue(v, a.value) && !unknown.has(v)) out.lostUpdates.push({ universe: u, key, where, acked: a.value, seq: a.seq, stored: v });
      }
    }
    // history: every acked update within the returned window is there, with its value
    const seqs = [...state.history.keys()];
    const oldest = seqs.length ? Math.min(...seqs) : Infinity;
    for (const a of load.acked[u].updates) {
      if (a.seq < oldest) continue;
      out.checkedHistory += 1;
      const entry = state.history.get(a.seq);
      if (!entry || !sameValue(entry.changes?.[a.name], a.value)) out.lostHistory.push({ universe: u, seq: a.seq, key: a.key, acked: a.value, entry: entry?.changes });
    }
    // chat: every acked message id is in the history
    for (const mid of load.acked[u].messages) {
      out.checkedMessages += 1;
      if (!state.messages.has(mid)) out.lostMessages.push({ universe: u, id: mid });
    }
  }
  return out;
}
