// Image augmentations for training batches: random resized crop, horizontal flip and a subset of
// RandAugment (Cubuk et al. 2020: `n` operations drawn uniformly, each at one global magnitude).
// Pure functions on NHWC float32 images; every random choice comes from the Rng handed in, which
// the trainer seeds from (seed, epoch, example index) — so an example's augmentation in an epoch
// does not depend on the batch it lands in, and a resumed run draws exactly what the
// uninterrupted one drew.
//
// Images are usually standardized before training (per channel). Colour operations are defined
// on pixels in [0, 1]: given the standardizer, they map to pixels and back; without one the
// values are taken as pixels. Geometric operations fill uncovered pixels with 0 (the channel mean
// of standardized images). An operation at strength 0 leaves the image untouched, bit for bit,
// so magnitude 0 is the identity.

import type { Rng } from '../util/random.js';

/** The RandAugment operations implemented (each has a magnitude; none is the identity at m > 0). */
export const RAND_AUGMENT_OPS = ['translate-x', 'translate-y', 'rotate', 'shear-x', 'shear-y', 'brightness', 'contrast', 'solarize', 'posterize'] as const;
export type RandAugmentOp = (typeof RAND_AUGMENT_OPS)[number];
/** RandAugment's magnitude scale: 0 (nothing) to 30 (strongest). */
export const MAX_MAGNITUDE = 30;

export interface AugmentConfig {
  /** Mirror left-right with probability 1/2. */
  flip?: boolean;
  /** Random resized crop: a box of `scale` of the area and aspect `ratio`, resized back (bilinear). */
  crop?: { scale?: [number, number]; ratio?: [number, number] };
  randAugment?: { n: number; magnitude: number; ops?: RandAugmentOp[] };
}

export const CROP_DEFAULTS = { scale: [0.35, 1] as [number, number], ratio: [3 / 4, 4 / 3] as [number, number] };

/** Per-channel affine map between stored values and pixels: pixel = value·std + mean. */
export interface PixelMap {
  mean: number[];
  std: number[];
}

export interface ImageShape {
  height: number;
  width: number;
  channels: number;
}

/** Bilinear sample of channel `c` at (y, x) in pixel-centre coordinates; outside: `fill`. */
function sample(img: Float32Array, s: ImageShape, y: number, x: number, c: number, fill: number): number {
  const { height: h, width: w, channels: ch } = s;
  const y0 = Math.floor(y);
  const x0 = Math.floor(x);
  const fy = y - y0;
  const fx = x - x0;
  const at = (yy: number, xx: number) => (yy < 0 || yy >= h || xx < 0 || xx >= w ? fill : img[(yy * w + xx) * ch + c]);
  return (1 - fy) * ((1 - fx) * at(y0, x0) + fx * at(y0, x0 + 1)) + fy * ((1 - fx) * at(y0 + 1, x0) + fx * at(y0 + 1, x0 + 1));
}

/** out(y, x) = img(map(y, x)) for every pixel (bilinear, `fill` outside). */
function warp(img: Float32Array, s: ImageShape, map: (y: number, x: number) => [number, number]): void {
  const src = img.slice();
  const { height: h, width: w, channels: ch } = s;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const [sy, sx] = map(y, x);
      for (let c = 0; c < ch; c++) img[(y * w + x) * ch + c] = sample(src, s, sy, sx, c, 0);
    }
  }
}

/** Mirror left-right, exactly. */
export function flipHorizontal(img: Float32Array, s: ImageShape): void {
  const { height: h, width: w, channels: ch } = s;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w >> 1; x++) {
      const a = (y * w + x) * ch;
      const b = (y * w + (w - 1 - x)) * ch;
      for (let c = 0; c < ch; c++) {
        const t = img[a + c];
        img[a + c] = img[b + c];
        img[b + c] = t;
      }
    }
  }
}

/** Random resized crop (as torchvision's RandomResizedCrop): the output keeps the image's size. */
export function randomResizedCrop(img: Float32Array, s: ImageShape, rng: Rng, scale: [number, number], ratio: [number, number]): void {
  const { height: h, width: w } = s;
  const area = h * w;
  let box: [number, number, number, number] | undefined;
  for (let attempt = 0; attempt < 10 && !box; attempt++) {
    const target = area * rng.uniform(scale[0], scale[1]);
    const aspect = Math.exp(rng.uniform(Math.log(ratio[0]), Math.log(ratio[1])));
    const cw = Math.round(Math.sqrt(target * aspect));
    const chh = Math.round(Math.sqrt(target / aspect));
    if (cw >= 1 && chh >= 1 && cw <= w && chh <= h) box = [rng.int(h - chh + 1), rng.int(w - cw + 1), chh, cw];
  }
  const [top, left, bh, bw] = box ?? [0, 0, h, w];
  if (bh === h && bw === w) return; // the whole image: nothing to resample
  // Output pixel centre (y + 1/2) maps to top + (y + 1/2)·bh/h in the source, clamped into the box.
  const clampY = (v: number) => Math.min(top + bh - 1, Math.max(top, v));
  const clampX = (v: number) => Math.min(left + bw - 1, Math.max(left, v));
  warp(img, s, (y, x) => [clampY(top + ((y + 0.5) * bh) / h - 0.5), clampX(left + ((x + 0.5) * bw) / w - 0.5)]);
}

