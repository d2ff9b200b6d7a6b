// The ranking task for the trainer (train/tasks/task.ts): examples are (query, relevant document)
// pairs; each epoch gives every example a negative (beginEpoch), mined from the current model or
// drawn at random; a batch scores its queries against all of its positives and negatives in one
// call, and the loss (losses.ts) is batch-wise. Validation reranks every validation query's
// first-stage candidates with the current model and reports MRR@10 (what early stopping follows)
// and Recall@10.
//
// Negatives of epoch e (seeded by deriveSeed(seed, 'negatives', e), and computed from the weights
// at the start of the epoch, so a resumed run mines exactly what an uninterrupted one would):
// with probability hardFraction a hard negative — uniform among the top `mineDepth` non-relevant
// documents of the query's first-stage candidates as the current model reorders them (`mining:
// dynamic`), or as the first stage ranked them (`static`) — else a random non-relevant document of
// the corpus. A relevant document is never a negative.
//
// Balance: a query contributes at most maxPositivesPerQuery examples (its most relevant
// documents first), so queries with many relevant documents do not dominate the epoch.

import * as tf from '@tensorflow/tfjs';
import type { BatchLoss, Evaluation, MetricAccumulator, TrainingTask } from '../../train/tasks/task.js';
import { deriveSeed, Rng } from '../../util/random.js';
import { rankingLoss, type RankingLossKind } from './losses.js';
import type { RerankerModel } from './model.js';
import { encodeRows, pairScore, representationsOf } from './represent.js';
import { SIMILARITY_LAYER, type SimilarityWeights } from './model.js';

/** One split of a retrieval set as the task trains on it (indices into shared embedding tables). */
export interface RankingData {
  /** Query embeddings [Q, D] and document embeddings [N, D] (shared by every split). */
  queryEmbeddings: tf.Tensor2D;
  docEmbeddings: tf.Tensor2D;
  /** The split's queries (rows of queryEmbeddings). */
  queries: Int32Array;
  /** Per split query: relevant document rows → relevance (> 0). */
  relevant: Array<Map<number, number>>;
  /** Per split query: the first stage's top-K document rows, best first. */
  candidates: Int32Array[];
}

export interface RankingTaskOptions {
  loss?: RankingLossKind;
  margin?: number;
  temperature?: number;
  mining?: 'dynamic' | 'static';
  hardFraction?: number;
  mineDepth?: number;
  maxPositivesPerQuery?: number;
  seed: number;
}

export const RANKING_TASK_DEFAULTS = { loss: 'triplet', margin: 0.5, temperature: 0.1, mining: 'dynamic', hardFraction: 0.5, mineDepth: 10, maxPositivesPerQuery: 4 } as const;

interface Batch {
  q: tf.Tensor2D;
  docs: tf.Tensor2D;
  negatives: tf.Tensor2D;
}

/** (split query, document row) pairs of a split: the examples an epoch shuffles. */
export function examplesOf(data: RankingData, maxPositivesPerQuery: number): Int32Array {
  const out: number[] = [];
  data.relevant.forEach((rel, qi) => {
    const docs = [...rel.entries()].filter(([, r]) => r > 0).sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, maxPositivesPerQuery);
    for (const [doc] of docs) out.push(qi, doc);
  });
  return Int32Array.from(out);
}

/**
 * Negatives for every example: hard ones from `ranked` (per split query, candidate rows in the
 * order to mine from) or random ones from the corpus; never a relevant document.
 */
export function mineNegatives(data: RankingData, examples: Int32Array, ranked: Int32Array[], options: { hardFraction: number; mineDepth: number; seed: number }, numDocs: number): Int32Array {
  const rng = new Rng(options.seed);
  const E = examples.length / 2;
  const out = new Int32Array(E);
  for (let e = 0; e < E; e++) {
    const qi = examples[2 * e];
    const rel = data.relevant[qi];
    const hard: number[] = [];
    for (const doc of ranked[qi]) {
      if (hard.length >= options.mineDepth) break;
      if (!rel.has(doc)) hard.push(doc);
    }
    if (hard.length > 0 && rng.next() < options.hardFraction) {
      out[e] = hard[Math.floor(rng.next() * hard.length)];
      continue;
    }
    if (rel.size >= numDocs) throw new RangeError(`query ${qi} has every document of the corpus as relevant: no negative exists`);
    let doc: number;
    do doc = Math.floor(rng.next() * numDocs);
    while (rel.has(doc));
    out[e] = doc;
  }
  return out;
}

