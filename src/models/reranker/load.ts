// A trained reranker loaded from its run folder, as `entangle rerank`, `evaluate-ranking` and
// `entangle serve` use it: the manifest, the run's embedder (the built-in one behind the disk
// cache), and scoring outside the tfjs model (scorer.ts): the MLP on tfjs's wasm backend when that
// is the active backend (loadScoringBackend starts it), else in plain JavaScript.

import { homedir } from 'node:os';
import { join } from 'node:path';
import { cachedEmbedder, useLiteEmbedder, type Embedder } from '../../retrieval/index.js';
import { EntangleError } from '../../util/errors.js';
import { readSavedReranker, type RerankerManifest } from './saved.js';
import { PlainScorer } from './scorer.js';
import { fastEncoderFor } from './tf-encoder.js';

export interface LoadedReranker {
  readonly manifest: RerankerManifest;
  readonly embeddingDim: number;
  /** The run's embedder (cached on disk); refuses when the run was trained on embedding files. */
  embed(texts: string[]): Promise<Float32Array[]>;
  /** Similarities of one query to each candidate: fidelities in [0, 1] for the quantum reranker. */
  score(query: Float32Array, candidates: Float32Array[]): Float64Array;
  /** The MLP's path when scoring: 'tfjs' (wasm backend) or 'js' (plain JavaScript). */
  readonly mlpPath: 'tfjs' | 'js';
}

export interface LoadRerankerOptions {
  /** The embedding cache folder; default $ENTANGLE_CACHE or ~/.cache/entangle, + /embeddings. */
  cacheDir?: string;
  /** The MLP's path: 'auto' (default) uses tfjs when its wasm backend is active; 'js' always the plain-JS loop. */
  mlp?: 'auto' | 'js';
}

export function defaultEmbeddingCacheDir(): string {
  return join(process.env.ENTANGLE_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'entangle'), 'embeddings');
}

export class RerankerEmbedError extends EntangleError {
  override name = 'RerankerEmbedError';
  constructor(message: string) {
    super('E_RERANKER_EMBED', message);
  }
}

/** The embedder a manifest names (built-in only: file embeddings cannot embed new text). */
export async function embedderOf(manifest: RerankerManifest, cacheDir = defaultEmbeddingCacheDir()): Promise<Embedder> {
  const source = manifest.embedder;
  if (source.kind !== 'builtin') {
    throw new RerankerEmbedError(`this reranker was trained on precomputed embeddings (${source.path}); it cannot embed new text — score embeddings from the same model instead`);
  }
  const inner = await useLiteEmbedder();
  if (inner.id !== source.id) throw new RerankerEmbedError(`this reranker was trained with the embedder "${source.id}", but the built-in one is now "${inner.id}"; retrain it`);
  return cachedEmbedder(inner, cacheDir);
}

export async function loadReranker(runDir: string, options: LoadRerankerOptions = {}): Promise<LoadedReranker> {
  const { manifest, weights } = readSavedReranker(runDir);
  const scorer = new PlainScorer(manifest.reranker, weights, options.mlp === 'js' ? undefined : fastEncoderFor(weights.dense));
  let embedder: Promise<Embedder> | undefined;
  return {
    manifest,
    embeddingDim: manifest.embeddingDim,
    embed: async (texts) => {
      // Created on first use (loading USE-lite takes seconds; scoring alone never needs it).
      embedder ??= embedderOf(manifest, options.cacheDir);
      return (await embedder).embed(texts);
    },
    score: (query, candidates) => scorer.score(query, candidates),
    mlpPath: scorer.mlpPath,
  };
}

/**
 * Start tfjs's wasm backend for scoring (the commands that load a reranker call this first): the
 * MLP's matrix products then take XNNPACK's SIMD kernels. Where wasm cannot start, scoring keeps
 * the plain-JS MLP (slower, same ranking to float32 precision).
 */
export async function loadScoringBackend(): Promise<void> {
  const { setupBackend } = await import('../../tf-kernels/backend.js');
  try {
    await setupBackend('wasm');
  } catch {
    // the plain-JS path needs no backend
  }
}
