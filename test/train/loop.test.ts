// EpochStepper (train/loop.ts), the one-epoch-at-a-time loop the playground drives, against the
// trainer: the same model, data, config and seed must end with bit-identical weights and the
// same per-epoch losses, with a quantum layer, dropout (step-seeded), a schedule and clipping in
// play. And the classical twin of a layer list (models/twin.ts).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildModel, countParams, type LayerConfig } from '../../src/models/build.js';
import { classicalTwin } from '../../src/models/twin.js';
import { EpochStepper } from '../../src/train/loop.js';
import { train, type TrainerConfig } from '../../src/train/trainer.js';
import { cpu, tinyCircles } from './helpers.js';

const LAYERS: LayerConfig[] = [
  { dense: { units: 2, activation: 'tanh' } },
  { quantum: { wires: 2, ansatz: { type: 'strongly_entangling', layers: 1 } } },
  { dropout: 0.1 },
  { dense: { units: 2 } },
];
const CONFIG: TrainerConfig = { epochs: 3, batchSize: 16, optimizer: { type: 'adam', lr: 0.05 }, clipNorm: 1, schedule: { type: 'step', stepSize: 1, gamma: 0.5 } };

test('EpochStepper runs the trainer\'s epochs: bit-identical weights and losses', async () => {
  await cpu();
  const data = tinyCircles(3);
  const a = buildModel(LAYERS, { inputShape: [3], seed: 5, numClasses: 2 });
  const b = buildModel(LAYERS, { inputShape: [3], seed: 5, numClasses: 2 });
  try {
    const result = await train({ model: a, train: data.train, val: data.val, config: CONFIG, seed: 5 });
    const stepper = new EpochStepper({ model: b, train: data.train, val: data.val, config: CONFIG, seed: 5 });
    const stepped = [];
    while (!stepper.done) stepped.push(stepper.step());
    stepper.dispose();
    assert.equal(stepper.step(), null, 'a finished run steps no more');
    assert.deepEqual(stepped.map((s) => s?.epoch), [1, 2, 3]);
    assert.deepEqual(stepped.map((s) => s?.totals.loss), result.history.map((r) => r.train_loss));
    assert.deepEqual(stepped.map((s) => s?.val?.loss), result.history.map((r) => r.val_loss));
    const wa = a.getWeights().map((w) => Array.from(w.dataSync()));
    const wb = b.getWeights().map((w) => Array.from(w.dataSync()));
    assert.deepEqual(wb, wa);
  } finally {
    a.dispose();
    b.dispose();
    data.dispose();
  }
});

test('classicalTwin: each quantum layer becomes a dense layer of its output width; the rest is unchanged', () => {
  const probs: LayerConfig = { quantum: { wires: 3, measure: { type: 'probs' }, ansatz: { type: 'basic_entangler', layers: 1 } } };
  const twin = classicalTwin([...LAYERS, { dense: { units: 8, activation: 'relu' } }, probs, { dense: { units: 2 } }]);
  assert.deepEqual(twin, [
    LAYERS[0],
    { dense: { units: 2, activation: 'tanh' } }, // <Z> on each of 2 wires: in [-1, 1]
    LAYERS[2],
    LAYERS[3],
    { dense: { units: 8, activation: 'relu' } },
    { dense: { units: 8, activation: 'softmax' } }, // 2^3 probabilities
    { dense: { units: 2 } },
  ]);
  // Same width, so the classical layers around it keep their parameter counts: the twin has the
  // hybrid's classical parameters plus the replacement's (2 inputs x 2 units + 2 biases).
  const hybrid = buildModel(LAYERS, { inputShape: [3], seed: 1, numClasses: 2 });
  const classical = buildModel(classicalTwin(LAYERS), { inputShape: [3], seed: 1, numClasses: 2 });
  assert.equal(countParams(classical).total, countParams(hybrid).classical + 2 * 2 + 2);
  assert.equal(countParams(classical).quantum, 0);
  hybrid.dispose();
  classical.dispose();
});
