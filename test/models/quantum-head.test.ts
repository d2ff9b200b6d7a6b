// The gated quantum head: alpha starts at sigmoid(alphaInit); phase A leaves the gate and the
// quantum branch bit-for-bit unchanged while the backbone trains; phase B moves them; metrics.jsonl
// logs alpha every epoch; a run stopped at the phase boundary and resumed ends with the same bits
// as an uninterrupted one.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { buildModel } from '../../src/models/build.js';
import { attachQuantumHead, type QuantumHeadConfig } from '../../src/models/quantum-head/head.js';
import { findGate } from '../../src/models/quantum-head/gate.js';
import { countParams } from '../../src/models/build.js';
import { train, type TrainerConfig } from '../../src/train/trainer.js';
import { readMetricsJsonl } from '../../src/train/history.js';
import { snapshotWeights } from '../../src/train/weights.js';
import { Rng } from '../../src/util/random.js';

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

function model(head: QuantumHeadConfig = {}): tf.LayersModel {
  const backbone = buildModel([{ dense: { units: 6, activation: 'tanh' } }, { dense: { units: 3 } }], { inputShape: [4], seed: 3 });
  return attachQuantumHead(backbone, { wires: 3, layers: 1, warmupEpochs: 1, ...head }, 3);
}

function data(n = 48): { x: tf.Tensor2D; y: tf.Tensor1D } {
  const rng = new Rng(11);
  const x = Float32Array.from({ length: n * 4 }, () => rng.next() * 2 - 1);
  const y = Int32Array.from({ length: n }, (_, i) => (x[4 * i] + x[4 * i + 1] > 0 ? 1 : x[4 * i + 2] > 0 ? 2 : 0));
  return { x: tf.tensor2d(x, [n, 4]), y: tf.tensor1d(y, 'int32') };
}

const config: TrainerConfig = { epochs: 3, batchSize: 16, optimizer: { type: 'adam', lr: 0.05 } };
const BRANCH = ['qhead_angles', 'qhead_circuit', 'qhead_logits', 'qhead_gate'];
const isBranch = (name: string) => BRANCH.some((b) => name.startsWith(`${b}/`));

function withDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'entangle-qhead-'));
  return fn(dir).finally(() => rmSync(dir, { recursive: true, force: true }));
}

test('the head adds a gate whose alpha starts at sigmoid(alphaInit) and whose output is logits_cls + alpha·logits_q', () => {
  const m = model({ alphaInit: -2 });
  const gate = findGate(m);
  assert.ok(gate, 'gate');
  assert.ok(Math.abs(gate.alpha - sigmoid(-2)) < 1e-7, 'Math.abs(gate.alpha - sigmoid(-2)) < 1e-7');
  assert.ok(Math.abs((findGate(model())?.alpha ?? 0) - sigmoid(-6)) < 1e-9, 'default alphaInit −6');
  // The fused output against the two branches computed separately.
  const { x } = data(5);
  const cls = m.getLayer('layer1_dense');
  const parts = tf.model({ inputs: m.inputs, outputs: [cls.output as tf.SymbolicTensor, m.getLayer('qhead_logits').output as tf.SymbolicTensor] });
  const [lc, lq] = (parts.predict(x) as tf.Tensor[]).map((t) => t.arraySync() as number[][]);
  const fused = (m.predict(x) as tf.Tensor).arraySync() as number[][];
  fused.forEach((row, i) => row.forEach((v, k) => assert.ok(Math.abs(v - (lc[i][k] + sigmoid(-2) * lq[i][k])) < 1e-5, 'Math.abs(v - (lc[i][k] + sigmoid(-2) * lq[i][k])) < 1e-5')));
  assert.equal(countParams(m).quantum, 3 * 1 * 3, 'the circuit: 1 layer × 3 wires × 3 angles');
});

test('phase A freezes the gate and the quantum branch; phase B trains them; alpha is in every metrics line', async () => {
  await withDir(async (dir) => {
    const m = model();
    const start = snapshotWeights(m);
    const { x, y } = data();
    await train({ model: m, train: { x, y }, config, seed: 5, runDir: dir, maxEpochsThisCall: 1 });
    const afterA = snapshotWeights(m);
    for (const [name, t] of afterA) {
      if (isBranch(name)) assert.deepEqual(t.values, start.get(name)?.values, `${name} is frozen in phase A`);
    }
    assert.ok([...afterA].some(([name, t]) => !isBranch(name) && t.values.some((v, i) => v !== start.get(name)?.values[i])), 'the backbone trains in phase A');
    assert.equal(findGate(m)?.alpha, sigmoid(Math.fround(-6)));
    await train({ model: m, train: { x, y }, config, seed: 5, runDir: dir, resume: true });
    const afterB = snapshotWeights(m);
    for (const name of ['qhead_gate/alpha_raw', 'qhead_circuit/circuit_weights', 'qhead_angles/kernel', 'qhead_logits/kernel']) {
      assert.ok(afterB.get(name)?.values.some((v, i) => v !== afterA.get(name)?.values[i]), `${name} trains in phase B`);
    }
    const lines = readMetricsJsonl(join(dir, 'metrics.jsonl'));
    assert.equal(lines.length, 3);
    assert.equal(lines[0].alpha, sigmoid(Math.fround(-6)));
    assert.ok(lines.every((r) => typeof r.alpha === 'number'), 'lines.every((r) => typeof r.alpha === \'number\')');
    assert.notEqual(lines[2].alpha, lines[0].alpha);
    assert.equal(lines[2].alpha, findGate(m)?.alpha);
    tf.dispose([x, y]);
  });
});

test('a run stopped at the phase boundary and resumed equals the uninterrupted run, bit for bit', async () => {
  const { x, y } = data();
  const whole = await withDir(async (dir) => {
    const m = model();
    await train({ model: m, train: { x, y }, config, seed: 5, runDir: dir });
    return { weights: snapshotWeights(m), metrics: readMetricsJsonl(join(dir, 'metrics.jsonl')) };
  });
  const pieces = await withDir(async (dir) => {
    await train({ model: model(), train: { x, y }, config, seed: 5, runDir: dir, maxEpochsThisCall: 1 });
    const m = model(); // a fresh process would rebuild the model from the config
    await train({ model: m, train: { x, y }, config, seed: 5, runDir: dir, resume: true });
    return { weights: snapshotWeights(m), metrics: readMetricsJsonl(join(dir, 'metrics.jsonl')) };
  });
  for (const [name, t] of whole.weights) assert.deepEqual(pieces.weights.get(name)?.values, t.values, name);
  assert.deepEqual(pieces.metrics.map((r) => [r.train_loss, r.alpha]), whole.metrics.map((r) => [r.train_loss, r.alpha]));
  tf.dispose([x, y]);
});

test('the head needs a classifier reading flat features', () => {
  const conv = buildModel([{ conv2d: { filters: 2, kernelSize: 2 } }], { inputShape: [3, 3, 1], seed: 1 });
  assert.throws(() => attachQuantumHead(conv, {}, 1), /last layer must map features \[batch, f\] to logits/);
});
