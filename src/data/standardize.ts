// Standardization (zero mean, unit variance per feature) fitted on the training rows only, so no
// statistic of the validation or test rows leaks into training. Images are standardized per
// channel instead (one mean and deviation over all pixels of a channel, as is usual for MNIST),
// which keeps the image's spatial structure and cannot blow up near-constant border pixels.

import type { Dataset } from './dataset.js';

export interface Standardizer {
  mean: number[];
  /** Population standard deviation; a constant feature gets 1 so it passes through centred. */
  std: number[];
  /**
   * Per-channel statistics (image data, channels last): mean and std then have `channels`
   * entries and feature j uses entry j mod channels. Absent: one entry per feature.
   */
  channels?: number;
}

export function fitStandardizer(ds: Dataset, rows: ArrayLike<number>): Standardizer {
  const d = ds.numFeatures;
  if (rows.length === 0) throw new Error('fitStandardizer: no rows to fit on');
  if (ds.shape && ds.shape.length > 1) return fitPerChannel(ds, rows, ds.shape[ds.shape.length - 1]);
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

/** Mean and population deviation of each channel over all pixels of the given rows (float64 sums). */
function fitPerChannel(ds: Dataset, rows: ArrayLike<number>, channels: number): Standardizer {
  const d = ds.numFeatures;
  const sum = new Float64Array(channels);
  const sq = new Float64Array(channels);
  for (let i = 0; i < rows.length; i++) {
    const base = rows[i] * d;
    for (let j = 0; j < d; j++) sum[j % channels] += ds.features[base + j];
  }
  const count = (rows.length * d) / channels;
  const mean = Array.from(sum, (v) => v / count);
  for (let i = 0; i < rows.length; i++) {
    const base = rows[i] * d;
    for (let j = 0; j < d; j++) sq[j % channels] += (ds.features[base + j] - mean[j % channels]) ** 2;
  }
  const std = Array.from(sq, (v) => {
    const s = Math.sqrt(v / count);
    return s > 1e-12 ? s : 1;
  });
  return { mean, std, channels };
}

/** A copy of the dataset with every row standardized. */
export function applyStandardizer(ds: Dataset, s: Standardizer): Dataset {
  const d = ds.numFeatures;
  if (s.channels !== undefined) {
    if (s.mean.length !== s.channels || d % s.channels !== 0) throw new Error(`standardizer has ${s.channels} channels, which do not divide the dataset's ${d} features`);
    const features = new Float32Array(ds.features.length);
    const mean = Float64Array.from(s.mean);
    const inv = Float64Array.from(s.std, (v) => 1 / v);
    const c = s.channels;
    for (let i = 0; i < features.length; i++) features[i] = (ds.features[i] - mean[i % c]) * inv[i % c];
    return { ...ds, features };
  }
  if (s.mean.length !== d) throw new Error(`standardizer has ${s.mean.length} features, the dataset ${d}`);
  const features = new Float32Array(ds.features.length);
  for (let i = 0; i < ds.numSamples; i++) {
    for (let j = 0; j < d; j++) features[i * d + j] = (ds.features[i * d + j] - s.mean[j]) / s.std[j];
  }
  return { ...ds, features };
}
