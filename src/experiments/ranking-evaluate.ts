// `entangle evaluate-ranking RUN_DIR --data DIR`: a trained reranker on any BEIR-layout folder
// (cross-domain), with the baselines on the same candidates (ranking-eval.ts). Embeddings come
// from the run's embedder (the built-in one, disk-cached) or, for a run trained on embedding
// files, from --embeddings FILE. A classical twin (`--classical RUN_DIR`, any number of them as
// NAME=RUN_DIR) is scored on the same candidates: the twin is named explicitly rather than
// guessed from folder names, so a table never silently mixes runs.

import { resolve } from 'node:path';
import { embedderOf, loadReranker, loadScoringBackend, type LoadedReranker } from '../models/reranker/index.js';
import { docText, loadBeir, type BeirSplit } from '../retrieval/index.js';
import { evaluateRanking, type RankingReport } from './ranking-eval.js';
import { embeddingsFor, RankingDataError } from './ranking-data.js';

export interface EvaluateRankingOptions {
  data: string;
  split?: BeirSplit;
  /** Other rerankers scored on the same candidates, by name (e.g. classical). */
  twins?: Record<string, string>;
  /** Embedding file for runs trained on embedding files. */
  embeddings?: string;
  firstStage?: 'bm25' | 'cosine';
  k?: number;
  /** Evaluate on the first N judged queries only. */
  limit?: number;
  cacheDir?: string;
}

export async function evaluateRankingRun(runDir: string, options: EvaluateRankingOptions): Promise<RankingReport> {
  await loadScoringBackend();
  const reranker = await loadReranker(resolve(runDir), { cacheDir: options.cacheDir });
  const rerankers: Record<string, LoadedReranker> = { reranker };
  for (const [name, dir] of Object.entries(options.twins ?? {})) {
    const twin = await loadReranker(resolve(dir), { cacheDir: options.cacheDir });
    if (twin.manifest.embedder.id !== reranker.manifest.embedder.id) {
      throw new RankingDataError(`${dir} was trained on embeddings "${twin.manifest.embedder.id}", ${runDir} on "${reranker.manifest.embedder.id}": they cannot rank the same candidates`);
    }
    rerankers[name] = twin;
  }
  const split = options.split ?? 'test';
  const beir = loadBeir(resolve(options.data), { splits: [split] });
  const qrels = beir.qrels[split];
  if (!qrels) throw new RankingDataError(`${options.data} has no qrels/${split}.tsv (choose another --split)`);
  let queryIds = [...qrels.entries()].filter(([, d]) => [...d.values()].some((r) => r > 0)).map(([q]) => q);
  if (options.limit !== undefined) queryIds = queryIds.slice(0, options.limit);
  const text = new Map(beir.queries.map((q) => [q.id, q.text]));
  const docs = beir.corpus.map((d) => ({ id: d.id, text: docText(d) }));
  const queries = queryIds.map((id) => ({ id, text: text.get(id)! }));
  let docEmbeddings: Map<string, Float32Array>;
  let queryEmbeddings: Map<string, Float32Array>;
  if (reranker.manifest.embedder.kind === 'builtin') {
    const embedder = await embedderOf(reranker.manifest, options.cacheDir);
    const embedAll = async (items: Array<{ id: string; text: string }>) => {
      const v = await embedder.embed(items.map((i) => i.text));
      return new Map(items.map((item, k) => [item.id, v[k]]));
    };
    docEmbeddings = await embedAll(docs);
    queryEmbeddings = await embedAll(queries);
  } else {
    if (!options.embeddings) throw new RankingDataError(`${runDir} was trained on embeddings from ${reranker.manifest.embedder.path}; give the embeddings of ${options.data} with --embeddings FILE`);
    docEmbeddings = (await embeddingsFor(options.embeddings, undefined, docs, process.cwd(), 'document')).vectors;
    queryEmbeddings = (await embeddingsFor(options.embeddings, undefined, queries, process.cwd(), 'query')).vectors;
  }
  const dim = docEmbeddings.values().next().value?.length;
  if (dim !== undefined && dim !== reranker.embeddingDim) throw new RankingDataError(`the embeddings have ${dim} dimensions, the reranker takes ${reranker.embeddingDim}`);
  return evaluateRanking({
    beir, qrels, queryIds, docEmbeddings, queryEmbeddings,
    firstStage: options.firstStage ?? reranker.manifest.evaluation.firstStage, k: options.k ?? reranker.manifest.evaluation.k, rerankers,
  });
}

const METRIC_NAMES = ['mrr@10', 'ndcg@10', 'recall@1', 'recall@10', 'recall@100'] as const;

/** The report as a markdown table, one row per method. */
export function rankingTable(report: RankingReport): string {
  const rows = Object.entries(report.metrics).map(([name, m]) => {
    const latency = report.latencyMs[name];
    const spread = report.spread[name];
    return `| ${name} | ${METRIC_NAMES.map((k) => m[k].toFixed(3)).join(' | ')} | ${latency === undefined ? '-' : latency.toFixed(2)} | ${spread ? `${spread.mean.toFixed(3)} ± ${spread.std.toFixed(3)}` : '-'} |`;
  });
  return [
    `${report.queries} queries; rerankers reorder the ${report.firstStage} top ${report.k}`,
    '',
    `| method | ${METRIC_NAMES.join(' | ')} | ms / query | score mean ± sd |`,
    `|---|${METRIC_NAMES.map(() => '---:').join('|')}|---:|---:|`,
    ...rows,
  ].join('\n');
}

/** The --json contract: {queries, k, metrics: {reranker, bm25, cosine, classical?, ...}} plus latency and spread. */
export function rankingJson(report: RankingReport): object {
  return { queries: report.queries, k: report.k, firstStage: report.firstStage, metrics: report.metrics, latencyMs: report.latencyMs, spread: report.spread };
}
