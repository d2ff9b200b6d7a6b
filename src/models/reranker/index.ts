// The quantum fidelity reranker (issue 15): an MLP encodes a text embedding into the angles of a
// small circuit; a query and a document are compared by the fidelity of their states. Classical
// twins (cosine, bilinear) share everything but the similarity.
export { RERANKER_DEFAULTS, SIMILARITIES, RERANKER_ANSATZES, ANGLE_ACTIVATIONS, numAngles, resolveRerankerConfig } from './config.js';
export type { RerankerConfig, ResolvedRerankerConfig, Similarity, RerankerAnsatz, AngleActivation, RankingTrainingConfig } from './config.js';
export { rerankerCircuit, swapTestCircuit } from './circuit.js';
export { buildRerankerModel, type RerankerModel } from './model.js';
export { RANKING_LOSSES, rankingLoss, tripletLoss, marginRankingLoss, contrastiveLoss, type RankingLossKind } from './losses.js';
export { rankingTask, mineNegatives, examplesOf, rerankCandidates, rankedListMetrics, RANKING_TASK_DEFAULTS, type RankingData, type RankingTaskOptions } from './task.js';
export { PlainScorer, type ScorerWeights } from './scorer.js';
export { saveReranker, readSavedReranker, RerankerLoadError, MANIFEST_FILE, RERANKER_WEIGHTS_FILE, RERANKER_FORMAT, RERANKER_FORMAT_VERSION, type RerankerManifest, type EmbedderSource } from './saved.js';
export { loadReranker, loadScoringBackend, embedderOf, defaultEmbeddingCacheDir, RerankerEmbedError, type LoadedReranker, type LoadRerankerOptions } from './load.js';
