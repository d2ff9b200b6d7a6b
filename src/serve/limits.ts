// The limits that keep one request (or a burst of them) from taking the server down, with
// defaults sized for the reranker: 100 candidates with 512-dimensional precomputed embeddings
// are about 1 MB of JSON, so the 4 MiB body limit leaves room for a few hundred; each in-flight
// request may hold a body of up to that size, so `maxInFlight` caps the memory a burst can take
// (32 x 4 MiB of raw body, plus its parsed form).

import { ServeStartError } from './errors.js';

export interface ServeLimits {
  /** Largest request body in bytes (413 beyond). */
  readonly maxBodyBytes: number;
  /** Most candidates in one /rerank request (400 beyond). */
  readonly maxCandidates: number;
  /** Longest query or candidate text, in characters (UTF-16 code units; 400 beyond). */
  readonly maxTextLength: number;
  /** Requests being received or processed at once; beyond, 503 with Retry-After. */
  readonly maxInFlight: number;
  /** A request not answered within this many ms from its arrival gets 503. */
  readonly requestTimeoutMs: number;
  /** A client must send all its headers within this many ms (408, then the socket closes). */
  readonly headersTimeoutMs: number;
  /** ... and its whole request (headers and body) within this many ms. */
  readonly receiveTimeoutMs: number;
  /** An idle keep-alive connection is closed after this many ms. */
  readonly keepAliveTimeoutMs: number;
}

export const DEFAULT_LIMITS: ServeLimits = Object.freeze({
  maxBodyBytes: 4 * 1024 * 1024,
  maxCandidates: 1000,
  maxTextLength: 10_000,
  maxInFlight: 32,
  requestTimeoutMs: 30_000,
  headersTimeoutMs: 10_000,
  receiveTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
});

/** Ids longer than this are refused: an id names a document, it is not a place for data. */
export const MAX_ID_LENGTH = 512;

/** `overrides` on top of the defaults, each checked to be a positive integer. */
export function resolveLimits(overrides: Partial<ServeLimits> = {}): ServeLimits {
  const limits = { ...DEFAULT_LIMITS, ...Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined)) } as ServeLimits;
  for (const [name, value] of Object.entries(limits)) {
    if (!(name in DEFAULT_LIMITS)) throw new ServeStartError(`unknown serve limit "${name}"; known: ${Object.keys(DEFAULT_LIMITS).join(', ')}`);
    if (!Number.isSafeInteger(value) || value < 1) throw new ServeStartError(`serve limit ${name} = ${String(value)}: expected an integer >= 1`);
  }
  // Node refuses a headers timeout longer than the whole-request timeout.
  if (limits.headersTimeoutMs > limits.receiveTimeoutMs) {
    throw new ServeStartError(`serve limit headersTimeoutMs (${limits.headersTimeoutMs}) must not exceed receiveTimeoutMs (${limits.receiveTimeoutMs})`);
  }
  return Object.freeze(limits);
}
