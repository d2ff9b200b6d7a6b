// ResNet backbones in TensorFlow.js's functional API: basic blocks (two 3x3 convolutions, each
// followed by BatchNorm) with an identity shortcut where a block keeps its resolution and width,
// and a projection shortcut (1x1 convolution with the block's stride, then BatchNorm: He et al.'s
// option B, as Keras and torchvision build ResNet-18) where it changes either.
//
// Convolutions have no bias (the BatchNorm after each one has its own shift, so a bias would be a
// redundant parameter); this is the layout in which ResNet-18 for 10 classes has 11,173,962
// trainable parameters. Initializers are He-normal for convolutions and Glorot-uniform for the
// classifier, each seeded from (seed, layer name), so a layer's initial weights do not depend on
// what else the model holds.
//
// resnetGraph returns the symbolic tensors, not only a model: the pooled features and the
// classical logits, so that another head (a quantum one) can read the features and add its logits
// to the classifier's before the model is closed with tf.model.

import * as tf from '@tensorflow/tfjs';
import { deriveSeed } from '../../util/random.js';
import { fastBatchNormalization } from '../fast-batch-norm.js';
import { ModelConfigError } from '../build.js';
import { baseLayout, RESNET_DEFAULTS, RESNET_DEPTHS, scaledChannels, type ResNetConfig } from './spec.js';

export interface ResNetBuildOptions {
  /** One sample: [height, width, channels] (channels last); the first convolution takes every channel. */
  inputShape: number[];
  /** Outputs of the classifier. */
  classes: number;
  seed: number;
  name?: string;
}

/** The open graph of a backbone and its classifier, before it is closed into a model. */
export interface ResNetGraph {
  input: tf.SymbolicTensor;
  /** Global-average-pooled features, [batch, featureSize]. */
  features: tf.SymbolicTensor;
  featureSize: number;
  /** The dense classifier's output, [batch, classes] (pre-softmax). */
  logits: tf.SymbolicTensor;
}

/** Where the config's path starts, for errors. */
const PATH = 'model.resnet';

/** Builds layers with stable names and per-name seeds. */
class LayerFactory {
  constructor(
    private readonly seed: number,
    private readonly bn: { momentum: number; epsilon: number },
  ) {}

  conv(name: string, filters: number, kernelSize: number, strides: number): tf.layers.Layer {
    return tf.layers.conv2d({
      name,
      filters,
      kernelSize,
      strides,
      padding: 'same',
      useBias: false,
      dataFormat: 'channelsLast',
      kernelInitializer: tf.initializers.heNormal({ seed: deriveSeed(this.seed, 'init', name) }),
    });
  }

  batchNorm(name: string): tf.layers.Layer {
    return fastBatchNormalization({ name, axis: -1, momentum: this.bn.momentum, epsilon: this.bn.epsilon });
  }

  /** conv → BatchNorm (→ ReLU), the unit every part of a ResNet is made of. */
  convBn(x: tf.SymbolicTensor, name: string, filters: number, kernelSize: number, strides: number, relu: boolean): tf.SymbolicTensor {
    let y = this.conv(`${name}_conv`, filters, kernelSize, strides).apply(x) as tf.SymbolicTensor;
    y = this.batchNorm(`${name}_bn`).apply(y) as tf.SymbolicTensor;
    return relu ? (tf.layers.reLU({ name: `${name}_relu` }).apply(y) as tf.SymbolicTensor) : y;
  }
}

/** Channels of a symbolic tensor's last axis. */
function channelsOf(x: tf.SymbolicTensor): number {
  return x.shape[x.shape.length - 1] as number;
}

/** A basic block: two 3x3 conv-BN units, the shortcut, their sum, ReLU. */
function basicBlock(f: LayerFactory, x: tf.SymbolicTensor, name: string, channels: number, stride: number): tf.SymbolicTensor {
  const projection = stride !== 1 || channelsOf(x) !== channels;
  const shortcut = projection ? f.convBn(x, `${name}_proj`, channels, 1, stride, false) : x;
  let y = f.convBn(x, `${name}_a`, channels, 3, stride, true);
  y = f.convBn(y, `${name}_b`, channels, 3, 1, false);
  const sum = tf.layers.add({ name: `${name}_add` }).apply([y, shortcut]) as tf.SymbolicTensor;
  return tf.layers.reLU({ name: `${name}_out` }).apply(sum) as tf.SymbolicTensor;
}

