// The scorer's two MLP paths: the tfjs encoder (wasm backend, float32 matrix products, what the
// trained model computes) and the plain-JS float64 loop. Same angles to float32 precision, same
// scores and so the same ranking, for every similarity; a saved reranker loaded while the wasm
// backend runs takes the fast path, and on the cpu backend the plain-JS one.

import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { resolveRerankerConfig } from '../../src/models/reranker/config.js';
import { loadReranker, loadScoringBackend } from '../../src/models/reranker/load.js';
import { buildRerankerModel } from '../../src/models/reranker/model.js';
import { saveReranker } from '../../src/models/reranker/saved.js';
import { PlainScorer, type ScorerWeights } from '../../src/models/reranker/scorer.js';
import { TfMlpEncoder } from '../../src/models/reranker/tf-encoder.js';
import { setupBackend } from '../../src/tf-kernels/backend.js';
import { Rng } from '../../src/util/random.js';

const D = 48;

function weightsOf(model: tf.LayersModel): ScorerWeights {
  const dense = model.layers.filter((l) => l.getClassName() === 'Dense').map((l) => {
    const [k, b] = l.getWeights();
    return { kernel: k.dataSync() as Float32Array, bias: b.dataSync() as Float32Array, inputs: k.shape[0], units: k.shape[1] as number };
  });
  const sim = model.getLayer('similarity').getWeights()[0];
  return { dense, similarity: sim ? (sim.dataSync() as Float32Array) : null };
}

const rows = (rng: Rng, n: number) => Array.from({ length: n }, () => Float32Array.from({ length: D }, () => rng.normal()));

test('the tfjs MLP (wasm) and the plain-JS MLP give the same angles and scores, for every similarity', async () => {
  await setupBackend('wasm');
  const rng = new Rng(11);
  for (const similarity of ['fidelity', 'cosine', 'bilinear'] as const) {
    const config = resolveRerankerConfig({ similarity, hidden: [32, 16], qubits: 3, outputDim: 9, angleScale: 2 });
    const rm = buildRerankerModel(config, D, 5);
    const w = weightsOf(rm.model);
    const js = new PlainScorer(config, w);
    const fast = new PlainScorer(config, w, new TfMlpEncoder(w.dense));
    assert.deepEqual([js.mlpPath, fast.mlpPath], ['js', 'tfjs']);
    const batch = rows(rng, 17);
    const a = js.encode(batch);
    const b = fast.encode(batch);
    assert.equal(b.length, a.length);
    let spread = 0;
    for (let k = 0; k < a.length; k++) {
      assert.ok(Math.abs(a[k] - b[k]) <= 1e-5 * (1 + Math.abs(a[k])), `${similarity} output ${k}: ${a[k]} vs ${b[k]}`);
      spread = Math.max(spread, Math.abs(a[k]));
    }
    assert.ok(spread > 0.05, 'the outputs are not all near zero (the comparison sees the weights)');
    const [q, ...docs] = batch;
    const sa = js.score(q, docs);
    const sb = fast.score(q, docs);
    for (let j = 0; j < docs.length; j++) assert.ok(Math.abs(sa[j] - sb[j]) < 1e-5, `${similarity} doc ${j}: ${sa[j]} vs ${sb[j]}`);
    // The same scores as the tfjs model itself (layers + similarity op).
    const model = rm.scores(tf.tensor2d(q, [1, D]), tf.tensor2d(Float32Array.from(docs.flatMap((d) => [...d])), [docs.length, D]), false).dataSync();
    for (let j = 0; j < docs.length; j++) assert.ok(Math.abs(model[j] - sb[j]) < 1e-5, `${similarity} doc ${j} vs the model: ${model[j]} vs ${sb[j]}`);
    fast.dispose();
    rm.model.dispose();
  }
});

