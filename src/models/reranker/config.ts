// The reranker's model section (`model.reranker` in a config): an embedding encoder (an MLP) that
// predicts the angles of an n-qubit circuit, and how two encodings are compared. Every choice is
// a field; `resolveRerankerConfig` fills the defaults (the issue's: 4 qubits, 2 encoding layers of
// Rot angles = 24 predicted angles, hidden [256, 128], dropout 0.1, π·tanh angle range).

/** Layer names of the model (model.ts) that the saved format (saved.ts) refers to. */
export const ENCODING_LAYER = 'encoding';
export const ANGLES_LAYER = 'angles';
export const SIMILARITY_LAYER = 'similarity';

export const SIMILARITIES = ['fidelity', 'cosine', 'bilinear'] as const;
export type Similarity = (typeof SIMILARITIES)[number];

export const RERANKER_ANSATZES = ['strongly_entangling', 'basic_entangler', 'ry_cnot_chain'] as const;
export type RerankerAnsatz = (typeof RERANKER_ANSATZES)[number];

export const ANGLE_ACTIVATIONS = ['tanh', 'linear'] as const;
export type AngleActivation = (typeof ANGLE_ACTIVATIONS)[number];

export interface RerankerConfig {
  /** How a query and a document encoding are compared: the circuit's state fidelity, or a classical twin. */
  similarity?: Similarity;
  /** Hidden layer sizes of the MLP (ReLU). */
  hidden?: number[];
  /** Dropout after every hidden layer (training only). */
  dropout?: number;
  /** Qubits of the circuit (fidelity). */
  qubits?: number;
  /** Encoding layers: each places a Rot(φ, θ, ω) of predicted angles on every wire, then a CNOT ring (3·qubits angles per layer). */
  encodingLayers?: number;
  /** Trainable ansatz layers before each encoding layer (0: the circuit has no trainable weights). */
  depth?: number;
  ansatz?: RerankerAnsatz;
  /** Output range of the predicted angles: scale·tanh(z) (tanh) or z unbounded (linear). */
  angleActivation?: AngleActivation;
  angleScale?: number;
  /** Size of the MLP's output for cosine / bilinear (default: as many as the circuit's angles). */
  outputDim?: number;
  /**
   * Weight λ of the embeddings' own cosine in the score: (s + λ·(cos(e_q, e_d) + 1)/2) / (1 + λ),
   * still in [0, 1]. 0: the learned similarity s alone. λ > 0 makes the model a residual on the
   * first-stage ranking (with little training data, an MLP trained from scratch ranks worse than
   * the pretrained embedding's cosine; the residual starts from that order and learns a correction).
   */
  residual?: number;
}

export type ResolvedRerankerConfig = Required<RerankerConfig>;

export const RERANKER_DEFAULTS: Omit<ResolvedRerankerConfig, 'outputDim'> = {
  similarity: 'fidelity',
  hidden: [256, 128],
  dropout: 0.1,
  qubits: 4,
  encodingLayers: 2,
  depth: 1,
  ansatz: 'strongly_entangling',
  angleActivation: 'tanh',
  angleScale: Math.PI,
  residual: 0,
};

/** Predicted angles of the circuit: a Rot (3 angles) per wire per encoding layer. */
export function numAngles(c: Pick<ResolvedRerankerConfig, 'qubits' | 'encodingLayers'>): number {
  return 3 * c.qubits * c.encodingLayers;
}

export function resolveRerankerConfig(config: RerankerConfig = {}): ResolvedRerankerConfig {
  const merged = { ...RERANKER_DEFAULTS, ...stripUndefined(config) };
  const outputDim = config.similarity === undefined || config.similarity === 'fidelity' ? numAngles(merged) : (config.outputDim ?? numAngles(merged));
  return { ...merged, hidden: [...merged.hidden], outputDim };
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** training.ranking (with training.loss one of the ranking losses): see task.ts. */
export interface RankingTrainingConfig {
  margin?: number;
  temperature?: number;
  mining?: 'dynamic' | 'static';
  hardFraction?: number;
  mineDepth?: number;
  maxPositivesPerQuery?: number;
}

