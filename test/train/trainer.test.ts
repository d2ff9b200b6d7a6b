import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { CheckpointError } from '../../src/train/checkpoint.js';
import { readMetricsJsonl } from '../../src/train/history.js';
import { CHECKPOINT_FILE, METRICS_FILE, train, type TrainerConfig } from '../../src/train/trainer.js';
import { snapshotWeights } from '../../src/train/weights.js';
import { cpu, tinyCircles, tinyModel } from './helpers.js';

before(cpu);

// Everything that carries state across epochs at once: AdamW moments, a cosine schedule,
// clipping, dropout masks, early stopping with restore-best.
const CONFIG: TrainerConfig = {
  epochs: 6,
  batchSize: 16,
  optimizer: { type: 'adamw', lr: 0.05, weightDecay: 0.01 },
  clipNorm: 0.5,
  schedule: { type: 'cosine', warmupEpochs: 1 },
  earlyStopping: { patience: 10, restoreBest: true },
  labelSmoothing: 0.05,
};

function bytesOf(model: tf.LayersModel): Map<string, number[]> {
  return new Map([...snapshotWeights(model)].map(([k, v]) => [k, Array.from(new Uint8Array(v.values.buffer))]));
}

test('resume after an interruption ends with bit-identical weights and history', async () => {
  const data = tinyCircles();
  const straightDir = mkdtempSync(join(tmpdir(), 'train-'));
  const straight = tinyModel();
  const full = await train({ model: straight, train: data.train, val: data.val, config: CONFIG, seed: 11, runDir: straightDir });

  const dir = mkdtempSync(join(tmpdir(), 'train-'));
  // Interrupted twice; every leg builds a fresh model (initial weights are overwritten on resume).
  const leg1 = tinyModel();
  const first = await train({ model: leg1, train: data.train, val: data.val, config: CONFIG, seed: 11, runDir: dir, maxEpochsThisCall: 2 });
  assert.equal(first.epochsCompleted, 2);
  leg1.dispose();
  const leg2 = tinyModel();
  await train({ model: leg2, train: data.train, val: data.val, config: CONFIG, seed: 11, runDir: dir, resume: true, maxEpochsThisCall: 3 });
  leg2.dispose();
  const leg3 = tinyModel();
  const resumed = await train({ model: leg3, train: data.train, val: data.val, config: CONFIG, seed: 11, runDir: dir, resume: true });

  assert.equal(resumed.resumedFromEpoch, 5);
  assert.deepEqual(bytesOf(leg3), bytesOf(straight));
  const strip = (h: typeof full.history) => h.map((r) => [r.epoch, r.train_loss, r.val_loss, r.grad_norm, r.lr]);
  assert.deepEqual(strip(resumed.history), strip(full.history));
  assert.deepEqual(strip(readMetricsJsonl(join(dir, METRICS_FILE))), strip(full.history));
  tf.dispose([straight, leg3].flatMap((m) => m.weights.map((w) => w.read())));
  data.dispose();
});

test('resume rewrites metrics.jsonl to the checkpoint, dropping lines past it', async () => {
  const data = tinyCircles();
  const dir = mkdtempSync(join(tmpdir(), 'train-'));
  const model = tinyModel();
  await train({ model, train: data.train, val: data.val, config: { ...CONFIG, epochs: 3 }, seed: 2, runDir: dir, maxEpochsThisCall: 2 });
  // As if a later epoch's metrics line had been written but not its checkpoint.
  const path = join(dir, METRICS_FILE);
  writeFileSync(path, readFileSync(path, 'utf8') + JSON.stringify({ epoch: 3, train_loss: 123 }) + '\n');
  let linesAtResume = -1;
  await train({
    model,
    train: data.train,
    val: data.val,
    config: { ...CONFIG, epochs: 3 },
    seed: 2,
    runDir: dir,
    resume: true,
    reporter: { onTrainStart: () => (linesAtResume = readMetricsJsonl(path).length) },
  });
  assert.equal(linesAtResume, 2);
  const final = readMetricsJsonl(path);
  assert.deepEqual(final.map((r) => r.epoch), [1, 2, 3]);
  assert.notEqual(final[2].train_loss, 123);
  data.dispose();
});

