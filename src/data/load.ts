// From the `data` section of a config to standardized train/validation/test sets: load or
// generate the rows, split them (from a seed or a saved split.json), fit the standardizer on
// the training rows only, apply it to all three.
//
// Image sets (mnist, fashion-mnist, cifar10, cifar100) come as one dataset of the official
// training images followed by the official test images, with samples shaped [28, 28, 1] or
// [32, 32, 3]; the split draws train and validation from the former and test from the latter (see
// split.ts). colour-shapes is generated (one pool, like the synthetic sets).

import { statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { join } from 'node:path';
import { cifarDir, CIFAR_TEST_FILE, CIFAR_TRAIN_FILES, loadCifar10 } from './cifar.js';
import { cifar100Dir, CIFAR100_TEST_FILE, CIFAR100_TRAIN_FILE, loadCifar100 } from './cifar100.js';
import { makeColourShapes } from './colour-shapes.js';
import { loadCsv } from './csv.js';
import type { ImageDataset } from './images.js';
import { defaultDir, findIdxFile, loadMnist, type MnistKind } from './mnist.js';
import { subset, type Dataset } from './dataset.js';
import { isImageData, standardizedParts, syntheticDataset, type ColourShapesDataConfig, type ImageDataConfig, type SyntheticDataConfig } from './prepare.js';
import { dataFingerprint, loadSplit, makeSplit, SplitError, type SplitIndices, type SplitSizes } from './split.js';
import type { Standardizer } from './standardize.js';

export interface CsvDataConfig {
  type: 'csv';
  /** Relative paths are resolved against the config file's folder. */
  path: string;
  label: string;
  features?: string[];
  delimiter?: string;
}

export { IMAGE_DATA_TYPES, isImageData, type ColourShapesDataConfig, type ImageDataConfig, type SyntheticDataConfig } from './prepare.js';

export interface SplitConfig extends SplitSizes {
  /** Seed of the split; default: the data seed. */
  seed?: number;
  /** Reuse a saved split.json instead of drawing one (relative to the config file's folder). */
  file?: string;
}

/** A BEIR retrieval set (for model.reranker; prepared by experiments/ranking-run.ts, not here). */
export interface BeirDataConfig {
  type: 'beir';
  dir: string;
  /** builtin (USE-lite, disk-cached) or an embedding file with every query and document id. */
  embeddings: string;
  cacheDir?: string;
  firstStage?: 'bm25' | 'cosine';
  k?: number;
  trainSplit?: 'train' | 'dev';
  testSplit?: 'test' | 'dev';
}

export type DataConfig = (SyntheticDataConfig | CsvDataConfig | ImageDataConfig | ColourShapesDataConfig | BeirDataConfig) & {
  /** Seed of generation (synthetic) and of the split; default: the experiment seed. */
  seed?: number;
  split: SplitConfig;
  /** Standardize features with train-set statistics (default true). */
  standardize?: boolean;
};

export interface PreparedData {
  /** All rows as loaded, before standardization. */
  dataset: Dataset;
  split: SplitIndices;
  standardizer: Standardizer | null;
  train: Dataset;
  val: Dataset;
  test: Dataset;
}

export function loadDataset(config: DataConfig, seed: number, baseDir = '.'): Dataset {
  if (config.type === 'csv') {
    return loadCsv(resolvePath(config.path, baseDir), { label: config.label, features: config.features, delimiter: config.delimiter });
  }
  if (config.type === 'beir') throw new Error('data.type beir is a retrieval set, not rows of features: it trains a model.reranker');
  if (isImageData(config)) return loadImageDataset(config, config.dir === undefined ? undefined : resolvePath(config.dir, baseDir));
  if (config.type === 'colour-shapes') return makeColourShapes({ samples: config.samples, classes: config.classes, noise: config.noise, seed: config.seed ?? seed });
  return syntheticDataset(config, config.seed ?? seed);
}

/**
 * The last image set loaded, kept for the next request of the same files (compare trains several
 * models on one data set; reading and converting MNIST takes ~0.5-1 s). Keyed by the files'
 * paths, sizes and modification times. Datasets are never modified in place (subsets and
 * standardization copy), so sharing one is safe.
 */
let lastImages: { key: string; dataset: Dataset } | undefined;

function loadImageDataset(config: ImageDataConfig, dir: string | undefined): Dataset {
  const { type } = config;
  if ((type === 'cifar10' || type === 'cifar100') && dir === undefined) {
    throw new Error(`${type}: set data.dir to the folder holding the ${type === 'cifar10' ? `binary batches (${[...CIFAR_TRAIN_FILES, CIFAR_TEST_FILE].join(', ')})` : `binary files (${CIFAR100_TRAIN_FILE}, ${CIFAR100_TEST_FILE})`}; no copy ships with Entangle and nothing is downloaded`);
  }
  const folder = dir ?? defaultDir(type as MnistKind);
  let key: string | undefined;
  try {
    key = [type, config.labels ?? '', ...imageFiles(type, folder).map((f) => {
      const st = statSync(f);
      return `${f}:${st.size}:${st.mtimeMs}`;
    })].join('|');
  } catch {
    key = undefined; // missing files: let the loader report them
  }
  if (key !== undefined && lastImages?.key === key) return lastImages.dataset;
  const images =
    type === 'cifar10' ? loadCifar10({ dir: folder }) : type === 'cifar100' ? loadCifar100({ dir: folder, labels: config.labels }) : loadMnist({ kind: type, dir: folder });
  const dataset = imagesToDataset(images);
  if (key !== undefined) lastImages = { key, dataset };
  return dataset;
}

/** The files an image set is read from (what the cache is keyed by); throws when they cannot be found. */
function imageFiles(type: ImageDataConfig['type'], folder: string): string[] {
  if (type === 'cifar10') {
    const d = cifarDir(folder);
    return [...CIFAR_TRAIN_FILES, CIFAR_TEST_FILE].map((f) => join(d, f));
  }
  if (type === 'cifar100') {
    const d = cifar100Dir(folder);
    return [CIFAR100_TRAIN_FILE, CIFAR100_TEST_FILE].map((f) => join(d, f));
  }
  return (['train', 't10k'] as const).flatMap((p) => (['images', 'labels'] as const).map((w) => findIdxFile(folder, p, w)));
}

/** The official training images followed by the test images, as one dataset with a test pool. */
export function imagesToDataset(images: ImageDataset): Dataset {
  const { train, test, rows, cols, channels } = images;
  const d = rows * cols * channels;
  const features = new Float32Array((train.count + test.count) * d);
  features.set(train.images, 0);
  features.set(test.images, train.count * d);
  const labels = new Int32Array(train.count + test.count);
  labels.set(train.labels, 0);
  labels.set(test.labels, train.count);
  return {
    features,
    labels,
    numSamples: train.count + test.count,
    numFeatures: d,
    numClasses: images.classes,
    featureNames: [],
    classNames: [...images.labelNames],
    shape: [rows, cols, channels],
    testPoolStart: train.count,
  };
}

/**
 * Load, split and standardize. `split` (when given) overrides the config's own: `compare` passes
 * the first run's split so that every model sees the same rows.
 *
 * `transform` (when given) maps rows to the model's inputs (e.g. appends quantum channels). It is
 * applied after the split is drawn and checked against the loaded data, so models with and
 * without it share one split, and only to the split's rows (train, then val, then test, in one
 * call, so a costly transform runs on no row twice and on no row that is not used); `dataset` is
 * then those rows in that order, not the loaded rows.
 */
export function prepareData(config: DataConfig, seed: number, baseDir = '.', split?: SplitIndices, transform?: (rows: Dataset) => Dataset): PreparedData {
  const loaded = loadDataset(config, seed, baseDir);
  const chosen =
    split ??
    (config.split.file ? loadSplit(resolvePath(config.split.file, baseDir), loaded) : makeSplit(loaded, config.split, config.split.seed ?? config.seed ?? seed));
  if (split) {
    // Validates a split handed in by a caller against this dataset, as a loaded file would be.
    if (split.numSamples !== loaded.numSamples) throw new SplitError(`the shared split was made for ${split.numSamples} rows, this dataset has ${loaded.numSamples}`);
    if (split.dataFingerprint !== dataFingerprint(loaded)) throw new SplitError('the shared split was made for other data (its data fingerprint differs from this dataset\'s)');
  }
  let dataset = loaded;
  let rows = { train: chosen.train, val: chosen.val, test: chosen.test };
  if (transform) {
    const { train, val, test } = chosen;
    dataset = transform(subset(loaded, [...train, ...val, ...test]));
    const range = (from: number, count: number) => Array.from({ length: count }, (_, i) => from + i);
    rows = { train: range(0, train.length), val: range(train.length, val.length), test: range(train.length + val.length, test.length) };
  }
  return { dataset, split: chosen, ...standardizedParts(dataset, rows, config.standardize !== false) };
}

function resolvePath(path: string, baseDir: string): string {
  return isAbsolute(path) ? path : resolve(baseDir, path);
}
