// Evaluation of rerankers on one BEIR split, every method on the same candidates: BM25 alone,
// embedding cosine alone (each its own top k), and each reranker reordering the configured first
// stage's top k. Reports the ranking metrics (retrieval/metrics.ts) per method, the number of
// queries and k, the rerankers' latency (one query against its k candidates, embeddings given)
// and the spread of their scores on the test pairs (fidelities all near 1 is the known failure
// of an untrained or saturated fidelity reranker).

import type { LoadedReranker } from '../models/reranker/index.js';
import { rankingMetrics, type BeirDataset, type Qrels, type RankedList, type RankingMetrics } from '../retrieval/index.js';
import { firstStageLists } from './ranking-data.js';

export interface ScoreSpread {
  mean: number;
  std: number;
  min: number;
  max: number;
  /** Fraction of scores above 0.99 (saturation, for fidelities). */
  above099: number;
}

export interface RankingReport {
  queries: number;
  k: number;
  firstStage: 'bm25' | 'cosine';
  metrics: Record<string, RankingMetrics>;
  /** Per reranker: mean milliseconds to score one query's k candidates. */
  latencyMs: Record<string, number>;
  spread: Record<string, ScoreSpread>;
}

export interface RankingEvalInput {
  beir: BeirDataset;
  qrels: Qrels;
  queryIds: string[];
  docEmbeddings: Map<string, Float32Array>;
  queryEmbeddings: Map<string, Float32Array>;
  firstStage: 'bm25' | 'cosine';
  k: number;
  rerankers: Record<string, Pick<LoadedReranker, 'score'>>;
}

export function evaluateRanking(input: RankingEvalInput): RankingReport {
  const { beir, qrels, queryIds, docEmbeddings, queryEmbeddings, k } = input;
  const text = new Map(beir.queries.map((q) => [q.id, q.text]));
  const queries = queryIds.map((id) => ({ id, text: text.get(id)! }));
  const bm25 = firstStageLists('bm25', beir, docEmbeddings, queries, queryEmbeddings, k);
  const cosine = firstStageLists('cosine', beir, docEmbeddings, queries, queryEmbeddings, k);
  const asRuns = (lists: Map<string, { docIds: string[]; scores: number[] }>): RankedList[] => queryIds.map((q) => ({ queryId: q, ...lists.get(q)! }));
  const metrics: Record<string, RankingMetrics> = {};
  const runs = { bm25: rankingMetrics(asRuns(bm25), qrels), cosine: rankingMetrics(asRuns(cosine), qrels) };
  metrics.bm25 = runs.bm25.metrics;
  metrics.cosine = runs.cosine.metrics;
  const candidates = input.firstStage === 'bm25' ? bm25 : cosine;
  const latencyMs: Record<string, number> = {};
  const spread: Record<string, ScoreSpread> = {};
  for (const [name, reranker] of Object.entries(input.rerankers)) {
    const reranked: RankedList[] = [];
    const all: number[] = [];
    let ms = 0;
    for (const q of queryIds) {
      const docIds = candidates.get(q)!.docIds;
      const vecs = docIds.map((d) => docEmbeddings.get(d)!);
      const t0 = performance.now();
      const scores = reranker.score(queryEmbeddings.get(q)!, vecs);
      ms += performance.now() - t0;
      all.push(...scores);
      // Stable: ties keep the first stage's order.
      const order = docIds.map((_, i) => i).sort((a, b) => scores[b] - scores[a] || a - b);
      reranked.push({ queryId: q, docIds: order.map((i) => docIds[i]), scores: order.map((i) => scores[i]) });
    }
    metrics[name] = rankingMetrics(reranked, qrels).metrics;
    latencyMs[name] = queryIds.length > 0 ? ms / queryIds.length : NaN;
    spread[name] = spreadOf(all);
  }
  return { queries: runs.bm25.queries, k, firstStage: input.firstStage, metrics, latencyMs, spread };
}

function spreadOf(values: number[]): ScoreSpread {
  const n = values.length;
  if (n === 0) return { mean: NaN, std: NaN, min: NaN, max: NaN, above099: NaN };
  const mean = values.reduce((s, v) => s + v, 0) / n;
  const std = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / n);
  let min = Infinity;
  let max = -Infinity;
  let high = 0;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
    if (v > 0.99) high++;
  }
  return { mean, std, min, max, above099: high / n };
}
