// A classification task whose training batches are augmented on the fly (src/data/augment.ts):
// makeBatch — called for training batches only; evaluation reads the stored tensors — builds each
// batch from the host copy of the training images, augmenting image `row` of epoch e with an Rng
// seeded from (seed, 'augment', e, row). The same seed and epoch give the same augmented batch,
// whatever the batch size or the order of the shuffle, and a resumed run continues exactly.

import * as tf from '@tensorflow/tfjs';
import { augmentRows, type AugmentConfig, type ImageShape, type PixelMap } from '../data/augment.js';
import type { Standardizer } from '../data/standardize.js';
import type { LabeledTensors } from '../train/tasks/classification.js';
import type { TrainingTask } from '../train/tasks/task.js';
import { deriveSeed, Rng } from '../util/random.js';

export interface AugmentationOptions {
  config: AugmentConfig;
  seed: number;
  /** The training images (NHWC, as the training tensors hold them: standardized if the run standardizes). */
  images: Float32Array;
  /** One sample's shape, [height, width, channels]. */
  shape: number[];
  /** The run's standardizer, so colour operations work on pixels (absent: values are pixels). */
  standardizer?: Standardizer | null;
}

/** The pixel map of a per-channel standardizer (pixel = value·std + mean). */
export function pixelMapOf(s: Standardizer | null | undefined, channels: number): PixelMap | undefined {
  if (!s) return undefined;
  if (s.channels !== channels) throw new Error(`augmentation needs per-channel image statistics (${channels} channels), the standardizer has ${s.channels ?? s.mean.length + ' per-feature'} entries`);
  return { mean: s.mean, std: s.std };
}

export function withAugmentation(task: TrainingTask<LabeledTensors, LabeledTensors>, options: AugmentationOptions): TrainingTask<LabeledTensors, LabeledTensors> {
  if (options.shape.length !== 3) throw new Error(`training.augment works on images [height, width, channels]; the data has samples of shape [${options.shape.join(', ')}]`);
  const [height, width, channels] = options.shape;
  const shape: ImageShape = { height, width, channels };
  const pixels = pixelMapOf(options.standardizer, channels);
  let epoch = 0;
  return {
    ...task,
    beginEpoch: (ctx) => {
      epoch = ctx.epoch;
      task.beginEpoch?.(ctx);
    },
    makeBatch: (data, rows) => {
      const e = epoch;
      const x = augmentRows(options.images, rows, shape, options.config, (row) => new Rng(deriveSeed(options.seed, 'augment', e, row)), pixels);
      return { x: tf.tensor(x, [rows.length, height, width, channels], 'float32'), y: tf.gather(data.y, tf.tensor1d(rows, 'int32')) as tf.Tensor1D };
    },
  };
}
