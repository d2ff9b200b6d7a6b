// What the training loop asks of a task (classification, regression, ranking, ...): how a batch
// is formed from the data, the loss, the metrics (names, direction, how training batches
// accumulate and how an evaluation computes them), and any state of its own that a checkpoint
// must carry. The loop (../trainer.ts) knows nothing else about the task: shuffling, stepping,
// clipping, schedules, early stopping, checkpoints and resume are the same for every task.
//
// Data is opaque to the loop: a task trains on "examples" 0..size(data)−1 (rows of a labeled
// set, (query, positive, negative) triplets of a retrieval set, ...), and the loop shuffles
// and batches those indices. Metric names appear in metrics.jsonl as train_<name> (accumulated
// over the epoch's training batches, a running value) and val_<name> (a post-epoch evaluation).

import type * as tf from '@tensorflow/tfjs';
import type { FusedTaskHooks } from '../fused-step/hooks.js';

export type MetricMode = 'min' | 'max';

export interface MetricSpec {
  name: string;
  /** Which way is better: early stopping and "best epoch" follow it. */
  mode: MetricMode;
}

/** Per-epoch accumulation of training batches' statistics into metrics. */
export interface MetricAccumulator {
  /** One batch: its statistics (read back from the tensors batchLoss returned) and its size. */
  add(stats: Readonly<Record<string, ArrayLike<number>>>, batchSize: number): void;
  /** The epoch's value of every one of the task's trainMetrics, by name. */
  result(): Record<string, number>;
}

export interface BatchLoss {
  /** Mean loss of the batch (what is differentiated). */
  loss: tf.Scalar;
  /** Statistics for the accumulator (any shape); the loop keeps, reads back and disposes them. */
  stats: Record<string, tf.Tensor>;
}

/** An evaluation's numbers: the loss and every one of the task's evalMetrics. */
export type Evaluation = { loss: number } & Record<string, number>;

export interface EpochStartContext<D> {
  /** 0-based epoch about to run. */
  epoch: number;
  model: tf.LayersModel;
  train: D;
}

export interface EpochEndContext {
  /** 0-based epoch just finished. */
  epoch: number;
  train: Record<string, number>;
  val: Evaluation | null;
}

export interface TrainingTask<D, B = unknown> {
  /** Names the task in messages ("classification", "regression", ...). */
  readonly name: string;
  /** Metrics accumulated over training batches (train_<name>); the loss is always reported. */
  readonly trainMetrics: readonly MetricSpec[];
  /** Metrics of evaluate() (val_<name>), besides the loss. */
  readonly evalMetrics: readonly MetricSpec[];
  /** What early stopping monitors when the config names nothing; default val_loss. */
  readonly defaultMonitor?: string;
  /** Number of training examples in `data` (what an epoch shuffles and batches). */
  size(data: D): number;
  /** Refuse data the task cannot train on, with a message naming the problem. */
  checkData?(data: D, role: 'train' | 'val'): void;
  /** The batch of examples `rows` (called inside the step's tf.tidy: tensors made here are freed). */
  makeBatch(data: D, rows: Int32Array): B;
  /** Forward pass in training mode, the loss and batch statistics (called under the gradient tape). */
  batchLoss(model: tf.LayersModel, batch: B): BatchLoss;
  /** A fresh accumulator for one epoch of training batches. */
  newAccumulator(): MetricAccumulator;
  /** Loss and evalMetrics over a whole set, in inference mode; `batchSize` bounds memory. */
  evaluate(model: tf.LayersModel, data: D, batchSize: number): Evaluation;
  /** Called before each epoch's first batch (e.g. to mine hard negatives with the current model). */
  beginEpoch?(ctx: EpochStartContext<D>): void;
  /** Called after each epoch's evaluation, before its checkpoint (e.g. to adapt a margin). */
  endEpoch?(ctx: EpochEndContext): void;
  /**
   * makeBatch + batchLoss on plain arrays, for the fused small-dense step (train/fused-step): the
   * same loss, gradient and statistics bit for bit. Absent: every step runs on tfjs.
   */
  readonly fused?: FusedTaskHooks<D>;
  /** State of the task's own that later epochs depend on, as plain JSON, for checkpoints. */
  state?(): unknown;
  /** Put back what state() returned (on resume, or when an interrupted epoch is discarded). */
  restore?(state: unknown): void;
}

/** The loss is minimized; every task reports it for training and evaluation. */
const LOSS: MetricSpec = { name: 'loss', mode: 'min' };

/** Every name early stopping may monitor for this task, with its direction. */
export function monitorsOf(task: Pick<TrainingTask<never>, 'trainMetrics' | 'evalMetrics'>): Map<string, MetricMode> {
  const out = new Map<string, MetricMode>();
  for (const m of [LOSS, ...task.evalMetrics]) out.set(`val_${m.name}`, m.mode);
  for (const m of [LOSS, ...task.trainMetrics]) out.set(`train_${m.name}`, m.mode);
  return out;
}

/** The direction of `monitor` for this task; an unknown name is refused, listing the known ones. */
export function monitorModeFor(task: Pick<TrainingTask<never>, 'name' | 'trainMetrics' | 'evalMetrics'>, monitor: string): MetricMode {
  const modes = monitorsOf(task);
  const mode = modes.get(monitor);
  if (mode === undefined) {
    throw new Error(`early stopping monitors ${monitor}, which the ${task.name} task does not report (it reports ${[...modes.keys()].join(', ')}); set training.earlyStopping.monitor to one of them`);
  }
  return mode;
}
