// Scoring many (query, document) pairs from few computations: every query and document is
// encoded once (the MLP) and turned once into what its similarity compares — a circuit state for
// fidelity, a unit vector for cosine, W·d̂ for bilinear — and each pair is then a dot product.
// Mining hard negatives and validation rerank thousands of candidate lists this way; the
// tfjs/engine path of model.ts (one op per batch, with gradients) is for training steps.

import * as tf from '@tensorflow/tfjs';
import { fidelityOfStates, type FidelityMatrix } from '../../engine/fidelity-matrix.js';
import type { Similarity } from './config.js';

export interface Representations {
  readonly kind: Similarity;
  readonly count: number;
  /** fidelity: amplitude-major states; cosine / bilinear: row-major [count, size] vectors in re. */
  readonly re: Float64Array;
  readonly im: Float64Array;
  readonly size: number;
}

/** What the similarity needs of the encodings (row-major [count, outputDim]). `side` matters for bilinear only. */
export function representationsOf(
  kind: Similarity, encodings: ArrayLike<number>, count: number, param: ArrayLike<number> | null, engine: FidelityMatrix | null, side: 'query' | 'doc',
): Representations {
  const size = encodings.length / count;
  if (kind === 'fidelity') {
    const s = engine!.states(encodings, param ?? new Float64Array(0));
    return { kind, count, re: s.re, im: s.im, size: s.re.length / count };
  }
  const re = new Float64Array(count * size);
  for (let r = 0; r < count; r++) {
    let norm = 0;
    for (let k = 0; k < size; k++) norm += encodings[r * size + k] ** 2;
    const inv = 1 / Math.sqrt(norm + 1e-12);
    for (let k = 0; k < size; k++) re[r * size + k] = encodings[r * size + k] * inv;
  }
  if (kind === 'bilinear' && side === 'doc') {
    // s = q̂ᵀ W d̂: documents carry W d̂, so a pair is q̂ · (W d̂).
    const wd = new Float64Array(count * size);
    for (let r = 0; r < count; r++)
      for (let a = 0; a < size; a++) {
        let acc = 0;
        for (let b = 0; b < size; b++) acc += param![a * size + b] * re[r * size + b];
        wd[r * size + a] = acc;
      }
    return { kind, count, re: wd, im: new Float64Array(0), size };
  }
  return { kind, count, re, im: new Float64Array(0), size };
}

export function pairScore(q: Representations, i: number, d: Representations, j: number): number {
  if (q.kind === 'fidelity') return fidelityOfStates(q, i, d, j);
  let acc = 0;
  const size = q.size;
  for (let k = 0; k < size; k++) acc += q.re[i * size + k] * d.re[j * size + k];
  return acc;
}

/** The encoder's outputs for rows of embeddings, in inference mode, in batches. */
export function encodeRows(model: tf.LayersModel, embeddings: tf.Tensor2D, rows: Int32Array | null, batchSize = 1024): Float32Array {
  const n = rows ? rows.length : embeddings.shape[0];
  const width = (model.outputs[0].shape[1] as number) ?? 0;
  const out = new Float32Array(n * width);
  for (let start = 0; start < n; start += batchSize) {
    const size = Math.min(batchSize, n - start);
    const t = tf.tidy(() => {
      const x = rows ? tf.gather(embeddings, tf.tensor1d(rows.subarray(start, start + size), 'int32')) : embeddings.slice(start, size);
      return model.apply(x, { training: false }) as tf.Tensor;
    });
    out.set(t.dataSync() as Float32Array, start * width);
    t.dispose();
  }
  return out;
}
