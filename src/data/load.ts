// From the `data` section of a config to standardized train/validation/test sets: load or
// generate the rows, split them (from a seed or a saved split.json), fit the standardizer on
// the training rows only, apply it to all three.

import { isAbsolute, resolve } from 'node:path';
import { loadCsv } from './csv.js';
import { subset, type Dataset } from './dataset.js';
import { dataFingerprint, loadSplit, makeSplit, SplitError, type SplitIndices, type SplitSizes } from './split.js';
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

export interface CsvDataConfig {
  type: 'csv';
  /** Relative paths are resolved against the config file's folder. */
  path: string;
  label: string;
  features?: string[];
  delimiter?: string;
}

export interface SplitConfig extends SplitSizes {
  /** Seed of the split; default: the data seed. */
  seed?: number;
  /** Reuse a saved split.json instead of drawing one (relative to the config file's folder). */
  file?: string;
}

export type DataConfig = (SyntheticDataConfig | CsvDataConfig) & {
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
  return makeSynthetic(config.type, {
    samples: config.samples,
    noise: config.noise,
    noiseFeatures: config.noiseFeatures,
    factor: config.factor,
    classes: config.classes,
    turns: config.turns,
    seed: config.seed ?? seed,
  });
}

/**
 * Load, split and standardize. `split` (when given) overrides the config's own: `compare` passes
 * the first run's split so that every model sees the same rows.
 */
export function prepareData(config: DataConfig, seed: number, baseDir = '.', split?: SplitIndices): PreparedData {
  const dataset = loadDataset(config, seed, baseDir);
  const chosen =
    split ??
    (config.split.file ? loadSplit(resolvePath(config.split.file, baseDir), dataset) : makeSplit(dataset, config.split, config.split.seed ?? config.seed ?? seed));
  if (split) {
    // Validates a split handed in by a caller against this dataset, as a loaded file would be.
    if (split.numSamples !== dataset.numSamples) throw new SplitError(`the shared split was made for ${split.numSamples} rows, this dataset has ${dataset.numSamples}`);
    if (split.dataFingerprint !== dataFingerprint(dataset)) throw new SplitError('the shared split was made for other data (its data fingerprint differs from this dataset\'s)');
  }
  const standardizer = config.standardize === false ? null : fitStandardizer(dataset, chosen.train);
  const scaled = standardizer ? applyStandardizer(dataset, standardizer) : dataset;
  return {
    dataset,
    split: chosen,
    standardizer,
    train: subset(scaled, chosen.train),
    val: subset(scaled, chosen.val),
    test: subset(scaled, chosen.test),
  };
}

function resolvePath(path: string, baseDir: string): string {
  return isAbsolute(path) ? path : resolve(baseDir, path);
}
