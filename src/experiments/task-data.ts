// A prepared split as the tensors its training task takes: LabeledTensors (class indices) for
// classification, RegressionTensors (the label column's numbers as [n, 1] targets) for
// regression.

import * as tf from '@tensorflow/tfjs';
import { sampleShape, toTensors, type Dataset } from '../data/dataset.js';
import type { LabeledTensors } from '../train/tasks/classification.js';
import type { TaskKind } from '../train/tasks/from-config.js';
import type { RegressionTensors } from '../train/tasks/regression.js';

export type TaskTensors = LabeledTensors | RegressionTensors;

export function taskTensors(kind: TaskKind, ds: Dataset): TaskTensors {
  return kind === 'regression' ? regressionTensors(ds) : toTensors(ds);
}

/**
 * The label column as numbers. Loaders hand labels over as indices into classNames, which hold
 * the column's text; for regression that text must be a number in every row.
 */
export function regressionTargets(ds: Pick<Dataset, 'labels' | 'classNames'>): Float32Array {
  const values = ds.classNames.map(Number);
  const bad = ds.classNames.filter((_, k) => !Number.isFinite(values[k]));
  if (bad.length > 0) {
    throw new Error(`training.task regression needs a numeric label column, but it holds ${bad.slice(0, 3).map((b) => `"${b}"`).join(', ')}${bad.length > 3 ? ` and ${bad.length - 3} more` : ''} (choose a numeric data.label, or train with training.task: classification)`);
  }
  return Float32Array.from(ds.labels, (k) => values[k]);
}

function regressionTensors(ds: Dataset): RegressionTensors {
  const y = regressionTargets(ds);
  return { x: tf.tensor(ds.features, [ds.numSamples, ...sampleShape(ds)], 'float32'), y: tf.tensor2d(y, [ds.numSamples, 1], 'float32') };
}
