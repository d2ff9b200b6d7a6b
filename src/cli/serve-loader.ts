// How `entangle serve RUN_DIR` turns a trained reranker run into the scorer the server needs:
// loadReranker (src/models/reranker) does the loading and checking; this adapter decides what
// the outside world sees of it. /health shows a public summary of the manifest — format,
// version, embedder, qubits, hashes — and never a path of this machine (the manifest holds the
// training data's folder and, for file embeddings, their path).

import type { RerankerManifest } from '../models/reranker/index.js';
import { ServeRequestError } from '../serve/errors.js';
import type { RerankScorer } from '../serve/scorer.js';

/** What /health reports about a reranker run. */
export function publicManifest(m: RerankerManifest): object {
  return {
    format: m.format,
    version: m.version,
    name: m.name,
    config_hash: m.configHash,
    embedder: m.embedder.id,
    // 'builtin': the server embeds texts itself; 'file': it takes precomputed embeddings only
    embedder_kind: m.embedder.kind,
    embedding_dim: m.embeddingDim,
    similarity: m.reranker.similarity,
    qubits: m.reranker.similarity === 'fidelity' ? m.reranker.qubits : null,
    data_fingerprint: m.data.fingerprint,
    weights_sha256: m.weights.sha256,
  };
}

export async function loadRunScorer(runDir: string): Promise<RerankScorer> {
  // Imported here, not at the top: it brings TensorFlow.js, which `entangle serve --help` and
  // the option checks should not wait for.
  const { loadReranker, loadScoringBackend } = await import('../models/reranker/index.js');
  await loadScoringBackend();
  const loaded = await loadReranker(runDir);
  const { manifest, embeddingDim } = loaded;
  const embed =
    manifest.embedder.kind === 'builtin'
      ? (texts: string[]) => loaded.embed(texts)
      : async (): Promise<Float32Array[]> => {
          // The client's mistake, not the server's: say what to send instead.
          throw new ServeRequestError(400, 'E_NO_TEXT_EMBEDDER', `this model was trained on precomputed embeddings ("${manifest.embedder.id}") and cannot embed text: send "query_embedding" and candidate "embedding" arrays of ${embeddingDim} numbers from that embedder`);
        };
  return { manifest: publicManifest(manifest), embeddingDim, embed, score: (query, candidates) => loaded.score(query, candidates) };
}
