// The reranker as a tf.LayersModel the trainer can drive: embedding [D] → MLP (ReLU, seeded
// dropout) → encoding [outputDim] → (fidelity) angle range → a parameter-holding layer, and the
// similarity of query and document encodings computed from it.
//
// The trainer finds trainable variables through model.layers (param-groups.ts), so the circuit's
// weights (and the bilinear form's matrix) live in a layer of the model — SimilarityWeights, which
// passes its input through and only holds them. It declares isQuantum for the circuit, so the
// circuit weights take the "quantum" param group's learning rate.

import * as tf from '@tensorflow/tfjs';
import { FidelityMatrix } from '../../engine/fidelity-matrix.js';
import { fidelityMatrixOp } from '../../tf/fidelity-matrix-op.js';
import type { QuantumTiming } from '../../tf/quantum-op.js';
import { deriveSeed, Rng } from '../../util/random.js';
import { SeededDropout } from '../seeded-dropout.js';
import { rerankerCircuit } from './circuit.js';
import type { AngleActivation, ResolvedRerankerConfig, Similarity } from './config.js';

import { ANGLES_LAYER, ENCODING_LAYER, SIMILARITY_LAYER } from './config.js';
export { ANGLES_LAYER, ENCODING_LAYER, SIMILARITY_LAYER };

/** scale·tanh(z) or z: the range constraint on predicted angles. */
export class AngleRange extends tf.layers.Layer {
  static className = 'RerankerAngleRange';
  readonly activation: AngleActivation;
  readonly scale: number;
  constructor(args: { activation: AngleActivation; scale: number; name?: string }) {
    super({ name: args.name });
    this.activation = args.activation;
    this.scale = args.scale;
  }
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const z = Array.isArray(inputs) ? inputs[0] : inputs;
    return this.activation === 'tanh' ? tf.tanh(z).mul(this.scale) : z;
  }
  override computeOutputShape(s: tf.Shape | tf.Shape[]): tf.Shape | tf.Shape[] {
    return s;
  }
  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), activation: this.activation, scale: this.scale };
  }
}

/** Holds the similarity's own parameters (circuit weights, bilinear matrix); passes its input through. */
export class SimilarityWeights extends tf.layers.Layer {
  static className = 'RerankerSimilarityWeights';
  readonly kind: Similarity;
  readonly size: number;
  readonly seed: number;
  /** Circuit weights train with the quantum param group. */
  readonly isQuantum: boolean;
  private weight: tf.LayerVariable | null = null;
  constructor(args: { kind: Similarity; size: number; seed: number; name?: string }) {
    super({ name: args.name });
    this.kind = args.kind;
    this.size = args.size;
    this.seed = args.seed;
    this.isQuantum = args.kind === 'fidelity';
  }
  override build(): void {
    if (this.kind === 'fidelity' && this.size > 0) {
      // Uniform in [0, 2π), as PennyLane's templates are usually initialized; seeded.
      const rng = new Rng(this.seed);
      const init = Float32Array.from({ length: this.size }, () => rng.next() * 2 * Math.PI);
      this.weight = this.addWeight('circuit_weights', [this.size], 'float32', tf.initializers.zeros());
      const value = tf.tensor1d(init);
      this.weight.write(value);
      value.dispose();
    } else if (this.kind === 'bilinear') {
      // The identity: training starts from the plain dot product of the encodings.
      this.weight = this.addWeight('bilinear', [this.size, this.size], 'float32', tf.initializers.identity({ gain: 1 }));
    }
    this.built = true;
  }
  /** The held parameter as a tensor (null for cosine, or a circuit without weights). */
  param(): tf.Tensor | null {
    return this.weight ? this.weight.read() : null;
  }
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return Array.isArray(inputs) ? inputs[0] : inputs;
  }
  override computeOutputShape(s: tf.Shape | tf.Shape[]): tf.Shape | tf.Shape[] {
    return s;
  }
  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), kind: this.kind, size: this.size, seed: this.seed };
  }
}

tf.serialization.registerClass(AngleRange);
tf.serialization.registerClass(SimilarityWeights);

