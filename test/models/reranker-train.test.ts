// The ranking task in the unchanged trainer: a tiny generated retrieval set trains to a better
// than random MRR; the hard negatives are deterministic per seed and never relevant; checkpoint +
// resume gives the same weights as an uninterrupted run; the losses against hand-computed values;
// the saved reranker loads, scores as the tfjs model does, and refuses damaged and foreign files.

import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { contrastiveLoss, marginRankingLoss, tripletLoss } from '../../src/models/reranker/losses.js';
import { resolveRerankerConfig, type RerankerConfig } from '../../src/models/reranker/config.js';
import { buildRerankerModel } from '../../src/models/reranker/model.js';
import { examplesOf, mineNegatives, rankedListMetrics, rankingTask, rerankCandidates } from '../../src/models/reranker/task.js';
import { MANIFEST_FILE, RERANKER_WEIGHTS_FILE, saveReranker } from '../../src/models/reranker/saved.js';
import { loadReranker } from '../../src/models/reranker/load.js';
import { train, type TrainerConfig } from '../../src/train/trainer.js';
import { snapshotWeights } from '../../src/train/weights.js';
import { cpu } from '../train/helpers.js';
import { tinyRetrieval } from './reranker-fixtures.js';

before(cpu);

test('losses on a hand-computed score matrix: triplet, margin ranking and InfoNCE', () => {
  // B = 2 queries; columns: positives p0, p1, then own negatives n0, n1.
  const S = tf.tensor2d([
    [0.9, 0.2, 0.6, 0.1],
    [0.3, 0.4, 0.5, 0.8],
  ]);
  // Query 1 finds p0 relevant too (mask 0 there).
  const neg = tf.tensor2d([
    [0, 1, 1, 1],
    [0, 0, 1, 1],
  ]);
  // triplet, m = 0.5: max(0, .5 − .9 + .6) = .2; max(0, .5 − .4 + .8) = .9 → mean .55
  assert.ok(Math.abs(tripletLoss(S, 0.5).dataSync()[0] - 0.55) < 1e-6, 'Math.abs(tripletLoss(S, 0.5).dataSync()[0] - 0.55) < 1e-6');
  // margin ranking: row 0 over {.2, .6, .1}: .5−.9+s → 0, .2, 0; row 1 over {.5, .8}: .6, .9 → 1.7 / 5
  assert.ok(Math.abs(marginRankingLoss(S, neg, 0.5).dataSync()[0] - 1.7 / 5) < 1e-6, 'Math.abs(marginRankingLoss(S, neg, 0.5).dataSync()[0] - 1.7 / 5) < 1e-6');
  // InfoNCE, τ = 0.5: row 0: −log(e^1.8 / (e^1.8 + e^0.4 + e^1.2 + e^0.2)); row 1: −log(e^0.8 / (e^0.8 + e^1.0 + e^1.6))
  const r0 = -Math.log(Math.exp(1.8) / (Math.exp(1.8) + Math.exp(0.4) + Math.exp(1.2) + Math.exp(0.2)));
  const r1 = -Math.log(Math.exp(0.8) / (Math.exp(0.8) + Math.exp(1.0) + Math.exp(1.6)));
  assert.ok(Math.abs(contrastiveLoss(S, neg, 0.5).dataSync()[0] - (r0 + r1) / 2) < 1e-5, 'Math.abs(contrastiveLoss(S, neg, 0.5).dataSync()[0] - (r0 + r1) / 2) < 1e-5');
  tf.dispose([S, neg]);
});

test('ranked-list metrics: MRR@10 and Recall@10 by hand', () => {
  const rel = [new Map([[3, 1]]), new Map([[7, 1], [9, 2]]), new Map<number, number>()];
  const m = rankedListMetrics([Int32Array.from([5, 3, 1]), Int32Array.from([9, 0, 1, 2, 4, 5, 6, 8, 10, 11, 7])], rel);
  // query 0: rank 2 → 1/2, recall 1; query 1: rank 1 → 1, recall 1/2 (7 is at rank 11); query 2 skipped
  assert.ok(Math.abs(m['mrr@10'] - 0.75) < 1e-12, 'Math.abs(m[\'mrr@10\'] - 0.75) < 1e-12');
  assert.ok(Math.abs(m['recall@10'] - 0.75) < 1e-12, 'Math.abs(m[\'recall@10\'] - 0.75) < 1e-12');
});

