// What a training task hands the fused step (TrainingTask.fused): its batch and loss on plain
// arrays. Its own module, importing nothing of the tasks, so tasks/task.ts can name it.

import type { FusedBatchLoss } from './network.js';

/** An evaluation's numbers (tasks/task.ts Evaluation, written out to keep imports one way). */
export type FusedEvaluation = { loss: number } & Record<string, number>;

/** What a task gives the fused step (TrainingTask.fused): the batch and the loss on plain arrays. */
export interface FusedTaskHooks<D> {
  /** The rows' inputs, [rows, features] row-major float32; null: this data cannot (tfjs path). */
  inputs(data: D, rows: Int32Array): Float32Array | null;
  /** The batch loss of outputs [rows, outputSize], its gradient and statistics: batchLoss's bits. */
  loss(data: D, rows: Int32Array, outputs: Float32Array, outputSize: number): FusedBatchLoss;
  /**
   * evaluate() with the model's forward pass on plain arrays (`forward(x, rows)`: outputs
   * [rows, outputSize]); the same numbers bit for bit. Returns null where it cannot (tfjs then).
   */
  evaluate?(data: D, batchSize: number, forward: (x: Float32Array, rows: number) => Float32Array, outputSize: number): FusedEvaluation | null;
}

