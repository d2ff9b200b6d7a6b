import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createSchedule, ReduceOnPlateauSchedule } from '../../src/train/schedules.js';

const ctx = { epochs: 10, stepsPerEpoch: 10 }; // 100 steps
const close = (a: number, b: number) => assert.ok(Math.abs(a - b) < 1e-12, `expected ${b}, got ${a}`);

test('constant is 1 everywhere', () => {
  const s = createSchedule({ type: 'constant' }, ctx);
  for (const step of [0, 37, 99]) assert.equal(s.factor(step, Math.floor(step / 10)), 1);
});

test('step: ×gamma every stepSize epochs', () => {
  const s = createSchedule({ type: 'step', stepSize: 2, gamma: 0.5 }, ctx);
  assert.deepEqual([0, 1, 2, 3, 4, 9].map((e) => s.factor(e * 10, e)), [1, 1, 0.5, 0.5, 0.25, 0.0625]);
});

test('cosine: 1 at the start, (1 + min)/2 half-way, min at the end; linear warm-up first', () => {
  const s = createSchedule({ type: 'cosine' }, ctx);
  close(s.factor(0, 0), 1);
  close(s.factor(50, 5), 0.5);
  close(s.factor(100, 10), 0);
  close(createSchedule({ type: 'cosine', minFactor: 0.1 }, ctx).factor(50, 5), 0.55);
  const w = createSchedule({ type: 'cosine', warmupEpochs: 1 }, ctx);
  close(w.factor(0, 0), 0.1);
  close(w.factor(4, 0), 0.5);
  close(w.factor(9, 0), 1);
  close(w.factor(10, 1), 1);
  close(w.factor(55, 5), 0.5); // half-way through the 90 post-warm-up steps
});

test('one_cycle: base/25 at step 0, base at 30 % of the steps, base/25/1e4 at the last step (torch OneCycleLR)', () => {
  const s = createSchedule({ type: 'one_cycle' }, ctx);
  close(s.factor(0, 0), 1 / 25);
  close(s.factor(29, 2), 1); // peak step = 0.3·100 − 1
  close(s.factor(99, 9), 1 / 25 / 1e4);
  close(s.factor(14.5, 1), (1 + 1 / 25) / 2); // half-way up: the cosine midpoint
  assert.ok(s.factor(60, 6) < 1 && s.factor(60, 6) > s.factor(80, 8), 's.factor(60, 6) < 1 && s.factor(60, 6) > s.factor(80, 8)');
});

test('one_cycle closed form on the way down and with other settings: (end + (start − end)(1 + cos πt)/2)', () => {
  const s = createSchedule({ type: 'one_cycle' }, ctx);
  const final = 1 / 25 / 1e4;
  close(s.factor(64, 6), (1 + final) / 2); // t = (64 − 29)/(99 − 29) = 1/2
  close(s.factor(46.5, 4), final + ((1 - final) / 2) * (1 + Math.cos(Math.PI / 4))); // t = 1/4
  // 10 steps, peak at 0.4·10 − 1 = 3, from 1/10 up and down to 1/10/100.
  const t = createSchedule({ type: 'one_cycle', pctStart: 0.4, divFactor: 10, finalDivFactor: 100 }, { epochs: 1, stepsPerEpoch: 10 });
  close(t.factor(0, 0), 0.1);
  close(t.factor(1, 0), 1 + ((0.1 - 1) / 2) * (1 + Math.cos(Math.PI / 3)));
  close(t.factor(3, 0), 1);
  close(t.factor(6, 0), 0.001 + ((1 - 0.001) / 2) * (1 + Math.cos(Math.PI / 2)));
  close(t.factor(9, 0), 0.001);
});

test('reduce_on_plateau: reduces after patience epochs without improvement, restores from state', () => {
  const s = new ReduceOnPlateauSchedule(0.5, 2, 0);
  const factors: number[] = [];
  for (const [e, loss] of [1, 0.9, 0.95, 0.93, 0.91, 0.92, 0.8].entries()) {
    s.onEpochEnd(e, loss);
    factors.push(s.factor());
  }
  // Best 0.9 at epoch 1; epochs 2, 3, 4 are worse: the third bad epoch (> patience 2) halves.
  assert.deepEqual(factors, [1, 1, 1, 1, 0.5, 0.5, 0.5]);
  const copy = new ReduceOnPlateauSchedule(0.5, 2, 0);
  copy.restore(JSON.parse(JSON.stringify(s.state())));
  copy.onEpochEnd(7, 0.85);
  s.onEpochEnd(7, 0.85);
  assert.deepEqual(copy.state(), s.state());
  // A fresh schedule's state survives JSON too (its best is +∞).
  const fresh = new ReduceOnPlateauSchedule();
  const restored = new ReduceOnPlateauSchedule();
  restored.restore(JSON.parse(JSON.stringify(fresh.state())));
  restored.onEpochEnd(0, 5);
  assert.equal(restored.state().best, 5);
});

test('invalid schedule settings are refused', () => {
  assert.throws(() => createSchedule({ type: 'step', stepSize: 0 }, ctx), /stepSize/);
  assert.throws(() => createSchedule({ type: 'one_cycle', pctStart: 1 }, ctx), /pctStart/);
  assert.throws(() => createSchedule({ type: 'reduce_on_plateau', factor: 1 }, ctx), /factor/);
});
