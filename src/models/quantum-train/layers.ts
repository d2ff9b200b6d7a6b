// The three layers of a Quantum-Train model, wired as a small functional graph:
//
//   images ──► QTCircuitLayer ──► QTMappingLayer ──► QTTargetLayer ◄── images
//              (angles; probs      (scaling, ±1 index   (the target network run
//               of the first M      features, mapping     functionally on the
//               basis states)       MLP, centring)        generated weights) ──► logits
//
// Separate layers keep the trainer unchanged: the circuit layer declares `isQuantum`, so its
// angles form the quantum parameter group (own lr, counted as quantum parameters), the mapping
// network's weights the classical group, and the target layer has no weights at all. The circuit
// runs once per batch (its output [1, M] does not depend on the batch); gradients flow from the
// loss through the target network and the mapping network into the probabilities, and from there
// through the engine's adjoint VJP into the angles.

import * as tf from '@tensorflow/tfjs';
import { Circuit } from '../../circuit/circuit.js';
import { probs } from '../../circuit/measurements.js';
import { ryCnotChainBlocks, u3CU3RingBlocks } from '../../circuit/templates.js';
import { decodeConfigHex, encodeConfigHex } from '../../tf/config-hex.js';
import { CircuitLayer } from '../../tf/circuit-layer.js';
import { deriveSeed } from '../../util/random.js';
import type { ResolvedQuantumTrain } from './spec.js';
import { basisFeatures, mappingForward, type MappingShape } from './mapping.js';

export { basisFeatures, scaleProbabilities } from './mapping.js';
import { runTarget, stepShapes } from './target.js';

/** The QT circuit: L ansatz blocks on N wires, no inputs. */
export function quantumTrainCircuit(qt: Pick<ResolvedQuantumTrain, 'qubits' | 'blocks' | 'ansatz'>): Circuit {
  const c = new Circuit(qt.qubits);
  if (qt.ansatz === 'u3_cu3_ring') u3CU3RingBlocks(c, { layers: qt.blocks });
  else ryCnotChainBlocks(c, { layers: qt.blocks });
  return c;
}

interface QtLayerArgs {
  qt: ResolvedQuantumTrain;
  seed?: number;
  name?: string;
  trainable?: boolean;
}

// The resolved settings travel as hex of their JSON (tfjs rewrites strings like 'u3_cu3_ring').
const encode = (qt: ResolvedQuantumTrain): string => encodeConfigHex(qt);

function fromQtConfig<T extends tf.serialization.Serializable>(cls: tf.serialization.SerializableConstructor<T>, config: tf.serialization.ConfigDict): T {
  const { qtHex, ...rest } = config as { qtHex: string } & Record<string, unknown>;
  return new cls({ ...rest, qt: decodeConfigHex<ResolvedQuantumTrain>(qtHex, `${String(rest.name)} config: qtHex`) }) as T;
}

const firstShape = (s: tf.Shape | tf.Shape[]): tf.Shape => (Array.isArray(s[0]) ? s[0] : s) as tf.Shape;

/** The circuit's angles and its measurement: outputs the probabilities of the first M basis states, [1, M]. */
export class QTCircuitLayer extends CircuitLayer {
  static override className = 'QTCircuitLayer';
  readonly qt: ResolvedQuantumTrain;

  constructor(args: QtLayerArgs) {
    const seed = args.seed ?? 1;
    super({
      circuit: quantumTrainCircuit(args.qt),
      measurement: probs(),
      seed,
      init: { type: 'uniform', low: args.qt.initLow, high: args.qt.initHigh },
      weightName: 'angles',
      name: args.name,
      trainable: args.trainable,
    });
    this.qt = args.qt;
  }

  get numAngles(): number {
    return this.qnode.numWeights;
  }

  // The images only drive the batch; the circuit has no inputs.
  override build(): void {
    this.addCircuitWeights();
    this.built = true;
  }

  override computeOutputShape(): tf.Shape {
    return [1, this.qt.count];
  }

  /** Probabilities of basis states 0..M−1, [1, M]; independent of any batch. */
  probabilities(): tf.Tensor2D {
    if (!this.built) this.build();
    const w = this.readWeights();
    return tf.tidy(() => {
      const all = this.op(tf.zeros([1, 0]) as tf.Tensor2D, w);
      return all.shape[1] === this.qt.count ? all : tf.slice(all, [0, 0], [1, this.qt.count]);
    });
  }

  override call(): tf.Tensor {
    return this.probabilities();
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...this.layerConfig(), qtHex: encode(this.qt), seed: this.seed };
  }

  static override fromConfig<T extends tf.serialization.Serializable>(cls: tf.serialization.SerializableConstructor<T>, config: tf.serialization.ConfigDict): T {
    return fromQtConfig(cls, config);
  }
}

