// The reranker's MLP on TensorFlow.js, for scoring: on the wasm backend XNNPACK's SIMD matrix
// products encode a query and 100 fresh candidates (101 x 512 -> 256 -> 128 -> 24, 17 M
// multiply-adds) in ~1.1 ms on this machine, against ~30 ms for the plain-JS loop (scorer.ts),
// which is what kept scoring above the 2 ms target. It computes what the trained model computes
// (float32 matrix products, as in training); the plain-JS loop stays as the float64 reference and
// the fallback where the wasm backend is not running.

import * as tf from '@tensorflow/tfjs';
import type { DenseWeights, MlpEncoder } from './scorer.js';

export class TfMlpEncoder implements MlpEncoder {
  private readonly layers: Array<{ kernel: tf.Tensor2D; bias: tf.Tensor1D; units: number }>;

  constructor(dense: readonly DenseWeights[]) {
    this.layers = dense.map((l) => ({ kernel: tf.keep(tf.tensor2d(l.kernel, [l.inputs, l.units])), bias: tf.keep(tf.tensor1d(l.bias)), units: l.units }));
  }

  encode(rows: readonly Float32Array[], inputs: number): Float32Array {
    const flat = new Float32Array(rows.length * inputs);
    rows.forEach((r, i) => flat.set(r, i * inputs));
    const last = this.layers.length - 1;
    return tf.tidy(() => {
      let act: tf.Tensor2D = tf.tensor2d(flat, [rows.length, inputs]);
      // One fused op per layer (matrix product, bias and ReLU in XNNPACK's kernel).
      this.layers.forEach((l, i) => {
        act = tf.fused.matMul({ a: act, b: l.kernel, bias: l.bias, activation: i < last ? 'relu' : 'linear' }) as tf.Tensor2D;
      });
      return act.dataSync() as Float32Array;
    });
  }

  dispose(): void {
    for (const l of this.layers) tf.dispose([l.kernel, l.bias]);
  }
}

/** The tfjs encoder when tfjs runs on its wasm backend (where it pays), else undefined. */
export function fastEncoderFor(dense: readonly DenseWeights[]): MlpEncoder | undefined {
  return tf.getBackend() === 'wasm' ? new TfMlpEncoder(dense) : undefined;
}
