// `npm run bench -- bm25-wordnet`: the lexical baseline on the WordNet retrieval set as
// `entangle dataset wordnet` writes it by default (seed 1, 3,000 queries, 10,000 entries): test
// metrics, overall and per kind of query, and the cost of indexing and of a top-100 search.

import { loadavg } from 'node:os';
import { bm25FirstStage, buildWordnetRetrievalSet, rankingMetrics, type Qrels, type RankedList } from '../src/retrieval/index.js';
import { MASK } from '../src/retrieval/wordnet.js';
import { table } from './timing.js';

export function runBm25WordnetBench(seed = 1): string {
  const load = loadavg()[0];
  const set = buildWordnetRetrievalSet({ seed });
  const c0 = process.cpuUsage();
  const index = bm25FirstStage(set.corpus);
  const indexCpu = (process.cpuUsage(c0).user + process.cpuUsage(c0).system) / 1000;
  const text = new Map(set.queries.map((q) => [q.id, q.text]));
  const c1 = process.cpuUsage();
  const runs: RankedList[] = [...set.qrels.test.keys()].map((id) => ({ queryId: id, ...index.search(text.get(id)!, 100) }));
  const c = process.cpuUsage(c1);
  const searchCpu = (c.user + c.system) / 1000 / runs.length;
  const subset = (keep: (queryText: string) => boolean): Qrels => new Map([...set.qrels.test].filter(([id]) => keep(text.get(id)!)));
  const rows = [
    ['all test queries', set.qrels.test],
    ['definitions', subset((t) => !t.includes(MASK))],
    ['masked examples', subset((t) => t.includes(MASK))],
  ].map(([label, qrels]) => {
    const r = rankingMetrics(runs, qrels as Qrels);
    return [label as string, r.queries, r.metrics['mrr@10'], r.metrics['ndcg@10'], r.metrics['recall@1'], r.metrics['recall@10'], r.metrics['recall@100']];
  });
  return [
    `## BM25 on the WordNet retrieval set (seed ${seed}; load average ${load.toFixed(1)})`,
    '',
    `${set.corpus.length} entries, ${set.queries.length} queries (test ${set.qrels.test.size}); BM25 k1 ${index.k1}, b ${index.b}. Index: ${indexCpu.toFixed(0)} ms CPU; search (top 100): ${searchCpu.toFixed(2)} ms CPU a query.`,
    '',
    table(['queries', 'n', 'MRR@10', 'NDCG@10', 'R@1', 'R@10', 'R@100'], rows),
  ].join('\n');
}
