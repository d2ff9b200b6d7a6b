// The server's defences, over real sockets on 127.0.0.1: the bearer token, the in-flight cap,
// the per-request deadline, and slow clients on raw TCP connections (headers that never end, a
// body that stalls or trickles). After each, a normal request still succeeds.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { bearerChecker } from '../../src/serve/auth.js';
import { ServeStartError } from '../../src/serve/errors.js';
import { createRerankServer } from '../../src/serve/server.js';
import { hashingScorer } from './hashing-scorer.js';
import { gate, postJson, rawConnection, startServer } from './helpers.js';

const request = { query: 'quantum', candidates: [{ id: 'a', text: 'quantum circuits' }] };

async function until(condition: () => boolean, what: string): Promise<void> {
  const end = Date.now() + 10_000;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

test('bearer check: accepts exactly the token, whatever the guess', () => {
  fc.assert(
    fc.property(fc.stringMatching(/^[!-~]{1,40}$/), fc.string({ maxLength: 45 }), (token, guess) => {
      const check = bearerChecker(token);
      assert.equal(check(`Bearer ${token}`), true);
      assert.equal(check(`bearer ${token}`), true); // the scheme is case-insensitive (RFC 9110)
      assert.equal(check(`Bearer ${guess}`), guess.trim() === token);
      assert.equal(check(token), false); // no scheme
      assert.equal(check(undefined), false);
    }),
  );
  assert.throws(() => bearerChecker('two words'), ServeStartError);
  assert.throws(() => bearerChecker(''), ServeStartError);
});

test('with a token, every request needs it: 401 without it or with a wrong one', async () => {
  const token = 'sesame-4f1c9a';
  const server = await startServer(hashingScorer(), { token });
  try {
    const none = await postJson(server.url, request);
    assert.equal(none.status, 401);
    assert.equal(none.headers.get('www-authenticate'), 'Bearer realm="entangle"');
    assert.match(none.body.error.message, /needs "Authorization: Bearer <token>"/);
    const wrong = await postJson(server.url, request, { authorization: 'Bearer sesame-4f1c9b' });
    assert.deepEqual([wrong.status, wrong.body.error.code], [401, 'E_UNAUTHORIZED']);
    assert.match(wrong.body.error.message, /token is wrong/);
    assert.equal((await postJson(server.url, request, { authorization: `Basic ${token}` })).status, 401);
    assert.equal((await fetch(`${server.url}/health`)).status, 401);
    assert.equal((await fetch(`${server.url}/nowhere`)).status, 401); // nothing is revealed without it
    const ok = await postJson(server.url, request, { authorization: `Bearer ${token}` });
    assert.equal(ok.status, 200);
    assert.equal((await fetch(`${server.url}/health`, { headers: { authorization: `Bearer ${token}` } })).status, 200);
  } finally {
    await server.close();
  }
});

test('beyond the in-flight cap: 503 with Retry-After; a client that gives up frees its place', async () => {
  let held = gate();
  const scorer = hashingScorer({ beforeEmbed: () => held.promise });
  const server = await startServer(scorer, { limits: { maxInFlight: 2 } });
  try {
    const first = [postJson(server.url, request), postJson(server.url, request)];
    await until(() => scorer.embedded.length === 2, 'two requests in flight');
    const busy = await postJson(server.url, request);
    assert.equal(busy.status, 503);
    assert.equal(busy.headers.get('retry-after'), '1');
    assert.equal(busy.body.error.code, 'E_BUSY');
    assert.match(busy.body.error.message, /limit of 2 requests in flight/);
    held.open();
    for (const r of await Promise.all(first)) assert.equal(r.status, 200);

    // Two held again; one client aborts: a third is then admitted.
    held = gate();
    const abort = new AbortController();
    const abandoned = fetch(`${server.url}/rerank`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(request), signal: abort.signal }).catch((e: Error) => e.name);
    const kept = postJson(server.url, request);
    await until(() => scorer.embedded.length === 4, 'two more in flight');
    abort.abort();
    assert.equal(await abandoned, 'AbortError');
    await new Promise((r) => setTimeout(r, 50)); // the server sees the socket close
    const third = postJson(server.url, request);
    await until(() => scorer.embedded.length === 5, 'the third admitted');
    held.open();
    assert.equal((await kept).status, 200);
    assert.equal((await third).status, 200);
  } finally {
    await server.close();
  }
});

