// The TensorFlow.js op for all-pairs fidelities S[i, j] = |⟨ψ(a_i)|ψ(b_j)⟩|² of one circuit with
// shared weights: forward and gradient in the engine (engine/fidelity-matrix.ts), in one call per
// batch of pairs (tfjs costs 100–300 µs per op call; the circuits a few µs per sample).

import * as tf from '@tensorflow/tfjs';
import type { FidelityMatrix } from '../engine/fidelity-matrix.js';
import type { QuantumTiming } from './quantum-op.js';

/** (a [Ba, n], b [Bb, n], w [W]) → S [Ba, Bb]; gradients for a, b and w by the adjoint method. */
export function fidelityMatrixOp(engine: FidelityMatrix, timing?: QuantumTiming): (a: tf.Tensor2D, b: tf.Tensor2D, w: tf.Tensor1D) => tf.Tensor2D {
  return tf.customGrad(((a: tf.Tensor2D, b: tf.Tensor2D, w: tf.Tensor1D, save: tf.GradSaveFunc) => {
    const t0 = performance.now();
    const aData = a.dataSync();
    const bData = b.dataSync();
    const wData = w.dataSync();
    const S = engine.forward(aData, bData, wData);
    save([a, b, w]);
    const [Ba, n] = a.shape;
    const Bb = b.shape[0];
    const value = tf.tensor2d(Float32Array.from(S), [Ba, Bb], 'float32');
    if (timing) {
      timing.forwardSeconds += (performance.now() - t0) / 1000;
      timing.calls++;
    }
    return {
      value,
      gradFunc: (dy: tf.Tensor) => {
        const t1 = performance.now();
        // The engine re-simulates from the saved inputs, so another use in between is harmless.
        engine.forward(aData, bData, wData);
        const g = engine.vjp(dy.dataSync());
        const grads = [
          tf.tensor2d(Float32Array.from(g.inputsA), [Ba, n], 'float32'),
          tf.tensor2d(Float32Array.from(g.inputsB), [Bb, n], 'float32'),
          tf.tensor1d(Float32Array.from(g.weights), 'float32'),
        ];
        if (timing) timing.backwardSeconds += (performance.now() - t1) / 1000;
        return grads;
      },
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as (a: tf.Tensor2D, b: tf.Tensor2D, w: tf.Tensor1D) => tf.Tensor2D;
}
