// What the server needs from a trained reranker, as a structural type: the server depends on
// this shape, not on the model family's module, so `serve/` sits beside `models/` in the layering
// and any object of this shape (the reranker run loaded from disk, or a small deterministic
// scorer in the tests) can be served.

export interface RerankScorer {
  /**
   * What /health reports about the model (format version, embedder, qubits, ...). Served as
   * JSON as it is, so it must be JSON-safe; the server never reads fields of it.
   */
  readonly manifest: object;
  /** The length of every embedding that `score` accepts (and `embed` returns). */
  readonly embeddingDim: number;
  /** Embeddings of `texts`, in order, each of length `embeddingDim`. */
  embed(texts: string[]): Promise<Float32Array[]>;
  /** One score in [0, 1] per candidate (higher ranks first), in the candidates' order. */
  score(query: Float32Array, candidates: Float32Array[]): Float64Array;
}
