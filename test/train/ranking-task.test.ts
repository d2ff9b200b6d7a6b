// A task the trainer was not written for, plugged into the unchanged loop: a toy pairwise
// reranker. Examples are (query, positive, negative) index triplets into query and document
// tables; the model scores a (query, document) pair; the loss is the margin ranking loss; the
// training metric is the fraction of triplets ranked right; validation is a custom evaluation
// (mean reciprocal rank of each query's relevant document among all documents) that early
// stopping follows upwards; the margin is the task's own state (it grows as training gets the
// pairs right), so checkpoints must carry it for a resume to be exact.

import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { readCheckpoint } from '../../src/train/checkpoint.js';
import type { MetricAccumulator, TrainingTask } from '../../src/train/tasks/task.js';
import { CHECKPOINT_FILE, train, type TrainerConfig } from '../../src/train/trainer.js';
import { snapshotWeights } from '../../src/train/weights.js';
import { Rng } from '../../src/util/random.js';
import { buildModel } from '../../src/models/build.js';
import { cpu } from './helpers.js';

before(cpu);

interface RankingData {
  queries: tf.Tensor2D;
  docs: tf.Tensor2D;
  /** [m * 3]: query, positive document, negative document. */
  triplets: Int32Array;
  /** The relevant document of each query. */
  relevant: Int32Array;
}

interface PairBatch {
  positive: tf.Tensor2D;
  negative: tf.Tensor2D;
}

const DOCS = 8;
const DIM = 3;

/** Queries are noisy copies of their relevant document; negatives are drawn by seed. */
function rankingData(seed: number, queriesPerDoc: number, docs: Float32Array): RankingData {
  const rng = new Rng(seed);
  const nq = DOCS * queriesPerDoc;
  const q = new Float32Array(nq * DIM);
  const relevant = new Int32Array(nq);
  const triplets: number[] = [];
  for (let i = 0; i < nq; i++) {
    relevant[i] = i % DOCS;
    for (let j = 0; j < DIM; j++) q[i * DIM + j] = docs[relevant[i] * DIM + j] + 0.3 * (rng.next() - 0.5);
    for (let k = 0; k < 3; k++) triplets.push(i, relevant[i], (relevant[i] + 1 + Math.floor(rng.next() * (DOCS - 1))) % DOCS);
  }
  return { queries: tf.tensor2d(q, [nq, DIM]), docs: tf.tensor2d(docs, [DOCS, DIM]), triplets: Int32Array.from(triplets), relevant };
}

function toyData() {
  const rng = new Rng(99);
  const docs = Float32Array.from({ length: DOCS * DIM }, () => 2 * rng.next() - 1);
  const train = rankingData(1, 4, docs);
  const val = rankingData(2, 2, docs);
  return { train, val, dispose: () => tf.dispose([train.queries, train.docs, val.queries, val.docs]) };
}

/** The scorer's input for (query, document) pairs: [q·d elementwise, (q − d)² elementwise]. */
function pairs(data: RankingData, query: Int32Array, doc: Int32Array): tf.Tensor2D {
  return tf.tidy(() => {
    const q = tf.gather(data.queries, tf.tensor1d(query, 'int32'));
    const d = tf.gather(data.docs, tf.tensor1d(doc, 'int32'));
    return tf.concat([q.mul(d), q.sub(d).square()], 1) as tf.Tensor2D;
  });
}

class RankedRight implements MetricAccumulator {
  private right = 0;
  private seen = 0;
  add(stats: Readonly<Record<string, ArrayLike<number>>>, batchSize: number): void {
    this.right += stats.right[0];
    this.seen += batchSize;
  }
  result(): Record<string, number> {
    return { pair_accuracy: this.right / this.seen };
  }
}

/** Margin ranking loss mean(relu(margin − s(q, pos) + s(q, neg))) and the count ranked right. */
function marginLoss(model: tf.LayersModel, batch: PairBatch, margin: number, training: boolean): { loss: tf.Scalar; right: tf.Scalar } {
  const sp = model.apply(batch.positive, { training }) as tf.Tensor2D;
  const sn = model.apply(batch.negative, { training }) as tf.Tensor2D;
  return { loss: tf.relu(sn.sub(sp).add(margin)).mean() as tf.Scalar, right: sp.greater(sn).toFloat().sum() as tf.Scalar };
}

/** The reranker task; `log` records the margin each epoch ran with. */
function rankingTask(log: number[] = []): TrainingTask<RankingData, PairBatch> & { margin: number } {
  const task = {
    name: 'ranking',
    margin: 0.1,
    trainMetrics: [{ name: 'pair_accuracy', mode: 'max' }] as const,
    evalMetrics: [{ name: 'mrr', mode: 'max' }] as const,
    defaultMonitor: 'val_mrr',
    size: (d: RankingData) => d.triplets.length / 3,
    makeBatch(d: RankingData, rows: Int32Array): PairBatch {
      const col = (c: number) => Int32Array.from(rows, (r) => d.triplets[r * 3 + c]);
      return { positive: pairs(d, col(0), col(1)), negative: pairs(d, col(0), col(2)) };
    },
    batchLoss(model: tf.LayersModel, batch: PairBatch) {
      const { loss, right } = marginLoss(model, batch, task.margin, true);
      return { loss, stats: { right } };
    },
    newAccumulator: () => new RankedRight(),
    evaluate(model: tf.LayersModel, d: RankingData): { loss: number; mrr: number } {
      const nq = d.relevant.length;
      const loss = tf.tidy(() => marginLoss(model, task.makeBatch(d, Int32Array.from({ length: d.triplets.length / 3 }, (_, i) => i)), task.margin, false).loss.dataSync()[0]);
      // Every query against every document: [nq * DOCS] scores.
      const scores = tf.tidy(() => {
        const q = Int32Array.from({ length: nq * DOCS }, (_, i) => Math.floor(i / DOCS));
        const doc = Int32Array.from({ length: nq * DOCS }, (_, i) => i % DOCS);
        return (model.apply(pairs(d, q, doc), { training: false }) as tf.Tensor).dataSync();
      });
      let rr = 0;
      for (let i = 0; i < nq; i++) {
        const mine = scores[i * DOCS + d.relevant[i]];
        let rank = 1;
        for (let j = 0; j < DOCS; j++) if (scores[i * DOCS + j] > mine) rank++;
        rr += 1 / rank;
      }
      return { loss, mrr: rr / nq };
    },
    beginEpoch: () => void log.push(task.margin),
    endEpoch: ({ train: metrics }: { train: Record<string, number> }) => {
      if (metrics.pair_accuracy >= 0.75) task.margin = Math.round((task.margin + 0.1) * 10) / 10;
    },
    state: () => ({ margin: task.margin }),
    restore: (s: unknown) => void (task.margin = (s as { margin: number }).margin),
  };
  return task;
}

