// The mapping network of Quantum-Train as tfjs ops, for M rows (target weights) with basis
// features b_i ∈ {±1}^N and probabilities p_i:
//   s_i = (β·tanh(c·max(p_i, 1e-20)))^α,  c = γ·2^(N−1);   z_i = s_i − mean(s)
//   h_i = act(… act([b_i, z_i]·W_0 + b_0) …)·W_L + b_L   (no activation on the last layer)
//   y_i = h_i − mean(h)
// The floor keeps the gradient of x^α (infinite at 0) finite; it changes no value measurably.
//
// Measured alternative, not kept: the whole network as one op with hand-written JS loops for
// forward and gradient (one tfjs call instead of ~45) ran at 28-30 ms per forward + gradient
// against 20-25 ms for these ops on the wasm backend (13 qubits, 6,690 rows, same process,
// interleaved): XNNPACK's matmuls beat JS loops over 4-20-wide layers by more than the per-op
// overhead costs.

import * as tf from '@tensorflow/tfjs';
import type { TargetActivation } from './target.js';
import { applyActivation } from './target.js';

export interface MappingShape {
  count: number;
  qubits: number;
  /** Layer sizes N+1, hidden…, 1. */
  sizes: number[];
  activation: TargetActivation;
  beta: number;
  gamma: number;
  alpha: number;
}

const FLOOR = 1e-20;

/**
 * The paper's probability scaling, x → (β·tanh(γ·2^(N−1)·x))^α, then centred (x − mean x).
 * 2^(N−1)·x makes a uniform distribution's probabilities ~0.5 whatever N; the power α < 1 then
 * spreads the small ones. Probabilities are floored at 1e-20 first: x^α has an infinite slope at
 * 0, and an exact zero would turn the gradient into NaN (the floor changes no value measurably).
 */
export function scaleProbabilities(p: tf.Tensor, qubits: number, beta: number, gamma: number, alpha: number): tf.Tensor {
  return tf.tidy(() => {
    const floored = tf.maximum(p, FLOOR);
    const scaled = tf.pow(tf.mul(tf.tanh(tf.mul(floored, gamma * 2 ** (qubits - 1))), beta), alpha);
    return tf.sub(scaled, tf.mean(scaled));
  });
}

/** Row i = basis index i as N values of ±1, wire 0 (the most significant bit) first: bit 0 → −1, 1 → +1. */
export function basisFeatures(count: number, qubits: number): Float32Array {
  const out = new Float32Array(count * qubits);
  for (let i = 0; i < count; i++) {
    for (let j = 0; j < qubits; j++) out[i * qubits + j] = (i >> (qubits - 1 - j)) & 1 ? 1 : -1;
  }
  return out;
}

/**
 * [1, M] probabilities and W_0, b_0, …, W_L, b_L → [1, M] generated values.
 *
 * With linear layers (the official code's choice, our default) the network is one affine map,
 * so it runs as x·(W_0·W_1·…·W_L) with the product of the small matrices taken first: one
 * matrix-vector product over the M rows instead of L+1 matmuls and bias adds (and their
 * gradients): the same function and the same gradients. (The biases only shift every output
 * alike, which the centring removes: their gradient is 0 on both paths.)
 * `layered: true` forces the layer-by-layer evaluation (tests compare the two).
 */
export function mappingForward(shape: MappingShape, bits: tf.Tensor2D, p: tf.Tensor, params: tf.Tensor[], opts: { layered?: boolean } = {}): tf.Tensor2D {
  return tf.tidy(() => {
    const { count: M, qubits: N } = shape;
    const z = scaleProbabilities(tf.reshape(p, [M, 1]), N, shape.beta, shape.gamma, shape.alpha);
    const L = params.length / 2;
    if (shape.activation === 'linear' && !opts.layered) {
      // x·W_0·…·W_L + b, with b = (…(b_0·W_1 + b_1)·W_2 + …)·W_L + b_L: small products only.
      let w = params[0] as tf.Tensor2D;
      let b = tf.reshape(params[1], [1, -1]) as tf.Tensor2D;
      for (let l = 1; l < L; l++) {
        w = tf.matMul(w, params[2 * l] as tf.Tensor2D);
        b = tf.add(tf.matMul(b, params[2 * l] as tf.Tensor2D), params[2 * l + 1]) as tf.Tensor2D;
      }
      // [bits, z]·w = bits·w[0..N) + z·w[N]
      const wBits = tf.slice(w, [0, 0], [N, 1]);
      const wZ = tf.slice(w, [N, 0], [1, 1]);
      const h = tf.add(tf.add(tf.matMul(bits, wBits), tf.mul(z, wZ)), b);
      return tf.reshape(tf.sub(h, tf.mean(h)), [1, M]) as tf.Tensor2D;
    }
    let h = tf.concat([bits, z], 1) as tf.Tensor2D;
    for (let l = 0; l < L; l++) {
      h = tf.fused.matMul({ a: h, b: params[2 * l] as tf.Tensor2D, bias: params[2 * l + 1] }) as tf.Tensor2D;
      if (l < L - 1) h = applyActivation(h, shape.activation) as tf.Tensor2D;
    }
    return tf.reshape(tf.sub(h, tf.mean(h)), [1, M]) as tf.Tensor2D;
  });
}
