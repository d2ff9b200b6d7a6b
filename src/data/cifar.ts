// CIFAR-10, binary version (https://www.cs.toronto.edu/~kriz/cifar.html): data_batch_1.bin ..
// data_batch_5.bin (training) and test_batch.bin, 10,000 records each. A record is 1 label byte
// followed by 3072 pixel bytes: the 32x32 red plane, then green, then blue (channel-major).
// Nothing ships the data on this machine's package sources, so the user names the folder;
// the records are converted to NHWC float32 in [0, 1] to match the other image loaders.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataFileError } from './idx.js';
import { checkLimit, type ImageDataset, type ImageSplit } from './images.js';

export const CIFAR_SIDE = 32;
export const CIFAR_CHANNELS = 3;
const PLANE = CIFAR_SIDE * CIFAR_SIDE;
/** Bytes per record: label + 3 colour planes. */
export const CIFAR_RECORD_BYTES = 1 + CIFAR_CHANNELS * PLANE;
export const CIFAR_TRAIN_FILES: readonly string[] = [1, 2, 3, 4, 5].map((i) => `data_batch_${i}.bin`);
export const CIFAR_TEST_FILE = 'test_batch.bin';
export const CIFAR10_LABELS: readonly string[] = [
  'airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck',
];

export interface LoadCifarOptions {
  /** Folder with the .bin files, or the folder holding the tarball's cifar-10-batches-bin/. */
  dir: string;
  limitTrain?: number;
  limitTest?: number;
}

/** Convert CIFAR records (a whole file's bytes) to NHWC float32 images and labels. */
export function parseCifarRecords(bytes: Uint8Array, file: string, classes = 10): ImageSplit {
  if (bytes.length === 0 || bytes.length % CIFAR_RECORD_BYTES !== 0) {
    throw new DataFileError(file, `size ${bytes.length} bytes is not a positive multiple of the ` +
      `${CIFAR_RECORD_BYTES}-byte CIFAR-10 record (1 label + 3x32x32 pixels)`);
  }
  const count = bytes.length / CIFAR_RECORD_BYTES;
  const images = new Float32Array(count * CIFAR_CHANNELS * PLANE);
  const labels = new Uint8Array(count);
  const scale = 1 / 255;
  for (let n = 0; n < count; n++) {
    const rec = n * CIFAR_RECORD_BYTES;
    const label = bytes[rec];
    if (label >= classes) throw new DataFileError(file, `record ${n} has label ${label}, not below ${classes}`);
    labels[n] = label;
    const out = n * CIFAR_CHANNELS * PLANE;
    for (let c = 0; c < CIFAR_CHANNELS; c++) {
      const src = rec + 1 + c * PLANE;
      for (let p = 0; p < PLANE; p++) images[out + p * CIFAR_CHANNELS + c] = bytes[src + p] * scale;
    }
  }
  return { images, labels, count };
}

function readRecords(file: string): ImageSplit {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    throw new DataFileError(file, `cannot read (${(e as Error).message})`);
  }
  return parseCifarRecords(bytes, file);
}

/** Concatenate splits, keeping the first `limit` items (reading no more files than needed). */
function concat(parts: ImageSplit[], limit: number): ImageSplit {
  const per = CIFAR_CHANNELS * PLANE;
  const images = new Float32Array(limit * per);
  const labels = new Uint8Array(limit);
  let at = 0;
  for (const p of parts) {
    const take = Math.min(p.count, limit - at);
    images.set(p.images.subarray(0, take * per), at * per);
    labels.set(p.labels.subarray(0, take), at);
    at += take;
  }
  return { images, labels, count: limit };
}

/** Find the folder holding the .bin files: `dir` itself or `dir`/cifar-10-batches-bin. */
export function cifarDir(dir: string): string {
  for (const d of [dir, join(dir, 'cifar-10-batches-bin')]) {
    if (existsSync(join(d, CIFAR_TEST_FILE)) || existsSync(join(d, CIFAR_TRAIN_FILES[0]))) return d;
  }
  if (!existsSync(dir)) throw new Error(`CIFAR-10 folder ${dir} does not exist`);
  throw new Error(`${dir}: no CIFAR-10 binary files (expected ${[...CIFAR_TRAIN_FILES, CIFAR_TEST_FILE].join(', ')}, ` +
    'from cifar-10-binary.tar.gz, possibly inside cifar-10-batches-bin/)');
}

/** Load CIFAR-10 from the binary batch files in `opts.dir`. */
export function loadCifar10(opts: LoadCifarOptions): ImageDataset {
  checkLimit(opts.limitTrain, Infinity, 'limitTrain');
  checkLimit(opts.limitTest, Infinity, 'limitTest');
  const dir = cifarDir(opts.dir);
  const missing = [...CIFAR_TRAIN_FILES, CIFAR_TEST_FILE].filter((f) => !existsSync(join(dir, f)));
  if (missing.length > 0) throw new Error(`${dir}: missing CIFAR-10 file(s) ${missing.join(', ')}`);

  const trainParts: ImageSplit[] = [];
  let have = 0;
  const wanted = opts.limitTrain ?? Infinity;
  for (const f of CIFAR_TRAIN_FILES) {
    if (have >= wanted) break;
    const part = readRecords(join(dir, f));
    trainParts.push(part);
    have += part.count;
  }
  const trainCount = checkLimit(opts.limitTrain, have, 'limitTrain');
  const testAll = readRecords(join(dir, CIFAR_TEST_FILE));
  const testCount = checkLimit(opts.limitTest, testAll.count, 'limitTest');
  return {
    train: trainParts.length === 1 && trainCount === have ? trainParts[0] : concat(trainParts, trainCount),
    test: testCount === testAll.count ? testAll : concat([testAll], testCount),
    rows: CIFAR_SIDE,
    cols: CIFAR_SIDE,
    channels: CIFAR_CHANNELS,
    classes: CIFAR10_LABELS.length,
    labelNames: CIFAR10_LABELS,
    source: dir,
  };
}