test('mining: the same seed gives the same negatives, another seed others, and a relevant document is never one', () => {
  const set = tinyRetrieval({ topics: 10, queriesPerTopic: 3 });
  const ex = examplesOf(set.train, 4);
  const opts = { hardFraction: 0.5, mineDepth: 3, seed: 4 };
  const a = mineNegatives(set.train, ex, set.train.candidates, opts, 10);
  assert.deepEqual([...a], [...mineNegatives(set.train, ex, set.train.candidates, opts, 10)]);
  assert.notDeepEqual([...a], [...mineNegatives(set.train, ex, set.train.candidates, { ...opts, seed: 5 }, 10)]);
  for (const seed of [1, 2, 3]) {
    const negs = mineNegatives(set.train, ex, set.train.candidates, { ...opts, seed, hardFraction: seed / 3 }, 10);
    negs.forEach((d, e) => assert.ok(!set.train.relevant[ex[2 * e]].has(d), `example ${e}: negative ${d} is relevant`));
  }
  // hardFraction 1: every negative is among the top mineDepth non-relevant candidates
  const hard = mineNegatives(set.train, ex, set.train.candidates, { ...opts, hardFraction: 1 }, 10);
  hard.forEach((d, e) => {
    const qi = ex[2 * e];
    const top = [...set.train.candidates[qi]].filter((c) => !set.train.relevant[qi].has(c)).slice(0, 3);
    assert.ok(top.includes(d), 'top.includes(d)');
  });
  set.dispose();
});

const TINY: RerankerConfig = { hidden: [16], dropout: 0.1, qubits: 2, encodingLayers: 1, depth: 1 };

function trainerConfig(epochs: number): TrainerConfig {
  return { epochs, batchSize: 8, optimizer: { type: 'adam', lr: 0.01, weightDecay: 1e-5 }, paramGroups: { quantum: { lr: 0.05 }, classical: { lr: 0.01 } }, clipNorm: 1 };
}

test('training a tiny generated set reaches a better-than-random validation MRR, with fidelities that do not all saturate', async () => {
  const set = tinyRetrieval({ topics: 12, queriesPerTopic: 5, noise: 0.3 });
  const rm = buildRerankerModel(resolveRerankerConfig(TINY), set.dim, 3);
  const task = rankingTask(rm, { seed: 3, loss: 'contrastive', temperature: 0.2 });
  const before = task.evaluate(rm.model, set.val, 64)['mrr@10'];
  const result = await train({ model: rm.model, task, train: set.train, val: set.val, config: { ...trainerConfig(12), batchSize: 16, paramGroups: { quantum: { lr: 0.1 }, classical: { lr: 0.03 } } }, seed: 3 });
  const after = task.evaluate(rm.model, set.val, 64)['mrr@10'];
  // Random order of 12 documents: E[MRR@10] = (1/12) Σ_{r≤10} 1/r ≈ 0.24.
  assert.ok(after > 0.45 && after > before + 0.1, `validation MRR@10 ${after.toFixed(3)} (before training ${before.toFixed(3)})`);
  assert.ok(result.history.at(-1)!['train_pair_accuracy'] !== undefined, 'result.history.at(-1)![\'train_pair_accuracy\'] !== undefined');
  const S = rm.scores(set.val.queryEmbeddings.slice(0, 6), set.val.docEmbeddings, false).dataSync();
  const spread = Math.max(...S) - Math.min(...S);
  assert.ok(spread > 0.3, `fidelity spread ${spread}`);
  rm.model.dispose();
  set.dispose();
});

