// `npm run bench -- reranker`: the fidelity reranker's speed (issue 15). Scoring one query against
// 100 candidates (512-dim embeddings given, 4 qubits, MLP [256, 128] -> 24 angles) through the
// plain-JS scorer (fresh candidates, and candidates seen before: the encoding memo) against the
// tfjs model + fidelity op; training throughput in triplets per second (one epoch of the ranking
// task through the trainer, mining included); peak RSS.

import * as tf from '@tensorflow/tfjs';
import { buildRerankerModel, PlainScorer, rankingTask, resolveRerankerConfig, type RankingData, type ScorerWeights } from '../src/models/reranker/index.js';
import { TfMlpEncoder } from '../src/models/reranker/tf-encoder.js';
import { setupBackend } from '../src/tf-kernels/backend.js';
import { train } from '../src/train/trainer.js';
import { Rng } from '../src/util/random.js';
import { table, time } from './timing.js';

const D = 512;

function randomRows(n: number, rng: Rng): Float32Array[] {
  return Array.from({ length: n }, () => Float32Array.from({ length: D }, () => rng.normal()));
}

function scorerWeights(model: tf.LayersModel): ScorerWeights {
  const dense = model.layers.filter((l) => l.getClassName() === 'Dense').map((l) => {
    const [k, b] = l.getWeights();
    return { kernel: k.dataSync() as Float32Array, bias: b.dataSync() as Float32Array, inputs: k.shape[0], units: k.shape[1] as number };
  });
  const sim = model.getLayer('similarity').getWeights()[0];
  return { dense, similarity: sim ? (sim.dataSync() as Float32Array) : null };
}

function generatedSet(rng: Rng, queries: number, docs: number, k: number): RankingData {
  const q = tf.tensor2d(Float32Array.from({ length: queries * D }, () => rng.normal()), [queries, D]);
  const d = tf.tensor2d(Float32Array.from({ length: docs * D }, () => rng.normal()), [docs, D]);
  return {
    queryEmbeddings: q, docEmbeddings: d, queries: Int32Array.from({ length: queries }, (_, i) => i),
    relevant: Array.from({ length: queries }, (_, i) => new Map([[i % docs, 1]])),
    candidates: Array.from({ length: queries }, (_, i) => Int32Array.from({ length: k }, (_, j) => (i + j * 7) % docs)),
  };
}

export async function runRerankerBench(): Promise<string> {
  await setupBackend('cpu');
  const rng = new Rng(1);
  let peak = process.memoryUsage().rss;
  const sample = () => (peak = Math.max(peak, process.memoryUsage().rss));
  const rows: Array<Array<string | number>> = [];
  const pending: Array<{ config: ReturnType<typeof resolveRerankerConfig>; weights: ScorerWeights; query: Float32Array; cands: Float32Array[]; row: number }> = [];
  for (const similarity of ['fidelity', 'bilinear'] as const) {
    const config = resolveRerankerConfig({ similarity, outputDim: 24 });
    const rm = buildRerankerModel(config, D, 1);
    const scorer = new PlainScorer(config, scorerWeights(rm.model));
    const query = randomRows(1, rng)[0];
    const cands = randomRows(100, rng);
    const fresh = time(() => void scorer.score(query, randomRowsCopy(cands)), { reps: 9 });
    const memo = time(() => void scorer.score(query, cands), { reps: 9, inner: 10 });
    const qT = tf.tensor2d(query, [1, D]);
    const dT = tf.tensor2d(concat(cands), [100, D]);
    const viaTf = time(() => tf.tidy(() => void rm.scores(qT, dT, false).dataSync()), { reps: 9 });
    rows.push([similarity, fresh.ms, fresh.cpu, memo.ms, memo.cpu, viaTf.ms, viaTf.cpu, viaTf.cpu / fresh.cpu]);
    pending.push({ config, weights: scorerWeights(rm.model), query, cands, row: rows.length - 1 });
    sample();
    tf.dispose([qT, dT]);
    rm.model.dispose();
  }
  // The scorer as `entangle serve` runs it: the MLP through tfjs on the wasm backend (XNNPACK),
  // the same weights and rows as the plain-JS columns, new candidates every call.
  await setupBackend('wasm');
  for (const p of pending) {
    const fast = new PlainScorer(p.config, p.weights, new TfMlpEncoder(p.weights.dense));
    // Fresh copies made before timing (new objects, so the encoding memo misses every call).
    const copies = Array.from({ length: 3 + 25 }, () => randomRowsCopy(p.cands));
    let next = 0;
    const t = time(() => void fast.score(p.query, copies[next++]), { reps: 25 });
    const row = rows[p.row];
    row.push(t.ms, t.min, t.cpu, (row[2] as number) / t.cpu);
    fast.dispose();
  }
  await setupBackend('cpu');
  const scoring = table(['similarity', 'plain JS, new candidates (ms)', '(CPU ms)', 'plain JS, candidates seen before (ms)', '(CPU ms)', 'tfjs model + op (ms)', '(CPU ms)', 'tfjs / plain JS (CPU)', 'wasm MLP scorer, new candidates (ms)', '(min ms)', '(CPU ms)', 'plain JS / wasm MLP (CPU)'], rows);

  const trainRows: Array<Array<string | number>> = [];
  for (const backend of ['cpu', 'wasm'] as const) {
    await setupBackend(backend);
    const data = generatedSet(rng, 320, 2000, 100);
    const rm = buildRerankerModel(resolveRerankerConfig({}), D, 2);
    const task = rankingTask(rm, { seed: 2 });
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const result = await train({ model: rm.model, task, train: data, config: { epochs: 1, batchSize: 32, optimizer: { type: 'adam', lr: 0.001 }, clipNorm: 1 }, seed: 2 });
    const seconds = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(c0);
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    sample();
    const quantum = rm.timing.forwardSeconds + rm.timing.backwardSeconds;
    trainRows.push([backend, 320, seconds, cpuSeconds, 320 / seconds, 320 / cpuSeconds, quantum / seconds, result.epochsCompleted]);
    tf.dispose([data.queryEmbeddings, data.docEmbeddings]);
    rm.model.dispose();
  }
  await setupBackend('cpu');
  const training = table(['tfjs backend', 'triplets', 'epoch (s, incl. mining)', '(CPU s)', 'triplets / s', 'triplets / CPU s', 'circuit share', 'epochs'], trainRows);
  return `## reranker (4 qubits, 512-dim embeddings, MLP [256, 128] -> 24)\n\nScoring one query against 100 candidates (median of 9; the wasm MLP scorer: median and minimum of 25):\n\n${scoring}\n\nOne training epoch (batch 32, triplet loss, dynamic mining over 100 candidates per query):\n\n${training}\n\nPeak RSS: ${(peak / 2 ** 20).toFixed(0)} MiB\n`;
}

function randomRowsCopy(rows: Float32Array[]): Float32Array[] {
  return rows.map((r) => r.slice());
}

function concat(rows: Float32Array[]): Float32Array {
  const out = new Float32Array(rows.length * D);
  rows.forEach((r, i) => out.set(r, i * D));
  return out;
}
