// The fused small-dense training step (issue 14 §3): network.ts runs the network, float32-ops.ts
// the arithmetic; this module is the switch and what the epoch loop asks: can this run take the
// fused step, and one step of it.

import * as tf from '@tensorflow/tfjs';
import { globalNorm } from './float32-ops.js';
import { forward, fusedStep, planNetwork, type FusedNetwork } from './network.js';
import type { FusedTaskHooks, FusedEvaluation } from './hooks.js';

export { planNetwork, type BatchCircuitLayer, type FusedBatchLoss, type FusedNetwork } from './network.js';
export type { FusedEvaluation, FusedTaskHooks } from './hooks.js';

let enabled = true;

/**
 * On (default): on the cpu backend, models that planNetwork accepts train through the fused step,
 * with the same results bit for bit. Off: every step through tfjs (benchmarks and tests compare).
 */
export function setFusedSmallDenseStep(on: boolean): void {
  enabled = on;
}

export function fusedSmallDenseStepEnabled(): boolean {
  return enabled;
}

/** One step's numbers, as the tfjs path reads them back, and the gradients by variable. */
export interface FusedTrainStep {
  loss: number;
  stats: Record<string, ArrayLike<number>>;
  /** Gradients by variable, in the order of the variables asked for (only those with one). */
  grads: Map<tf.Variable, Float32Array>;
  /** Global L2 norm of the gradients before clipping (clip.ts globalNorm's bits). */
  norm: number;
}

/** A fused step for this model and task, or null (tfjs path) with nothing to say why. */
export class FusedTrainer<D> {
  private constructor(
    private readonly net: FusedNetwork,
    private readonly hooks: FusedTaskHooks<D>,
  ) {}

  /** A trainer when the model and task can take the fused step; else the reason they cannot. */
  static create<D>(model: tf.LayersModel, hooks: FusedTaskHooks<D> | undefined): FusedTrainer<D> | string {
    if (!hooks) return 'the task has no fused loss';
    const net = planNetwork(model);
    return typeof net === 'string' ? net : new FusedTrainer(net, hooks);
  }

  /** Whether this step can run now: switched on, on the cpu backend. */
  get active(): boolean {
    return enabled && tf.getBackend() === 'cpu';
  }

  /** The task's evaluation through the fused forward pass; null: use the task's own evaluate. */
  evaluate(data: D, batchSize: number): FusedEvaluation | null {
    if (!this.hooks.evaluate) return null;
    const forwardRows = (x: Float32Array, rows: number): Float32Array => {
      if (x.length !== rows * this.net.inputSize) throw new Error(`fused forward: ${x.length} inputs for ${rows} rows of ${this.net.inputSize}`);
      return forward(this.net, x, rows);
    };
    return this.hooks.evaluate(data, batchSize, forwardRows, this.net.outputSize);
  }

  /** One step's forward and backward on `rows`; null when the data cannot be read as arrays. */
  step(data: D, rows: Int32Array, variables: readonly tf.Variable[]): FusedTrainStep | null {
    const x = this.hooks.inputs(data, rows);
    if (!x || x.length !== rows.length * this.net.inputSize) return null;
    const k = this.net.outputSize;
    const r = fusedStep(this.net, x, rows.length, (outputs) => this.hooks.loss(data, rows, outputs, k), variables);
    return { loss: r.loss, stats: r.stats, grads: r.grads, norm: globalNorm([...r.grads.values()]) };
  }
}