/**
 * The mapping network: scaled probabilities + the ±1 basis index → (N+1) → hidden… → 1 per
 * target weight, centred. Weights kernel{i} [in, out] and bias{i} [out], initialized like
 * torch.nn.Linear: uniform ±1/√fan_in.
 */
export class QTMappingLayer extends tf.layers.Layer {
  static className = 'QTMappingLayer';
  readonly qt: ResolvedQuantumTrain;
  readonly seed: number;
  private readonly kernels: tf.LayerVariable[] = [];
  private readonly biases: tf.LayerVariable[] = [];
  private bits: tf.Tensor2D | null = null;

  constructor(args: QtLayerArgs) {
    super({ name: args.name, trainable: args.trainable ?? true });
    this.qt = args.qt;
    this.seed = args.seed ?? 1;
  }

  /** Layer sizes: N+1, hidden…, 1. */
  get sizes(): number[] {
    return [this.qt.qubits + 1, ...this.qt.hidden, 1];
  }

  override build(): void {
    const sizes = this.sizes;
    for (let i = 0; i + 1 < sizes.length; i++) {
      const bound = 1 / Math.sqrt(sizes[i]);
      const init = (part: string) => tf.initializers.randomUniform({ minval: -bound, maxval: bound, seed: deriveSeed(this.seed, part, i) });
      this.kernels.push(this.addWeight(`kernel${i}`, [sizes[i], sizes[i + 1]], 'float32', init('kernel'), undefined, true));
      this.biases.push(this.addWeight(`bias${i}`, [sizes[i + 1]], 'float32', init('bias'), undefined, true));
    }
    this.built = true;
  }

  override computeOutputShape(): tf.Shape {
    return [1, this.qt.count];
  }

  /** [1, M] probabilities → [1, M] generated values. */
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const p = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor2D;
    // The ±1 index features never change: made once and kept out of every tidy.
    this.bits ??= tf.keep(tf.tensor2d(basisFeatures(this.qt.count, this.qt.qubits), [this.qt.count, this.qt.qubits]));
    return mappingForward(this.mappingShape, this.bits, p, this.params);
  }

  override dispose(): ReturnType<tf.layers.Layer['dispose']> {
    this.bits?.dispose();
    this.bits = null;
    return super.dispose();
  }

  /** Sizes and settings of the network, as the fused op and its reference take them. */
  get mappingShape(): MappingShape {
    const { count, qubits, activation, beta, gamma, alpha } = this.qt;
    return { count, qubits, sizes: this.sizes, activation, beta, gamma, alpha };
  }

  /** The trainable tensors in the op's order: W_0, b_0, W_1, b_1, … */
  get params(): tf.Tensor[] {
    return this.kernels.flatMap((k, i) => [k.read(), this.biases[i].read()]);
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), qtHex: encode(this.qt), seed: this.seed };
  }

  static override fromConfig<T extends tf.serialization.Serializable>(cls: tf.serialization.SerializableConstructor<T>, config: tf.serialization.ConfigDict): T {
    return fromQtConfig(cls, config);
  }
}

/** Cut [1, M] generated values into the target's tensors, in fill order. */
export function splitGenerated(gen: tf.Tensor, qt: Pick<ResolvedQuantumTrain, 'weights' | 'count'>): tf.Tensor[] {
  const flat = tf.reshape(gen, [qt.count]);
  const parts = tf.split(flat, qt.weights.map((w) => w.size));
  return parts.map((part, i) => tf.reshape(part, qt.weights[i].shape));
}

/** Runs the target network on the images with the generated weights: inputs [images, generated [1, M]]. */
export class QTTargetLayer extends tf.layers.Layer {
  static className = 'QTTargetLayer';
  readonly qt: ResolvedQuantumTrain;

  constructor(args: QtLayerArgs) {
    super({ name: args.name, trainable: false });
    this.qt = args.qt;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const shapes = stepShapes(this.qt.net);
    return [firstShape(inputShape)[0], ...shapes[shapes.length - 1]];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    if (!Array.isArray(inputs) || inputs.length !== 2) throw new Error(`${this.name}: expects [images, generated weights]`);
    return tf.tidy(() => runTarget(this.qt.net, inputs[0], splitGenerated(inputs[1], this.qt)));
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), qtHex: encode(this.qt) };
  }

  static override fromConfig<T extends tf.serialization.Serializable>(cls: tf.serialization.SerializableConstructor<T>, config: tf.serialization.ConfigDict): T {
    return fromQtConfig(cls, config);
  }
}

tf.serialization.registerClass(QTCircuitLayer);
tf.serialization.registerClass(QTMappingLayer);
tf.serialization.registerClass(QTTargetLayer);
