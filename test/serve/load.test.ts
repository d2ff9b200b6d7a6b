// A bounded load test over 127.0.0.1: 8 clients x 50 requests (400 in all, a fixed total), each
// ranking 20 text candidates. Every answer must be 200 and exactly the expected ranking; the
// latencies are reported (p50 / p99), never asserted: speed is the benchmark's business
// (`npm run bench -- serve`), not a test's.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { embedText, fidelity, hashingScorer } from './hashing-scorer.js';
import { percentile, postJson, startServer } from './helpers.js';

const CLIENTS = 8;
const PER_CLIENT = 50;
const DIM = 64;
const WORDS = ['qubit', 'circuit', 'gradient', 'adjoint', 'fidelity', 'swap', 'test', 'kernel', 'embedding', 'rank', 'query', 'model'];

/** Request k: its own query and 20 candidates, and the ranking written out from the scorer's maths. */
function requestNumber(k: number): { body: object; expected: Array<{ id: string; score: number }> } {
  const words = (i: number, n: number) => Array.from({ length: n }, (_, j) => WORDS[(i * 7 + j * 5 + k) % WORDS.length]).join(' ');
  const query = words(k, 3);
  const candidates = Array.from({ length: 20 }, (_, i) => ({ id: `doc-${k}-${i}`, text: words(i + 1, 4) }));
  const q = embedText(query, DIM);
  const expected = candidates.map((c) => ({ id: c.id, score: fidelity(q, embedText(c.text, DIM)) })).sort((a, b) => b.score - a.score);
  return { body: { query, candidates }, expected };
}

test(`load: ${CLIENTS} clients x ${PER_CLIENT} requests, all answered correctly`, async (t) => {
  const server = await startServer(hashingScorer({ dim: DIM }));
  const requests = Array.from({ length: 10 }, (_, k) => requestNumber(k));
  const latencies: number[] = [];
  const failures: string[] = [];
  try {
    const started = performance.now();
    await Promise.all(
      Array.from({ length: CLIENTS }, async (_, client) => {
        for (let n = 0; n < PER_CLIENT; n++) {
          const { body, expected } = requests[(client + n) % requests.length];
          const t0 = performance.now();
          const res = await postJson(server.url, body);
          latencies.push(performance.now() - t0);
          if (res.status !== 200) failures.push(`client ${client} request ${n}: ${res.status} ${JSON.stringify(res.body)}`);
          else if (JSON.stringify(res.body.results) !== JSON.stringify(expected)) failures.push(`client ${client} request ${n}: wrong ranking`);
        }
      }),
    );
    const wall = performance.now() - started;
    latencies.sort((a, b) => a - b);
    t.diagnostic(`${latencies.length} requests in ${wall.toFixed(0)} ms: ${((1000 * latencies.length) / wall).toFixed(0)} requests/s, p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms`);
    assert.deepEqual(failures, []);
    assert.equal(latencies.length, CLIENTS * PER_CLIENT);
    const health = (await (await fetch(`${server.url}/health`)).json()) as { in_flight: number };
    assert.equal(health.in_flight, 1); // only this request: every other one was let go
  } finally {
    await server.close();
  }
});
