// IDX reading on small files written to a temp dir: plain and gzipped, and each error case.

import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import {
  DataFileError, parseIdx, readIdxImages, readIdxLabels, readIdxPair,
} from '../../src/data/idx.js';
import { idxBytes, tempDir } from './fixtures.js';

const dir = tempDir('idx');
after(() => rmSync(dir, { recursive: true, force: true }));
function write(name: string, bytes: Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

const pixels = Array.from({ length: 3 * 2 * 4 }, (_, i) => (i * 11) % 256);
const images = idxBytes([3, 2, 4], pixels);
const labels = idxBytes([3], [7, 0, 9]);

test('reads images and labels, plain and gzipped (detected by content, not name)', () => {
  for (const [imgName, lblName, zip] of [['a-img', 'a-lbl', false], ['b-img.gz', 'b-lbl.gz', true], ['c-img', 'c-lbl', true]] as const) {
    const imgFile = write(imgName, zip ? gzipSync(images) : images);
    const lblFile = write(lblName, zip ? gzipSync(labels) : labels);
    const img = readIdxImages(imgFile);
    assert.deepEqual([img.count, img.rows, img.cols], [3, 2, 4]);
    assert.deepEqual([...img.pixels], pixels);
    assert.deepEqual([...readIdxLabels(lblFile)], [7, 0, 9]);
    const pair = readIdxPair(imgFile, lblFile, 10);
    assert.equal(pair.count, 3);
    assert.deepEqual([...pair.labels], [7, 0, 9]);
  }
});

test('parseIdx returns dims and data for any ubyte array', () => {
  const a = parseIdx(idxBytes([2, 3], [1, 2, 3, 4, 5, 6]), 'mem');
  assert.deepEqual(a.dims, [2, 3]);
  assert.deepEqual([...a.data], [1, 2, 3, 4, 5, 6]);
});

function throwsAbout(fn: () => unknown, file: string, pattern: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof DataFileError, `expected DataFileError, got ${String(e)}`);
    assert.ok(e.message.startsWith(`${file}: `), `message should name the file: ${e.message}`);
    assert.match(e.message, pattern);
    return true;
  });
}

test('wrong magic: a label file read as images and vice versa, and a non-IDX file', () => {
  const lbl = write('swap-lbl', labels);
  const img = write('swap-img', images);
  throwsAbout(() => readIdxImages(lbl), lbl, /wrong magic number 0x00000801 \(this is a label file\), expected 0x00000803/);
  throwsAbout(() => readIdxLabels(img), img, /wrong magic number 0x00000803 \(this is an image file\)/);
  const junk = write('junk', Buffer.from('hello world'));
  throwsAbout(() => readIdxImages(junk), junk, /wrong magic/);
  throwsAbout(() => parseIdx(Buffer.from('hello world'), 'junk'), 'junk', /not an IDX file/);
  throwsAbout(() => parseIdx(idxBytes([2], [0, 0, 0, 0, 0, 0, 0, 0], 0x0d), 'floats'), 'floats', /unsupported IDX element type 0d/);
});

test('truncated files: data, header, and gzipped data', () => {
  const short = write('short-img', images.subarray(0, images.length - 5));
  throwsAbout(() => readIdxImages(short), short, /truncated: header says 3x2x4 = 24 bytes of data, file has 19/);
  const header = write('header-img', images.subarray(0, 9));
  throwsAbout(() => readIdxImages(header), header, /truncated: 9 bytes, header for 3 dimensions needs 16/);
  const tiny = write('tiny', Buffer.from([0, 0]));
  throwsAbout(() => readIdxLabels(tiny), tiny, /truncated: 2 bytes/);
  const shortGz = write('short-img.gz', gzipSync(images.subarray(0, 20)));
  throwsAbout(() => readIdxImages(shortGz), shortGz, /truncated/);
  const brokenGz = write('broken.gz', gzipSync(images).subarray(0, 15));
  throwsAbout(() => readIdxImages(brokenGz), brokenGz, /corrupt gzip data/);
  const long = write('long-lbl', Buffer.concat([labels, Buffer.from([1, 2])]));
  throwsAbout(() => readIdxLabels(long), long, /2 unexpected bytes after the 3 data/);
});

test('missing file, count mismatch, out-of-range label', () => {
  const missing = join(dir, 'nope');
  throwsAbout(() => readIdxLabels(missing), missing, /file not found/);
  const img = write('pair-img', images);
  const lbl4 = write('pair-lbl4', idxBytes([4], [1, 2, 3, 4]));
  throwsAbout(() => readIdxPair(img, lbl4), lbl4, new RegExp(`holds 4 labels but ${img} holds 3 images`));
  const lblBad = write('pair-lbl-bad', idxBytes([3], [1, 12, 3]));
  throwsAbout(() => readIdxPair(img, lblBad, 10), lblBad, /label 12 at item 1 is not below 10/);
});
