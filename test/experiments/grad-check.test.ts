// Gradient methods on a small hybrid: adjoint and parameter-shift agree (float64 on the quantum
// layer, float32 through the whole model), the timing rows are labelled and count circuits; and
// a trained run evaluated with finite shots is reproducible by seed and converges to exact.

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseConfigText } from '../../src/config/load.js';
import { gradCheck, gradCheckMarkdown } from '../../src/experiments/grad-check.js';
import { runExperiment } from '../../src/experiments/run.js';
import { evaluateWithShots, shotsTable } from '../../src/experiments/shots-eval.js';

const config = (quantum: string) => `name: gc
seed: 3
data: { type: circles, samples: 160, noise: 0.05, noiseFeatures: 2, split: { train: 96, val: 32, test: 32 } }
model:
  layers:
    - dense: { units: 8, activation: relu }
    - dense: { units: 3, activation: tanh }
    - quantum: ${quantum}
    - dense: { units: 2 }
training: { epochs: 4, batchSize: 16, optimizer: { type: adam, lr: 0.05 } }
`;

const SEL = '{ wires: 3, embedding: { type: angle, scale: 3.14159 }, ansatz: { type: strongly_entangling, layers: 2 } }';
const ZZ = '{ wires: 3, embedding: { type: zz_feature_map, reps: 2 }, ansatz: { type: real_amplitudes, reps: 2 }, measure: { type: expval, observables: ["Z0", "Z1 Z2", "0.5*X0 + Y2"] } }';

test('adjoint and parameter-shift give the same gradients: float64 on the layer, float32 through the model', async () => {
  for (const quantum of [SEL, ZZ]) {
    const r = await gradCheck(parseConfigText(config(quantum), 'gc.yaml'), { timing: false });
    assert.equal(r.reference, 'adjoint');
    assert.equal(r.batchSize, 16);
    const [a] = r.agreement;
    assert.equal(a.method, 'parameter-shift');
    assert.equal(a.float64.length, 1);
    const q = a.float64[0];
    assert.equal(q.numInputs, 3);
    assert.ok(q.maxAbsWeights > 1e-3 && q.maxAbsInputs > 1e-3, 'the gradients are not trivially zero');
    assert.ok(q.maxAbsDiffWeights < 1e-12 && q.maxAbsDiffInputs < 1e-12, `float64 differences ${q.maxAbsDiffWeights}, ${q.maxAbsDiffInputs}`);
    assert.equal(a.float32.variables, 7); // 2 + 2 dense, circuit weights, 2 dense
    assert.ok(a.float32.maxAbsGrad > 1e-3, 'a.float32.maxAbsGrad > 1e-3');
    assert.ok(a.float32.maxAbsDiff < 1e-6, `float32 max difference ${a.float32.maxAbsDiff}`);
  }
});

test('grad-check times each method on the same batches, labels extrapolation, and counts circuit evaluations', async () => {
  const started: Array<{ name: string; steps: number }> = [];
  const reporter = {
    onTrainStart: (i: { name?: string }) => started.push({ name: i.name ?? '', steps: 0 }),
    onBatchEnd: () => (started[started.length - 1].steps += 1),
  };
  const r = await gradCheck(parseConfigText(config(SEL), 'gc.yaml'), { batches: 2, reporter });
  assert.deepEqual(r.timing.map((t) => t.method), ['adjoint', 'parameter-shift']);
  // Both methods warm up (2 untimed batches each) before either is timed.
  assert.deepEqual(started.map((s) => s.name.replace(/^.*\(/, '(')), ['(adjoint, warm-up, untimed)', '(parameter-shift, warm-up, untimed)', '(adjoint)', '(parameter-shift)']);
  assert.deepEqual(started.map((s) => s.steps), [2, 2, 2, 2]);
  assert.equal(r.warmupBatches, 2);
  for (const t of r.timing) {
    assert.equal(t.batches, 2);
    assert.equal(t.batchesPerEpoch, 6);
    assert.equal(t.extrapolated, true);
    assert.ok(Math.abs(t.secondsPerEpoch - 3 * t.seconds) < 1e-9, 'Math.abs(t.secondsPerEpoch - 3 * t.seconds) < 1e-9');
    assert.ok(t.quantumSeconds > 0 && t.quantumSeconds < t.seconds, 't.quantumSeconds > 0 && t.quantumSeconds < t.seconds');
  }
  // 3 RX embedding angles + 2 layers × 3 Rot gates × 3 angles = 21 shifted parameters, 2 shifts each.
  assert.equal(r.timing[0].circuitsPerEpoch, 96 * 2);
  assert.equal(r.timing[1].circuitsPerEpoch, 96 * (1 + 2 * 21));
  const md = gradCheckMarkdown(r);
  assert.match(md, /first 2 of 6 batches of one epoch and \*\*extrapolated\*\*/);
  assert.match(md, /Each method first trained 2 untimed batches \(warm-up\), all before any timing\./);
  assert.match(md, /\| parameter-shift \| float64 \| layer2_quantum: 18 weight gradients \|/);
  assert.match(md, /\| parameter-shift \| [\d.]+ \(extrap\.\) \|/);
});

test('finite-shot evaluation of a trained run: reproducible by seed, closer to exact with more shots', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'shots-'));
  await runExperiment(parseConfigText(config(SEL), 'gc.yaml'), { outDir: dir, report: false });
  const a = await evaluateWithShots(dir, { shots: [20, 2000], seed: 5 });
  assert.deepEqual(a.rows.map((r) => r.shots), [null, 20, 2000]);
  assert.equal(a.rows[0].mean_abs_output_error, 0);
  const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
  assert.ok(Math.abs(a.rows[0].test_accuracy - summary.test_accuracy) < 1e-9, 'exact row = the run\'s own test accuracy');
  assert.ok(a.rows[1].mean_abs_output_error > 2 * a.rows[2].mean_abs_output_error, `errors ${a.rows.map((r) => r.mean_abs_output_error)}`);
  assert.ok(a.rows[2].mean_abs_output_error < 0.05, 'a.rows[2].mean_abs_output_error < 0.05');
  const b = await evaluateWithShots(dir, { shots: [20, 2000], seed: 5, write: false });
  assert.deepEqual(b.rows.map(({ seconds: _s, ...r }) => r), a.rows.map(({ seconds: _s, ...r }) => r));
  const c = await evaluateWithShots(dir, { shots: [20], seed: 6, write: false });
  assert.notEqual(c.rows[1].mean_abs_output_error, a.rows[1].mean_abs_output_error);
  const saved = JSON.parse(readFileSync(join(dir, 'shots.json'), 'utf8'));
  assert.equal(saved.rows.length, 3);
  assert.match(readFileSync(join(dir, 'shots.md'), 'utf8'), /\| exact \| \d+\.\d\d% \| - \|/);
  assert.match(shotsTable(a), /^ *shots +test acc +vs exact/);
});