test('a request not answered within the deadline gets 503, and the next one is served', async () => {
  const never = gate();
  const scorer = hashingScorer({ beforeEmbed: (texts) => (texts.includes('stall') ? never.promise : undefined) });
  const server = await startServer(scorer, { limits: { requestTimeoutMs: 300 } });
  try {
    const started = Date.now();
    const late = await postJson(server.url, { query: 'stall', candidates: [{ id: 'a', text: 'x' }] });
    assert.ok(Date.now() - started >= 290, `answered after ${Date.now() - started} ms`);
    assert.deepEqual([late.status, late.body.error.code, late.headers.get('retry-after')], [503, 'E_TIMEOUT', '1']);
    assert.match(late.body.error.message, /within 300 ms/);
    assert.equal((await postJson(server.url, request)).status, 200);
  } finally {
    never.open();
    await server.close();
  }
});

const SLOW = { headersTimeoutMs: 300, receiveTimeoutMs: 600 };

test('slow clients: headers that never end, and a body that stalls or trickles, get 408 and are closed', async () => {
  const server = await startServer(hashingScorer(), { limits: SLOW, timeoutCheckIntervalMs: 50 });
  const timers: NodeJS.Timeout[] = [];
  try {
    const head = 'POST /rerank HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n';
    // 1. headers trickled forever, one line every 50 ms
    const headers = rawConnection(server.port);
    headers.socket.write('POST /rerank HTTP/1.1\r\n');
    timers.push(setInterval(() => headers.socket.writable && headers.socket.write('X-Slow: yes\r\n'), 50));
    // 2. complete headers, then a body that stops after one byte of 100
    const stalled = rawConnection(server.port);
    stalled.socket.write(`${head}Content-Length: 100\r\n\r\n{`);
    // 3. a body trickled one byte every 50 ms
    const trickled = rawConnection(server.port);
    trickled.socket.write(`${head}Content-Length: 1000\r\n\r\n`);
    timers.push(setInterval(() => trickled.socket.writable && trickled.socket.write(' '), 50));

    // Meanwhile the server serves others.
    assert.equal((await postJson(server.url, request)).status, 200);

    for (const [what, conn, limit] of [['headers', headers, SLOW.headersTimeoutMs], ['stalled body', stalled, SLOW.receiveTimeoutMs], ['trickled body', trickled, SLOW.receiveTimeoutMs]] as const) {
      const { data, closedAfterMs } = await conn.received;
      assert.match(data, /^HTTP\/1\.1 408 /, what);
      assert.ok(closedAfterMs >= limit - 20 && closedAfterMs < limit + 5000, `${what}: closed after ${closedAfterMs} ms`);
    }
    assert.equal((await postJson(server.url, request)).status, 200);
  } finally {
    timers.forEach(clearInterval);
    await server.close();
  }
});

test('an idle keep-alive connection is closed after keepAliveTimeoutMs', async () => {
  const server = await startServer(hashingScorer(), { limits: { keepAliveTimeoutMs: 200 } });
  try {
    const conn = rawConnection(server.port);
    conn.socket.write('GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    const { data, closedAfterMs } = await conn.received;
    assert.match(data, /^HTTP\/1\.1 200 /);
    assert.ok(closedAfterMs >= 190 && closedAfterMs < 5000, `closed after ${closedAfterMs} ms`);
  } finally {
    await server.close();
  }
});

test('bad limits and a bad model dimension are refused at start-up', () => {
  assert.throws(() => createRerankServer(hashingScorer(), { limits: { maxCandidates: 0 } }), /maxCandidates = 0: expected an integer >= 1/);
  assert.throws(() => createRerankServer(hashingScorer(), { limits: { headersTimeoutMs: 5000, receiveTimeoutMs: 1000 } }), /headersTimeoutMs \(5000\) must not exceed receiveTimeoutMs/);
  assert.throws(() => createRerankServer({ ...hashingScorer(), embeddingDim: 0 }), /embeddingDim is 0/);
});
