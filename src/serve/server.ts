// The reranker as an HTTP service (fastify): `POST /rerank` and `GET /health`, safe by default.
//
// What protects the process, in the order a request meets it:
//  - Node's own timeouts for slow clients: all headers within headersTimeoutMs, the whole
//    request within receiveTimeoutMs (408, then the socket is closed), idle keep-alive
//    connections closed after keepAliveTimeoutMs;
//  - the bearer token, when one is set (401 before anything is read or counted);
//  - the in-flight cap: requests being received or processed at once, counted from their first
//    byte, so a burst of large bodies cannot exhaust memory (503 + Retry-After beyond it);
//  - the body limit (413), then the field checks of rerank-request.ts (400);
//  - a per-request deadline (503 after requestTimeoutMs).
// No file path or model choice is ever taken from a request: the model is fixed at start-up.
//
// Scoring is synchronous and CPU-bound, on the one event loop: while one request scores, the
// others (and /health) wait their turn; they queue in arrival order up to the in-flight cap.

import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { bearerChecker } from './auth.js';
import { ServeRequestError, ServeStartError } from './errors.js';
import { resolveLimits, type ServeLimits } from './limits.js';
import { rerank } from './rerank.js';
import { parseRerankRequest } from './rerank-request.js';
import type { RerankScorer } from './scorer.js';

export interface RerankServerOptions {
  readonly limits?: Partial<ServeLimits>;
  /** When set, every request needs `Authorization: Bearer <token>`. */
  readonly token?: string;
  /** Where the server reports its own failures (500s): one line each. Default: stderr. */
  readonly log?: (line: string) => void;
  /** How often Node looks for clients past their header / receive timeouts (ms). */
  readonly timeoutCheckIntervalMs?: number;
}

/** Seconds a client told 503 should wait before trying again. */
const RETRY_AFTER_S = 1;

interface ErrorBody {
  error: { code: string; message: string };
}

function sendError(reply: FastifyReply, status: number, code: string, message: string): FastifyReply {
  if (status === 503) reply.header('retry-after', String(RETRY_AFTER_S));
  if (status === 401) reply.header('www-authenticate', 'Bearer realm="entangle"');
  return reply.code(status).send({ error: { code, message } } satisfies ErrorBody);
}

/** The 4xx/5xx answer for an error thrown while a request was read, parsed or handled. */
function describeFailure(err: FastifyError | Error, limits: ServeLimits): { status: number; code: string; message: string } | null {
  if (err instanceof ServeRequestError) return { status: err.status, code: err.code, message: err.message };
  const code = (err as FastifyError).code;
  switch (code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { status: 413, code: 'E_BODY_TOO_LARGE', message: `the body is larger than ${limits.maxBodyBytes} bytes (the server's --max-body-bytes): send fewer candidates per request` };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return { status: 415, code: 'E_MEDIA_TYPE', message: 'the body must be JSON, sent with "Content-Type: application/json"' };
  }
  const status = (err as FastifyError).statusCode;
  // Fastify's other client errors (a bad content length, ...).
  if (status !== undefined && status >= 400 && status < 500) return { status, code: 'E_BAD_REQUEST', message: err.message };
  return null;
}

/**
 * `work(signal)`, or a 503 once `ms` have passed. (Not fastify's handlerTimeout: its signal is
 * also aborted when the request body has been read, which is long before any deadline.) Work
 * already running is not stopped — scoring is synchronous — but its result is dropped.
 */
async function withDeadline<T>(ms: number, limitMs: number, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const timeout = (): ServeRequestError =>
    new ServeRequestError(503, 'E_TIMEOUT', `the request was not answered within ${limitMs} ms (the server's --timeout-ms); the server is busy: retry later or send fewer candidates`);
  if (ms <= 0) throw timeout();
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(timeout());
    }, ms);
  });
  try {
    return await Promise.race([work(controller.signal), expired]);
  } finally {
    clearTimeout(timer);
  }
}

