// Scoring without TensorFlow.js: the MLP's forward pass in plain JavaScript (float64 accumulation
// of the float32 weights) and the similarity from representations (represent.ts). Serving one
// query against ~100 candidates is ~100 small matrix-vector products; tfjs would spend more
// on per-op overhead (100–300 µs per op) than on the arithmetic.

import { FidelityMatrix } from '../../engine/fidelity-matrix.js';
import { rerankerCircuit } from './circuit.js';
import type { ResolvedRerankerConfig } from './config.js';
import { pairScore, representationsOf } from './represent.js';

/** A dense layer: kernel [inputs, units] row-major, bias [units]. */
export interface DenseWeights {
  kernel: Float32Array;
  bias: Float32Array;
  inputs: number;
  units: number;
}

export interface ScorerWeights {
  dense: DenseWeights[];
  /** Circuit weights (fidelity) or the bilinear matrix; null for cosine. */
  similarity: Float32Array | null;
}

export class PlainScorer {
  readonly config: ResolvedRerankerConfig;
  readonly embeddingDim: number;
  private readonly weights: ScorerWeights;
  private readonly engine: FidelityMatrix | null;

  constructor(config: ResolvedRerankerConfig, weights: ScorerWeights) {
    this.config = config;
    this.weights = weights;
    this.embeddingDim = weights.dense[0].inputs;
    this.engine = config.similarity === 'fidelity' ? new FidelityMatrix(rerankerCircuit(config)) : null;
  }

  /** The encodings (angles for fidelity) of rows of embeddings, row-major [rows, outputDim]. */
  encode(rows: readonly Float32Array[]): Float64Array {
    const D = this.embeddingDim;
    let width = D;
    let act = new Float64Array(rows.length * D);
    rows.forEach((r, i) => {
      if (r.length !== D) throw new RangeError(`embedding ${i} has ${r.length} dimensions, the reranker takes ${D}`);
      act.set(r, i * D);
    });
    const last = this.weights.dense.length - 1;
    this.weights.dense.forEach((layer, l) => {
      const { kernel, bias, units } = layer;
      const out = new Float64Array(rows.length * units);
      for (let i = 0; i < rows.length; i++) {
        const o = out.subarray(i * units, (i + 1) * units);
        o.set(bias);
        for (let k = 0; k < width; k++) {
          const a = act[i * width + k];
          if (a === 0) continue; // ReLU zeros are common: skip their row of the kernel
          const row = k * units;
          for (let u = 0; u < units; u++) o[u] += a * kernel[row + u];
        }
        if (l < last) for (let u = 0; u < units; u++) if (o[u] < 0) o[u] = 0;
      }
      act = out;
      width = units;
    });
    if (this.config.similarity === 'fidelity' && this.config.angleActivation === 'tanh') {
      const s = this.config.angleScale;
      for (let k = 0; k < act.length; k++) act[k] = s * Math.tanh(act[k]);
    }
    return act;
  }

  /** Similarity of one query to each candidate (fidelities in [0, 1] for the quantum reranker). */
  score(query: Float32Array, candidates: readonly Float32Array[]): Float64Array {
    const out = new Float64Array(candidates.length);
    if (candidates.length === 0) return out;
    const kind = this.config.similarity;
    const param = this.weights.similarity;
    const enc = this.encode([query, ...candidates]);
    const width = enc.length / (candidates.length + 1);
    if (kind === 'fidelity') {
      // One batched simulation of the query and every candidate.
      const states = representationsOf(kind, enc, candidates.length + 1, param, this.engine, 'doc');
      for (let j = 0; j < candidates.length; j++) out[j] = Math.min(1, pairScore(states, 0, states, j + 1));
      return out;
    }
    const q = representationsOf(kind, enc.subarray(0, width), 1, param, null, 'query');
    const d = representationsOf(kind, enc.subarray(width), candidates.length, param, null, 'doc');
    for (let j = 0; j < candidates.length; j++) out[j] = pairScore(q, 0, d, j);
    return out;
  }
}
