// `npm run bench -- serve`: the rerank server on loopback, 100 candidates with precomputed
// 512-dimensional embeddings per request (no embedder on this path). Two scorers: the reranker
// as `entangle serve` loads it (default config: MLP 512 -> 256 -> 128 -> 24 angles, 4 qubits,
// plain-JS fidelities; untrained weights score as fast as trained ones), and cosine, whose
// scoring is nearly free, so its row is the cost of HTTP + JSON + the request checks alone.
// Each is measured with 1 client and with 8 concurrent clients (a fixed number of requests),
// beside the scorer called directly on the same vectors; ratios are between numbers of this run.
//
// Client and server share this process and its one thread (bodies are serialized once, before
// timing), so the client's share of the work is in the figures: a separate client would see
// slightly better numbers.

import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadRunScorer } from '../src/cli/serve-loader.js';
import { resolveRerankerConfig } from '../src/models/reranker/config.js';
import { buildRerankerModel } from '../src/models/reranker/model.js';
import { saveReranker } from '../src/models/reranker/saved.js';
import { listenRerankServer } from '../src/serve/listen.js';
import type { RerankScorer } from '../src/serve/scorer.js';
import { createRerankServer } from '../src/serve/server.js';
import { setupBackend } from '../src/tf-kernels/backend.js';
import { Rng } from '../src/util/random.js';
import { table, time } from './timing.js';

const DIM = 512;
const CANDIDATES = 100;
const REQUESTS = 160;
const WARMUP = 16;

async function savedReranker(dir: string): Promise<RerankScorer> {
  await setupBackend('cpu');
  const rm = buildRerankerModel(resolveRerankerConfig({}), DIM, 1);
  saveReranker(rm.model, dir, { configHash: 'bench', name: 'bench', embedder: { kind: 'file', id: 'bench-512', path: 'none' }, embeddingDim: DIM, data: { dir: 'none', fingerprint: 'none' }, reranker: rm.config, evaluation: { firstStage: 'bm25', k: 100 } });
  rm.model.dispose();
  return loadRunScorer(dir);
}

function cosineScorer(): RerankScorer {
  const dot = (a: Float32Array, b: Float32Array) => a.reduce((s, x, i) => s + x * b[i], 0);
  return {
    manifest: { embedder: 'bench-512' },
    embeddingDim: DIM,
    embed: async () => [],
    score: (q, cs) => Float64Array.from(cs, (c) => (1 + dot(q, c) / Math.sqrt(dot(q, q) * dot(c, c))) / 2),
  };
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

async function load(url: string, bodies: string[], clients: number, total = REQUESTS): Promise<{ perSecond: number; p50: number; p99: number; cpuMs: number }> {
  const latencies: number[] = [];
  let next = 0;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (next < total) {
        const body = bodies[next++ % bodies.length];
        const t = performance.now();
        const res = await fetch(`${url}/rerank`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
        await res.arrayBuffer();
        if (res.status !== 200) throw new Error(`serve bench: HTTP ${res.status}`);
        latencies.push(performance.now() - t);
      }
    }),
  );
  const wall = performance.now() - t0;
  const cpu = process.cpuUsage(c0);
  latencies.sort((a, b) => a - b);
  return { perSecond: (1000 * total) / wall, p50: pct(latencies, 50), p99: pct(latencies, 99), cpuMs: (cpu.user + cpu.system) / 1000 / total };
}

export async function runServeBench(): Promise<string> {
  const rng = new Rng(5);
  const vector = () => Array.from({ length: DIM }, () => rng.normal());
  const requests = Array.from({ length: 8 }, (_, k) => ({ query_embedding: vector(), candidates: Array.from({ length: CANDIDATES }, (_, i) => ({ id: `doc-${k}-${i}`, embedding: vector() })) }));
  const bodies = requests.map((r) => JSON.stringify(r));
  const dir = mkdtempSync(join(tmpdir(), 'entangle-bench-serve-'));
  const rows: Array<Array<string | number>> = [];
  try {
    for (const [name, scorer] of [['reranker (4 qubits)', await savedReranker(dir)], ['cosine (HTTP only)', cosineScorer()]] as const) {
      const q = Float32Array.from(requests[0].query_embedding);
      const cs = requests[0].candidates.map((c) => Float32Array.from(c.embedding));
      const direct = time(() => scorer.score(q, cs), { reps: 15, inner: 5 });
      // Idle keep-alive sockets stay open for the whole bench: with the default 5 s, a client that
      // reuses a socket just as the server closes it sees ECONNRESET (the usual keep-alive race,
      // frequent on a loaded machine), which is not what this measures.
      const app = createRerankServer(scorer, { limits: { maxInFlight: 64, keepAliveTimeoutMs: 600_000, requestTimeoutMs: 600_000, receiveTimeoutMs: 600_000 } });
      const url = await listenRerankServer(app, '127.0.0.1', 0);
      try {
        await load(url, bodies, 8, WARMUP); // warm-up: JIT, keep-alive connections
        for (const clients of [1, 8]) {
          const r = await load(url, bodies, clients);
          rows.push([name, String(clients), String(REQUESTS), r.perSecond, r.p50, r.p99, r.cpuMs, direct.ms, direct.cpu, `${(r.cpuMs / direct.cpu).toFixed(2)}x`]);
        }
      } finally {
        await app.close();
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const body = (bodies.reduce((s, b) => s + b.length, 0) / bodies.length / 1024).toFixed(0);
  return [
    `## serve: POST /rerank on loopback, ${CANDIDATES} candidates x ${DIM}-dim precomputed embeddings (${body} KiB of JSON per request); load ${loadavg()[0].toFixed(2)}`,
    '',
    // CPU per request (client + server, this process) is the figure that load does not inflate.
    table(['scorer', 'clients', 'requests', 'requests/s', 'p50 ms', 'p99 ms', 'CPU ms / request', 'score() alone ms', 'score() CPU ms', 'CPU / score() CPU'], rows),
  ].join('\n');
}