test('resume refuses a checkpoint of another config or a damaged one, and starts fresh without one', async () => {
  const data = tinyCircles();
  const dir = mkdtempSync(join(tmpdir(), 'train-'));
  await train({ model: tinyModel(), train: data.train, val: data.val, config: { ...CONFIG, epochs: 1 }, seed: 2, runDir: dir });
  await assert.rejects(
    train({ model: tinyModel(), train: data.train, val: data.val, config: { ...CONFIG, epochs: 1, batchSize: 8 }, seed: 2, runDir: dir, resume: true }),
    (e: unknown) => e instanceof CheckpointError && e.problem === 'foreign',
  );
  const ckpt = join(dir, CHECKPOINT_FILE);
  const bytes = readFileSync(ckpt);
  writeFileSync(ckpt, bytes.subarray(0, bytes.length / 2));
  await assert.rejects(
    train({ model: tinyModel(), train: data.train, val: data.val, config: { ...CONFIG, epochs: 1 }, seed: 2, runDir: dir, resume: true }),
    (e: unknown) => e instanceof CheckpointError && e.problem === 'truncated',
  );
  const empty = mkdtempSync(join(tmpdir(), 'train-'));
  const messages: string[] = [];
  const r = await train({ model: tinyModel(), train: data.train, config: { ...CONFIG, epochs: 1, earlyStopping: undefined }, seed: 2, runDir: empty, resume: true, reporter: { onMessage: (m) => messages.push(m) } });
  assert.equal(r.epochsCompleted, 1);
  assert.match(messages[0], /no checkpoint/);
  assert.ok(existsSync(join(empty, CHECKPOINT_FILE)), 'existsSync(join(empty, CHECKPOINT_FILE))');
  data.dispose();
});

test('no tensor leaks: the tensor count is the same after every epoch and after training', async () => {
  const data = tinyCircles();
  const model = tinyModel();
  const before = tf.memory().numTensors;
  const counts: number[] = [];
  await train({
    model,
    train: data.train,
    val: data.val,
    config: { ...CONFIG, epochs: 4, earlyStopping: undefined, schedule: { type: 'reduce_on_plateau', patience: 0 } },
    seed: 3,
    reporter: { onEpochEnd: () => counts.push(tf.memory().numTensors) },
  });
  assert.equal(counts.length, 4);
  assert.ok(counts.every((c) => c === counts[0]), `tensor counts per epoch: ${counts.join(', ')}`);
  assert.equal(tf.memory().numTensors, before); // optimizer state released too
  data.dispose();
});

test('epoch records carry every field; quantum-flagged layers get their own param group and rate', async () => {
  const data = tinyCircles();
  const model = tinyModel();
  // Mark the first dense layer as quantum, as the QuantumLayer does with isQuantum = true.
  (model.getLayer('layer0_dense') as unknown as { isQuantum: boolean }).isQuantum = true;
  const records: Array<Record<string, unknown>> = [];
  const result = await train({
    model,
    train: data.train,
    val: data.val,
    config: { epochs: 2, batchSize: 32, optimizer: { type: 'adam', lr: 0.001 }, paramGroups: { quantum: { lr: 0.01 } }, schedule: { type: 'step', stepSize: 1, gamma: 0.5 } },
    seed: 3,
    reporter: { onEpochEnd: (r) => records.push({ ...r }) },
  });
  assert.deepEqual(records[0].lr, { quantum: 0.01, classical: 0.001 });
  assert.deepEqual(records[1].lr, { quantum: 0.005, classical: 0.0005 });
  for (const key of ['train_loss', 'train_accuracy', 'val_loss', 'val_accuracy', 'grad_norm', 'grad_norm_max', 'seconds', 'samples_per_second', 'batches_per_second', 'peak_rss_mb']) {
    assert.equal(typeof records[1][key], 'number', key);
    assert.ok(Number.isFinite(records[1][key] as number), key);
  }
  assert.ok((records[0].grad_norm_max as number) >= (records[0].grad_norm as number), '(records[0].grad_norm_max as number) >= (records[0].grad_norm as number)');
  assert.equal(result.epochsCompleted, 2);
  data.dispose();
});

