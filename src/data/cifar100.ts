// CIFAR-100, binary version (cifar-100-binary.tar.gz from https://www.cs.toronto.edu/~kriz/cifar.html):
// train.bin (50,000 records) and test.bin (10,000). A record is 2 label bytes — the coarse label
// (one of 20 superclasses), then the fine label (one of 100 classes) — followed by the 3072 pixel
// bytes, red plane, green plane, blue plane, as in CIFAR-10. The tarball also holds
// fine_label_names.txt and coarse_label_names.txt (one name per line); when they are beside the
// .bin files the classes are named from them, otherwise by their index.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CIFAR_CHANNELS, CIFAR_SIDE } from './cifar.js';
import { DataFileError } from './idx.js';
import type { ImageDataset, ImageSplit } from './images.js';

export type Cifar100Labels = 'fine' | 'coarse';

const PLANE = CIFAR_SIDE * CIFAR_SIDE;
/** Bytes per record: coarse label + fine label + 3 colour planes. */
export const CIFAR100_RECORD_BYTES = 2 + CIFAR_CHANNELS * PLANE;
export const CIFAR100_TRAIN_FILE = 'train.bin';
export const CIFAR100_TEST_FILE = 'test.bin';
export const CIFAR100_CLASSES: Readonly<Record<Cifar100Labels, number>> = { fine: 100, coarse: 20 };
const NAME_FILES: Readonly<Record<Cifar100Labels, string>> = { fine: 'fine_label_names.txt', coarse: 'coarse_label_names.txt' };

export interface LoadCifar100Options {
  /** Folder with train.bin and test.bin, or the folder holding the tarball's cifar-100-binary/. */
  dir: string;
  /** Which label is the class: the 100 fine classes (default) or the 20 coarse superclasses. */
  labels?: Cifar100Labels;
}

/** Convert CIFAR-100 records (a whole file's bytes) to NHWC float32 images and the chosen labels. */
export function parseCifar100Records(bytes: Uint8Array, file: string, labels: Cifar100Labels = 'fine'): ImageSplit {
  if (bytes.length === 0 || bytes.length % CIFAR100_RECORD_BYTES !== 0) {
    throw new DataFileError(file, `size ${bytes.length} bytes is not a positive multiple of the ${CIFAR100_RECORD_BYTES}-byte CIFAR-100 record (coarse label + fine label + 3x32x32 pixels)`);
  }
  const count = bytes.length / CIFAR100_RECORD_BYTES;
  const images = new Float32Array(count * CIFAR_CHANNELS * PLANE);
  const out = new Uint8Array(count);
  const scale = 1 / 255;
  for (let n = 0; n < count; n++) {
    const rec = n * CIFAR100_RECORD_BYTES;
    const coarse = bytes[rec];
    const fine = bytes[rec + 1];
    if (coarse >= CIFAR100_CLASSES.coarse) throw new DataFileError(file, `record ${n} has coarse label ${coarse}, not below ${CIFAR100_CLASSES.coarse}`);
    if (fine >= CIFAR100_CLASSES.fine) throw new DataFileError(file, `record ${n} has fine label ${fine}, not below ${CIFAR100_CLASSES.fine}`);
    out[n] = labels === 'fine' ? fine : coarse;
    const base = n * CIFAR_CHANNELS * PLANE;
    for (let c = 0; c < CIFAR_CHANNELS; c++) {
      const src = rec + 2 + c * PLANE;
      for (let p = 0; p < PLANE; p++) images[base + p * CIFAR_CHANNELS + c] = bytes[src + p] * scale;
    }
  }
  return { images, labels: out, count };
}

/** The folder holding the .bin files: `dir` itself or `dir`/cifar-100-binary. */
export function cifar100Dir(dir: string): string {
  for (const d of [dir, join(dir, 'cifar-100-binary')]) {
    if (existsSync(join(d, CIFAR100_TRAIN_FILE)) || existsSync(join(d, CIFAR100_TEST_FILE))) return d;
  }
  if (!existsSync(dir)) throw new DataFileError(dir, `the CIFAR-100 folder does not exist; data.dir must name a folder holding ${CIFAR100_TRAIN_FILE} and ${CIFAR100_TEST_FILE} (from cifar-100-binary.tar.gz)`);
  throw new DataFileError(dir, `no CIFAR-100 binary files: the folder must hold ${CIFAR100_TRAIN_FILE} and ${CIFAR100_TEST_FILE} (from cifar-100-binary.tar.gz, possibly inside cifar-100-binary/)`);
}

function readRecords(file: string, labels: Cifar100Labels): ImageSplit {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    throw new DataFileError(file, `cannot read (${(e as Error).message})`);
  }
  return parseCifar100Records(bytes, file, labels);
}

/** Class names from the tarball's name file, or "0".."n−1" without it. */
function labelNames(dir: string, labels: Cifar100Labels): string[] {
  const n = CIFAR100_CLASSES[labels];
  const file = join(dir, NAME_FILES[labels]);
  if (!existsSync(file)) return Array.from({ length: n }, (_, i) => String(i));
  const names = readFileSync(file, 'utf8').split(/\r?\n/).map((s) => s.trim()).filter((s) => s.length > 0);
  if (names.length !== n) throw new DataFileError(file, `has ${names.length} names, expected ${n} (one ${labels} class name per line)`);
  return names;
}

/** Load CIFAR-100 from train.bin and test.bin in `opts.dir`, with fine (100) or coarse (20) classes. */
export function loadCifar100(opts: LoadCifar100Options): ImageDataset {
  const labels = opts.labels ?? 'fine';
  const dir = cifar100Dir(opts.dir);
  const missing = [CIFAR100_TRAIN_FILE, CIFAR100_TEST_FILE].filter((f) => !existsSync(join(dir, f)));
  if (missing.length > 0) {
    throw new DataFileError(join(dir, missing[0]), `missing: a CIFAR-100 folder must hold ${CIFAR100_TRAIN_FILE} and ${CIFAR100_TEST_FILE} (the binary version, cifar-100-binary.tar.gz)`);
  }
  return {
    train: readRecords(join(dir, CIFAR100_TRAIN_FILE), labels),
    test: readRecords(join(dir, CIFAR100_TEST_FILE), labels),
    rows: CIFAR_SIDE,
    cols: CIFAR_SIDE,
    channels: CIFAR_CHANNELS,
    classes: CIFAR100_CLASSES[labels],
    labelNames: labelNames(dir, labels),
    source: dir,
  };
}