const CONFIG: TrainerConfig = {
  epochs: 6,
  batchSize: 16,
  optimizer: { type: 'adam', lr: 0.03 },
  schedule: { type: 'cosine' },
  earlyStopping: { patience: 10, monitor: 'val_mrr', restoreBest: true },
};

const scorer = () => buildModel([{ dense: { units: 8, activation: 'tanh' } }, { dense: { units: 1 } }], { inputShape: [2 * DIM], seed: 4 });
const bytesOf = (model: tf.LayersModel) => new Map([...snapshotWeights(model)].map(([k, v]) => [k, Buffer.from(v.values.buffer).toString('hex')]));

test('a custom ranking task trains in the unchanged loop: its metrics, its evaluation, early stopping on val_mrr upwards', async () => {
  const data = toyData();
  const margins: number[] = [];
  const model = scorer();
  const r = await train({ model, task: rankingTask(margins), train: data.train, val: data.val, config: CONFIG, seed: 3 });
  const first = r.history[0];
  const last = r.history.at(-1)!;
  assert.deepEqual(Object.keys(first).slice(0, 5), ['epoch', 'train_loss', 'train_pair_accuracy', 'val_loss', 'val_mrr']);
  assert.equal(first.train_accuracy, undefined);
  assert.ok(last.val_mrr! > first.val_mrr! && last.val_mrr! > 0.9, `val MRR ${first.val_mrr} → ${last.val_mrr}`);
  // The best epoch is the highest MRR (a 'min' monitor would pick the lowest).
  const best = r.history.reduce((b, h) => (h.val_mrr! > b.val_mrr! ? h : b));
  assert.equal(r.bestEpoch, best.epoch);
  assert.ok(margins.at(-1)! > margins[0], `the margin grew: ${margins.join(', ')}`);
  data.dispose();
});

test('a custom task resumes exactly: interrupted twice (by epoch count and by the abort signal), it ends bit-identical, task state included', async () => {
  const data = toyData();
  const straightMargins: number[] = [];
  const straight = scorer();
  const full = await train({ model: straight, task: rankingTask(straightMargins), train: data.train, val: data.val, config: CONFIG, seed: 3, runDir: mkdtempSync(join(tmpdir(), 'rank-')) });

  const dir = mkdtempSync(join(tmpdir(), 'rank-'));
  const leg1 = await train({ model: scorer(), task: rankingTask(), train: data.train, val: data.val, config: CONFIG, seed: 3, runDir: dir, maxEpochsThisCall: 2 });
  assert.equal(leg1.epochsCompleted, 2);
  // The second leg is aborted in the middle of its second epoch (epoch 4): that epoch is discarded.
  const controller = new AbortController();
  const leg2 = await train({
    model: scorer(), task: rankingTask(), train: data.train, val: data.val, config: CONFIG, seed: 3, runDir: dir, resume: true, signal: controller.signal,
    reporter: { onBatchEnd: (b) => b.epoch === 4 && b.step === 2 && controller.abort() },
  });
  assert.equal(leg2.interrupted, true);
  assert.equal(leg2.epochsCompleted, 3);
  const ckpt = readCheckpoint(join(dir, CHECKPOINT_FILE));
  assert.equal(ckpt.epoch, 3);
  assert.deepEqual(ckpt.state.task, { margin: straightMargins[3] }, 'the checkpoint holds the margin epoch 4 starts with');

  const resumedMargins: number[] = [];
  const leg3Model = scorer();
  const leg3 = await train({ model: leg3Model, task: rankingTask(resumedMargins), train: data.train, val: data.val, config: CONFIG, seed: 3, runDir: dir, resume: true });
  assert.equal(leg3.interrupted, false);
  assert.deepEqual(resumedMargins, straightMargins.slice(3));
  assert.deepEqual(bytesOf(leg3Model), bytesOf(straight));
  const strip = (h: typeof full.history) => h.map((r) => [r.epoch, r.train_loss, r.train_pair_accuracy, r.val_loss, r.val_mrr, r.grad_norm]);
  assert.deepEqual(strip(leg3.history), strip(full.history));
  assert.equal(leg3.bestEpoch, full.bestEpoch);
  data.dispose();
});

test('a monitor the task does not report is refused, naming the ones it does', async () => {
  const data = toyData();
  await assert.rejects(
    train({ model: scorer(), task: rankingTask(), train: data.train, val: data.val, config: { ...CONFIG, earlyStopping: { patience: 1, monitor: 'val_accuracy' } }, seed: 3 }),
    /early stopping monitors val_accuracy, which the ranking task does not report \(it reports val_loss, val_mrr, train_loss, train_pair_accuracy\)/,
  );
  data.dispose();
});
