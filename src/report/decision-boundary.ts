// The grid behind a decision-boundary plot: a regular grid over the two informative features (in
// the data's original units), every other feature held at its training mean, standardized the
// way the model's inputs were, and classified by the model in one batch.

import * as tf from '@tensorflow/tfjs';
import type { Dataset } from '../data/dataset.js';
import type { Standardizer } from '../data/standardize.js';
import type { BoundaryGrid } from './plots.js';

export interface BoundaryInput {
  model: tf.LayersModel;
  /** Raw (unstandardized) rows: the grid spans them with a margin. */
  raw: Dataset;
  /** Rows used for feature means (training rows). */
  meanRows: ArrayLike<number>;
  /** Rows drawn on top of the grid (e.g. the test rows). */
  shownRows: ArrayLike<number>;
  standardizer: Standardizer | null;
  features: [number, number];
  resolution?: number;
}

export function decisionBoundaryGrid(input: BoundaryInput): BoundaryGrid {
  const { raw, standardizer, features } = input;
  const [fx, fy] = features;
  const d = raw.numFeatures;
  const res = input.resolution ?? 60;
  const mean = new Float64Array(d);
  for (let i = 0; i < input.meanRows.length; i++) for (let j = 0; j < d; j++) mean[j] += raw.features[input.meanRows[i] * d + j];
  for (let j = 0; j < d; j++) mean[j] /= Math.max(1, input.meanRows.length);
  const range = (f: number) => {
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < raw.numSamples; i++) {
      lo = Math.min(lo, raw.features[i * d + f]);
      hi = Math.max(hi, raw.features[i * d + f]);
    }
    const margin = 0.1 * (hi - lo || 1);
    return [lo - margin, hi + margin];
  };
  const [x0, x1] = range(fx);
  const [y0, y1] = range(fy);
  const step = { x: (x1 - x0) / res, y: (y1 - y0) / res };
  const inputs = new Float32Array(res * res * d);
  for (let a = 0; a < res; a++) {
    for (let b = 0; b < res; b++) {
      const row = (a * res + b) * d;
      for (let j = 0; j < d; j++) inputs[row + j] = mean[j];
      inputs[row + fx] = x0 + (a + 0.5) * step.x;
      inputs[row + fy] = y0 + (b + 0.5) * step.y;
      if (standardizer) for (let j = 0; j < d; j++) inputs[row + j] = (inputs[row + j] - standardizer.mean[j]) / standardizer.std[j];
    }
  }
  const [classes, probs] = tf.tidy(() => {
    const out = input.model.apply(tf.tensor2d(inputs, [res * res, d]), { training: false }) as tf.Tensor2D;
    const p = tf.softmax(out);
    return [p.argMax(1).dataSync(), p.max(1).dataSync()];
  });
  const cells: BoundaryGrid['cells'] = [];
  for (let a = 0; a < res; a++) {
    for (let b = 0; b < res; b++) {
      const k = a * res + b;
      cells.push({ x: x0 + a * step.x, y: y0 + b * step.y, cls: classes[k], p: probs[k] });
    }
  }
  const points = Array.from(input.shownRows as ArrayLike<number>, (i) => ({ x: raw.features[i * d + fx], y: raw.features[i * d + fy], cls: raw.labels[i] }));
  return { cells, step, points, xName: raw.featureNames[fx], yName: raw.featureNames[fy], classNames: raw.classNames };
}