/** Apply `f` to every value as a pixel in [0, 1] (through the pixel map), clamping the result. */
function perPixel(img: Float32Array, s: ImageShape, pixels: PixelMap | undefined, f: (p: number, c: number) => number): void {
  const ch = s.channels;
  for (let i = 0; i < img.length; i++) {
    const c = i % ch;
    const p = pixels ? img[i] * pixels.std[c] + pixels.mean[c] : img[i];
    const q = Math.min(1, Math.max(0, f(Math.min(1, Math.max(0, p)), c)));
    img[i] = pixels ? (q - pixels.mean[c]) / pixels.std[c] : q;
  }
}

/** One RandAugment operation at strength `frac` in (0, 1] and direction `sign` (±1). */
function applyOp(op: RandAugmentOp, img: Float32Array, s: ImageShape, frac: number, sign: number, pixels: PixelMap | undefined): void {
  const { height: h, width: w } = s;
  const cy = (h - 1) / 2;
  const cx = (w - 1) / 2;
  switch (op) {
    case 'translate-x': {
      const d = Math.round(sign * frac * 0.3 * w);
      if (d !== 0) warp(img, s, (y, x) => [y, x - d]);
      return;
    }
    case 'translate-y': {
      const d = Math.round(sign * frac * 0.3 * h);
      if (d !== 0) warp(img, s, (y, x) => [y - d, x]);
      return;
    }
    case 'rotate': {
      const a = (sign * frac * 30 * Math.PI) / 180;
      const cos = Math.cos(a);
      const sin = Math.sin(a);
      warp(img, s, (y, x) => [cy + cos * (y - cy) - sin * (x - cx), cx + sin * (y - cy) + cos * (x - cx)]);
      return;
    }
    case 'shear-x': {
      const k = sign * frac * 0.3;
      warp(img, s, (y, x) => [y, x + k * (y - cy)]);
      return;
    }
    case 'shear-y': {
      const k = sign * frac * 0.3;
      warp(img, s, (y, x) => [y + k * (x - cx), x]);
      return;
    }
    case 'brightness': {
      const factor = 1 + sign * frac * 0.9;
      perPixel(img, s, pixels, (p) => p * factor);
      return;
    }
    case 'contrast': {
      // Blend with the image's mean grey (PIL's ImageEnhance.Contrast).
      const factor = 1 + sign * frac * 0.9;
      let sum = 0;
      perPixel(img.slice(), s, pixels, (p) => {
        sum += p;
        return p;
      });
      const grey = sum / img.length;
      perPixel(img, s, pixels, (p) => grey + (p - grey) * factor);
      return;
    }
    case 'solarize': {
      const threshold = 1 - frac;
      perPixel(img, s, pixels, (p) => (p > threshold ? 1 - p : p));
      return;
    }
    case 'posterize': {
      const bits = 8 - Math.round(frac * 4);
      if (bits >= 8) return;
      const levels = 2 ** bits;
      perPixel(img, s, pixels, (p) => Math.floor(Math.min(p * 256, 255) / (256 / levels)) * (256 / levels) / 255);
      return;
    }
  }
}

/** Augment one image in place: crop, flip, then `n` RandAugment operations. */
export function augmentImage(img: Float32Array, s: ImageShape, rng: Rng, config: AugmentConfig, pixels?: PixelMap): void {
  if (config.crop) randomResizedCrop(img, s, rng, config.crop.scale ?? CROP_DEFAULTS.scale, config.crop.ratio ?? CROP_DEFAULTS.ratio);
  if (config.flip && rng.next() < 0.5) flipHorizontal(img, s);
  const ra = config.randAugment;
  if (ra && ra.n > 0) {
    const ops = ra.ops ?? RAND_AUGMENT_OPS;
    const frac = Math.min(ra.magnitude, MAX_MAGNITUDE) / MAX_MAGNITUDE;
    for (let k = 0; k < ra.n; k++) {
      const op = ops[rng.int(ops.length)];
      const sign = rng.next() < 0.5 ? -1 : 1;
      if (frac > 0) applyOp(op, img, s, frac, sign, pixels);
    }
  }
}

/**
 * The images `rows` of `features` (NHWC, one image after another), copied and augmented; image i
 * draws from `rngOf(rows[i])`.
 */
export function augmentRows(features: Float32Array, rows: ArrayLike<number>, s: ImageShape, config: AugmentConfig, rngOf: (row: number) => Rng, pixels?: PixelMap): Float32Array {
  const d = s.height * s.width * s.channels;
  const out = new Float32Array(rows.length * d);
  for (let i = 0; i < rows.length; i++) {
    const img = out.subarray(i * d, (i + 1) * d);
    img.set(features.subarray(rows[i] * d, rows[i] * d + d));
    augmentImage(img, s, rngOf(rows[i]), config, pixels);
  }
  return out;
}
