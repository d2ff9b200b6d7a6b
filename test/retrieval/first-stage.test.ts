// The first stages: BM25 against a hand computation on a 3-document corpus; cosine and top-k
// against a full sort (fast-check).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { bm25FirstStage, bm25Tokens, cosineFirstStage, topK } from '../../src/retrieval/index.js';

const corpus = [
  { id: 'd1', title: '', text: 'cat sat' },
  { id: 'd2', title: 'Cat', text: 'cat dog' },
  { id: 'd3', title: '', text: 'bird' },
];

test('tokens: lower case, split at non-letters and non-digits, stop words dropped', () => {
  assert.deepEqual(bm25Tokens("The Cat's-cradle, 3D! über and of"), ['cat', 's', 'cradle', '3d', 'über']);
});

test('BM25 scores equal the formula worked by hand (k1 = 1.2, b = 0.75)', () => {
  const index = bm25FirstStage(corpus, { k1: 1.2, b: 0.75 });
  // Lengths 2, 3, 1: avgdl 2. "cat" is in 2 of 3 docs: idf = ln(1 + 1.5 / 2.5) = ln 1.6.
  // d1: tf 1, K = 1.2 * (0.25 + 0.75 * 2/2) = 1.2    -> ln1.6 * 1 * 2.2 / (1 + 1.2)  = ln 1.6
  // d2: tf 2, K = 1.2 * (0.25 + 0.75 * 3/2) = 1.65   -> ln1.6 * 2 * 2.2 / (2 + 1.65) = ln1.6 * 4.4 / 3.65
  const cat = index.search('the cat', 10);
  assert.deepEqual(cat.docIds, ['d2', 'd1']);
  const close = (a: number, b: number) => assert.ok(Math.abs(a - b) < 1e-12, `${a} vs ${b}`);
  close(cat.scores[0], (Math.log(1.6) * 4.4) / 3.65);
  close(cat.scores[1], Math.log(1.6));
  // "dog" is in 1 doc: idf = ln(1 + 2.5 / 1.5) = ln(8/3); d2 adds ln(8/3) * 2.2 / (1 + 1.65).
  const catDog = index.search('cat dog', 1);
  assert.deepEqual(catDog.docIds, ['d2']);
  close(catDog.scores[0], (Math.log(1.6) * 4.4) / 3.65 + (Math.log(8 / 3) * 2.2) / 2.65);
  // A repeated query word counts twice; a word in no document matches nothing.
  close(index.search('dog dog', 5).scores[0], (2 * Math.log(8 / 3) * 2.2) / 2.65);
  assert.deepEqual(index.search('fish', 5), { docIds: [], scores: [] });
  // The index is reusable: a second search starts from zero.
  close(index.search('cat', 10).scores[1], Math.log(1.6));
});

test('BM25 options: b = 0 ignores length, defaults are k1 0.9 and b 0.4, bad values refused', () => {
  const flat = bm25FirstStage(corpus, { k1: 1.2, b: 0 });
  const hits = flat.search('cat', 10);
  assert.ok(Math.abs(hits.scores[1] - Math.log(1.6)) < 1e-12, 'Math.abs(hits.scores[1] - Math.log(1.6)) < 1e-12');
  assert.ok(Math.abs(hits.scores[0] - (Math.log(1.6) * 4.4) / 3.2) < 1e-12, 'Math.abs(hits.scores[0] - (Math.log(1.6) * 4.4) / 3.2) < 1e-12');
  const defaults = bm25FirstStage(corpus);
  assert.deepEqual([defaults.k1, defaults.b], [0.9, 0.4]);
  assert.throws(() => bm25FirstStage(corpus, { b: 1.5 }), /b must be a number from 0 to 1/);
  assert.throws(() => bm25FirstStage(corpus, { k1: -1 }), /k1 must be/);
  assert.throws(() => defaults.search('cat', 0), /k must be a whole number of at least 1/);
});

test('topK equals the first k of a full sort (score high to low, ties to the lower index)', () => {
  fc.assert(
    fc.property(fc.array(fc.integer({ min: -3, max: 3 }), { maxLength: 40 }), fc.integer({ min: 1, max: 45 }), (scores, k) => {
      const expected = scores.map((_, i) => i).sort((a, b) => scores[b] - scores[a] || a - b).slice(0, k);
      assert.deepEqual(topK(scores, k), expected);
    }),
    { numRuns: 300 },
  );
  assert.deepEqual(topK([1, 5, 3, 5], 2, [0, 2, 3]), [3, 2]);
});

test('cosine first stage: scores are cosines (scale-free), best first; dimension errors are named', () => {
  const index = cosineFirstStage(['a', 'b', 'c', 'z'], [new Float32Array([1, 0]), new Float32Array([3, 3]), new Float32Array([-1, -1]), new Float32Array([0, 0])]);
  const hits = index.search(new Float32Array([10, 0]), 4);
  assert.deepEqual(hits.docIds, ['a', 'b', 'z', 'c']);
  const want = [1, Math.SQRT1_2, 0, -Math.SQRT1_2];
  hits.scores.forEach((s, i) => assert.ok(Math.abs(s - want[i]) < 1e-6, `${s} vs ${want[i]}`));
  assert.throws(() => index.search(new Float32Array(3), 1), /3 dimensions, the documents 2/);
  assert.throws(() => cosineFirstStage(['a', 'b'], [new Float32Array(2), new Float32Array(3)]), /document "b" has 3 dimensions/);
  assert.throws(() => cosineFirstStage(['a'], []), /1 doc ids but 0 embeddings/);
});
