// One training epoch: the seeded shuffle of the task's examples, then one step per batch
// (forward, loss, gradients, clipping, optimizer update) with the batch's loss, statistics and
// gradient norm read back once per step.

import * as tf from '@tensorflow/tfjs';
import { clipByGlobalNorm } from './clip.js';
import { clipScale, scaled } from './fused-step/float32-ops.js';
import type { FusedTrainer, FusedTrainStep } from './fused-step/index.js';
import { RunningMean } from './metrics.js';
import type { Optimizer } from './optimizers.js';
import type { ProgressReporter } from './progress.js';
import type { LrSchedule } from './schedules.js';
import type { TrainingTask } from './tasks/task.js';
import { deriveSeed, Rng } from '../util/random.js';

/** Layers with per-step randomness implement this; the trainer calls it before every step. */
export interface StepSeeded {
  setTrainingStep(step: number): void;
}

export function isStepSeeded(layer: unknown): layer is StepSeeded {
  return typeof (layer as Partial<StepSeeded>).setTrainingStep === 'function';
}

/** Everything an epoch needs that stays the same from epoch to epoch. */
export interface EpochRunner<D> {
  model: tf.LayersModel;
  task: TrainingTask<D>;
  data: D;
  numExamples: number;
  optimizer: Optimizer;
  schedule: LrSchedule;
  variables: tf.Variable[];
  /** The optimizer's key of each variable, by tfjs variable name. */
  keyOfVariableName: ReadonlyMap<string, string>;
  clipNorm?: number;
  batchSize: number;
  stepsPerEpoch: number;
  epochs: number;
  seed: number;
  stepSeededLayers: StepSeeded[];
  /** The fused small-dense step for this model and task (train/fused-step), or null: tfjs only. */
  fused: FusedTrainer<D> | null;
  reporter: ProgressReporter;
  signal?: AbortSignal;
}

export interface EpochTotals {
  /** Mean training loss over the epoch's examples (batches weighted by size). */
  loss: number;
  /** The task's trainMetrics over the epoch's batches. */
  metrics: Record<string, number>;
  gradNorm: number;
  gradNormMax: number;
  /** The schedule's factor of the epoch's last update. */
  factor: number;
}

/** Run epoch `epoch` (0-based); null when the signal aborted it before its last step. */
export function runEpoch<D>(r: EpochRunner<D>, epoch: number): EpochTotals | null {
  const order = new Rng(deriveSeed(r.seed, 'shuffle', epoch)).permutation(r.numExamples);
  const lossMean = new RunningMean();
  const metrics = r.task.newAccumulator();
  let normSum = 0;
  let normMax = 0;
  let factor = 1;
  for (let b = 0; b < r.stepsPerEpoch; b++) {
    if (r.signal?.aborted) return null;
    const step = epoch * r.stepsPerEpoch + b;
    const rows = order.subarray(b * r.batchSize, Math.min(r.numExamples, (b + 1) * r.batchSize));
    for (const layer of r.stepSeededLayers) layer.setTrainingStep(step);
    factor = r.schedule.factor(step, epoch);
    const result = trainStep(r, rows, factor);
    lossMean.add(result.loss, rows.length);
    metrics.add(result.stats, rows.length);
    normSum += result.norm;
    normMax = Math.max(normMax, result.norm);
    r.reporter.onBatchEnd?.({ epoch: epoch + 1, epochs: r.epochs, step: b + 1, stepsPerEpoch: r.stepsPerEpoch, loss: lossMean.mean });
  }
  return { loss: lossMean.mean, metrics: metrics.result(), gradNorm: normSum / r.stepsPerEpoch, gradNormMax: normMax, factor };
}

interface StepNumbers {
  loss: number;
  stats: Record<string, ArrayLike<number>>;
  norm: number;
}

/** One optimizer step on the examples `rows`; every tensor it makes is freed before it returns. */
function trainStep<D>(r: EpochRunner<D>, rows: Int32Array, factor: number): StepNumbers {
  if (r.fused?.active) {
    const step = r.fused.step(r.data, rows, r.variables);
    if (step) return applyFusedStep(r, step, factor);
  }
  return tfjsTrainStep(r, rows, factor);
}

/** The fused step's gradients clipped (as clipByGlobalNorm) and applied. */
function applyFusedStep<D>(r: EpochRunner<D>, step: FusedTrainStep, factor: number): StepNumbers {
  const clip = r.clipNorm !== undefined && Number.isFinite(r.clipNorm);
  if (clip && !((r.clipNorm as number) > 0)) throw new RangeError(`clip norm must be > 0, got ${r.clipNorm}`);
  const scale = clip ? clipScale(step.norm, r.clipNorm as number) : 1;
  const byKey = new Map<string, Float32Array>();
  for (const [v, g] of step.grads) byKey.set(r.keyOfVariableName.get(v.name) ?? v.name, clip ? scaled(g, scale) : g);
  r.optimizer.applyGradientArrays(byKey, factor);
  return { loss: step.loss, stats: step.stats, norm: step.norm };
}

/** The step op by op on tfjs: the batch, variableGrads over the task's loss, clipping, the update. */
function tfjsTrainStep<D>(r: EpochRunner<D>, rows: Int32Array, factor: number): StepNumbers {
  const [lossT, normT, stats] = tf.tidy((): [tf.Scalar, tf.Tensor, Record<string, tf.Tensor>] => {
    const batch = r.task.makeBatch(r.data, rows);
    let kept: Record<string, tf.Tensor> = {};
    const { value, grads } = tf.variableGrads(() => {
      const out = r.task.batchLoss(r.model, batch);
      // Kept past variableGrads' own tidy; the outer tidy returns them and they are freed below.
      kept = Object.fromEntries(Object.entries(out.stats).map(([k, t]) => [k, tf.keep(t)]));
      return out.loss;
    }, r.variables);
    const byKey = new Map<string, tf.Tensor>();
    for (const [name, g] of Object.entries(grads)) byKey.set(r.keyOfVariableName.get(name) ?? name, g);
    const clipped = clipByGlobalNorm(byKey, r.clipNorm);
    r.optimizer.applyGradients(clipped.grads, factor);
    return [value, clipped.norm, kept];
  });
  const loss = lossT.dataSync()[0];
  const values = Object.fromEntries(Object.entries(stats).map(([k, t]) => [k, t.dataSync()]));
  const norm = normT.dataSync()[0];
  tf.dispose([lossT, normT, ...Object.values(stats)]);
  return { loss, stats: values, norm };
}
