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

/**
 * A tfjs op running the QNode on a batch: forward in float64 on the CPU, gradient by the QNode's
 * VJP. The engine keeps the last forward's state; if another call used the QNode in between
 * (a layer applied twice in one tape), the gradient re-runs this call's forward first.
 */
export function quantumOp(qnode: QNode, timing?: QuantumTiming): (x: tf.Tensor2D, w: tf.Tensor1D) => tf.Tensor2D {
  return tf.customGrad(((x: tf.Tensor2D, w: tf.Tensor1D, save: tf.GradSaveFunc) => {
    // tfjs tensors are float32; the engine computes in float64 and hands back float32.
    const t0 = performance.now();
    const B = x.shape[0];
    const xData = x.dataSync();
    const wData = w.dataSync();
    const out = qnode.forward(xData, wData, B);
    const generation = qnode.generation;
    save([x, w]);
    const value = tf.tensor2d(Float32Array.from(out), [B, qnode.outputSize], 'float32');
    if (timing) {
      timing.forwardSeconds += (performance.now() - t0) / 1000;
      timing.calls++;
    }
    return {
      value,
      gradFunc: (dy: tf.Tensor) => {
        const t1 = performance.now();
        if (qnode.generation !== generation) qnode.forward(xData, wData, B);
        const g = qnode.vjp(dy.dataSync());
        const grads = [tf.tensor2d(Float32Array.from(g.inputs), [B, qnode.numInputs], 'float32'), tf.tensor1d(Float32Array.from(g.weights), 'float32')];
        if (timing) timing.backwardSeconds += (performance.now() - t1) / 1000;
        return grads;
      },
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as (
    x: tf.Tensor2D,
    w: tf.Tensor1D,
  ) => tf.Tensor2D;
}
