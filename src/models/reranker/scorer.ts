// Scoring outside the tfjs model: the MLP's forward pass, then the similarity from representations
// (represent.ts) in one batched engine call. The MLP runs either through an MlpEncoder (tfjs's
// wasm backend, tf-encoder.ts: ~1 ms for a query and 100 fresh candidates) or, without one, in
// plain JavaScript (float64 accumulation of the float32 weights: the reference, ~30 ms for the
// same rows). Either way the layers' per-op overhead of a tfjs model call is not paid.

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

/** Rows of embeddings -> the MLP's last-layer outputs (before the angle activation), row-major (tf-encoder.ts). */
export interface MlpEncoder {
  encode(rows: readonly Float32Array[], inputs: number): Float32Array;
  dispose(): void;
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
  /**
   * Encodings of embeddings seen before, by object identity: a server or an evaluation passes the
   * same document vectors again and again, and the MLP is most of the cost of scoring.
   */
  private readonly memo = new WeakMap<Float32Array, Float64Array>();

  /** The fast MLP (tfjs on wasm); undefined: the plain-JS loop. */
  private readonly mlp: MlpEncoder | undefined;

  constructor(config: ResolvedRerankerConfig, weights: ScorerWeights, mlp?: MlpEncoder) {
    this.config = config;
    this.weights = weights;
    this.mlp = mlp;
    this.embeddingDim = weights.dense[0].inputs;
    this.engine = config.similarity === 'fidelity' ? new FidelityMatrix(rerankerCircuit(config)) : null;
  }

  /** The encodings (angles for fidelity) of rows of embeddings, row-major [rows, outputDim]. */
  encode(rows: readonly Float32Array[]): Float64Array {
    const D = this.embeddingDim;
    rows.forEach((r, i) => {
      if (r.length !== D) throw new RangeError(`embedding ${i} has ${r.length} dimensions, the reranker takes ${D}`);
    });
    const act = this.mlp ? Float64Array.from(this.mlp.encode(rows, D)) : this.encodeInJs(rows);
    if (this.config.similarity === 'fidelity' && this.config.angleActivation === 'tanh') {
      const s = this.config.angleScale;
      for (let k = 0; k < act.length; k++) act[k] = s * Math.tanh(act[k]);
    }
    return act;
  }

  /** The MLP in plain JavaScript, float64 accumulation (the reference the fast path is tested against). */
  encodeInJs(rows: readonly Float32Array[]): Float64Array {
    const D = this.embeddingDim;
    let width = D;
    let act = new Float64Array(rows.length * D);
    rows.forEach((r, i) => act.set(r, i * D));
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
    return act;
  }

  /** Which path the MLP takes: 'tfjs' (the fast encoder) or 'js' (the plain-JS loop). */
  get mlpPath(): 'tfjs' | 'js' {
    return this.mlp ? 'tfjs' : 'js';
  }

  /** Frees the fast MLP's tensors (the plain-JS path holds none). */
  dispose(): void {
    this.mlp?.dispose();
  }

  /** encode(), answering rows seen before from the memo. */
  encodeMemo(rows: readonly Float32Array[]): Float64Array {
    const width = this.config.outputDim;
    const out = new Float64Array(rows.length * width);
    const missing = rows.filter((r) => !this.memo.has(r));
    if (missing.length > 0) {
      const enc = this.encode(missing);
      missing.forEach((r, i) => this.memo.set(r, enc.slice(i * width, (i + 1) * width)));
    }
    rows.forEach((r, i) => out.set(this.memo.get(r)!, i * width));
    return out;
  }

  /** Similarity of one query to each candidate (fidelities in [0, 1] for the quantum reranker). */
  score(query: Float32Array, candidates: readonly Float32Array[]): Float64Array {
    const out = new Float64Array(candidates.length);
    if (candidates.length === 0) return out;
    const kind = this.config.similarity;
    const param = this.weights.similarity;
    const enc = this.encodeMemo([query, ...candidates]);
    const width = enc.length / (candidates.length + 1);
    if (kind === 'fidelity') {
      // One batched simulation of the query and every candidate.
      const states = representationsOf(kind, enc, candidates.length + 1, param, this.engine, 'doc');
      for (let j = 0; j < candidates.length; j++) out[j] = Math.min(1, pairScore(states, 0, states, j + 1));
    } else {
      const q = representationsOf(kind, enc.subarray(0, width), 1, param, null, 'query');
      const d = representationsOf(kind, enc.subarray(width), candidates.length, param, null, 'doc');
      for (let j = 0; j < candidates.length; j++) out[j] = pairScore(q, 0, d, j);
    }
    const lambda = this.config.residual;
    if (lambda > 0) for (let j = 0; j < candidates.length; j++) out[j] = (out[j] + (lambda * (cosine(query, candidates[j]) + 1)) / 2) / (1 + lambda);
    return out;
  }
}

/** Cosine of two embeddings (float64 accumulation); 0 for a zero vector, as the model's 1e-12 guard gives. */
function cosine(a: Float32Array, b: Float32Array): number {
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let k = 0; k < a.length; k++) {
    ab += a[k] * b[k];
    aa += a[k] * a[k];
    bb += b[k] * b[k];
  }
  return ab / (Math.sqrt(aa + 1e-12) * Math.sqrt(bb + 1e-12));
}
