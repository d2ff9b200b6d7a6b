// After a Quantum-Train run: export the generated classical network (a plain tfjs model in
// <run>/generated/) and measure it alone on the test set, next to the hybrid's numbers.

import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { Standardizer } from '../data/standardize.js';
import { exportGeneratedModel, generatedModel, quantumTrainCounts, quantumTrainParts } from '../models/quantum-train/model.js';
import type { QuantumTrainSummary } from '../report/summary.js';
import type { InputRescale } from '../models/quantum-train/target.js';
import type { Evaluation } from '../train/tasks/task.js';

export const GENERATED_DIR = 'generated';

/** The standardization as x·scale + offset when it is one scalar pair (grey images), else null. */
export function rescaleOf(standardizer: Standardizer | null | undefined): InputRescale | null {
  if (!standardizer) return { scale: 1, offset: 0 };
  if (standardizer.mean.length !== 1 || standardizer.std.length !== 1) return null;
  return { scale: 1 / standardizer.std[0], offset: -standardizer.mean[0] / standardizer.std[0] };
}

/**
 * For a Quantum-Train model: counts, the generated network's test metrics and (with `save`) its
 * export. Returns null for any other model.
 */
export async function finishQuantumTrain(
  model: tf.LayersModel,
  runDir: string,
  /** Scores a model on the run's test set (the run's task evaluation); null without a test set. */
  evaluateTest: ((model: tf.LayersModel) => Evaluation) | null,
  opts: { save?: boolean; standardizer?: Standardizer | null } = {},
): Promise<QuantumTrainSummary | null> {
  const parts = quantumTrainParts(model);
  if (!parts) return null;
  const save = opts.save ?? true;
  const rescale = rescaleOf(opts.standardizer);
  // Measured on the run's (standardized) test tensors, so without the Rescaling layer.
  const generated = generatedModel(model);
  let metrics: Evaluation | null;
  try {
    metrics = evaluateTest ? evaluateTest(generated) : null;
  } finally {
    generated.dispose();
  }
  if (save) (await exportGeneratedModel(model, join(runDir, GENERATED_DIR), { rescale: rescale && !(rescale.scale === 1 && rescale.offset === 0) ? rescale : undefined })).dispose();
  return {
    ...quantumTrainCounts(parts.qt),
    generated_test_accuracy: metrics?.accuracy ?? null,
    generated_test_loss: metrics?.loss ?? null,
    generated_dir: save ? GENERATED_DIR : null,
    generated_input: rescale ? 'raw' : 'standardized',
  };
}