/** A fastify instance serving `scorer` (not yet listening: see listen.ts, or use `inject`). */
export function createRerankServer(scorer: RerankScorer, options: RerankServerOptions = {}): FastifyInstance {
  const limits = resolveLimits(options.limits);
  if (!Number.isSafeInteger(scorer.embeddingDim) || scorer.embeddingDim < 1) throw new ServeStartError(`the model's embeddingDim is ${scorer.embeddingDim}; expected an integer >= 1`);
  const authorized = options.token === undefined ? null : bearerChecker(options.token);
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));

  const app = Fastify({
    logger: false,
    bodyLimit: limits.maxBodyBytes,
    requestTimeout: limits.receiveTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    // In-flight requests finish on close(); idle keep-alive connections are closed at once.
    forceCloseConnections: 'idle',
    return503OnClosing: true,
    http: { headersTimeout: limits.headersTimeoutMs, connectionsCheckingInterval: options.timeoutCheckIntervalMs ?? 1000 },
  });

  // Our own JSON parser, for the parser's message (fastify's says only "not valid JSON"). Plain
  // JSON.parse is safe here: a "__proto__" key becomes an own property, which the field checks
  // then refuse as an unknown field, and nothing merges request objects into others.
  app.removeAllContentTypeParsers(); // JSON only: other media types get 415
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    if (body === '') return done(new ServeRequestError(400, 'E_BAD_JSON', 'the body is empty; send a JSON object'), undefined);
    try {
      done(null, JSON.parse(body as string));
    } catch (e) {
      done(new ServeRequestError(400, 'E_BAD_JSON', `the body is not valid JSON: ${(e as Error).message}`), undefined);
    }
  });

  let inFlight = 0;
  // When each request arrived: its deadline counts from then, body upload included.
  const arrivals = new WeakMap<FastifyRequest, number>();
  app.addHook('onRequest', async (request, reply) => {
    if (authorized && !authorized(request.headers.authorization)) {
      const message = request.headers.authorization === undefined ? 'this server needs "Authorization: Bearer <token>"' : 'the bearer token is wrong';
      return sendError(reply, 401, 'E_UNAUTHORIZED', message);
    }
    if (inFlight >= limits.maxInFlight) {
      return sendError(reply, 503, 'E_BUSY', `the server is at its limit of ${limits.maxInFlight} requests in flight (the server's --max-in-flight); retry after ${RETRY_AFTER_S} s`);
    }
    inFlight++;
    arrivals.set(request, performance.now());
    // 'close' fires once per response, sent or abandoned by the client.
    reply.raw.once('close', () => inFlight--);
  });
  app.addHook('onSend', async (_request, reply) => {
    reply.header('cache-control', 'no-store');
    reply.header('x-content-type-options', 'nosniff');
  });

  app.get('/health', async () => ({
    status: 'ok',
    model: scorer.manifest,
    embedding_dim: scorer.embeddingDim,
    in_flight: inFlight,
    limits: {
      max_body_bytes: limits.maxBodyBytes,
      max_candidates: limits.maxCandidates,
      max_text_length: limits.maxTextLength,
      max_in_flight: limits.maxInFlight,
      timeout_ms: limits.requestTimeoutMs,
    },
  }));

  app.post('/rerank', async (request) => {
    const input = parseRerankRequest(request.body, limits, scorer.embeddingDim);
    const left = limits.requestTimeoutMs - (performance.now() - (arrivals.get(request) ?? performance.now()));
    return { results: await withDeadline(left, limits.requestTimeoutMs, (signal) => rerank(scorer, input, signal)) };
  });

  app.setNotFoundHandler((request, reply) => sendError(reply, 404, 'E_NOT_FOUND', `no endpoint ${request.method} ${request.url.split('?')[0].slice(0, 200)}; this server has POST /rerank and GET /health`));

  app.setErrorHandler((err: FastifyError, request, reply) => {
    const known = describeFailure(err, limits);
    if (known) return sendError(reply, known.status, known.code, known.message);
    log(`entangle serve: ${request.method} ${request.url}: ${err.stack ?? err.message}`);
    return sendError(reply, 500, 'E_INTERNAL', "internal error while handling the request; the server's log has the details");
  });

  return app;
}
