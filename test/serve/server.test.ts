// The rerank server over real sockets on 127.0.0.1 (Node's fetch and raw TCP), serving the
// deterministic hashing scorer: ranking, health, every kind of bad input, and that the server
// answers each and stays up.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hashingScorer, embedText, fidelity } from './hashing-scorer.js';
import { postJson, startServer } from './helpers.js';

const DIM = 4;

test('precomputed embeddings: scores are the fidelities and come back best first', async () => {
  const server = await startServer(hashingScorer({ dim: DIM }));
  try {
    // Fidelity with q = e0 is cos^2 of the angle to e0: written out here, not computed.
    const res = await postJson(server.url, {
      query_embedding: [1, 0, 0, 0],
      candidates: [
        { id: 'orthogonal', embedding: [0, 1, 0, 0] },
        { id: 'half', embedding: [1, 1, 0, 0] },
        { id: 'same', embedding: [2, 0, 0, 0] },
        { id: 'three-quarters', embedding: [Math.sqrt(3), 0, 1, 0] },
        { id: 'half-again', embedding: [-1, 0, 0, 1] }, // equal to 'half': the request's order breaks the tie
      ],
    });
    assert.equal(res.status, 200);
    assert.deepEqual(res.body.results.map((r: { id: string }) => r.id), ['same', 'three-quarters', 'half', 'half-again', 'orthogonal']);
    const expected = [1, 0.75, 0.5, 0.5, 0];
    res.body.results.forEach((r: { score: number }, i: number) => assert.ok(Math.abs(r.score - expected[i]) < 1e-6, `${i}: ${r.score}`));
    assert.equal(res.headers.get('cache-control'), 'no-store');
  } finally {
    await server.close();
  }
});

test('texts: the query and every text candidate are embedded in one batch, mixed with precomputed ones', async () => {
  const scorer = hashingScorer({ dim: 64 });
  const server = await startServer(scorer);
  try {
    const query = 'adjoint gradients of quantum circuits';
    const texts = ['Circuits, quantum: of gradients adjoint', 'the price of cheese in Paris', 'gradients of circuits'];
    const res = await postJson(server.url, {
      query,
      candidates: [
        { id: 'a', text: texts[0] },
        { id: 'b', text: texts[1] },
        // the same text as 'c', sent as its embedding: it must score exactly as 'c' does
        { id: 'c-embedded', embedding: Array.from(embedText(texts[2], 64)) },
        { id: 'c', text: texts[2] },
      ],
      top_k: 3,
    });
    assert.equal(res.status, 200);
    assert.deepEqual(scorer.embedded, [[query, texts[0], texts[1], texts[2]]]);
    const q = embedText(query, 64);
    const want = [
      { id: 'a', score: fidelity(q, embedText(texts[0], 64)) },
      { id: 'c-embedded', score: fidelity(q, embedText(texts[2], 64)) },
      { id: 'c', score: fidelity(q, embedText(texts[2], 64)) },
    ];
    assert.equal(want[0].score, 1); // the same bag of words
    assert.deepEqual(res.body, { results: want });
  } finally {
    await server.close();
  }
});

test('no candidates: an empty ranking, and the model is not called', async () => {
  const scorer = hashingScorer();
  const server = await startServer(scorer);
  try {
    const res = await postJson(server.url, { query: 'anything', candidates: [] });
    assert.deepEqual([res.status, res.body], [200, { results: [] }]);
    assert.equal(scorer.embedded.length, 0);
  } finally {
    await server.close();
  }
});

test('GET /health reports the manifest, the dimension and the limits', async () => {
  const manifest = { formatVersion: 1, embedder: 'hashing-bow-64', qubits: 6, configHash: 'abc' };
  const server = await startServer(hashingScorer({ manifest }), { limits: { maxCandidates: 7 } });
  try {
    const res = await fetch(`${server.url}/health`);
    assert.equal(res.status, 200);
    const body = (await res.json()) as any;
    assert.deepEqual(body.model, manifest);
    assert.equal(body.status, 'ok');
    assert.equal(body.embedding_dim, 64);
    assert.equal(body.limits.max_candidates, 7);
    assert.equal(body.limits.max_body_bytes, 4 * 1024 * 1024);
  } finally {
    await server.close();
  }
});

const candidates = [{ id: 'a', text: 'one' }];
const LIMITS = { maxCandidates: 3, maxTextLength: 20, maxBodyBytes: 2000 };

