// Ranking metrics over a set of queries, as BEIR reports them (its pytrec_eval measures):
//
//   MRR@10     1 / rank of the first relevant document within the top 10, else 0
//   NDCG@10    DCG@10 / IDCG@10 with linear gain: DCG = sum_{i=1..10} rel_i / log2(i + 1), rel_i
//              the qrels grade of the document at rank i (0 when unjudged); IDCG is the DCG of
//              the judged grades sorted high to low (trec_eval's ndcg_cut.10)
//   Recall@k   |relevant documents in the top k| / |relevant documents| (grade > 0)
//
// Averaged over the queries of the qrels that have at least one relevant document; a query whose
// judgements are all 0 is skipped and counted in `skipped`. A judged query without a run counts
// as an empty ranking (scores 0) rather than disappearing, so a first stage that drops queries
// cannot look better than one that answers them all. Runs for queries outside the qrels are
// ignored. A run's docIds are in rank order (docIds[0] is rank 1).

import { RetrievalInputError } from './errors.js';
import type { Qrels } from './beir.js';

export interface RankedList {
  queryId: string;
  docIds: string[];
  scores: number[];
}

export interface RankingMetrics {
  'mrr@10': number;
  'ndcg@10': number;
  'recall@1': number;
  'recall@10': number;
  'recall@100': number;
}

export interface RankingEvaluation {
  /** Queries the averages are over (judged, with at least one relevant document). */
  queries: number;
  /** Judged queries without any relevant document (not averaged). */
  skipped: number;
  /** Means over `queries`; NaN when `queries` is 0. */
  metrics: RankingMetrics;
}

/** The per-query values behind `rankingMetrics` (for tests, and for per-query analysis). */
export function queryMetrics(docIds: readonly string[], judged: ReadonlyMap<string, number>): RankingMetrics {
  const relevantCount = [...judged.values()].filter((g) => g > 0).length;
  let firstRelevant = 0;
  let dcg = 0;
  const found = { 1: 0, 10: 0, 100: 0 };
  const seen = new Set<string>();
  for (let i = 0; i < docIds.length && i < 100; i++) {
    const id = docIds[i];
    if (seen.has(id)) throw new RetrievalInputError(`a ranked list holds "${id}" twice (ranks ${docIds.indexOf(id) + 1} and ${i + 1}); each document may appear once`);
    seen.add(id);
    const grade = judged.get(id) ?? 0;
    if (grade <= 0) continue;
    const rank = i + 1;
    if (firstRelevant === 0) firstRelevant = rank;
    if (rank <= 10) dcg += grade / Math.log2(rank + 1);
    if (rank <= 1) found[1]++;
    if (rank <= 10) found[10]++;
    found[100]++;
  }
  const ideal = [...judged.values()].filter((g) => g > 0).sort((a, b) => b - a).slice(0, 10);
  const idcg = ideal.reduce((sum, g, i) => sum + g / Math.log2(i + 2), 0);
  return {
    'mrr@10': firstRelevant > 0 && firstRelevant <= 10 ? 1 / firstRelevant : 0,
    'ndcg@10': idcg > 0 ? dcg / idcg : 0,
    'recall@1': relevantCount > 0 ? found[1] / relevantCount : 0,
    'recall@10': relevantCount > 0 ? found[10] / relevantCount : 0,
    'recall@100': relevantCount > 0 ? found[100] / relevantCount : 0,
  };
}

const METRIC_NAMES = ['mrr@10', 'ndcg@10', 'recall@1', 'recall@10', 'recall@100'] as const;

/** The mean metrics of `runs` against `qrels` (see the module comment for the definitions). */
export function rankingMetrics(runs: readonly RankedList[], qrels: Qrels): RankingEvaluation {
  const byQuery = new Map<string, RankedList>();
  for (const run of runs) {
    if (byQuery.has(run.queryId)) throw new RetrievalInputError(`two ranked lists for query "${run.queryId}"; give one per query`);
    if (run.scores.length !== run.docIds.length) throw new RetrievalInputError(`the ranked list of query "${run.queryId}" has ${run.docIds.length} docIds but ${run.scores.length} scores`);
    byQuery.set(run.queryId, run);
  }
  const sums: RankingMetrics = { 'mrr@10': 0, 'ndcg@10': 0, 'recall@1': 0, 'recall@10': 0, 'recall@100': 0 };
  let queries = 0;
  let skipped = 0;
  for (const [queryId, judged] of qrels) {
    if (![...judged.values()].some((g) => g > 0)) {
      skipped++;
      continue;
    }
    queries++;
    const m = queryMetrics(byQuery.get(queryId)?.docIds ?? [], judged);
    for (const name of METRIC_NAMES) sums[name] += m[name];
  }
  const metrics = { ...sums };
  for (const name of METRIC_NAMES) metrics[name] = queries > 0 ? sums[name] / queries : Number.NaN;
  return { queries, skipped, metrics };
}
