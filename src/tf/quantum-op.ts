// The TensorFlow.js op that runs a QNode on a batch. The whole batch goes to the engine in one
// call: tfjs costs 100–300 µs per op call, the circuit itself a few µs per sample, so per-sample
// calls would be dominated by overhead.

import * as tf from '@tensorflow/tfjs';
import type { QNode } from '../engine/qnode.js';

/** Seconds spent in the engine (forward and gradient), for "the quantum layer's share of the time". */
export interface QuantumTiming {
  forwardSeconds: number;
  backwardSeconds: number;
  calls: number;
}

export const newQuantumTiming = (): QuantumTiming => ({ forwardSeconds: 0, backwardSeconds: 0, calls: 0 });

/** One forward of a batch, kept for its gradient (qnodeGradient). */
export interface QNodeCall {
  readonly x: ArrayLike<number>;
  readonly w: ArrayLike<number>;
  readonly batch: number;
  /** The QNode's generation right after this forward: another forward since means re-run it. */
  readonly generation: number;
}

/**
 * The forward pass of the op on plain arrays: the engine computes in float64 and the outputs
 * are rounded to float32, as a tfjs tensor stores them. quantumOp and the fused training step
 * (CircuitLayer.forwardBatch) both run this, so the two give the same bits.
 */
export function qnodeForward(qnode: QNode, x: ArrayLike<number>, w: ArrayLike<number>, batch: number, timing?: QuantumTiming): { value: Float32Array; call: QNodeCall } {
  const t0 = performance.now();
  const out = qnode.forward(x, w, batch);
  const value = Float32Array.from(out);
  if (timing) {
    timing.forwardSeconds += (performance.now() - t0) / 1000;
    timing.calls++;
  }
  return { value, call: { x, w, batch, generation: qnode.generation } };
}

/** The gradient of the forward `call` for cotangent dy [batch, outputs], rounded to float32. */
export function qnodeGradient(qnode: QNode, call: QNodeCall, dy: ArrayLike<number>, timing?: QuantumTiming): { inputs: Float32Array; weights: Float32Array } {
  const t1 = performance.now();
  if (qnode.generation !== call.generation) qnode.forward(call.x, call.w, call.batch);
  const g = qnode.vjp(dy);
  const grads = { inputs: Float32Array.from(g.inputs), weights: Float32Array.from(g.weights) };
  if (timing) timing.backwardSeconds += (performance.now() - t1) / 1000;
  return grads;
}

/**
 * A tfjs op running the QNode on a batch: forward in float64 on the CPU, gradient by the QNode's
 * VJP. The engine keeps the last forward's state; if another call used the QNode in between
 * (a layer applied twice in one tape), the gradient re-runs this call's forward first.
 */
export function quantumOp(qnode: QNode, timing?: QuantumTiming): (x: tf.Tensor2D, w: tf.Tensor1D) => tf.Tensor2D {
  return tf.customGrad(((x: tf.Tensor2D, w: tf.Tensor1D, save: tf.GradSaveFunc) => {
    // tfjs tensors are float32; the engine computes in float64 and hands back float32.
    const B = x.shape[0];
    const { value, call } = qnodeForward(qnode, x.dataSync(), w.dataSync(), B, timing);
    save([x, w]);
    return {
      value: tf.tensor2d(value, [B, qnode.outputSize], 'float32'),
      gradFunc: (dy: tf.Tensor) => {
        const g = qnodeGradient(qnode, call, dy.dataSync(), timing);
        return [tf.tensor2d(g.inputs, [B, qnode.numInputs], 'float32'), tf.tensor1d(g.weights, 'float32')];
      },
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as (
    x: tf.Tensor2D,
    w: tf.Tensor1D,
  ) => tf.Tensor2D;
}
