// `entangle serve RUN_DIR [--host H] [--port P] [--token T] [limits]`: a trained reranker over
// HTTP (src/serve/; docs/serving.md). Loopback only unless --host says otherwise; the bearer
// token comes from --token or ENTANGLE_TOKEN (the variable keeps it out of `ps`). Prints the
// address it listens on; on SIGINT / SIGTERM it stops taking requests, finishes those in flight
// and exits 0 (a second signal stops at once).

import type { Command } from 'commander';
import { DEFAULT_HOST, isLoopbackHost, listenRerankServer } from '../serve/listen.js';
import { DEFAULT_LIMITS, type ServeLimits } from '../serve/limits.js';
import type { RerankScorer } from '../serve/scorer.js';
import { createRerankServer } from '../serve/server.js';
import { listenForInterrupts } from './interrupt.js';
import { nonNegativeInt, positiveInt } from './options.js';
import { loadRunScorer } from './serve-loader.js';
import { CliInputError } from './simulate.js';

export const TOKEN_VARIABLE = 'ENTANGLE_TOKEN';
export const DEFAULT_PORT = 8080;

interface ServeOptions {
  host: string;
  port: number;
  token?: string;
  maxBodyBytes: number;
  maxCandidates: number;
  maxTextLength: number;
  maxInFlight: number;
  timeoutMs: number;
}

interface Output {
  write(text: string): unknown;
}

/** The token to require: --token, else $ENTANGLE_TOKEN, else none (an empty variable is none). */
function tokenFrom(option: string | undefined, env: NodeJS.ProcessEnv): string | undefined {
  if (option !== undefined) {
    if (option === '') throw new CliInputError('--token is empty: give a token, or leave the option out to serve without one');
    return option;
  }
  return env[TOKEN_VARIABLE] || undefined;
}

/**
 * Register `serve`. `load` turns the run folder into a scorer (tests hand in their own; the
 * command itself uses the reranker loader).
 */
export function registerServe(program: Command, _context?: unknown, load: (runDir: string) => Promise<RerankScorer> = loadRunScorer, io: { stdout: Output; stderr: Output } = process): void {
  program
    .command('serve')
    .description('serve a trained reranker run over HTTP: POST /rerank and GET /health (docs/serving.md)')
    .argument('<run-dir>', 'a reranker run folder written by train')
    .option('--host <address>', 'address to listen on; 0.0.0.0 for every interface (then set a token)', DEFAULT_HOST)
    .option('--port <n>', 'port to listen on; 0 picks a free one', nonNegativeInt('--port'), DEFAULT_PORT)
    .option('--token <token>', `require "Authorization: Bearer <token>" on every request (default: $${TOKEN_VARIABLE}, which keeps it out of the process list)`)
    .option('--max-body-bytes <n>', 'largest request body (413 beyond)', positiveInt('--max-body-bytes'), DEFAULT_LIMITS.maxBodyBytes)
    .option('--max-candidates <n>', 'most candidates per request (400 beyond)', positiveInt('--max-candidates'), DEFAULT_LIMITS.maxCandidates)
    .option('--max-text-length <n>', 'longest query or candidate text in characters (400 beyond)', positiveInt('--max-text-length'), DEFAULT_LIMITS.maxTextLength)
    .option('--max-in-flight <n>', 'requests received or processed at once (503 with Retry-After beyond)', positiveInt('--max-in-flight'), DEFAULT_LIMITS.maxInFlight)
    .option('--timeout-ms <n>', 'answer 503 to a request not done this many ms after it arrived', positiveInt('--timeout-ms'), DEFAULT_LIMITS.requestTimeoutMs)
    .action(async (runDir: string, opts: ServeOptions) => {
      const token = tokenFrom(opts.token, process.env);
      const limits: Partial<ServeLimits> = { maxBodyBytes: opts.maxBodyBytes, maxCandidates: opts.maxCandidates, maxTextLength: opts.maxTextLength, maxInFlight: opts.maxInFlight, requestTimeoutMs: opts.timeoutMs };
      const scorer = await load(runDir);
      const app = createRerankServer(scorer, { limits, token, log: (line) => io.stderr.write(`${line}\n`) });
      const url = await listenRerankServer(app, opts.host, opts.port);
      if (!isLoopbackHost(opts.host) && token === undefined) {
        io.stderr.write(`warning: listening on ${opts.host} without a token: anyone who can reach this port can use the model (set ${TOKEN_VARIABLE}, and put TLS in front: docs/serving.md)\n`);
      }
      io.stdout.write(`listening on ${url} (POST /rerank, GET /health${token === undefined ? '' : '; bearer token required'})\n`);

      const interrupts = listenForInterrupts(io.stderr, undefined, (name) => `${name}: taking no new requests; finishing those in flight (send it again to stop at once)\n`);
      try {
        await new Promise((resolve) => interrupts.signal.addEventListener('abort', resolve, { once: true }));
        await app.close();
        io.stderr.write('stopped\n');
      } finally {
        interrupts.dispose();
      }
    });
}
