// What a ResNet backbone is made of, as the config's `model.resnet` section describes it, and the
// JSON Schema of that section. Two families of basic-block ResNets:
//
//   - the small CIFAR ResNets of He et al. (2016, §4.2): depth 6n+2, three stages of n blocks with
//     16, 32, 64 channels (× width), strides 1, 2, 2 — ResNet-8 (n=1) and ResNet-20 (n=3) train on
//     a CPU in minutes;
//   - ResNet-18 and ResNet-34: four stages of [2,2,2,2] / [3,4,6,3] blocks with 64..512 channels
//     (× width), strides 1, 2, 2, 2.
//
// Either family takes either stem: `cifar` (3x3 conv, stride 1, no max-pool: keeps 32x32 inputs
// at full resolution) or `imagenet` (7x7/2 conv and a 3x3/2 max-pool: a quarter of the side).
// The input channels and the number of classes come from the data, never from this section.

export const RESNET_DEPTHS = [8, 14, 20, 32, 44, 56, 18, 34] as const;
export type ResNetDepth = (typeof RESNET_DEPTHS)[number];
export const RESNET_STEMS = ['cifar', 'imagenet'] as const;
export type ResNetStem = (typeof RESNET_STEMS)[number];

export interface ResNetConfig {
  depth: ResNetDepth;
  /** Default cifar. */
  stem?: ResNetStem;
  /** Channel multiplier of every stage (channels = max(1, round(base × width))); default 1. */
  width?: number;
  /** A TensorFlow.js layers model (model.json + its weight files) or a weights manifest to start from; relative to the config file. */
  initialWeights?: string;
  /** Every BatchNorm layer's settings; defaults as PyTorch's (moving-average momentum 0.9, i.e. torch's 0.1, and epsilon 1e-5). */
  batchNorm?: { momentum?: number; epsilon?: number };
}

export const RESNET_DEFAULTS = { stem: 'cifar', width: 1, bnMomentum: 0.9, bnEpsilon: 1e-5 } as const;

/** One stage: `blocks` basic blocks of `channels` outputs, the first with `stride`. */
export interface StageLayout {
  blocks: number;
  channels: number;
  stride: number;
}

/** The stem's width and the stages of a depth, before the width multiplier. */
export function baseLayout(depth: ResNetDepth): { stemChannels: number; stages: StageLayout[] } {
  if (depth === 18 || depth === 34) {
    const blocks = depth === 18 ? [2, 2, 2, 2] : [3, 4, 6, 3];
    return { stemChannels: 64, stages: blocks.map((b, i) => ({ blocks: b, channels: 64 << i, stride: i === 0 ? 1 : 2 })) };
  }
  const n = (depth - 2) / 6;
  return { stemChannels: 16, stages: [16, 32, 64].map((c, i) => ({ blocks: n, channels: c, stride: i === 0 ? 1 : 2 })) };
}

/** Channels of a base width under the multiplier (at least 1). */
export function scaledChannels(base: number, width: number): number {
  return Math.max(1, Math.round(base * width));
}

export const RESNET_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['depth'],
  properties: {
    depth: { enum: RESNET_DEPTHS },
    stem: { enum: RESNET_STEMS, default: RESNET_DEFAULTS.stem },
    width: { type: 'number', exclusiveMinimum: 0, maximum: 16, default: RESNET_DEFAULTS.width },
    initialWeights: { type: 'string', minLength: 1 },
    batchNorm: {
      type: 'object',
      additionalProperties: false,
      properties: {
        momentum: { type: 'number', minimum: 0, maximum: 1 },
        epsilon: { type: 'number', exclusiveMinimum: 0 },
      },
    },
  },
} as const;
