// QuantumLayer: a TensorFlow.js layer that runs a parameterized circuit on every sample of a batch.
// Input [batch, features] → output [batch, k] (expectation values or probabilities). The circuit's
// weights are the layer's own trainable weight; gradients come from the engine's VJP (adjoint by
// default) through tf.customGrad, and flow to the circuit weights and to the layers before it.
//
// The whole batch goes to the engine in one call: tfjs costs 100–300 µs per op call, the circuit
// itself a few µs per sample, so per-sample calls would be dominated by overhead.

import * as tf from '@tensorflow/tfjs';
import { buildCircuit, type QuantumLayerSpec } from '../models/quantum-spec.js';
import { QNode } from '../engine/qnode.js';
import type { Circuit } from '../circuit/circuit.js';
import { decodeConfigHex, encodeConfigHex } from './config-hex.js';

export interface QuantumLayerArgs {
  spec: QuantumLayerSpec;
  /** Seed of the circuit-weight initializer (and of shot sampling). */
  seed?: number;
  name?: string;
  trainable?: boolean;
  /** Finite shots for evaluation (parameter-shift gradients then); exact when absent. */
  shots?: number;
}

const TWO_PI = 2 * Math.PI;

export class QuantumLayer extends tf.layers.Layer {
  static className = 'QuantumLayer';
  /** Lets trainers put this layer's weights in the quantum parameter group. */
  readonly isQuantum = true;
  readonly spec: QuantumLayerSpec;
  readonly seed: number;
  readonly circuit: Circuit;
  readonly qnode: QNode;
  private readonly shots: number | undefined;
  private circuitWeights: tf.LayerVariable | null = null;
  /** Seconds spent in the engine (forward and gradient), for "the quantum layer's share of the time". */
  readonly timing: QuantumTiming = { forwardSeconds: 0, backwardSeconds: 0, calls: 0 };

  constructor(args: QuantumLayerArgs) {
    super({ name: args.name, trainable: args.trainable ?? true });
    this.spec = args.spec;
    this.seed = args.seed ?? 0;
    this.shots = args.shots;
    const built = buildCircuit(args.spec);
    this.circuit = built.circuit;
    this.qnode = new QNode(built.circuit, built.measurement, {
      diffMethod: args.spec.diffMethod,
      shots: args.shots,
      seed: this.seed,
    });
  }

  /** Number of input features the circuit reads. */
  get inputSize(): number {
    return this.circuit.numInputs;
  }

  get outputSize(): number {
    return this.qnode.outputSize;
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const features = shape[shape.length - 1];
    if (shape.length !== 2 || features !== this.inputSize) {
      throw new Error(
        `QuantumLayer "${this.name}": expects input [batch, ${this.inputSize}] (one feature per embedded input), got [${shape.join(', ')}]; ` +
          `put a Dense(${this.inputSize}) layer before it or change the quantum layer's wires/inputs`,
      );
    }
    const n = this.circuit.numWeights;
    if (n > 0) {
      const init = this.spec.init ?? { type: 'uniform' };
      const initializer =
        init.type === 'normal'
          ? tf.initializers.randomNormal({ mean: init.mean ?? 0, stddev: init.std ?? 1, seed: this.seed })
          : tf.initializers.randomUniform({ minval: init.low ?? 0, maxval: init.high ?? TWO_PI, seed: this.seed });
      this.circuitWeights = this.addWeight('circuit_weights', [n], 'float32', initializer, undefined, true);
    }
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    return [shape[0], this.outputSize];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor2D;
    const w = this.circuitWeights ? this.circuitWeights.read() : tf.zeros([0]);
    return quantumOp(this.qnode, this.timing)(x, w as tf.Tensor1D);
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {
      ...super.getConfig(),
      specHex: encodeConfigHex(this.spec), // see config-hex.ts
      seed: this.seed,
      ...(this.shots ? { shots: this.shots } : {}),
    };
  }

  static override fromConfig<T extends tf.serialization.Serializable>(
    cls: tf.serialization.SerializableConstructor<T>,
    config: tf.serialization.ConfigDict,
  ): T {
    const { specHex, ...rest } = config as { specHex: string } & Record<string, unknown>;
    return new cls({ ...(rest as unknown as QuantumLayerArgs), spec: decodeConfigHex<QuantumLayerSpec>(specHex, 'QuantumLayer config: specHex') }) as T;
  }
}

tf.serialization.registerClass(QuantumLayer);

export interface QuantumTiming {
  forwardSeconds: number;
  backwardSeconds: number;
  calls: number;
}

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
