// A real, deterministic scorer for the server's tests (no model, no tfjs): texts are embedded
// as hashed bags of words (each lower-cased word adds ±1 to one of `dim` buckets, FNV-1a), and a
// candidate's score is the fidelity |<q|c>|^2 of the two vectors normalized to unit length —
// what a swap test between their amplitude encodings measures, and in [0, 1] as the model's is.

import type { RerankScorer } from '../../src/serve/scorer.js';

export interface HashingScorerOptions {
  readonly dim?: number;
  readonly manifest?: object;
  /** Awaited at the start of every `embed` call (tests hold requests in flight with it). */
  readonly beforeEmbed?: (texts: readonly string[]) => Promise<void> | void;
}

function fnv1a(word: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < word.length; i++) h = Math.imul(h ^ word.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

export function embedText(text: string, dim: number): Float32Array {
  const v = new Float32Array(dim);
  for (const word of text.toLowerCase().match(/[a-z0-9]+/g) ?? []) {
    const h = fnv1a(word);
    v[h % dim] += h & 0x80000000 ? -1 : 1;
  }
  return v;
}

/** |<a|b>|^2 / (|a|^2 |b|^2), and 0 for a zero vector. */
export function fidelity(a: Float32Array, b: Float32Array): number {
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i++) {
    ab += a[i] * b[i];
    aa += a[i] * a[i];
    bb += b[i] * b[i];
  }
  return aa === 0 || bb === 0 ? 0 : (ab * ab) / (aa * bb);
}

export function hashingScorer(options: HashingScorerOptions = {}): RerankScorer & { readonly embedded: string[][] } {
  const dim = options.dim ?? 64;
  const embedded: string[][] = [];
  return {
    manifest: options.manifest ?? { formatVersion: 1, embedder: `hashing-bow-${dim}`, qubits: Math.ceil(Math.log2(dim)) },
    embeddingDim: dim,
    embedded,
    async embed(texts) {
      embedded.push([...texts]);
      await options.beforeEmbed?.(texts);
      return texts.map((t) => embedText(t, dim));
    },
    score(query, candidates) {
      return Float64Array.from(candidates, (c) => fidelity(query, c));
    },
  };
}
