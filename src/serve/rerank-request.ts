// The body of `POST /rerank`, checked field by field before any work is done. Every refusal is a
// 400 whose message names the field (`candidates[3].embedding`), what was wrong and what is
// accepted; unknown fields are refused too, so a typo (`query_embeddings`) is an error rather
// than a silently different request.

import { ServeRequestError } from './errors.js';
import { MAX_ID_LENGTH, type ServeLimits } from './limits.js';

export type RerankQuery = { readonly text: string } | { readonly embedding: Float32Array };

export interface RerankCandidate {
  readonly id: string;
  /** Exactly one of `text` and `embedding` is set. */
  readonly text?: string;
  readonly embedding?: Float32Array;
}

export interface RerankInput {
  readonly query: RerankQuery;
  readonly candidates: readonly RerankCandidate[];
  /** Return only the best `topK` (all when absent). */
  readonly topK?: number;
}

const TOP_LEVEL_FIELDS = ['query', 'query_embedding', 'candidates', 'top_k'];
const CANDIDATE_FIELDS = ['id', 'text', 'embedding'];

function bad(message: string, code = 'E_BAD_REQUEST'): ServeRequestError {
  return new ServeRequestError(400, code, message);
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const describe = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v === 'object' ? 'an object' : `${typeof v} ${JSON.stringify(v)?.slice(0, 40)}`);

function refuseUnknownFields(obj: Record<string, unknown>, allowed: readonly string[], where: string): void {
  const unknown = Object.keys(obj).filter((k) => !allowed.includes(k));
  if (unknown.length) throw bad(`unknown field${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => `"${k}"`).join(', ')} in ${where}; allowed: ${allowed.join(', ')}`);
}

function checkText(value: unknown, field: string, limits: ServeLimits): string {
  if (typeof value !== 'string') throw bad(`${field} must be a string, got ${describe(value)}`);
  if (value.trim() === '') throw bad(`${field} is empty`);
  if (value.length > limits.maxTextLength) {
    throw bad(`${field} has ${value.length} characters; the limit is ${limits.maxTextLength} (the server's --max-text-length)`, 'E_TEXT_TOO_LONG');
  }
  return value;
}

function checkEmbedding(value: unknown, field: string, dim: number): Float32Array {
  if (!Array.isArray(value)) throw bad(`${field} must be an array of ${dim} numbers, got ${describe(value)}`);
  if (value.length !== dim) throw bad(`${field} has ${value.length} numbers; the model's embeddings have ${dim}`, 'E_EMBEDDING_DIM');
  const out = new Float32Array(dim);
  for (let i = 0; i < dim; i++) {
    const x: unknown = value[i];
    if (typeof x === 'number') out[i] = x;
    // Checked after rounding to float32: 1e39 is a finite double but Infinity as a float32.
    if (typeof x !== 'number' || !Number.isFinite(out[i])) throw bad(`${field}[${i}] must be a finite number (float32 range), got ${describe(x)}`);
  }
  return out;
}

/** The request in `body` (parsed JSON), checked against `limits` and the model's dimension. */
export function parseRerankRequest(body: unknown, limits: ServeLimits, embeddingDim: number): RerankInput {
  if (!isPlainObject(body)) throw bad(`the body must be a JSON object {"query": "...", "candidates": [{"id": "...", "text": "..."}]}, got ${describe(body)}`);
  refuseUnknownFields(body, TOP_LEVEL_FIELDS, 'the body');

  const hasText = body.query !== undefined;
  const hasEmbedding = body.query_embedding !== undefined;
  if (hasText === hasEmbedding) throw bad(hasText ? 'give either "query" or "query_embedding", not both' : 'missing "query" (a string) or "query_embedding" (an array of numbers)');
  const query: RerankQuery = hasText ? { text: checkText(body.query, 'query', limits) } : { embedding: checkEmbedding(body.query_embedding, 'query_embedding', embeddingDim) };

  if (body.candidates === undefined) throw bad('missing "candidates": an array of {"id": "...", "text": "..."} or {"id": "...", "embedding": [...]}');
  if (!Array.isArray(body.candidates)) throw bad(`"candidates" must be an array, got ${describe(body.candidates)}`);
  if (body.candidates.length > limits.maxCandidates) {
    throw bad(`${body.candidates.length} candidates; the limit is ${limits.maxCandidates} per request (the server's --max-candidates): split the list`, 'E_TOO_MANY_CANDIDATES');
  }
  const seen = new Map<string, number>();
  const candidates = body.candidates.map((c: unknown, i): RerankCandidate => {
    const at = `candidates[${i}]`;
    if (!isPlainObject(c)) throw bad(`${at} must be an object {"id": "...", "text": "..."}, got ${describe(c)}`);
    refuseUnknownFields(c, CANDIDATE_FIELDS, at);
    if (typeof c.id !== 'string' || c.id === '') throw bad(`${at}.id must be a non-empty string, got ${describe(c.id)}`);
    if (c.id.length > MAX_ID_LENGTH) throw bad(`${at}.id has ${c.id.length} characters; ids may have at most ${MAX_ID_LENGTH}`);
    const first = seen.get(c.id);
    if (first !== undefined) throw bad(`${at}.id "${c.id.slice(0, 80)}" repeats candidates[${first}].id: ids must be unique`, 'E_DUPLICATE_ID');
    seen.set(c.id, i);
    if ((c.text === undefined) === (c.embedding === undefined)) throw bad(`${at} needs exactly one of "text" and "embedding"`);
    return c.text !== undefined ? { id: c.id, text: checkText(c.text, `${at}.text`, limits) } : { id: c.id, embedding: checkEmbedding(c.embedding, `${at}.embedding`, embeddingDim) };
  });

  let topK: number | undefined;
  if (body.top_k !== undefined) {
    if (typeof body.top_k !== 'number' || !Number.isSafeInteger(body.top_k) || body.top_k < 1) throw bad(`"top_k" must be an integer >= 1, got ${describe(body.top_k)}`);
    topK = body.top_k;
  }
  return { query, candidates, topK };
}
