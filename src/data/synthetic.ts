// Synthetic 2-D classification sets (circles, moons, spirals, XOR) with Gaussian noise on the
// coordinates and optional pure-noise extra features, all drawn from the seeded PRNG. The two
// coordinates are features 0 and 1 (marked informative); noise features follow.

import { Rng } from '../util/random.js';
import type { Dataset } from './dataset.js';

export type SyntheticKind = 'circles' | 'moons' | 'spirals' | 'xor';

export interface SyntheticOptions {
  samples: number;
  /** Standard deviation of the Gaussian noise added to the two coordinates. */
  noise?: number;
  /** Extra features of pure N(0, 1) noise appended after the coordinates. */
  noiseFeatures?: number;
  seed: number;
  /** circles: inner radius relative to the outer one (0 < factor < 1). */
  factor?: number;
  /** spirals: number of arms (classes) and of turns of each arm. */
  classes?: number;
  turns?: number;
}

type Point = [x: number, y: number, label: number];

/** Two concentric circles (class 0 outside, class 1 inside), as sklearn's make_circles. */
function circles(n: number, rng: Rng, factor: number): Point[] {
  if (!(factor > 0 && factor < 1)) throw new RangeError(`circles: factor must be in (0, 1), got ${factor}`);
  const outer = Math.floor(n / 2);
  return Array.from({ length: n }, (_, i) => {
    const t = rng.uniform(0, 2 * Math.PI);
    const r = i < outer ? 1 : factor;
    return [r * Math.cos(t), r * Math.sin(t), i < outer ? 0 : 1];
  });
}

/** Two interleaving half circles, as sklearn's make_moons. */
function moons(n: number, rng: Rng): Point[] {
  const upper = Math.floor(n / 2);
  return Array.from({ length: n }, (_, i) => {
    const t = rng.uniform(0, Math.PI);
    return i < upper ? [Math.cos(t), Math.sin(t), 0] : [1 - Math.cos(t), 0.5 - Math.sin(t), 1];
  });
}

/** `classes` interleaved Archimedean spiral arms of `turns` turns, radius 0..1. */
function spirals(n: number, rng: Rng, classes: number, turns: number): Point[] {
  if (!(Number.isInteger(classes) && classes >= 2)) throw new RangeError(`spirals: classes must be an integer >= 2, got ${classes}`);
  return Array.from({ length: n }, (_, i) => {
    const k = i % classes;
    const r = Math.sqrt(rng.next()); // sqrt: even density along the arm's area
    const angle = 2 * Math.PI * (turns * r + k / classes);
    return [r * Math.cos(angle), r * Math.sin(angle), k];
  });
}

/** Uniform points in [−1, 1]²; class 0 where x·y > 0, class 1 elsewhere. */
function xor(n: number, rng: Rng): Point[] {
  return Array.from({ length: n }, () => {
    const x = rng.uniform(-1, 1);
    const y = rng.uniform(-1, 1);
    return [x, y, x * y > 0 ? 0 : 1];
  });
}

export function makeSynthetic(kind: SyntheticKind, options: SyntheticOptions): Dataset {
  const n = options.samples;
  if (!(Number.isInteger(n) && n >= 1)) throw new RangeError(`${kind}: samples must be an integer >= 1, got ${n}`);
  const noise = options.noise ?? 0;
  const extra = options.noiseFeatures ?? 0;
  if (!(noise >= 0)) throw new RangeError(`${kind}: noise must be >= 0, got ${noise}`);
  if (!(Number.isInteger(extra) && extra >= 0)) throw new RangeError(`${kind}: noiseFeatures must be an integer >= 0, got ${extra}`);
  const rng = new Rng(options.seed);
  let points: Point[];
  let numClasses = 2;
  switch (kind) {
    case 'circles':
      points = circles(n, rng, options.factor ?? 0.5);
      break;
    case 'moons':
      points = moons(n, rng);
      break;
    case 'spirals':
      numClasses = options.classes ?? 2;
      points = spirals(n, rng, numClasses, options.turns ?? 1);
      break;
    case 'xor':
      points = xor(n, rng);
      break;
    default:
      throw new Error(`unknown synthetic dataset "${kind as string}" (expected circles, moons, spirals or xor)`);
  }
  // Generators emit rows grouped by class; shuffle so that row order carries no information.
  rng.shuffle(points);
  const d = 2 + extra;
  const features = new Float32Array(n * d);
  const labels = new Int32Array(n);
  points.forEach(([x, y, label], i) => {
    features[i * d] = x + (noise > 0 ? rng.normal(0, noise) : 0);
    features[i * d + 1] = y + (noise > 0 ? rng.normal(0, noise) : 0);
    for (let j = 0; j < extra; j++) features[i * d + 2 + j] = rng.normal();
    labels[i] = label;
  });
  return {
    features,
    labels,
    numSamples: n,
    numFeatures: d,
    numClasses,
    featureNames: ['x', 'y', ...Array.from({ length: extra }, (_, j) => `noise_${j}`)],
    classNames: Array.from({ length: numClasses }, (_, k) => String(k)),
    informative: [0, 1],
  };
}