/** Refuse what cannot be built, naming the config field. */
function checkConfig(config: ResNetConfig, options: ResNetBuildOptions): void {
  if (!(RESNET_DEPTHS as readonly number[]).includes(config.depth)) {
    throw new ModelConfigError(`${PATH}.depth`, `must be one of ${RESNET_DEPTHS.join(', ')} (got ${String(config.depth)})`);
  }
  const width = config.width ?? RESNET_DEFAULTS.width;
  if (!(width > 0 && Number.isFinite(width))) throw new ModelConfigError(`${PATH}.width`, `must be a positive number (got ${width})`);
  if (options.inputShape.length !== 3) {
    throw new ModelConfigError(PATH, `a ResNet takes images [height, width, channels]; the data has samples of shape [${options.inputShape.join(', ')}] (use an image data set: cifar10, cifar100, colour-shapes, mnist, fashion-mnist)`);
  }
  if (!(Number.isInteger(options.classes) && options.classes >= 1)) throw new ModelConfigError(PATH, `the classifier needs at least one class (got ${options.classes})`);
}

/** The backbone and classifier as symbolic tensors (see ResNetGraph). */
export function resnetGraph(config: ResNetConfig, options: ResNetBuildOptions): ResNetGraph {
  checkConfig(config, options);
  const width = config.width ?? RESNET_DEFAULTS.width;
  const f = new LayerFactory(options.seed, {
    momentum: config.batchNorm?.momentum ?? RESNET_DEFAULTS.bnMomentum,
    epsilon: config.batchNorm?.epsilon ?? RESNET_DEFAULTS.bnEpsilon,
  });
  const layout = baseLayout(config.depth);
  const input = tf.input({ shape: options.inputShape, name: 'input' });
  const stemChannels = scaledChannels(layout.stemChannels, width);
  let x: tf.SymbolicTensor;
  if ((config.stem ?? RESNET_DEFAULTS.stem) === 'imagenet') {
    x = f.convBn(input, 'stem', stemChannels, 7, 2, true);
    x = tf.layers.maxPooling2d({ name: 'stem_pool', poolSize: 3, strides: 2, padding: 'same', dataFormat: 'channelsLast' }).apply(x) as tf.SymbolicTensor;
  } else {
    x = f.convBn(input, 'stem', stemChannels, 3, 1, true);
  }
  layout.stages.forEach((stage, s) => {
    const channels = scaledChannels(stage.channels, width);
    for (let b = 0; b < stage.blocks; b++) x = basicBlock(f, x, `s${s + 1}b${b + 1}`, channels, b === 0 ? stage.stride : 1);
  });
  const features = tf.layers.globalAveragePooling2d({ name: 'pool', dataFormat: 'channelsLast' }).apply(x) as tf.SymbolicTensor;
  const logits = tf.layers
    .dense({ name: 'logits', units: options.classes, kernelInitializer: tf.initializers.glorotUniform({ seed: deriveSeed(options.seed, 'init', 'logits') }), biasInitializer: 'zeros' })
    .apply(features) as tf.SymbolicTensor;
  return { input, features, featureSize: channelsOf(features), logits };
}

/** A ResNet classifier: images in, one logit per class out. */
export function buildResNet(config: ResNetConfig, options: ResNetBuildOptions): tf.LayersModel {
  const graph = resnetGraph(config, options);
  return tf.model({ inputs: graph.input, outputs: graph.logits, name: options.name ? modelName(options.name) : `resnet${config.depth}` });
}

/** tfjs names allow letters, digits and ._-/ only. */
function modelName(name: string): string {
  const s = name.replace(/[^A-Za-z0-9._-]/g, '_');
  return /^[A-Za-z0-9]/.test(s) ? s : `m${s}`;
}
