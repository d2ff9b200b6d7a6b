// Start a real rerank server on 127.0.0.1 (a free port) for a test, and talk to it over sockets.

import { connect, type Socket } from 'node:net';
import { createRerankServer, type RerankServerOptions } from '../../src/serve/server.js';
import { listenRerankServer } from '../../src/serve/listen.js';
import type { RerankScorer } from '../../src/serve/scorer.js';

export interface Running {
  readonly url: string;
  readonly port: number;
  /** Lines the server logged. */
  readonly logged: string[];
  close(): Promise<void>;
}

export async function startServer(scorer: RerankScorer, options: RerankServerOptions = {}): Promise<Running> {
  const logged: string[] = [];
  const app = createRerankServer(scorer, { log: (l) => logged.push(l), ...options });
  const url = await listenRerankServer(app, '127.0.0.1', 0);
  return { url, port: Number(new URL(url).port), logged, close: () => app.close() };
}

export async function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; headers: Headers; body: any }> {
  const res = await fetch(`${url}/rerank`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  return { status: res.status, headers: res.headers, body: await res.json() };
}

/** A raw TCP connection and everything the server sends on it until it closes. */
export function rawConnection(port: number): { socket: Socket; received: Promise<{ data: string; closedAfterMs: number }> } {
  const started = Date.now();
  const socket = connect(port, '127.0.0.1');
  const received = new Promise<{ data: string; closedAfterMs: number }>((resolve, reject) => {
    let data = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (data += chunk));
    socket.on('error', (e: NodeJS.ErrnoException) => (e.code === 'ECONNRESET' ? undefined : reject(e)));
    socket.on('close', () => resolve({ data, closedAfterMs: Date.now() - started }));
  });
  return { socket, received };
}

/** A promise with its resolver, to hold a request in flight until the test lets it go. */
export function gate(): { promise: Promise<void>; open(): void } {
  let open!: () => void;
  const promise = new Promise<void>((r) => (open = r));
  return { promise, open };
}

export function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}
