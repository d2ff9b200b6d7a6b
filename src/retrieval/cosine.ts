// The dense first stage: exact cosine similarity of a query embedding against every document
// embedding (brute force; a 10,000 x 512 corpus is 5 M multiply-adds a query, ~5 ms here). The
// documents are normalised once into one row-major Float32Array; a zero vector scores 0.

import { RetrievalInputError } from './errors.js';
import type { FirstStageHits } from './bm25.js';
import { topK } from './top-k.js';

export interface CosineIndex {
  readonly dim: number;
  search(query: Float32Array, k: number): FirstStageHits;
}

export function cosineFirstStage(docIds: readonly string[], docEmbeddings: readonly Float32Array[]): CosineIndex {
  if (docIds.length !== docEmbeddings.length) throw new RetrievalInputError(`cosineFirstStage got ${docIds.length} doc ids but ${docEmbeddings.length} embeddings; give one embedding per id`);
  const n = docIds.length;
  const dim = n > 0 ? docEmbeddings[0].length : 0;
  const matrix = new Float32Array(n * dim);
  docEmbeddings.forEach((v, i) => {
    if (v.length !== dim) throw new RetrievalInputError(`the embedding of document "${docIds[i]}" has ${v.length} dimensions, the first one ${dim}; all must have the same`);
    let sq = 0;
    for (let j = 0; j < dim; j++) sq += v[j] * v[j];
    const norm = Math.sqrt(sq);
    const scale = norm > 0 ? 1 / norm : 0;
    for (let j = 0; j < dim; j++) matrix[i * dim + j] = v[j] * scale;
  });
  const ids = [...docIds];
  const scores = new Float64Array(n);
  return {
    dim,
    search(query: Float32Array, k: number): FirstStageHits {
      if (query.length !== dim) throw new RetrievalInputError(`the query embedding has ${query.length} dimensions, the documents ${dim}`);
      let qn = 0;
      for (let j = 0; j < dim; j++) qn += query[j] * query[j];
      const scale = qn > 0 ? 1 / Math.sqrt(qn) : 0;
      for (let i = 0; i < n; i++) {
        let dot = 0;
        const row = i * dim;
        for (let j = 0; j < dim; j++) dot += matrix[row + j] * query[j];
        scores[i] = dot * scale;
      }
      const best = topK(scores, k);
      return { docIds: best.map((i) => ids[i]), scores: best.map((i) => scores[i]) };
    },
  };
}