test('checkpoint + resume gives the same weights as an uninterrupted run (mining included)', async () => {
  const set = tinyRetrieval({ topics: 8, queriesPerTopic: 3 });
  const run = async (dir: string, split: boolean): Promise<Map<string, unknown>> => {
    const rm = buildRerankerModel(resolveRerankerConfig(TINY), set.dim, 5);
    const task = rankingTask(rm, { seed: 5 });
    const common = { task, train: set.train, val: set.val, config: trainerConfig(4), seed: 5, runDir: dir };
    if (split) {
      await train({ ...common, model: rm.model, maxEpochsThisCall: 2 });
      const rm2 = buildRerankerModel(resolveRerankerConfig(TINY), set.dim, 5);
      await train({ ...common, model: rm2.model, task: rankingTask(rm2, { seed: 5 }), resume: true });
      return snapshotWeights(rm2.model) as unknown as Map<string, unknown>;
    }
    await train({ ...common, model: rm.model });
    return snapshotWeights(rm.model) as unknown as Map<string, unknown>;
  };
  const whole = await run(mkdtempSync(join(tmpdir(), 'rr-whole-')), false);
  const resumed = await run(mkdtempSync(join(tmpdir(), 'rr-resume-')), true);
  assert.deepEqual(resumed, whole);
  set.dispose();
});

test('a saved reranker loads and scores as the tfjs model does (plain-JS forward); damaged and foreign files are refused with the reason', async () => {
  const set = tinyRetrieval({ topics: 6, queriesPerTopic: 2 });
  for (const similarity of ['fidelity', 'cosine', 'bilinear'] as const) {
    const rm = buildRerankerModel(resolveRerankerConfig({ ...TINY, similarity, outputDim: 5 }), set.dim, 7);
    const dir = mkdtempSync(join(tmpdir(), 'rr-save-'));
    saveReranker(rm.model, dir, { configHash: 'abc', name: 't', embedder: { kind: 'file', id: 'test', path: 'x.npy' }, embeddingDim: set.dim, data: { dir: 'd', fingerprint: 'f' }, reranker: rm.config, evaluation: { firstStage: 'cosine', k: 10 } });
    const loaded = await loadReranker(dir);
    const q = set.val.queryEmbeddings.slice(0, 1);
    const expected = rm.scores(q, set.val.docEmbeddings, false).dataSync();
    const docs = tf.unstack(set.val.docEmbeddings).map((t) => t.dataSync() as Float32Array);
    const got = loaded.score(q.dataSync() as Float32Array, docs);
    for (let j = 0; j < docs.length; j++) assert.ok(Math.abs(got[j] - expected[j]) < 1e-4, `${similarity} doc ${j}: ${got[j]} vs ${expected[j]}`);
    if (similarity === 'fidelity') {
      await assert.rejects(loaded.embed(['text']), /precomputed embeddings/);
      const manifest = JSON.parse(readFileSync(join(dir, MANIFEST_FILE), 'utf8'));
      const bin = readFileSync(join(dir, RERANKER_WEIGHTS_FILE));
      bin[5] ^= 0xff;
      writeFileSync(join(dir, RERANKER_WEIGHTS_FILE), bin);
      await assert.rejects(loadReranker(dir), /SHA-256 .* changed or truncated/);
      writeFileSync(join(dir, RERANKER_WEIGHTS_FILE), bin.subarray(0, 12));
      await assert.rejects(loadReranker(dir), /has 12 bytes/);
      writeFileSync(join(dir, MANIFEST_FILE), JSON.stringify({ ...manifest, version: 99 }));
      await assert.rejects(loadReranker(dir), /format version 99/);
      writeFileSync(join(dir, MANIFEST_FILE), JSON.stringify({ format: 'something-else' }));
      await assert.rejects(loadReranker(dir), /not "entangle-reranker"/);
      writeFileSync(join(dir, MANIFEST_FILE), '{ broken');
      await assert.rejects(loadReranker(dir), /not valid JSON/);
      await assert.rejects(loadReranker(mkdtempSync(join(tmpdir(), 'rr-empty-'))), /not a trained reranker run/);
    }
    rm.model.dispose();
  }
  set.dispose();
});

test('dynamic mining reorders by the current model', () => {
  const set = tinyRetrieval({ topics: 6, queriesPerTopic: 2 });
  const rm = buildRerankerModel(resolveRerankerConfig(TINY), set.dim, 9);
  const ranked = rerankCandidates(rm, set.train);
  ranked.forEach((r, qi) => assert.deepEqual([...r].sort(), [...set.train.candidates[qi]].sort()));
  assert.notDeepEqual(ranked.map((r) => [...r]), set.train.candidates.map((r) => [...r]));
  rm.model.dispose();
  set.dispose();
});
