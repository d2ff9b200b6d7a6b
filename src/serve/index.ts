// The HTTP server for trained rerankers (`entangle serve`; docs/serving.md).
export type { RerankScorer } from './scorer.js';
export { createRerankServer, type RerankServerOptions } from './server.js';
export { listenRerankServer, isLoopbackHost, DEFAULT_HOST } from './listen.js';
export { DEFAULT_LIMITS, resolveLimits, type ServeLimits } from './limits.js';
export { ServeRequestError, ServeStartError } from './errors.js';
export { parseRerankRequest, type RerankInput } from './rerank-request.js';
export { rerank, type RankedCandidate } from './rerank.js';