/** The encoder model and what scoring needs beside it. */
export interface RerankerModel {
  readonly config: ResolvedRerankerConfig;
  readonly model: tf.LayersModel;
  readonly embeddingDim: number;
  /** The engine side of the fidelity (null for classical similarities). */
  readonly engine: FidelityMatrix | null;
  readonly timing: QuantumTiming;
  /** Similarities [Bq, Bd] of query and document embeddings (training: dropout on). */
  scores(queries: tf.Tensor2D, docs: tf.Tensor2D, training: boolean): tf.Tensor2D;
}

export function buildRerankerModel(config: ResolvedRerankerConfig, embeddingDim: number, seed: number, name = 'reranker'): RerankerModel {
  const layers: tf.layers.Layer[] = [];
  config.hidden.forEach((units, i) => {
    layers.push(tf.layers.dense({ name: `hidden${i}`, units, activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed: deriveSeed(seed, 'init', i) }), biasInitializer: 'zeros' }));
    if (config.dropout > 0) layers.push(new SeededDropout({ name: `dropout${i}`, rate: config.dropout, seed: deriveSeed(seed, 'dropout', i) }));
  });
  layers.push(tf.layers.dense({ name: ENCODING_LAYER, units: config.outputDim, kernelInitializer: tf.initializers.glorotUniform({ seed: deriveSeed(seed, 'init', 'encoding') }), biasInitializer: 'zeros' }));
  let engine: FidelityMatrix | null = null;
  let paramSize = 0;
  if (config.similarity === 'fidelity') {
    layers.push(new AngleRange({ name: ANGLES_LAYER, activation: config.angleActivation, scale: config.angleScale }));
    const circuit = rerankerCircuit(config);
    engine = new FidelityMatrix(circuit);
    paramSize = circuit.numWeights;
  } else if (config.similarity === 'bilinear') paramSize = config.outputDim;
  layers.push(new SimilarityWeights({ name: SIMILARITY_LAYER, kind: config.similarity, size: paramSize, seed: deriveSeed(seed, 'init', 'circuit') }));
  const model = tf.sequential({ name, layers: [tf.layers.inputLayer({ inputShape: [embeddingDim], name: 'embedding' }), ...layers] });
  const timing: QuantumTiming = { forwardSeconds: 0, backwardSeconds: 0, calls: 0 };
  const holder = model.getLayer(SIMILARITY_LAYER) as SimilarityWeights;
  const fidelity = engine ? fidelityMatrixOp(engine, timing) : null;
  const scores = (queries: tf.Tensor2D, docs: tf.Tensor2D, training: boolean): tf.Tensor2D => {
    const Bq = queries.shape[0];
    // One forward for both sides: one set of tfjs op calls instead of two.
    const enc = model.apply(tf.concat([queries, docs], 0), { training }) as tf.Tensor2D;
    const q = enc.slice([0, 0], [Bq, -1]);
    const d = enc.slice([Bq, 0], [-1, -1]);
    const s = similarityOf(config.similarity, q, d, holder.param(), fidelity);
    return config.residual > 0 ? withResidual(s, queries, docs, config.residual) : s;
  };
  return { config, model, embeddingDim, engine, timing, scores };
}

function similarityOf(kind: Similarity, q: tf.Tensor2D, d: tf.Tensor2D, param: tf.Tensor | null, fidelity: ReturnType<typeof fidelityMatrixOp> | null): tf.Tensor2D {
  switch (kind) {
    case 'fidelity':
      return fidelity!(q, d, (param ?? tf.zeros([0])) as tf.Tensor1D);
    case 'cosine':
      return tf.matMul(unit(q), unit(d), false, true);
    case 'bilinear':
      // On unit encodings, so a margin means the same as for cosine (W starts as the identity).
      return tf.matMul(tf.matMul(unit(q), param as tf.Tensor2D), unit(d), false, true);
  }
}

/** (s + λ·(cos(e_q, e_d) + 1)/2) / (1 + λ): the learned similarity as a residual on the embeddings' cosine. */
function withResidual(s: tf.Tensor2D, queries: tf.Tensor2D, docs: tf.Tensor2D, lambda: number): tf.Tensor2D {
  const cos = tf.matMul(unit(queries), unit(docs), false, true);
  return s.add(cos.add(1).mul(lambda / 2)).div(1 + lambda);
}

const unit = (t: tf.Tensor2D): tf.Tensor2D => t.div(t.square().sum(1, true).add(1e-12).sqrt());
