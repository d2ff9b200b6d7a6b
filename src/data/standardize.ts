// Standardization (zero mean, unit variance per feature) fitted on the training rows only, so no
// statistic of the validation or test rows leaks into training.

import type { Dataset } from './dataset.js';

export interface Standardizer {
  mean: number[];
  /** Population standard deviation; a constant feature gets 1 so it passes through centred. */
  std: number[];
}

export function fitStandardizer(ds: Dataset, rows: ArrayLike<number>): Standardizer {
  const d = ds.numFeatures;
  if (rows.length === 0) throw new Error('fitStandardizer: no rows to fit on');
  const mean = new Array<number>(d).fill(0);
  const sq = new Array<number>(d).fill(0);
  for (let i = 0; i < rows.length; i++) {
    const base = rows[i] * d;
    for (let j = 0; j < d; j++) mean[j] += ds.features[base + j];
  }
  for (let j = 0; j < d; j++) mean[j] /= rows.length;
  for (let i = 0; i < rows.length; i++) {
    const base = rows[i] * d;
    for (let j = 0; j < d; j++) sq[j] += (ds.features[base + j] - mean[j]) ** 2;
  }
  const std = sq.map((s) => {
    const v = Math.sqrt(s / rows.length);
    return v > 1e-12 ? v : 1;
  });
  return { mean, std };
}

/** A copy of the dataset with every row standardized. */
export function applyStandardizer(ds: Dataset, s: Standardizer): Dataset {
  const d = ds.numFeatures;
  if (s.mean.length !== d) throw new Error(`standardizer has ${s.mean.length} features, the dataset ${d}`);
  const features = new Float32Array(ds.features.length);
  for (let i = 0; i < ds.numSamples; i++) {
    for (let j = 0; j < d; j++) features[i * d + j] = (ds.features[i * d + j] - s.mean[j]) / s.std[j];
  }
  return { ...ds, features };
}

/** Standardize one raw feature row (prediction on new points, decision-boundary grids). */
export function standardizeRow(row: ArrayLike<number>, s: Standardizer): Float32Array {
  return Float32Array.from(s.mean, (m, j) => (row[j] - m) / s.std[j]);
}
