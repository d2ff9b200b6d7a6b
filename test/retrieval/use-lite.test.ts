// The built-in embedder on the real USE-lite weights (read offline from node_modules). One test:
// loading the model takes a few seconds.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { useLiteEmbedder } from '../../src/retrieval/index.js';

const cosine = (a: Float32Array, b: Float32Array) => {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  return dot / Math.sqrt(na * nb);
};

test('USE-lite: 512-dim vectors; cat is closer to kitten than to stocks; a vector does not depend on its batch; the caller\'s backend is kept', async () => {
  await tf.setBackend('cpu');
  const embedder = await useLiteEmbedder({ batchSize: 2 });
  assert.equal(embedder.dim, 512);
  assert.match(embedder.id, /^use-lite-512:@energetic-ai\/model-embeddings-en@\d/);
  const [cat, kitten, stocks] = await embedder.embed(['The cat sat on the mat.', 'A kitten is sleeping on the sofa.', 'Stock markets fell sharply today.']);
  assert.equal(cat.length, 512);
  const near = cosine(cat, kitten);
  const far = cosine(cat, stocks);
  assert.ok(near > far + 0.2, `cat/kitten ${near.toFixed(3)} should exceed cat/stocks ${far.toFixed(3)} clearly`);
  const maxDiff = (a: Float32Array, b: Float32Array) => Math.max(...a.map((v, i) => Math.abs(v - b[i])));
  // Batches are formed by length (cat + kitten, then stocks, at batchSize 2): alone or in another
  // batch, the same vector; and the vectors come back in the order of the texts asked for.
  const [alone] = await embedder.embed(['A kitten is sleeping on the sofa.']);
  assert.ok(maxDiff(alone, kitten) < 1e-5, 'maxDiff(alone, kitten) < 1e-5');
  const reversed = await embedder.embed(['Stock markets fell sharply today.', 'A kitten is sleeping on the sofa.', 'The cat sat on the mat.']);
  [stocks, kitten, cat].forEach((v, i) => assert.ok(maxDiff(reversed[i], v) < 1e-5, `text ${i} came back out of order`));
  assert.deepEqual(await embedder.embed([]), []);
  assert.equal(tf.getBackend(), 'cpu', 'the embedder ran on wasm and switched back');
});
