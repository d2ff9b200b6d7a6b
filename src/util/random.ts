// The one source of randomness in Entangle: a seeded xoshiro128** generator, seeded through
// splitmix32, plus `deriveSeed` to name independent streams (shuffle of epoch 7, init of layer 3…)
// by hashing a base seed with labels. Deriving every stream from (seed, labels) rather than
// threading one generator through a run is what makes resume exact: no RNG state needs saving.
// Math.random is never used anywhere in the project.

/** splitmix32 step: a fast, well-mixed u32 → u32 map (used to seed and to hash). */
function splitmix32(state: number): number {
  let z = (state + 0x9e3779b9) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/** Mix a string into a u32 (FNV-1a, then splitmix to spread the bits). */
function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return splitmix32(h >>> 0);
}

/**
 * A u32 seed for an independent stream named by `labels` under `seed`, e.g.
 * `deriveSeed(7, 'shuffle', epoch)`. Never 0: TensorFlow.js treats a 0 seed as "unseeded".
 */
export function deriveSeed(seed: number, ...labels: Array<string | number>): number {
  let h = splitmix32(seed >>> 0) ^ splitmix32(Math.floor(seed / 2 ** 32) >>> 0);
  for (const label of labels) {
    const part = typeof label === 'number' ? splitmix32((label >>> 0) ^ 0x5bd1e995) ^ splitmix32(Math.floor(label / 2 ** 32) >>> 0) : hashString(label);
    h = splitmix32((h ^ part) >>> 0);
  }
  return h === 0 ? 0x2545f491 : h;
}

/** xoshiro128** (Blackman & Vigna): 128-bit state, period 2^128 − 1, passes BigCrush. */
export class Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  /** A spare normal deviate from the last Box–Muller pair. */
  private spareNormal: number | undefined;

  constructor(seed: number) {
    let x = seed >>> 0;
    x = splitmix32(x);
    this.s0 = x;
    x = splitmix32(x);
    this.s1 = x;
    x = splitmix32(x);
    this.s2 = x;
    x = splitmix32(x);
    this.s3 = x;
    // The all-zero state is the one fixed point of xoshiro; splitmix never yields four zeros, but guard anyway.
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /** Uniform u32. */
  nextU32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform in [0, 1) with 53 random bits. */
  next(): number {
    const hi = this.nextU32() >>> 5; // 27 bits
    const lo = this.nextU32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** Uniform in [low, high). */
  uniform(low = 0, high = 1): number {
    return low + (high - low) * this.next();
  }

  /** Uniform integer in [0, n), without modulo bias. */
  int(n: number): number {
    if (!Number.isInteger(n) || n <= 0 || n > 2 ** 32) throw new RangeError(`Rng.int: n must be an integer in 1..2^32, got ${n}`);
    const limit = 2 ** 32 - (2 ** 32 % n);
    for (;;) {
      const r = this.nextU32();
      if (r < limit) return r % n;
    }
  }

  /** Normal deviate (Box–Muller). */
  normal(mean = 0, std = 1): number {
    if (this.spareNormal !== undefined) {
      const z = this.spareNormal;
      this.spareNormal = undefined;
      return mean + std * z;
    }
    let u = 0;
    while (u === 0) u = this.next();
    const v = this.next();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spareNormal = r * Math.sin(2 * Math.PI * v);
    return mean + std * r * Math.cos(2 * Math.PI * v);
  }

  /** Shuffle in place (Fisher–Yates) and return the array. */
  shuffle<T>(items: T[]): T[];
  shuffle(items: Int32Array | Uint32Array): Int32Array | Uint32Array;
  shuffle<T>(items: T[] | Int32Array | Uint32Array): T[] | Int32Array | Uint32Array {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = items[i];
      items[i] = items[j];
      items[j] = tmp;
    }
    return items;
  }

  /** A random permutation of 0..n−1. */
  permutation(n: number): Int32Array {
    const p = new Int32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    return this.shuffle(p) as Int32Array;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
