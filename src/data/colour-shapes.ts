// `colour-shapes`: a generated colour image set that a ResNet can learn on a CPU in minutes but a
// linear model cannot solve, so that the image model families run out of the box. Each sample is
// a 32x32 RGB image: a background of a random colour with per-pixel Gaussian noise, and one shape
// of a random colour (different enough from the background to be seen), size, position and small
// rotation. The class is the shape (disk, square, triangle, ...); colour, size, place and noise
// are nuisances, so the colour statistics of an image say nothing about its class.
//
// Everything is drawn from the seeded PRNG: the same seed gives the same images, bit for bit.

import { Rng } from '../util/random.js';
import type { Dataset } from './dataset.js';

export const COLOUR_SHAPE_NAMES = ['disk', 'square', 'triangle', 'plus', 'ring', 'diamond', 'cross', 'horizontal-stripes', 'vertical-stripes', 'checker'] as const;
export const COLOUR_SHAPES_SIDE = 32;
const CHANNELS = 3;

export interface ColourShapesOptions {
  samples: number;
  /** Number of classes, the first k shapes of COLOUR_SHAPE_NAMES; 2..10, default 10. */
  classes?: number;
  /** Standard deviation of the per-pixel noise (pixel values are in [0, 1]); default 0.1. */
  noise?: number;
  seed: number;
}

/** Whether point (u, v), in units of the shape's radius around its centre, is inside shape `k`. */
function inside(k: number, u: number, v: number): boolean {
  const box = Math.abs(u) <= 1 && Math.abs(v) <= 1;
  switch (k) {
    case 0: return u * u + v * v <= 1;
    case 1: return Math.abs(u) <= 0.8 && Math.abs(v) <= 0.8;
    case 2: return v >= -0.85 && v <= 0.85 && Math.abs(u) <= ((v + 0.85) / 1.7) * 0.95; // apex up (image rows grow downwards)
    case 3: return (Math.abs(u) <= 0.3 && Math.abs(v) <= 1) || (Math.abs(v) <= 0.3 && Math.abs(u) <= 1);
    case 4: {
      const r2 = u * u + v * v;
      return r2 <= 1 && r2 >= 0.55 * 0.55;
    }
    case 5: return Math.abs(u) + Math.abs(v) <= 1;
    case 6: {
      const a = (u + v) / Math.SQRT2;
      const b = (u - v) / Math.SQRT2;
      return (Math.abs(a) <= 0.25 && Math.abs(b) <= 1) || (Math.abs(b) <= 0.25 && Math.abs(a) <= 1);
    }
    case 7: return box && Math.floor((v + 1) * 2.5) % 2 === 0;
    case 8: return box && Math.floor((u + 1) * 2.5) % 2 === 0;
    case 9: return box && (Math.floor((u + 1) * 2) + Math.floor((v + 1) * 2)) % 2 === 0;
    default: throw new RangeError(`shape ${k}`);
  }
}

/** A colour at least `minGap` away from `bg` in some channel (drawn, not fixed, so colour carries no class). */
function contrastingColour(rng: Rng, bg: number[], minGap = 0.35): number[] {
  for (let attempt = 0; attempt < 16; attempt++) {
    const c = [rng.next(), rng.next(), rng.next()];
    if (c.some((v, i) => Math.abs(v - bg[i]) >= minGap)) return c;
  }
  return bg.map((v) => (v < 0.5 ? v + 0.5 : v - 0.5));
}

/** The data set: samples in class order 0, 1, ..., k−1, 0, 1, ... (the split shuffles them). */
export function makeColourShapes(options: ColourShapesOptions): Dataset {
  const { samples, seed } = options;
  const classes = options.classes ?? COLOUR_SHAPE_NAMES.length;
  const noise = options.noise ?? 0.1;
  if (!(Number.isInteger(samples) && samples >= 1)) throw new RangeError(`colour-shapes: samples must be an integer >= 1, got ${samples}`);
  if (!(Number.isInteger(classes) && classes >= 2 && classes <= COLOUR_SHAPE_NAMES.length)) {
    throw new RangeError(`colour-shapes: classes must be an integer from 2 to ${COLOUR_SHAPE_NAMES.length} (one per shape), got ${classes}`);
  }
  if (!(noise >= 0)) throw new RangeError(`colour-shapes: noise must be >= 0, got ${noise}`);
  const side = COLOUR_SHAPES_SIDE;
  const d = side * side * CHANNELS;
  const features = new Float32Array(samples * d);
  const labels = new Int32Array(samples);
  const rng = new Rng(seed);
  for (let n = 0; n < samples; n++) {
    const k = n % classes;
    labels[n] = k;
    const bg = [rng.next(), rng.next(), rng.next()];
    const fg = contrastingColour(rng, bg);
    const radius = rng.uniform(6, 12);
    const cx = rng.uniform(radius, side - radius);
    const cy = rng.uniform(radius, side - radius);
    const angle = rng.uniform(-Math.PI / 12, Math.PI / 12);
    const cos = Math.cos(angle) / radius;
    const sin = Math.sin(angle) / radius;
    const base = n * d;
    for (let y = 0; y < side; y++) {
      for (let x = 0; x < side; x++) {
        // Pixel centre, rotated into the shape's frame and scaled by its radius.
        const dx = x + 0.5 - cx;
        const dy = y + 0.5 - cy;
        const colour = inside(k, cos * dx + sin * dy, -sin * dx + cos * dy) ? fg : bg;
        const at = base + (y * side + x) * CHANNELS;
        for (let c = 0; c < CHANNELS; c++) features[at + c] = Math.min(1, Math.max(0, colour[c] + (noise > 0 ? rng.normal(0, noise) : 0)));
      }
    }
  }
  return {
    features,
    labels,
    numSamples: samples,
    numFeatures: d,
    numClasses: classes,
    featureNames: [],
    classNames: COLOUR_SHAPE_NAMES.slice(0, classes),
    shape: [side, side, CHANNELS],
  };
}