test('a loaded reranker scores through tfjs when the wasm backend runs, through plain JS on cpu, with the same scores', async () => {
  const config = resolveRerankerConfig({ hidden: [16], qubits: 2, depth: 1 });
  await setupBackend('cpu');
  const rm = buildRerankerModel(config, D, 3);
  const dir = mkdtempSync(join(tmpdir(), 'rr-scorer-'));
  saveReranker(rm.model, dir, { configHash: 'h', name: 't', embedder: { kind: 'file', id: 'test', path: 'x.npy' }, embeddingDim: D, data: { dir: 'd', fingerprint: 'f' }, reranker: rm.config, evaluation: { firstStage: 'cosine', k: 10 } });
  const [q, ...docs] = rows(new Rng(4), 9);
  const onCpu = await loadReranker(dir);
  assert.equal(onCpu.mlpPath, 'js');
  await loadScoringBackend();
  assert.equal(tf.getBackend(), 'wasm');
  const onWasm = await loadReranker(dir);
  const forcedJs = await loadReranker(dir, { mlp: 'js' });
  assert.deepEqual([onWasm.mlpPath, forcedJs.mlpPath], ['tfjs', 'js']);
  const a = onCpu.score(q, docs);
  const b = onWasm.score(q, docs);
  assert.deepEqual([...forcedJs.score(q, docs)], [...a], 'the plain-JS path does not depend on the backend');
  for (let j = 0; j < docs.length; j++) assert.ok(Math.abs(a[j] - b[j]) < 1e-5, `doc ${j}: ${a[j]} vs ${b[j]}`);
});

test('residual λ: scores (s + λ·(cos + 1)/2) / (1 + λ) as the model computes them; a large λ ranks by the embeddings\' cosine', async () => {
  await setupBackend('wasm');
  const rng = new Rng(21);
  const [q, ...docs] = rows(rng, 13);
  // The embeddings' cosine, written out here.
  const cos = docs.map((d) => {
    let ab = 0;
    let aa = 0;
    let bb = 0;
    for (let k = 0; k < D; k++) {
      ab += q[k] * d[k];
      aa += q[k] ** 2;
      bb += d[k] ** 2;
    }
    return ab / Math.sqrt(aa * bb);
  });
  for (const similarity of ['fidelity', 'bilinear'] as const) {
    const base = resolveRerankerConfig({ similarity, hidden: [16], qubits: 2, depth: 1 });
    const rm0 = buildRerankerModel(base, D, 9);
    const w = weightsOf(rm0.model);
    const plain = new PlainScorer(base, w).score(q, docs);
    for (const lambda of [0.5, 3]) {
      const config = { ...base, residual: lambda };
      const rm = buildRerankerModel(config, D, 9); // the same seed: the same weights as rm0
      const expected = plain.map((s, j) => (s + (lambda * (cos[j] + 1)) / 2) / (1 + lambda));
      const viaModel = rm.scores(tf.tensor2d(q, [1, D]), tf.tensor2d(Float32Array.from(docs.flatMap((d) => [...d])), [docs.length, D]), false).dataSync();
      const viaScorer = new PlainScorer(config, weightsOf(rm.model)).score(q, docs);
      for (let j = 0; j < docs.length; j++) {
        assert.ok(Math.abs(viaScorer[j] - expected[j]) < 1e-9, `${similarity} λ=${lambda} doc ${j}: scorer ${viaScorer[j]} vs ${expected[j]}`);
        assert.ok(Math.abs(viaModel[j] - expected[j]) < 1e-5, `${similarity} λ=${lambda} doc ${j}: model ${viaModel[j]} vs ${expected[j]}`);
        assert.ok(viaScorer[j] >= 0 && viaScorer[j] <= 1, 'viaScorer[j] >= 0 && viaScorer[j] <= 1');
      }
      rm.model.dispose();
    }
    const big = new PlainScorer({ ...base, residual: 1e6 }, w).score(q, docs);
    const order = (v: ArrayLike<number>) => Array.from(v, (_, j) => j).sort((a, b) => v[b] - v[a]);
    assert.deepEqual(order(big), order(cos), `${similarity}: λ = 1e6 ranks by cosine`);
    rm0.model.dispose();
  }
});