test('training learns: tiny circles reach > 90 % validation accuracy; the same seed repeats exactly', async () => {
  const data = tinyCircles();
  const run = async () => {
    const model = tinyModel(5);
    const r = await train({ model, train: data.train, val: data.val, config: { epochs: 30, batchSize: 16, optimizer: { type: 'adam', lr: 0.03 } }, seed: 5 });
    return { acc: r.history.at(-1)!.val_accuracy!, weights: bytesOf(model) };
  };
  const a = await run();
  const b = await run();
  assert.ok(a.acc > 0.9, `validation accuracy ${a.acc}`);
  assert.deepEqual(a.weights, b.weights);
  data.dispose();
});

test('an abort mid-epoch discards that epoch: the model, checkpoint and result stand at the last complete epoch, and resume ends as the uninterrupted run', async () => {
  const data = tinyCircles();
  const config = { ...CONFIG, epochs: 4 };
  const straight = tinyModel();
  await train({ model: straight, train: data.train, val: data.val, config, seed: 11 });
  const twoEpochs = tinyModel();
  await train({ model: twoEpochs, train: data.train, val: data.val, config, seed: 11, maxEpochsThisCall: 2 });

  const dir = mkdtempSync(join(tmpdir(), 'train-'));
  const controller = new AbortController();
  const model = tinyModel();
  const messages: string[] = [];
  const r = await train({
    model, train: data.train, val: data.val, config, seed: 11, runDir: dir, signal: controller.signal,
    reporter: { onBatchEnd: (b) => b.epoch === 3 && b.step === 2 && controller.abort(), onMessage: (m) => messages.push(m) },
  });
  assert.equal(r.interrupted, true);
  assert.equal(r.epochsCompleted, 2);
  assert.equal(r.history.length, 2);
  assert.match(messages.join('\n'), /interrupted during epoch 3: it is discarded; the run stands at epoch 2/);
  assert.deepEqual(bytesOf(model), bytesOf(twoEpochs), 'the model is put back to the end of epoch 2');
  assert.equal(readMetricsJsonl(join(dir, METRICS_FILE)).length, 2);

  const resumed = tinyModel();
  const rest = await train({ model: resumed, train: data.train, val: data.val, config, seed: 11, runDir: dir, resume: true });
  assert.equal(rest.resumedFromEpoch, 2);
  assert.equal(rest.interrupted, false);
  assert.deepEqual(bytesOf(resumed), bytesOf(straight));
  data.dispose();
});

test('an abort between epochs stops after the checkpoint of the epoch that was running; an aborted signal at the start runs nothing', async () => {
  const data = tinyCircles();
  const dir = mkdtempSync(join(tmpdir(), 'train-'));
  const controller = new AbortController();
  const r = await train({
    model: tinyModel(), train: data.train, val: data.val, config: { ...CONFIG, epochs: 4 }, seed: 11, runDir: dir, signal: controller.signal,
    // During epoch 2's evaluation/checkpoint: the epoch is complete and kept.
    reporter: { onEpochEnd: (rec) => rec.epoch === 2 && controller.abort() },
  });
  assert.deepEqual([r.interrupted, r.epochsCompleted], [true, 2]);
  const again = await train({ model: tinyModel(), train: data.train, val: data.val, config: { ...CONFIG, epochs: 4 }, seed: 11, runDir: dir, resume: true, signal: controller.signal });
  assert.deepEqual([again.interrupted, again.epochsCompleted, again.resumedFromEpoch], [true, 2, 2]);
  const done = await train({ model: tinyModel(), train: data.train, val: data.val, config: { ...CONFIG, epochs: 2 }, seed: 11 });
  assert.equal(done.interrupted, false);
  data.dispose();
});
