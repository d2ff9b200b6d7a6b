// Dropout whose masks are reproducible and resumable. tfjs's Dropout layer either draws from an
// unseeded generator (not reproducible) or, given a seed, draws the same mask at every step.
// This layer draws the mask of step s from deriveSeed(seed, s); the trainer announces the step
// through setTrainingStep, so a resumed run draws exactly the masks an uninterrupted one would.

import * as tf from '@tensorflow/tfjs';
import { deriveSeed } from '../util/random.js';

export interface SeededDropoutArgs {
  rate: number;
  seed: number;
  name?: string;
}

export class SeededDropout extends tf.layers.Layer {
  static className = 'SeededDropout';
  readonly rate: number;
  readonly seed: number;
  private step = 0;

  constructor(args: SeededDropoutArgs) {
    super({ name: args.name });
    if (!(args.rate >= 0 && args.rate < 1)) throw new RangeError(`dropout rate must be in [0, 1), got ${args.rate}`);
    this.rate = args.rate;
    this.seed = args.seed;
  }

  /** Called by the trainer before every training step. */
  setTrainingStep(step: number): void {
    this.step = step;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: { training?: boolean }): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    if (!kwargs.training || this.rate === 0) return x;
    return tf.dropout(x, this.rate, undefined, deriveSeed(this.seed, 'dropout', this.step));
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape | tf.Shape[] {
    return inputShape;
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), rate: this.rate, seed: this.seed };
  }
}

tf.serialization.registerClass(SeededDropout);