/** [what, body (string = raw), status, code, message fragment] */
const BAD: Array<[string, unknown, number, string, RegExp]> = [
  ['malformed JSON', '{"query": "x", "candidates": [', 400, 'E_BAD_JSON', /not valid JSON: .*JSON/],
  ['an empty body', '', 400, 'E_BAD_JSON', /empty/],
  ['a JSON array', '[1, 2]', 400, 'E_BAD_REQUEST', /must be a JSON object/],
  ['no query', { candidates }, 400, 'E_BAD_REQUEST', /missing "query"/],
  ['both query forms', { query: 'x', query_embedding: [1, 0, 0, 0], candidates }, 400, 'E_BAD_REQUEST', /not both/],
  ['a numeric query', { query: 7, candidates }, 400, 'E_BAD_REQUEST', /query must be a string, got number 7/],
  ['a blank query', { query: '  ', candidates }, 400, 'E_BAD_REQUEST', /query is empty/],
  ['no candidates', { query: 'x' }, 400, 'E_BAD_REQUEST', /missing "candidates"/],
  ['candidates not a list', { query: 'x', candidates: { id: 'a' } }, 400, 'E_BAD_REQUEST', /"candidates" must be an array, got an object/],
  ['a candidate without id', { query: 'x', candidates: [{ id: 'a', text: 't' }, { text: 't' }] }, 400, 'E_BAD_REQUEST', /candidates\[1\]\.id must be a non-empty string/],
  ['a numeric id', { query: 'x', candidates: [{ id: 3, text: 't' }] }, 400, 'E_BAD_REQUEST', /candidates\[0\]\.id must be a non-empty string, got number 3/],
  ['duplicate ids', { query: 'x', candidates: [{ id: 'a', text: 't' }, { id: 'b', text: 't' }, { id: 'a', text: 'u' }] }, 400, 'E_DUPLICATE_ID', /candidates\[2\]\.id "a" repeats candidates\[0\]\.id/],
  ['text and embedding', { query: 'x', candidates: [{ id: 'a', text: 't', embedding: [1, 0, 0, 0] }] }, 400, 'E_BAD_REQUEST', /exactly one of "text" and "embedding"/],
  ['neither text nor embedding', { query: 'x', candidates: [{ id: 'a' }] }, 400, 'E_BAD_REQUEST', /exactly one of/],
  ['a wrong dimension', { query: 'x', candidates: [{ id: 'a', embedding: [1, 0, 0] }] }, 400, 'E_EMBEDDING_DIM', /candidates\[0\]\.embedding has 3 numbers; the model's embeddings have 4/],
  ['a wrong query dimension', { query_embedding: [1, 0, 0, 0, 0], candidates }, 400, 'E_EMBEDDING_DIM', /query_embedding has 5 numbers/],
  ['a string in an embedding', { query: 'x', candidates: [{ id: 'a', embedding: [1, '0', 0, 0] }] }, 400, 'E_BAD_REQUEST', /candidates\[0\]\.embedding\[1\] must be a finite number/],
  ['a number beyond float32', { query_embedding: [1, 0, 1e39, 0], candidates }, 400, 'E_BAD_REQUEST', /query_embedding\[2\] must be a finite number/],
  ['an unknown field', { query: 'x', candidates, query_embeddings: [] }, 400, 'E_BAD_REQUEST', /unknown field "query_embeddings" in the body/],
  ['an unknown candidate field', { query: 'x', candidates: [{ id: 'a', txt: 'x' }] }, 400, 'E_BAD_REQUEST', /unknown field "txt" in candidates\[0\]/],
  ['a query too long', { query: 'x'.repeat(21), candidates }, 400, 'E_TEXT_TOO_LONG', /query has 21 characters; the limit is 20/],
  ['a candidate text too long', { query: 'x', candidates: [{ id: 'a', text: 'y'.repeat(21) }] }, 400, 'E_TEXT_TOO_LONG', /candidates\[0\]\.text has 21 characters/],
  ['too many candidates', { query: 'x', candidates: ['a', 'b', 'c', 'd'].map((id) => ({ id, text: 't' })) }, 400, 'E_TOO_MANY_CANDIDATES', /4 candidates; the limit is 3/],
  ['top_k zero', { query: 'x', candidates, top_k: 0 }, 400, 'E_BAD_REQUEST', /"top_k" must be an integer >= 1/],
  ['prototype poisoning', '{"query": "x", "candidates": [], "__proto__": {"polluted": 1}}', 400, 'E_BAD_REQUEST', /unknown field "__proto__" in the body/],
  ['an oversized body', { query: 'x', candidates: [{ id: 'a', text: 'z'.repeat(2000) }] }, 413, 'E_BODY_TOO_LARGE', /larger than 2000 bytes/],
];

test('bad requests get a 4xx with a code and a message naming the field, and the server stays up', async () => {
  const server = await startServer(hashingScorer({ dim: DIM }), { limits: LIMITS });
  try {
    for (const [what, body, status, code, message] of BAD) {
      const res = await postJson(server.url, body);
      assert.equal(res.status, status, `${what}: ${JSON.stringify(res.body)}`);
      assert.equal(res.body.error.code, code, what);
      assert.match(res.body.error.message, message, what);
    }
    const wrongType = await fetch(`${server.url}/rerank`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hello' });
    assert.equal(wrongType.status, 415);
    const noRoute = await fetch(`${server.url}/rerank/../../etc/passwd`);
    assert.equal(noRoute.status, 404);
    assert.match(((await noRoute.json()) as any).error.message, /POST \/rerank and GET \/health/);
    assert.deepEqual(server.logged, []); // all of them were the client's fault
    const ok = await postJson(server.url, { query: 'one', candidates }, { 'content-type': 'application/json; charset=utf-8' });
    assert.deepEqual([ok.status, ok.body.results[0].id], [200, 'a']);
  } finally {
    await server.close();
  }
});

test('a scorer that breaks its contract is a logged 500, and the server stays up', async () => {
  const good = hashingScorer({ dim: DIM });
  let broken = true;
  const scorer = { ...good, score: (q: Float32Array, c: Float32Array[]) => (broken ? new Float64Array(c.length).fill(NaN) : good.score(q, c)) };
  const server = await startServer(scorer);
  try {
    const res = await postJson(server.url, { query: 'x', candidates });
    assert.equal(res.status, 500);
    assert.equal(res.body.error.code, 'E_INTERNAL');
    assert.doesNotMatch(res.body.error.message, /NaN/); // details go to the log, not the client
    assert.equal(server.logged.length, 1);
    assert.match(server.logged[0], /POST \/rerank: ScorerContractError: the scorer returned NaN for candidate "a"/);
    broken = false;
    assert.equal((await postJson(server.url, { query: 'x', candidates })).status, 200);
  } finally {
    await server.close();
  }
});
