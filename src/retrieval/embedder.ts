// What turns texts into vectors. An Embedder is identified by `id`, which must change whenever
// its vectors would (another model, another version of the weights): the disk cache keys on it.
//
// The built-in embedder (Universal Sentence Encoder-lite, 512 dimensions, use-lite.ts) needs
// TensorFlow.js, which costs a second or more to load; `useLiteEmbedder` (index.ts) imports its
// module only when called, so the BEIR loader, the first stages and the metrics never load tfjs.

export interface Embedder {
  /** Names the model and its weights; changes whenever the vectors would. */
  readonly id: string;
  readonly dim: number;
  /** One vector per text, in order. */
  embed(texts: string[]): Promise<Float32Array[]>;
}

export interface LiteEmbedderOptions {
  /** Texts per call of the model (default 32; see BENCHMARKS.md, "embedder"). */
  batchSize?: number;
}