/** Every split query's candidates reordered by the model (best first). */
export function rerankCandidates(rm: RerankerModel, data: RankingData): Int32Array[] {
  const param = (rm.model.getLayer(SIMILARITY_LAYER) as SimilarityWeights).param()?.dataSync() ?? null;
  const docSet = new Map<number, number>();
  for (const c of data.candidates) for (const d of c) if (!docSet.has(d)) docSet.set(d, docSet.size);
  if (docSet.size === 0) return data.candidates.map(() => new Int32Array(0));
  const docRows = Int32Array.from(docSet.keys());
  const dEnc = encodeRows(rm.model, data.docEmbeddings, docRows);
  const qEnc = encodeRows(rm.model, data.queryEmbeddings, data.queries);
  const kind = rm.config.similarity;
  const dRep = representationsOf(kind, dEnc, docRows.length, param, rm.engine, 'doc');
  const qRep = representationsOf(kind, qEnc, data.queries.length, param, rm.engine, 'query');
  return data.candidates.map((cands, qi) => {
    const scores = Array.from(cands, (d) => pairScore(qRep, qi, dRep, docSet.get(d)!));
    // Stable: ties keep the first stage's order.
    const order = Array.from(cands.keys()).sort((a, b) => scores[b] - scores[a] || a - b);
    return Int32Array.from(order, (k) => cands[k]);
  });
}

/** MRR@10 and Recall@10 of ranked lists (binary relevance: relevance > 0). */
export function rankedListMetrics(ranked: Int32Array[], relevant: Array<Map<number, number>>): { 'mrr@10': number; 'recall@10': number } {
  let mrr = 0;
  let recall = 0;
  let n = 0;
  ranked.forEach((list, qi) => {
    const rel = relevant[qi];
    const total = [...rel.values()].filter((r) => r > 0).length;
    if (total === 0) return;
    n++;
    let found = 0;
    let first = 0;
    for (let k = 0; k < Math.min(10, list.length); k++) {
      if ((rel.get(list[k]) ?? 0) > 0) {
        found++;
        if (first === 0) first = k + 1;
      }
    }
    if (first > 0) mrr += 1 / first;
    recall += found / total;
  });
  return n === 0 ? { 'mrr@10': NaN, 'recall@10': NaN } : { 'mrr@10': mrr / n, 'recall@10': recall / n };
}

