// After a Quantum-Train run: export the generated classical network (a plain tfjs model in
// <run>/generated/) and measure it alone on the test set, next to the hybrid's numbers.

import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { exportGeneratedModel, generatedModel, quantumTrainCounts, quantumTrainParts, type QuantumTrainCounts } from '../models/quantum-train/model.js';
import { evaluate, type LabeledTensors } from '../train/trainer.js';

export const GENERATED_DIR = 'generated';

export interface QuantumTrainSummary extends QuantumTrainCounts {
  /** Test accuracy of the generated network run alone (no quantum part); null without a test set. */
  generated_test_accuracy: number | null;
  generated_test_loss: number | null;
  /** Folder of the exported model, relative to the run folder; null when export is off. */
  generated_dir: string | null;
}

/**
 * For a Quantum-Train model: counts, the generated network's test metrics and (with `save`) its
 * export. Returns null for any other model.
 */
export async function finishQuantumTrain(
  model: tf.LayersModel,
  runDir: string,
  test: LabeledTensors | null,
  lossFn: (labels: tf.Tensor1D, outputs: tf.Tensor2D) => tf.Scalar,
  opts: { save?: boolean; evalBatchSize?: number } = {},
): Promise<QuantumTrainSummary | null> {
  const parts = quantumTrainParts(model);
  if (!parts) return null;
  const save = opts.save ?? true;
  const generated = save ? await exportGeneratedModel(model, join(runDir, GENERATED_DIR)) : generatedModel(model);
  try {
    const metrics = test && test.x.shape[0] > 0 ? evaluate(generated, test, lossFn, opts.evalBatchSize ?? 256) : null;
    return {
      ...quantumTrainCounts(parts.qt),
      generated_test_accuracy: metrics?.accuracy ?? null,
      generated_test_loss: metrics?.loss ?? null,
      generated_dir: save ? GENERATED_DIR : null,
    };
  } finally {
    generated.dispose();
  }
}
