// CircuitLayer: the TensorFlow.js bridge for any built circuit and measurement. Input
// [batch, features] → output [batch, k] (expectation values or probabilities). The circuit's
// weights are the layer's one trainable weight; gradients come from the engine's VJP (adjoint by
// default) through quantumOp, and flow to the circuit weights and to the layers before it.
//
// It has the anatomy of every tfjs layer (typed args, build with addWeight, call,
// computeOutputShape, getConfig, className, registerClass). Model families subclass it to build
// their circuit from their own description (models/quantum-layer.ts: a YAML-level spec;
// models/quantum-train: a Quantum-Train circuit) and to serialize that description instead.

import * as tf from '@tensorflow/tfjs';
import { Circuit, type CircuitJSON } from '../circuit/circuit.js';
import type { Measurement } from '../circuit/measurements.js';
import { QNode, type DiffMethod } from '../engine/qnode.js';
import { decodeConfigHex, encodeConfigHex } from './config-hex.js';
import { newQuantumTiming, qnodeForward, qnodeGradient, quantumOp, type QNodeCall, type QuantumTiming } from './quantum-op.js';

/** How the circuit weights start: uniform in [low, high) (default [0, 2π), as PennyLane's TorchLayer) or normal. */
export type WeightInit =
  | { type: 'uniform'; low?: number; high?: number }
  | { type: 'normal'; mean?: number; std?: number };

export interface CircuitLayerArgs {
  circuit: Circuit;
  measurement: Measurement;
  diffMethod?: DiffMethod;
  /** Finite shots for evaluation (parameter-shift gradients then); exact when absent. */
  shots?: number;
  /** Seed of the circuit-weight initializer (and of shot sampling). */
  seed?: number;
  init?: WeightInit;
  /** Name of the weight variable (part of the saved model and of checkpoints). */
  weightName?: string;
  name?: string;
  trainable?: boolean;
  /** Engine threads per batch (QNodeOptions.threads; default 1). A run-time choice: not saved with the model. */
  threads?: number;
}

const TWO_PI = 2 * Math.PI;

export class CircuitLayer extends tf.layers.Layer {
  static className = 'CircuitLayer';
  /** Lets trainers put this layer's weights in the quantum parameter group. */
  readonly isQuantum = true;
  readonly circuit: Circuit;
  readonly measurement: Measurement;
  readonly qnode: QNode;
  readonly seed: number;
  readonly shots: number | undefined;
  /** Seconds spent in the engine (forward and gradient), for "the quantum layer's share of the time". */
  readonly timing: QuantumTiming = newQuantumTiming();
  protected readonly op: (x: tf.Tensor2D, w: tf.Tensor1D) => tf.Tensor2D;
  private readonly init: WeightInit;
  private readonly weightName: string;
  private readonly diffMethod: DiffMethod | undefined;
  protected circuitWeights: tf.LayerVariable | null = null;
  private lastBatch: QNodeCall | null = null;

  constructor(args: CircuitLayerArgs) {
    super({ name: args.name, trainable: args.trainable ?? true });
    this.circuit = args.circuit;
    this.measurement = args.measurement;
    this.seed = args.seed ?? 0;
    this.shots = args.shots;
    this.diffMethod = args.diffMethod;
    this.init = args.init ?? { type: 'uniform' };
    this.weightName = args.weightName ?? 'circuit_weights';
    this.qnode = new QNode(args.circuit, args.measurement, { diffMethod: args.diffMethod, shots: args.shots, seed: this.seed, threads: args.threads });
    this.op = quantumOp(this.qnode, this.timing);
  }

  /** Number of input features the circuit reads. */
  get inputSize(): number {
    return this.circuit.numInputs;
  }

  get outputSize(): number {
    return this.qnode.outputSize;
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    this.checkInputShape(firstShape(inputShape));
    this.addCircuitWeights();
    this.built = true;
  }