export function rankingTask(rm: RerankerModel, options: RankingTaskOptions): TrainingTask<RankingData, Batch> {
  const o = { ...RANKING_TASK_DEFAULTS, ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) } as Required<RankingTaskOptions>;
  const lossOptions = { margin: o.margin, temperature: o.temperature };
  const examples = new WeakMap<RankingData, Int32Array>();
  const examplesFor = (data: RankingData) => {
    let e = examples.get(data);
    if (!e) examples.set(data, (e = examplesOf(data, o.maxPositivesPerQuery)));
    return e;
  };
  let negatives: Int32Array | null = null;

  const batchOf = (data: RankingData, rows: ArrayLike<number>, negs: Int32Array): Batch => {
    const ex = examplesFor(data);
    const B = rows.length;
    const qRows = new Int32Array(B);
    const dRows = new Int32Array(2 * B);
    const qis = new Int32Array(B);
    for (let i = 0; i < B; i++) {
      const e = rows[i];
      qis[i] = ex[2 * e];
      qRows[i] = data.queries[ex[2 * e]];
      dRows[i] = ex[2 * e + 1];
      dRows[B + i] = negs[e];
    }
    const mask = new Float32Array(B * 2 * B);
    for (let i = 0; i < B; i++) {
      const rel = data.relevant[qis[i]];
      for (let j = 0; j < 2 * B; j++) mask[i * 2 * B + j] = j !== i && !rel.has(dRows[j]) ? 1 : 0;
    }
    return {
      q: tf.gather(data.queryEmbeddings, tf.tensor1d(qRows, 'int32')),
      docs: tf.gather(data.docEmbeddings, tf.tensor1d(dRows, 'int32')),
      negatives: tf.tensor2d(mask, [B, 2 * B]),
    };
  };

  const lossOf = (S: tf.Tensor2D, batch: Batch): BatchLoss => {
    const B = S.shape[0];
    const loss = rankingLoss(o.loss, S, batch.negatives, lossOptions);
    const pos = tf.mul(S.slice([0, 0], [B, B]), tf.eye(B)).sum(1);
    const neg = tf.mul(S.slice([0, B], [B, B]), tf.eye(B)).sum(1);
    return { loss, stats: { correct: tf.greater(pos, neg).cast('float32'), pos, neg } };
  };

  /** Fixed negatives for evaluation losses: each query's best-ranked non-relevant first-stage candidate. */
  const staticNegatives = (data: RankingData) => mineNegatives(data, examplesFor(data), data.candidates, { hardFraction: 1, mineDepth: 1, seed: 1 }, data.docEmbeddings.shape[0]);

  return {
    name: 'ranking',
    trainMetrics: [{ name: 'pair_accuracy', mode: 'max' }],
    evalMetrics: [
      { name: 'mrr@10', mode: 'max' },
      { name: 'recall@10', mode: 'max' },
    ],
    defaultMonitor: 'val_mrr@10',
    size: (data) => examplesFor(data).length / 2,
    checkData: (data, role) => {
      if (examplesFor(data).length === 0) throw new Error(`ranking: the ${role === 'train' ? 'training' : 'validation'} queries have no relevant documents in the qrels`);
      if (data.docEmbeddings.shape[1] !== rm.embeddingDim || data.queryEmbeddings.shape[1] !== rm.embeddingDim) {
        throw new Error(`ranking: the model takes ${rm.embeddingDim}-dimensional embeddings, the data has ${data.queryEmbeddings.shape[1]} (queries) and ${data.docEmbeddings.shape[1]} (documents)`);
      }
    },
    beginEpoch: ({ epoch, train }) => {
      const ranked = o.mining === 'dynamic' ? rerankCandidates(rm, train) : train.candidates;
      negatives = mineNegatives(train, examplesFor(train), ranked, { hardFraction: o.hardFraction, mineDepth: o.mineDepth, seed: deriveSeed(o.seed, 'negatives', epoch) }, train.docEmbeddings.shape[0]);
    },
    makeBatch: (data, rows) => {
      if (!negatives) throw new Error('ranking: makeBatch before beginEpoch mined the epoch\'s negatives');
      return batchOf(data, rows, negatives);
    },
    batchLoss: (_model, batch) => lossOf(rm.scores(batch.q, batch.docs, true), batch),
    newAccumulator: () => new PairAccumulator(),
    evaluate: (_model, data, batchSize): Evaluation => {
      const negs = staticNegatives(data);
      const E = negs.length;
      let lossSum = 0;
      for (let start = 0; start < E; start += batchSize) {
        const size = Math.min(batchSize, E - start);
        const rows = Int32Array.from({ length: size }, (_, k) => start + k);
        const l = tf.tidy(() => {
          const batch = batchOf(data, rows, negs);
          return lossOf(rm.scores(batch.q, batch.docs, false), batch).loss;
        });
        lossSum += l.dataSync()[0] * size;
        l.dispose();
      }
      return { loss: lossSum / E, ...rankedListMetrics(rerankCandidates(rm, data), data.relevant) };
    },
  };
}

class PairAccumulator implements MetricAccumulator {
  private correct = 0;
  private n = 0;
  add(stats: Readonly<Record<string, ArrayLike<number>>>, batchSize: number): void {
    for (let i = 0; i < stats.correct.length; i++) this.correct += stats.correct[i];
    this.n += batchSize;
  }
  result(): Record<string, number> {
    return { pair_accuracy: this.n > 0 ? this.correct / this.n : NaN };
  }
}
