// A tiny generated retrieval set for the reranker tests: `topics` documents with random unit
// centres in D dimensions; each topic's queries are noisy copies of a random rotation of its
// document (so plain cosine ranks them imperfectly and a trained encoder can do better);
// the first stage is every document (candidates = the whole corpus, in a seeded random order).

import * as tf from '@tensorflow/tfjs';
import type { RankingData } from '../../src/models/reranker/task.js';
import { Rng } from '../../src/util/random.js';

export interface TinyRetrieval {
  train: RankingData;
  val: RankingData;
  dim: number;
  dispose(): void;
}

export function tinyRetrieval(options: { seed?: number; topics?: number; queriesPerTopic?: number; dim?: number; noise?: number } = {}): TinyRetrieval {
  const { seed = 1, topics = 12, queriesPerTopic = 4, dim = 8, noise = 0.6 } = options;
  const rng = new Rng(seed);
  const docs = new Float32Array(topics * dim);
  for (let i = 0; i < docs.length; i++) docs[i] = rng.normal();
  const Q = topics * queriesPerTopic;
  const queries = new Float32Array(Q * dim);
  for (let q = 0; q < Q; q++) {
    const t = q % topics;
    // A fixed permutation-with-sign of the document's coordinates plus noise: the query is
    // related to its document by a map the encoder can learn, not by plain closeness.
    for (let k = 0; k < dim; k++) queries[q * dim + k] = (k % 2 === 0 ? 1 : -1) * docs[t * dim + ((k + 1) % dim)] + noise * rng.normal();
  }
  const queryEmbeddings = tf.tensor2d(queries, [Q, dim]);
  const docEmbeddings = tf.tensor2d(docs, [topics, dim]);
  const split = (pick: (q: number) => boolean): RankingData => {
    const rows = Array.from({ length: Q }, (_, q) => q).filter(pick);
    return {
      queryEmbeddings,
      docEmbeddings,
      queries: Int32Array.from(rows),
      relevant: rows.map((q) => new Map([[q % topics, 1]])),
      candidates: rows.map(() => shuffled(topics, rng)),
    };
  };
  const isVal = (q: number) => Math.floor(q / topics) === queriesPerTopic - 1;
  return { train: split((q) => !isVal(q)), val: split(isVal), dim, dispose: () => tf.dispose([queryEmbeddings, docEmbeddings]) };
}

function shuffled(n: number, rng: Rng): Int32Array {
  const a = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}
