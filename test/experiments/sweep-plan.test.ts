// The trials of a sweep: the grid of several fields, a seeded random sample of it, repeats over
// seeds, and the mean / spread of the repeats — against hand-written expectations.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { grid, planTrials, trialName } from '../../src/experiments/sweep-plan.js';
import { groupRepeats, type SweepRow } from '../../src/experiments/sweep.js';

const params = [
  { path: 'training.optimizer.lr', values: ['0.1', '0.01'] },
  { path: 'model.depth', values: ['1', '2', '3'] },
];

test('the grid is every combination, first field outermost; names carry every field (and the seed when repeated)', () => {
  const trials = planTrials('c', 7, { params });
  assert.deepEqual(trials.map((t) => t.name), ['c-lr0.1-depth1', 'c-lr0.1-depth2', 'c-lr0.1-depth3', 'c-lr0.01-depth1', 'c-lr0.01-depth2', 'c-lr0.01-depth3']);
  assert.deepEqual(trials[4].overrides, ['training.optimizer.lr=0.01', 'model.depth=2', 'name=c-lr0.01-depth2']);
  assert.deepEqual(trials[4].values, { 'training.optimizer.lr': '0.01', 'model.depth': '2' });
  assert.deepEqual(trials.map((t) => t.index), [0, 1, 2, 3, 4, 5]);
  assert.ok(trials.every((t) => t.seed === 7), 'trials.every((t) => t.seed === 7)');

  const repeated = planTrials('c', 7, { params: [params[0]], repeat: 3, pinDataSeed: 7 });
  assert.deepEqual(repeated.map((t) => [t.name, t.seed]), [['c-lr0.1-seed7', 7], ['c-lr0.1-seed8', 8], ['c-lr0.1-seed9', 9], ['c-lr0.01-seed7', 7], ['c-lr0.01-seed8', 8], ['c-lr0.01-seed9', 9]]);
  // Repeats hold the data seed (data and split stay the same); a config that pins it needs nothing.
  assert.deepEqual(repeated[1].overrides, ['training.optimizer.lr=0.1', 'seed=8', 'data.seed=7', 'name=c-lr0.1-seed8']);
  assert.deepEqual(planTrials('c', 7, { params: [params[0]], repeat: 2 })[1].overrides, ['training.optimizer.lr=0.1', 'seed=8', 'name=c-lr0.1-seed8']);
  assert.deepEqual(planTrials('c', 7, { params: [{ path: 'seed', values: ['1', '2'] }], pinDataSeed: 7 })[0].overrides, ['seed=1', 'data.seed=7', 'name=c-seed1']);
  assert.equal(trialName('m', [['a.b', '1/2']]), 'm-b1_2');
});

test('--random N draws N distinct grid points with its seed, the same ones every time, in grid order', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 0, max: 2 ** 31 }), (n, seed) => {
      const a = planTrials('c', 1, { params, random: n, randomSeed: seed });
      const b = planTrials('c', 1, { params, random: n, randomSeed: seed });
      assert.deepEqual(a, b);
      assert.equal(a.length, n);
      const all = planTrials('c', 1, { params }).map((t) => t.name);
      const positions = a.map((t) => all.indexOf(t.name));
      assert.ok(positions.every((p, i) => p >= 0 && (i === 0 || p > positions[i - 1])), `grid order: ${positions}`);
    }),
    { numRuns: 60 },
  );
  // Different seeds give different samples (3 of 6 points: 20 possible samples).
  const samples = new Set(Array.from({ length: 20 }, (_, s) => planTrials('c', 1, { params, random: 3, randomSeed: s }).map((t) => t.name).join()));
  assert.ok(samples.size > 5, `${samples.size} distinct samples from 20 seeds`);
  assert.equal(planTrials('c', 1, { params, random: 99, randomSeed: 1 }).length, 6);
});

test('a sweep refuses what would make two trials one run folder, and --random without --seed', () => {
  assert.equal(grid([]).length, 1);
  assert.throws(() => planTrials('c', 1, { params: [params[0], params[0]] }), /given twice/);
  assert.throws(() => planTrials('c', 1, { params: [{ path: 'a', values: ['1', '1'] }] }), /the value 1 is listed twice/);
  assert.throws(() => planTrials('c', 1, { params: [{ path: 'a', values: ['x/y', 'x_y'] }] }), /share the run folder c-ax_y/);
  assert.throws(() => planTrials('c', 1, { params, random: 2 }), /--random N needs --seed S/);
  assert.throws(() => planTrials('c', 1, { params: [{ path: 'seed', values: ['1', '2'] }], repeat: 2 }), /use one of them/);
  assert.throws(() => planTrials('c', 1, { params: [] }), /at least one --param/);
});

test('repeats over seeds: mean and sample standard deviation per grid point, failed trials left out', () => {
  const row = (lr: string, seed: number, acc: number | null): SweepRow => ({
    value: lr, values: { lr }, name: `c-lr${lr}-seed${seed}`, seed, status: acc === null ? 'failed' : 'done', attempts: 1, worker: 'local',
    test_accuracy: acc, generated_test_accuracy: null, trainable: acc === null ? null : 10, quantum: 0, classical: 10, compression: 1,
    seconds_per_epoch: 1, cpu_seconds_per_epoch: 1, epochs: 1, limit_batches: null, baseline: false, run_dir: '/x',
  });
  const groups = groupRepeats([row('0.1', 1, 0.5), row('0.1', 2, 0.7), row('0.1', 3, 0.9), row('0.2', 1, 0.8), row('0.2', 2, null)], [{ path: 'lr', values: [] }]);
  assert.equal(groups.length, 2);
  assert.ok(Math.abs((groups[0].test_accuracy_mean as number) - 0.7) < 1e-15, 'Math.abs((groups[0].test_accuracy_mean as number) - 0.7) < 1e-15');
  // Sample std of 0.5, 0.7, 0.9: sqrt((0.04 + 0 + 0.04) / 2) = 0.2.
  assert.ok(Math.abs((groups[0].test_accuracy_std as number) - 0.2) < 1e-15, 'Math.abs((groups[0].test_accuracy_std as number) - 0.2) < 1e-15');
  assert.deepEqual([groups[1].n, groups[1].seeds, groups[1].test_accuracy_mean, groups[1].test_accuracy_std], [1, [1, 2], 0.8, null]);
});
