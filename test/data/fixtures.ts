// Small data files in the real formats, written by the data tests into temp dirs.

import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

/** IDX bytes: 00 00 <type> <ndim>, big-endian uint32 dims, then the data. */
export function idxBytes(dims: number[], data: Uint8Array | number[], type = 0x08): Buffer {
  const header = Buffer.alloc(4 + 4 * dims.length);
  header[2] = type;
  header[3] = dims.length;
  dims.forEach((d, i) => header.writeUInt32BE(d, 4 + 4 * i));
  return Buffer.concat([header, Buffer.from(data)]);
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `entangle-${prefix}-`));
}

/** Pixel value of item n at flat position p in the small MNIST-format fixtures. */
export const mnistPixel = (n: number, p: number): number => (n * 31 + p * 7) % 256;

export interface MnistFixture {
  dir: string;
  trainLabels: number[];
  testLabels: number[];
}

/**
 * A folder with the four MNIST files for `train` + `test` items of side x side pixels.
 * `style` picks the file names: standard, gzipped standard, or the dotted mirror spelling.
 */
export function writeMnistDir(
  train: number,
  test: number,
  opts: { style?: 'plain' | 'gz' | 'dotted'; side?: number; dir?: string } = {},
): MnistFixture {
  const dir = opts.dir ?? tempDir('mnist');
  mkdirSync(dir, { recursive: true });
  const side = opts.side ?? 28;
  const style = opts.style ?? 'plain';
  const name = (prefix: string, what: string, idx: string) =>
    (style === 'dotted' ? `${prefix}-${what}.${idx}-ubyte` : `${prefix}-${what}-${idx}-ubyte`) + (style === 'gz' ? '.gz' : '');
  const put = (file: string, bytes: Buffer) => writeFileSync(join(dir, file), style === 'gz' ? gzipSync(bytes) : bytes);
  const split = (prefix: string, count: number, offset: number) => {
    const px = new Uint8Array(count * side * side);
    for (let n = 0; n < count; n++) for (let p = 0; p < side * side; p++) px[n * side * side + p] = mnistPixel(n + offset, p);
    const labels = Array.from({ length: count }, (_, n) => (n + offset) % 10);
    put(name(prefix, 'images', 'idx3'), idxBytes([count, side, side], px));
    put(name(prefix, 'labels', 'idx1'), idxBytes([count], labels));
    return labels;
  };
  const trainLabels = split('train', train, 0);
  const testLabels = split('t10k', test, 1000);
  return { dir, trainLabels, testLabels };
}

/** Pixel byte of CIFAR record n, channel c (0 = red), position p in the 32x32 plane. */
export const cifarPixel = (n: number, c: number, p: number): number => (n * 13 + c * 101 + p * 3) % 256;

/** CIFAR-10 binary records numbered first..first+count-1, label = number % 10. */
export function cifarRecords(first: number, count: number): Buffer {
  const rec = 1 + 3 * 1024;
  const out = Buffer.alloc(count * rec);
  for (let k = 0; k < count; k++) {
    const n = first + k;
    out[k * rec] = n % 10;
    for (let c = 0; c < 3; c++) for (let p = 0; p < 1024; p++) out[k * rec + 1 + c * 1024 + p] = cifarPixel(n, c, p);
  }
  return out;
}

/** A folder with data_batch_1..5.bin (`perBatch` records each) and test_batch.bin. */
export function writeCifarDir(perBatch: number, test: number, dir = tempDir('cifar')): string {
  mkdirSync(dir, { recursive: true });
  for (let i = 1; i <= 5; i++) writeFileSync(join(dir, `data_batch_${i}.bin`), cifarRecords((i - 1) * perBatch, perBatch));
  writeFileSync(join(dir, 'test_batch.bin'), cifarRecords(1000, test));
  return dir;
}