  protected checkInputShape(shape: tf.Shape): void {
    const features = shape[shape.length - 1];
    if (shape.length !== 2 || features !== this.inputSize) {
      throw new Error(
        `${this.getClassName()} "${this.name}": expects input [batch, ${this.inputSize}] (one feature per embedded input), got [${shape.join(', ')}]; ` +
          `put a Dense(${this.inputSize}) layer before it or change the quantum layer's wires/inputs`,
      );
    }
  }

  protected addCircuitWeights(): void {
    const n = this.circuit.numWeights;
    if (n === 0 || this.circuitWeights) return;
    const init = this.init;
    const initializer =
      init.type === 'normal'
        ? tf.initializers.randomNormal({ mean: init.mean ?? 0, stddev: init.std ?? 1, seed: this.seed })
        : tf.initializers.randomUniform({ minval: init.low ?? 0, maxval: init.high ?? TWO_PI, seed: this.seed });
    this.circuitWeights = this.addWeight(this.weightName, [n], 'float32', initializer, undefined, true);
  }

  /** The circuit weights as a tensor (an empty one when the circuit has none). */
  protected readWeights(): tf.Tensor1D {
    return (this.circuitWeights ? this.circuitWeights.read() : tf.zeros([0])) as tf.Tensor1D;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    return [firstShape(inputShape)[0], this.outputSize];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor2D;
    return this.op(x, this.readWeights());
  }

  /**
   * call() on plain float32 arrays, for a training step that runs outside tfjs (train/fused-step):
   * x [batch, inputSize] row-major and the circuit weights in, float32 [batch, outputSize] out,
   * the same bits as call() (both run qnodeForward). Only for layers whose call() is this class's;
   * the step checks the class name. gradBatch() then gives this batch's gradient.
   */
  forwardBatch(x: Float32Array, weights: Float32Array, batch: number): Float32Array {
    const { value, call } = qnodeForward(this.qnode, x, weights, batch, this.timing);
    this.lastBatch = call;
    return value;
  }

  /** The gradient of the last forwardBatch for cotangent dy [batch, outputSize], as quantumOp's. */
  gradBatch(dy: Float32Array): { inputs: Float32Array; weights: Float32Array } {
    if (!this.lastBatch) throw new Error(`${this.getClassName()} "${this.name}": gradBatch before forwardBatch`);
    return qnodeGradient(this.qnode, this.lastBatch, dy, this.timing);
  }

  /** tf.layers.Layer's own config (name, trainable, dtype…), for subclasses that serialize their own description. */
  protected layerConfig(): tf.serialization.ConfigDict {
    return super.getConfig();
  }

  override getConfig(): tf.serialization.ConfigDict {
    const description: CircuitLayerDescription = {
      circuit: this.circuit.toJSON(),
      measurement: this.measurement,
      ...(this.diffMethod ? { diffMethod: this.diffMethod } : {}),
      init: this.init,
      weightName: this.weightName,
    };
    return { ...this.layerConfig(), circuitHex: encodeConfigHex(description), seed: this.seed, ...(this.shots ? { shots: this.shots } : {}) };
  }

  static override fromConfig<T extends tf.serialization.Serializable>(
    cls: tf.serialization.SerializableConstructor<T>,
    config: tf.serialization.ConfigDict,
  ): T {
    const { circuitHex, ...rest } = config as { circuitHex: string } & Record<string, unknown>;
    const d = decodeConfigHex<CircuitLayerDescription>(circuitHex, 'CircuitLayer config: circuitHex');
    return new cls({ ...rest, ...d, circuit: Circuit.fromJSON(d.circuit) }) as T;
  }
}

tf.serialization.registerClass(CircuitLayer);

interface CircuitLayerDescription {
  circuit: CircuitJSON;
  measurement: Measurement;
  diffMethod?: DiffMethod;
  init: WeightInit;
  weightName: string;
}

export const firstShape = (s: tf.Shape | tf.Shape[]): tf.Shape => (Array.isArray(s[0]) ? s[0] : s) as tf.Shape;
