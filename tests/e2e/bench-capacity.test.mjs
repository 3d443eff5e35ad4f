// bench/lib/capacity.mjs: the capacity a target is checked against is the best max-phase
// window in which the server lost nothing and dropped nobody (bench/README.md, "Capacity").
// Pure: needs no server.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bestLossless, bestMax, servedEveryone } from '../../bench/lib/capacity.mjs';

const max = (window, delivered, extra = {}) =>
  ({ phase: 'max', window_per_editor: window, delivered_per_s: delivered, lost: 0, disconnects: 0, ...extra });
const fixed = (extra = {}) => ({ phase: 'fixed', delivered_per_s: 5000, lost: 0, disconnects: 0, ...extra });
const result = (phases, alive = 100) => ({ clients: 100, alive_after_hold: alive, phases });

test('a window that lost messages is not capacity, but stays the raw best', () => {
  const r = result([fixed(), max(1, 10), max(4, 40), max(16, 90, { lost: 7 })]);
  assert.equal(bestLossless(r).window_per_editor, 4);
  assert.equal(bestMax(r).window_per_editor, 16);
});

test('a window that disconnected a client is not capacity, even without loss', () => {
  const r = result([fixed(), max(1, 10), max(4, 40, { disconnects: 1 })]);
  assert.equal(bestLossless(r).window_per_editor, 1);
});

test('after a client was dropped, later windows do not count either (they serve fewer clients)', () => {
  const r = result([fixed(), max(1, 10), max(4, 40, { disconnects: 3 }), max(16, 90)]);
  assert.deepEqual(servedEveryone(r).map((p) => p.window_per_editor), [1]);
  const droppedInFixed = result([fixed({ disconnects: 1 }), max(1, 10), max(4, 40)]);
  assert.equal(bestLossless(droppedInFixed), undefined);
  const droppedBeforeMeasuring = result([fixed(), max(1, 10)], 99);
  assert.equal(bestLossless(droppedBeforeMeasuring), undefined);
});

test('no lossless window: no capacity; no max phase: none either', () => {
  assert.equal(bestLossless(result([fixed(), max(1, 10, { lost: 1 })])), undefined);
  assert.equal(bestLossless(result([fixed()])), undefined);
  assert.equal(bestMax(result([fixed()])), undefined);
});

test('the best lossless window is the fastest, not the largest', () => {
  const r = result([fixed(), max(1, 10), max(2, 50), max(4, 40)]);
  assert.equal(bestLossless(r).window_per_editor, 2);
});
