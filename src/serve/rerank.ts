// One /rerank request, after its body is checked: embed the texts (one batch for the query and
// all text candidates), score every candidate against the query, rank. A scorer that breaks its
// contract (wrong count, wrong length, a NaN) is the server's fault, not the client's: that is
// a ScorerContractError (500), and the server logs it.

import { EntangleError } from '../util/errors.js';
import type { RerankInput } from './rerank-request.js';
import type { RerankScorer } from './scorer.js';

export interface RankedCandidate {
  readonly id: string;
  readonly score: number;
}

export class ScorerContractError extends EntangleError {
  override name = 'ScorerContractError';
  constructor(message: string) {
    super('E_SCORER', message);
  }
}

/**
 * The candidates ranked by score, best first; equal scores keep the request's order (the sort is
 * stable), so a response never depends on anything but the request and the model. `signal`
 * (the request's timeout) is checked between embedding and scoring: scoring itself is
 * synchronous and cannot be interrupted, so it is not started for a request already given up.
 */
export async function rerank(scorer: RerankScorer, input: RerankInput, signal?: AbortSignal): Promise<RankedCandidate[]> {
  const { query, candidates } = input;
  if (candidates.length === 0) return [];
  const texts: string[] = [];
  if ('text' in query) texts.push(query.text);
  for (const c of candidates) if (c.text !== undefined) texts.push(c.text);

  const embedded = texts.length ? await scorer.embed(texts) : [];
  if (embedded.length !== texts.length) throw new ScorerContractError(`the embedder returned ${embedded.length} embeddings for ${texts.length} texts`);
  for (const e of embedded) {
    if (e.length !== scorer.embeddingDim) throw new ScorerContractError(`the embedder returned an embedding of length ${e.length}; the model's dimension is ${scorer.embeddingDim}`);
  }
  signal?.throwIfAborted();

  let next = 0;
  const queryVector = 'text' in query ? embedded[next++] : query.embedding;
  const vectors = candidates.map((c) => c.embedding ?? embedded[next++]);
  const scores = scorer.score(queryVector, vectors);
  if (scores.length !== candidates.length) throw new ScorerContractError(`the scorer returned ${scores.length} scores for ${candidates.length} candidates`);

  const ranked = candidates.map((c, i): RankedCandidate => {
    if (!Number.isFinite(scores[i])) throw new ScorerContractError(`the scorer returned ${scores[i]} for candidate ${JSON.stringify(c.id)}`);
    return { id: c.id, score: scores[i] };
  });
  ranked.sort((a, b) => b.score - a.score);
  return input.topK === undefined ? ranked : ranked.slice(0, input.topK);
}
