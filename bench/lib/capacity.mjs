// Which max-phase window of a harmonic-load result is a server's capacity. One rule for
// every scenario with a max phase (fan-out, rooms, polling-rooms); bench/README.md,
// "Capacity", says why.

// The phase with the highest delivered rate, or undefined.
export const best = (phases) => phases
  .reduce((top, p) => (!top || p.delivered_per_s > top.delivered_per_s ? p : top), undefined);

// Raw capacity: the best window whatever was lost, so neither server is judged at a
// window that happens to suit the other.
export const bestMax = (r) => best((r?.phases ?? []).filter((p) => p.phase === 'max'));

// The max phases in which the server served every client: it lost no message, and
// nobody was dropped in that window or before it (the hold after connecting, the fixed
// phase, the smaller windows run first). A dropped client stays out for the later phases
// and no longer expects anything, so without the "or before it" a later window would
// look lossless while serving fewer clients.
export function servedEveryone(r) {
  let dropped = (r?.clients ?? 0) - (r?.alive_after_hold ?? r?.clients ?? 0);
  const served = [];
  for (const p of r?.phases ?? []) {
    dropped += p.disconnects ?? 0;
    if (p.phase === 'max' && dropped === 0 && (p.lost ?? 0) === 0) served.push(p);
  }
  return served;
}

// The capacity the targets are checked against: the best window that served everyone.
export const bestLossless = (r) => best(servedEveryone(r));
