// The generated colour-shapes set: seeded, balanced, images in [0, 1], and the class is carried by
// the shape, not by colour statistics.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { makeColourShapes } from '../../src/data/colour-shapes.js';

test('same seed, same images; another seed, other images; balanced classes, values in [0, 1]', () => {
  const a = makeColourShapes({ samples: 30, classes: 3, seed: 4 });
  const b = makeColourShapes({ samples: 30, classes: 3, seed: 4 });
  const c = makeColourShapes({ samples: 30, classes: 3, seed: 5 });
  assert.deepEqual(a.features, b.features);
  assert.notDeepEqual(a.features, c.features);
  assert.deepEqual(a.shape, [32, 32, 3]);
  assert.equal(a.features.length, 30 * 3072);
  assert.deepEqual([0, 1, 2].map((k) => a.labels.filter((l) => l === k).length), [10, 10, 10]);
  assert.ok(a.features.every((v) => v >= 0 && v <= 1), 'a.features.every((v) => v >= 0 && v <= 1)');
  assert.throws(() => makeColourShapes({ samples: 4, classes: 11, seed: 1 }), /classes must be an integer from 2 to 10/);
});

test('without noise an image holds exactly two colours: the background and the shape', () => {
  const d = makeColourShapes({ samples: 10, noise: 0, seed: 2 });
  for (let n = 0; n < 10; n++) {
    const colours = new Set<string>();
    for (let p = 0; p < 1024; p++) colours.add(Array.from(d.features.subarray(n * 3072 + p * 3, n * 3072 + p * 3 + 3)).join(','));
    assert.equal(colours.size, 2, `image ${n} (${d.classNames[d.labels[n]]})`);
  }
});

test('mean colour says little about the class: a nearest-class-mean rule on it stays near chance', () => {
  const train = makeColourShapes({ samples: 400, classes: 4, seed: 1 });
  const test_ = makeColourShapes({ samples: 400, classes: 4, seed: 2 });
  const meanColour = (d: typeof train, n: number) => [0, 1, 2].map((c) => {
    let s = 0;
    for (let p = 0; p < 1024; p++) s += d.features[n * 3072 + p * 3 + c];
    return s / 1024;
  });
  const centroids = [0, 1, 2, 3].map((k) => {
    const rows = [...train.labels.keys()].filter((n) => train.labels[n] === k).map((n) => meanColour(train, n));
    return [0, 1, 2].map((c) => rows.reduce((s, r) => s + r[c], 0) / rows.length);
  });
  let correct = 0;
  for (let n = 0; n < test_.numSamples; n++) {
    const m = meanColour(test_, n);
    const dist = centroids.map((ct) => ct.reduce((s, v, c) => s + (v - m[c]) ** 2, 0));
    if (dist.indexOf(Math.min(...dist)) === test_.labels[n]) correct++;
  }
  assert.ok(correct / test_.numSamples < 0.4, `accuracy ${correct / test_.numSamples} (chance 0.25)`);
});
