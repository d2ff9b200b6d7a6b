// CIFAR-100 binary loader on small files in the real record format (coarse byte, fine byte,
// 3072 pixel bytes), written here; and the cifar10 / cifar100 / colour-shapes data types of a config.

import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadCifar100, parseCifar100Records } from '../../src/data/cifar100.js';
import { DataFileError } from '../../src/data/idx.js';
import { prepareData } from '../../src/data/load.js';
import { cifarPixel, tempDir, writeCifarDir } from './fixtures.js';

const root = tempDir('cifar100-tests');
after(() => rmSync(root, { recursive: true, force: true }));
let k = 0;
const fresh = () => join(root, `d${k++}`);

/** Records whose item i has coarse label i mod 20, fine label (7·i + 3) mod 100, pixels cifarPixel(i, c, p). */
function records(first: number, count: number): Buffer {
  const out = Buffer.alloc(count * 3074);
  for (let n = 0; n < count; n++) {
    const i = first + n;
    const rec = n * 3074;
    out[rec] = i % 20;
    out[rec + 1] = (7 * i + 3) % 100;
    for (let c = 0; c < 3; c++) for (let p = 0; p < 1024; p++) out[rec + 2 + c * 1024 + p] = cifarPixel(i, c, p);
  }
  return out;
}

function writeDir(train: number, test: number, dir = fresh()): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'train.bin'), records(0, train));
  writeFileSync(join(dir, 'test.bin'), records(1000, test));
  return dir;
}

test('records: fine or coarse label, pixels NHWC in [0, 1] from the channel-major planes', () => {
  const bytes = records(5, 3);
  const fine = parseCifar100Records(bytes, 'mem', 'fine');
  const coarse = parseCifar100Records(bytes, 'mem', 'coarse');
  assert.deepEqual([...fine.labels], [38, 45, 52]);
  assert.deepEqual([...coarse.labels], [5, 6, 7]);
  for (const [n, y, x, c] of [[0, 0, 0, 0], [1, 4, 9, 1], [2, 31, 31, 2]]) {
    const got = fine.images[((n * 32 + y) * 32 + x) * 3 + c];
    assert.ok(Math.abs(got - cifarPixel(5 + n, c, y * 32 + x) / 255) < 1e-7, `n${n} y${y} x${x} c${c}`);
  }
  assert.deepEqual(coarse.images, fine.images);
});

test('loads train.bin and test.bin (or cifar-100-binary/), 100 or 20 classes, names from the tarball\'s files', () => {
  const dir = writeDir(6, 2);
  const d = loadCifar100({ dir });
  assert.deepEqual([d.rows, d.cols, d.channels, d.classes, d.train.count, d.test.count], [32, 32, 3, 100, 6, 2]);
  assert.deepEqual([...d.test.labels], [(7 * 1000 + 3) % 100, (7 * 1001 + 3) % 100]);
  assert.equal(d.labelNames[42], '42');
  const parent = fresh();
  const nested = writeDir(2, 1, join(parent, 'cifar-100-binary'));
  writeFileSync(join(nested, 'coarse_label_names.txt'), Array.from({ length: 20 }, (_, i) => `super${i}`).join('\n') + '\n');
  const c = loadCifar100({ dir: parent, labels: 'coarse' });
  assert.equal(c.classes, 20);
  assert.equal(c.labelNames[3], 'super3');
  assert.deepEqual([...c.train.labels], [0, 1]);
});

test('errors say which file is missing and what the folder must hold; damaged records are refused', () => {
  assert.throws(() => loadCifar100({ dir: join(root, 'absent') }), /does not exist; data\.dir must name a folder holding train\.bin and test\.bin/);
  const empty = fresh();
  mkdirSync(empty);
  assert.throws(() => loadCifar100({ dir: empty }), /no CIFAR-100 binary files: the folder must hold train\.bin and test\.bin/);
  const onlyTrain = fresh();
  mkdirSync(onlyTrain);
  writeFileSync(join(onlyTrain, 'train.bin'), records(0, 1));
  assert.throws(() => loadCifar100({ dir: onlyTrain }), (e: unknown) => e instanceof DataFileError && e.file === join(onlyTrain, 'test.bin') && /missing/.test(e.message));
  const truncated = writeDir(2, 1);
  writeFileSync(join(truncated, 'train.bin'), records(0, 2).subarray(0, 3074 + 100));
  assert.throws(() => loadCifar100({ dir: truncated }), /train\.bin: size 3174 bytes is not a positive multiple of the 3074-byte CIFAR-100 record/);
  const badLabel = records(0, 2);
  badLabel[3074 + 1] = 100;
  assert.throws(() => parseCifar100Records(badLabel, 'f.bin'), /record 1 has fine label 100, not below 100/);
  const names = writeDir(1, 1);
  writeFileSync(join(names, 'fine_label_names.txt'), 'apple\npear\n');
  assert.throws(() => loadCifar100({ dir: names }), /fine_label_names\.txt: has 2 names, expected 100/);
});

test('config data types: cifar100 (labels coarse), cifar10, colour-shapes; test rows come from the test files', () => {
  const dir = writeDir(30, 10);
  const p = prepareData({ type: 'cifar100', dir, labels: 'coarse', split: { train: 20, val: 10, test: 10 }, standardize: false }, 1);
  assert.deepEqual([p.train.numSamples, p.val.numSamples, p.test.numSamples, p.dataset.numClasses], [20, 10, 10, 20]);
  assert.deepEqual(p.test.shape, [32, 32, 3]);
  assert.deepEqual([...p.test.labels].sort((a, b) => a - b), Array.from({ length: 10 }, (_, i) => (1000 + i) % 20).sort((a, b) => a - b));
  const c10 = prepareData({ type: 'cifar10', dir: writeCifarDir(4, 5, fresh()), split: { train: 15, val: 5, test: 5 } }, 1);
  assert.equal(c10.dataset.numClasses, 10);
  assert.equal(c10.standardizer?.channels, 3);
  assert.throws(() => prepareData({ type: 'cifar10', split: { train: 1, val: 0, test: 0 } }, 1), /set data\.dir to the folder holding the binary batches/);
  const shapes = prepareData({ type: 'colour-shapes', samples: 40, classes: 4, split: { train: 20, val: 10, test: 10 } }, 3);
  assert.deepEqual(shapes.dataset.classNames, ['disk', 'square', 'triangle', 'plus']);
});
