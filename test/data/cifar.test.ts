// CIFAR-10 binary loader on small files in the real record format (no CIFAR data ships here).

import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataFileError } from '../../src/data/idx.js';
import { CIFAR10_LABELS, loadCifar10, parseCifarRecords } from '../../src/data/cifar.js';
import { cifarPixel, cifarRecords, tempDir, writeCifarDir } from './fixtures.js';

const root = tempDir('cifar-tests');
after(() => rmSync(root, { recursive: true, force: true }));
let k = 0;
const fresh = () => join(root, `d${k++}`);

test('records become NHWC float32 in [0, 1], channel-major planes interleaved', () => {
  const split = parseCifarRecords(cifarRecords(4, 2), 'mem');
  assert.equal(split.count, 2);
  assert.deepEqual([...split.labels], [4, 5]);
  assert.equal(split.images.length, 2 * 32 * 32 * 3);
  for (const [n, y, x, c] of [[0, 0, 0, 0], [0, 0, 0, 2], [1, 5, 7, 1], [1, 31, 31, 2]]) {
    const got = split.images[((n * 32 + y) * 32 + x) * 3 + c];
    assert.ok(Math.abs(got - cifarPixel(4 + n, c, y * 32 + x) / 255) < 1e-7, `n${n} y${y} x${x} c${c}`);
  }
});

test('loads the six batch files, from the folder or its cifar-10-batches-bin/', () => {
  const dir = writeCifarDir(2, 3, fresh());
  const d = loadCifar10({ dir });
  assert.deepEqual([d.rows, d.cols, d.channels, d.classes], [32, 32, 3, 10]);
  assert.equal(d.train.count, 10);
  assert.equal(d.test.count, 3);
  assert.deepEqual([...d.train.labels], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  assert.deepEqual([...d.test.labels], [0, 1, 2]);
  // item 7 comes from data_batch_4.bin; its green value at (3, 4)
  assert.ok(Math.abs(d.train.images[((7 * 32 + 3) * 32 + 4) * 3 + 1] - cifarPixel(7, 1, 3 * 32 + 4) / 255) < 1e-7, 'Math.abs(d.train.images[((7 * 32 + 3) * 32 + 4) * 3 + 1] - cifarPixel(7, 1, 3 * 32 + 4)...');
  assert.deepEqual(d.labelNames, CIFAR10_LABELS);

  const parent = fresh();
  writeCifarDir(1, 1, join(parent, 'cifar-10-batches-bin'));
  const nested = loadCifar10({ dir: parent });
  assert.equal(nested.source, join(parent, 'cifar-10-batches-bin'));
  assert.equal(nested.train.count, 5);
});

test('limits take the first items and refuse more than there are', () => {
  const dir = writeCifarDir(2, 3, fresh());
  const d = loadCifar10({ dir, limitTrain: 3, limitTest: 2 });
  assert.equal(d.train.count, 3);
  assert.equal(d.train.images.length, 3 * 3072);
  assert.deepEqual([...d.train.labels], [0, 1, 2]);
  assert.equal(d.test.count, 2);
  assert.throws(() => loadCifar10({ dir, limitTrain: 11 }), /limitTrain is 11, but only 10 items are available/);
  assert.throws(() => loadCifar10({ dir, limitTest: -1 }), /limitTest must be a positive integer/);
});

test('clear errors: missing folder, missing files, wrong sizes, bad labels', () => {
  assert.throws(() => loadCifar10({ dir: join(root, 'absent') }), /CIFAR-10 folder .*absent does not exist/);
  const empty = fresh();
  mkdirSync(empty);
  assert.throws(() => loadCifar10({ dir: empty }), /no CIFAR-10 binary files \(expected data_batch_1.bin/);

  const partial = writeCifarDir(1, 1, fresh());
  unlinkSync(join(partial, 'data_batch_3.bin'));
  unlinkSync(join(partial, 'test_batch.bin'));
  assert.throws(() => loadCifar10({ dir: partial }), /missing CIFAR-10 file\(s\) data_batch_3.bin, test_batch.bin/);

  const cut = writeCifarDir(1, 1, fresh());
  const bad = join(cut, 'data_batch_2.bin');
  writeFileSync(bad, cifarRecords(0, 2).subarray(0, 5000));
  assert.throws(() => loadCifar10({ dir: cut }), (e: unknown) =>
    e instanceof DataFileError && e.file === bad && /size 5000 bytes is not a positive multiple of the 3073-byte/.test(e.message));

  const labelled = writeCifarDir(1, 1, fresh());
  const rec = cifarRecords(0, 1);
  rec[0] = 10;
  writeFileSync(join(labelled, 'test_batch.bin'), rec);
  assert.throws(() => loadCifar10({ dir: labelled }), /test_batch.bin: record 0 has label 10, not below 10/);
});
