// The in-memory form shared by the image loaders (MNIST, Fashion-MNIST, CIFAR-10): pixels as
// float32 in [0, 1], NHWC (image after image, row-major, channels last), ready for
// tf.tensor4d(images, [count, rows, cols, channels]) without another copy.

export interface ImageSplit {
  /** count*rows*cols*channels values in [0, 1], NHWC. */
  images: Float32Array;
  /** count class indices, each below `classes`. */
  labels: Uint8Array;
  count: number;
}

export interface ImageDataset {
  train: ImageSplit;
  test: ImageSplit;
  rows: number;
  cols: number;
  channels: number;
  classes: number;
  /** Human-readable class names, index = label. */
  labelNames: readonly string[];
  /** The folder the files were read from. */
  source: string;
}

/** Bytes 0..255 to float32 0..1. */
export function bytesToUnit(bytes: Uint8Array): Float32Array {
  const out = new Float32Array(bytes.length);
  const scale = 1 / 255;
  for (let i = 0; i < bytes.length; i++) out[i] = bytes[i] * scale;
  return out;
}

/**
 * Check a `limitTrain`/`limitTest` option: undefined means all; otherwise a positive integer
 * no larger than what the files hold (asking for more is an error, not a silent shortfall).
 */
export function checkLimit(limit: number | undefined, available: number, what: string): number {
  if (limit === undefined) return available;
  if (!Number.isInteger(limit) || limit < 1) {
    throw new Error(`${what} must be a positive integer, got ${limit}`);
  }
  if (limit > available) {
    throw new Error(`${what} is ${limit}, but only ${available} items are available`);
  }
  return limit;
}
