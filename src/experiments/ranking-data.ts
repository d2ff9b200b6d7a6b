// A BEIR folder prepared for the reranker: every document and the queries in use embedded (the
// built-in embedder behind its disk cache, or an embedding file), the training pool split into
// training and validation queries (seeded; data.split.train / .val are fractions of the pool),
// the test queries (data.split.test: the fraction of the test qrels' queries used), and each
// query's first-stage top-k candidates (BM25 or embedding cosine) as the task trains on them.

import { resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { BeirDataConfig } from '../data/load.js';
import { defaultEmbeddingCacheDir, type EmbedderSource, type RankingData } from '../models/reranker/index.js';
import {
  bm25FirstStage, cachedEmbedder, cosineFirstStage, docText, loadBeir, loadEmbeddingFile, useLiteEmbedder,
  type BeirDataset, type BeirSplit, type Qrels,
} from '../retrieval/index.js';
import { EntangleError } from '../util/errors.js';
import { Rng } from '../util/random.js';

export class RankingDataError extends EntangleError {
  override name = 'RankingDataError';
  constructor(message: string) {
    super('E_RANKING_DATA', message);
  }
}

export interface RankingSplitIds {
  train: string[];
  val: string[];
  test: string[];
}

export interface PreparedRanking {
  beir: BeirDataset;
  embedder: EmbedderSource;
  dim: number;
  /** Embeddings by id (documents; queries of every split in use). */
  docEmbeddings: Map<string, Float32Array>;
  queryEmbeddings: Map<string, Float32Array>;
  ids: RankingSplitIds;
  trainQrels: Qrels;
  testQrels: Qrels | undefined;
  testSplit: BeirSplit;
  firstStage: 'bm25' | 'cosine';
  k: number;
  /** Tensors and candidates for the task (train and val share the embedding tables). */
  train: RankingData;
  val: RankingData;
  dispose(): void;
}

export const RANKING_DATA_DEFAULTS = { firstStage: 'cosine', k: 100 } as const;

/** Embeddings of `texts` by id, from the configured source. */
export async function embeddingsFor(
  source: string, cacheDir: string | undefined, items: Array<{ id: string; text: string }>, baseDir: string, what: 'document' | 'query',
): Promise<{ vectors: Map<string, Float32Array>; embedder: EmbedderSource }> {
  if (source === 'builtin') {
    const inner = await useLiteEmbedder();
    const embedder = cachedEmbedder(inner, cacheDir ? resolve(baseDir, cacheDir) : defaultEmbeddingCacheDir());
    const vecs = await embedder.embed(items.map((i) => i.text));
    return { vectors: new Map(items.map((item, k) => [item.id, vecs[k]])), embedder: { kind: 'builtin', id: inner.id } };
  }
  const path = resolve(baseDir, source);
  const all = loadEmbeddingFile(path);
  const vectors = new Map<string, Float32Array>();
  for (const item of items) {
    const v = all.get(item.id);
    if (!v) throw new RankingDataError(`${path} has no embedding for the ${what} "${item.id}" (the file must hold every document and query id of the data set)`);
    vectors.set(item.id, v);
  }
  const first = all.values().next().value as Float32Array | undefined;
  return { vectors, embedder: { kind: 'file', id: `file:${path}:${first?.length ?? 0}`, path } };
}

/** The query ids of a qrels split that have a relevant document, in file order. */
function judgedQueries(qrels: Qrels): string[] {
  return [...qrels.entries()].filter(([, docs]) => [...docs.values()].some((r) => r > 0)).map(([q]) => q);
}

/** First-stage top-k document ids of each query. */
export function firstStageLists(
  kind: 'bm25' | 'cosine', beir: BeirDataset, docEmbeddings: Map<string, Float32Array>, queries: Array<{ id: string; text: string }>, queryEmbeddings: Map<string, Float32Array>, k: number,
): Map<string, { docIds: string[]; scores: number[] }> {
  const out = new Map<string, { docIds: string[]; scores: number[] }>();
  if (kind === 'bm25') {
    const index = bm25FirstStage(beir.corpus);
    for (const q of queries) out.set(q.id, index.search(q.text, k));
  } else {
    const index = cosineFirstStage(beir.corpus.map((d) => d.id), beir.corpus.map((d) => docEmbeddings.get(d.id)!));
    for (const q of queries) out.set(q.id, index.search(queryEmbeddings.get(q.id)!, k));
  }
  return out;
}

export async function prepareRankingData(config: BeirDataConfig & { split: { train: number; val: number; test: number } }, seed: number, baseDir: string): Promise<PreparedRanking> {
  const dir = resolve(baseDir, config.dir);
  const beir = loadBeir(dir);
  const trainSplit = config.trainSplit ?? (beir.qrels.train ? 'train' : 'dev');
  const testSplit = config.testSplit ?? 'test';
  const trainQrels = beir.qrels[trainSplit];
  if (!trainQrels) throw new RankingDataError(`${dir} has no qrels/${trainSplit}.tsv to train on (set data.trainSplit to a split it has)`);
  const testQrels = beir.qrels[testSplit];
  const pool = judgedQueries(trainQrels);
  const order = new Rng(seed).permutation(pool.length);
  const nTrain = Math.round(config.split.train * pool.length);
  const nVal = Math.min(pool.length - nTrain, Math.round(config.split.val * pool.length));
  const testPool = testQrels ? judgedQueries(testQrels) : [];
  const testOrder = new Rng(seed + 1).permutation(testPool.length);
  const ids: RankingSplitIds = {
    train: Array.from(order.subarray(0, nTrain), (i) => pool[i]),
    val: Array.from(order.subarray(nTrain, nTrain + nVal), (i) => pool[i]),
    test: Array.from(testOrder.subarray(0, Math.round(config.split.test * testPool.length)), (i) => testPool[i]),
  };
  if (ids.train.length === 0) throw new RankingDataError(`no training queries: qrels/${trainSplit}.tsv has ${pool.length} judged queries and data.split.train is ${config.split.train}`);
  const queryText = new Map(beir.queries.map((q) => [q.id, q.text]));
  const usedQueries = [...ids.train, ...ids.val, ...ids.test].map((id) => ({ id, text: queryText.get(id)! }));
  const docs = await embeddingsFor(config.embeddings, config.cacheDir, beir.corpus.map((d) => ({ id: d.id, text: docText(d) })), baseDir, 'document');
  const qs = await embeddingsFor(config.embeddings, config.cacheDir, usedQueries, baseDir, 'query');
  const dim = docs.vectors.values().next().value!.length;
  const firstStage = config.firstStage ?? RANKING_DATA_DEFAULTS.firstStage;
  const k = config.k ?? RANKING_DATA_DEFAULTS.k;
  const lists = firstStageLists(firstStage, beir, docs.vectors, usedQueries, qs.vectors, k);

  const docRow = new Map(beir.corpus.map((d, i) => [d.id, i]));
  const docMatrix = new Float32Array(beir.corpus.length * dim);
  beir.corpus.forEach((d, i) => docMatrix.set(docs.vectors.get(d.id)!, i * dim));
  const taskQueries = [...ids.train, ...ids.val];
  const queryMatrix = new Float32Array(taskQueries.length * dim);
  taskQueries.forEach((id, i) => queryMatrix.set(qs.vectors.get(id)!, i * dim));
  const docEmbeddings = tf.tensor2d(docMatrix, [beir.corpus.length, dim]);
  const queryEmbeddings = tf.tensor2d(queryMatrix, [taskQueries.length, dim]);
  const splitData = (queryIds: string[], offset: number): RankingData => ({
    queryEmbeddings,
    docEmbeddings,
    queries: Int32Array.from(queryIds, (_, i) => offset + i),
    relevant: queryIds.map((q) => new Map([...trainQrels.get(q)!.entries()].filter(([, r]) => r > 0).map(([d, r]) => [docRow.get(d)!, r]))),
    candidates: queryIds.map((q) => Int32Array.from(lists.get(q)!.docIds, (d) => docRow.get(d)!)),
  });
  return {
    beir, embedder: docs.embedder, dim, docEmbeddings: docs.vectors, queryEmbeddings: qs.vectors, ids, trainQrels, testQrels, testSplit, firstStage, k,
    train: splitData(ids.train, 0),
    val: splitData(ids.val, ids.train.length),
    dispose: () => tf.dispose([docEmbeddings, queryEmbeddings]),
  };
}
