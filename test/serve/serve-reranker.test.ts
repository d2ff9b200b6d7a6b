// End to end: a saved reranker run (the real saved format, written by saveReranker) served by the
// real `entangle serve` command (bin/entangle.js) on 127.0.0.1. The scores that come back over
// HTTP are checked against the TensorFlow.js model's own scores (a second implementation of the
// same maths: the served path scores in plain JS); /health shows the public manifest and no
// path of this machine; a text request to an embeddings-only model gets a 400 that says why.

import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { resolveRerankerConfig } from '../../src/models/reranker/config.js';
import { buildRerankerModel } from '../../src/models/reranker/model.js';
import { saveReranker } from '../../src/models/reranker/saved.js';
import { Rng } from '../../src/util/random.js';
import { cpu } from '../train/helpers.js';
import { postJson } from './helpers.js';

before(cpu);

const DIM = 8;

test('entangle serve RUN_DIR: scores over HTTP equal the model\'s, ranked; health shows the manifest', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'entangle-serve-run-'));
  const rm = buildRerankerModel(resolveRerankerConfig({ hidden: [16], qubits: 2, encodingLayers: 1, depth: 1 }), DIM, 7);
  saveReranker(rm.model, dir, { configHash: 'c0ffee', name: 'tiny', embedder: { kind: 'file', id: 'test-8d', path: '/private/emb.npy' }, embeddingDim: DIM, data: { dir: '/private/data', fingerprint: 'f1' }, reranker: rm.config, evaluation: { firstStage: 'bm25', k: 100 } });

  const rng = new Rng(3);
  const vector = () => Array.from({ length: DIM }, () => rng.normal());
  const query = vector();
  const docs = Array.from({ length: 6 }, vector);
  const q = tf.tensor2d([query]);
  const d = tf.tensor2d(docs);
  const modelScores = Array.from(rm.scores(q, d, false).dataSync());
  tf.dispose([q, d]);
  rm.model.dispose();

  const child = spawn(process.execPath, ['bin/entangle.js', 'serve', dir, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c) => (stdout += c));
  child.stderr.on('data', (c) => (stderr += c));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  try {
    const end = Date.now() + 90_000;
    let url: string | undefined;
    while (!(url = /^listening on (http:\/\/127\.0\.0\.1:\d+)/m.exec(stdout)?.[1])) {
      assert.ok(child.exitCode === null && Date.now() < end, `the server did not start: ${stderr}`);
      await new Promise((r) => setTimeout(r, 20));
    }

    const health = (await (await fetch(`${url}/health`)).json()) as any;
    assert.deepEqual([health.model.format, health.model.version, health.model.embedder, health.model.qubits, health.model.similarity], ['entangle-reranker', 1, 'test-8d', 2, 'fidelity']);
    assert.equal(health.embedding_dim, DIM);
    assert.doesNotMatch(JSON.stringify(health), /private/);

    const res = await postJson(url, { query_embedding: query, candidates: docs.map((embedding, i) => ({ id: `d${i}`, embedding })) });
    assert.equal(res.status, 200);
    const expected = modelScores.map((score, i) => ({ id: `d${i}`, score })).sort((a, b) => b.score - a.score);
    assert.deepEqual(res.body.results.map((r: { id: string }) => r.id), expected.map((e) => e.id));
    res.body.results.forEach((r: { score: number }, i: number) => {
      assert.ok(Math.abs(r.score - expected[i].score) < 1e-4, `${r.score} vs ${expected[i].score}`);
      assert.ok(r.score >= 0 && r.score <= 1, 'r.score >= 0 && r.score <= 1');
    });

    const text = await postJson(url, { query: 'a question', candidates: [{ id: 'a', text: 'an answer' }] });
    assert.deepEqual([text.status, text.body.error.code], [400, 'E_NO_TEXT_EMBEDDER']);
    assert.match(text.body.error.message, /send "query_embedding" and candidate "embedding" arrays of 8 numbers/);

    child.kill('SIGTERM');
    assert.equal(await exited, 0, stderr);
  } finally {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
});

test('entangle serve on a folder that is not a reranker run: the loader\'s reason, exit 1', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'entangle-serve-empty-'));
  try {
    const child = spawn(process.execPath, ['bin/entangle.js', 'serve', dir, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c) => (stderr += c));
    const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
    assert.equal(code, 1);
    assert.match(stderr, /not a trained reranker run/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
