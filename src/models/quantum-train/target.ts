// The target network of Quantum-Train: a plain TensorFlow.js model whose every trainable weight is
// generated (by the circuit and the mapping network) instead of trained. Here it is described by
// a small list of layer steps that can be
//   - run functionally on generated weight tensors (`runTarget`: tf.conv2d / tf.maxPool /
//     tf.matMul with the weights as ordinary tensors, so gradients reach whatever made them), and
//   - built as a standard tf.Sequential (`buildTargetModel`) for export, or for training the same
//     network directly as the classical baseline.
// Any tf.Sequential made of supported layers converts to steps (`stepsFromModel`), so users can
// point Quantum-Train at their own network. Weights are listed in the tfjs order of
// `model.trainableWeights` (per layer: kernel, then bias), which is the order generated values
// fill them in.

import * as tf from '@tensorflow/tfjs';

export type TargetActivation = 'linear' | 'relu' | 'relu6' | 'elu' | 'selu' | 'sigmoid' | 'tanh' | 'softplus' | 'softsign' | 'swish';
export const TARGET_ACTIVATIONS: readonly TargetActivation[] = ['linear', 'relu', 'relu6', 'elu', 'selu', 'sigmoid', 'tanh', 'softplus', 'softsign', 'swish'];

export type TargetStep =
  | { kind: 'conv2d'; filters: number; kernelSize: [number, number]; strides: [number, number]; padding: 'valid' | 'same'; activation: TargetActivation; useBias: boolean }
  | { kind: 'maxpool' | 'avgpool'; poolSize: [number, number]; strides: [number, number]; padding: 'valid' | 'same' }
  | { kind: 'flatten' }
  | { kind: 'dense'; units: number; activation: TargetActivation; useBias: boolean }
  | { kind: 'activation'; activation: TargetActivation };

/** An input transform x → x·scale + offset put in front of an exported network. */
export interface InputRescale {
  scale: number;
  offset: number;
}

export interface TargetNet {
  /** Shape of one input sample, e.g. [28, 28, 1]. */
  inputShape: number[];
  steps: TargetStep[];
}

/** One generated weight tensor: its tfjs layer/weight name and shape. */
export interface TargetWeight {
  name: string;
  shape: number[];
  size: number;
}

export const TARGET_PRESETS = ['qt_mnist_cnn', 'qt_mnist_cnn_relu'] as const;
export type TargetPreset = (typeof TARGET_PRESETS)[number];

/**
 * The paper's MNIST CNN (Liu et al. 2024, official code): Conv(1→8, 5×5) → MaxPool 2 →
 * Conv(8→12, 5×5) → MaxPool 2 → Flatten → Dense(192→20) → Dense(20→10). 28→24→12→8→4, so the
 * flattened size is 4·4·12 = 192, and 208 + 2,412 + 3,860 + 210 = 6,690 parameters. The official
 * code applies no activation function anywhere (max-pooling is the only non-linearity);
 * `qt_mnist_cnn_relu` adds ReLU after each conv and the first dense layer, the common variant.
 */
export function targetPreset(name: TargetPreset, inputShape: number[] = [28, 28, 1], classes = 10): TargetNet {
  const act: TargetActivation = name === 'qt_mnist_cnn_relu' ? 'relu' : 'linear';
  const conv = (filters: number): TargetStep => ({ kind: 'conv2d', filters, kernelSize: [5, 5], strides: [1, 1], padding: 'valid', activation: act, useBias: true });
  const pool: TargetStep = { kind: 'maxpool', poolSize: [2, 2], strides: [2, 2], padding: 'valid' };
  if (!(TARGET_PRESETS as readonly string[]).includes(name)) throw new Error(`unknown target preset "${name}"; choose one of ${TARGET_PRESETS.join(', ')}`);
  return {
    inputShape,
    steps: [conv(8), pool, conv(12), pool, { kind: 'flatten' }, { kind: 'dense', units: 20, activation: act, useBias: true }, { kind: 'dense', units: classes, activation: 'linear', useBias: true }],
  };
}

/** Output shape (without batch) of every step, checking that each step fits its input. */
export function stepShapes(net: TargetNet): number[][] {
  const shapes: number[][] = [];
  let shape = [...net.inputShape];
  net.steps.forEach((step, i) => {
    const where = `target step ${i} (${step.kind})`;
    switch (step.kind) {
      case 'conv2d':
      case 'maxpool':
      case 'avgpool': {
        if (shape.length !== 3) throw new Error(`${where}: needs an image input [height, width, channels], got [${shape.join(', ')}]`);
        const [k, s, pad] = step.kind === 'conv2d' ? [step.kernelSize, step.strides, step.padding] : [step.poolSize, step.strides, step.padding];
        const out = [0, 1].map((d) => (pad === 'same' ? Math.ceil(shape[d] / s[d]) : Math.floor((shape[d] - k[d]) / s[d]) + 1));
        if (out.some((v) => v < 1)) throw new Error(`${where}: a ${k.join('×')} window does not fit the ${shape[0]}×${shape[1]} input`);
        shape = [out[0], out[1], step.kind === 'conv2d' ? step.filters : shape[2]];
        break;
      }
      case 'flatten':
        shape = [shape.reduce((a, b) => a * b, 1)];
        break;
      case 'dense':
        if (shape.length !== 1) throw new Error(`${where}: needs a flat input; add a flatten step before it (input is [${shape.join(', ')}])`);
        shape = [step.units];
        break;
      case 'activation':
        break;
    }
    shapes.push(shape);
  });
  return shapes;
}

/** The generated tensors, in fill order (per layer: kernel, then bias). */
export function targetWeights(net: TargetNet): TargetWeight[] {
  const shapes = stepShapes(net);
  const out: TargetWeight[] = [];
  net.steps.forEach((step, i) => {
    const input = i === 0 ? net.inputShape : shapes[i - 1];
    const add = (name: string, shape: number[]) => out.push({ name: `${name}`, shape, size: shape.reduce((a, b) => a * b, 1) });
    if (step.kind === 'conv2d') {
      add(`step${i}_conv2d/kernel`, [step.kernelSize[0], step.kernelSize[1], input[2], step.filters]);
      if (step.useBias) add(`step${i}_conv2d/bias`, [step.filters]);
    } else if (step.kind === 'dense') {
      add(`step${i}_dense/kernel`, [input[0], step.units]);
      if (step.useBias) add(`step${i}_dense/bias`, [step.units]);
    }
  });
  return out;
}

/** Number of parameters the target network has (= generated values). */
export function targetParamCount(net: TargetNet): number {
  return targetWeights(net).reduce((s, w) => s + w.size, 0);
}

export function applyActivation(x: tf.Tensor, activation: TargetActivation): tf.Tensor {
  switch (activation) {
    case 'linear':
      return x;
    case 'relu':
      return tf.relu(x);
    case 'relu6':
      return tf.relu6(x);
    case 'elu':
      return tf.elu(x);
    case 'selu':
      return tf.selu(x);
    case 'sigmoid':
      return tf.sigmoid(x);
    case 'tanh':
      return tf.tanh(x);
    case 'softplus':
      return tf.softplus(x);
    case 'softsign':
      return tf.div(x, tf.add(tf.abs(x), 1));
    case 'swish':
      return tf.mul(x, tf.sigmoid(x));
  }
}

/**
 * Run the target on a batch with the given weight tensors (in `targetWeights` order). Inputs may
 * be flat ([B, prod(inputShape)], as tabular data loaders give them) or already shaped.
 */
export function runTarget(net: TargetNet, x: tf.Tensor, weights: readonly tf.Tensor[]): tf.Tensor2D {
  let h = x.rank === 2 && net.inputShape.length > 1 ? tf.reshape(x, [x.shape[0], ...net.inputShape]) : x;
  let k = 0;
  const next = () => {
    const w = weights[k++];
    if (!w) throw new Error(`runTarget: ran out of weight tensors at tensor ${k - 1}; the target needs ${targetWeights(net).length}`);
    return w;
  };
  // True until the first weight-bearing step: h is then a function of the data alone.
  let dataOnly = true;
  for (const step of net.steps) {
    switch (step.kind) {
      case 'conv2d': {
        const filter = next() as tf.Tensor4D;
        const bias = step.useBias ? next() : undefined;
        if (dataOnly) {
          // On the data, no input gradient is wanted: tf.fused.conv2d's gradient (a customGrad)
          // computes it regardless — 13 ms of a 45 ms CNN step at batch 64 for the 28×28 input
          // (measured with tf.profile) — while tf.conv2d's registered gradient computes only the
          // filter gradient the tape asks for.
          h = tf.conv2d(h as tf.Tensor4D, filter, step.strides, step.padding);
          if (bias) h = tf.add(h, bias);
        } else {
          // fused conv2d adds the bias in the conv kernel; its activation stays a separate op so
          // every activation has a gradient.
          h = tf.fused.conv2d({ x: h as tf.Tensor4D, filter, strides: step.strides, pad: step.padding, bias });
        }
        h = applyActivation(h, step.activation);
        dataOnly = false;
        break;
      }
      case 'maxpool':
        h = tf.maxPool(h as tf.Tensor4D, step.poolSize, step.strides, step.padding);
        break;
      case 'avgpool':
        h = tf.avgPool(h as tf.Tensor4D, step.poolSize, step.strides, step.padding);
        break;
      case 'flatten':
        h = tf.reshape(h, [h.shape[0], -1]);
        break;
      case 'dense': {
        const kernel = next() as tf.Tensor2D;
        const bias = step.useBias ? next() : undefined;
        h = tf.fused.matMul({ a: h as tf.Tensor2D, b: kernel, bias });
        dataOnly = false;
        h = applyActivation(h, step.activation);
        break;
      }
      case 'activation':
        h = applyActivation(h, step.activation);
        break;
    }
  }
  if (k !== weights.length) throw new Error(`runTarget: got ${weights.length} weight tensors, the target uses ${k}`);
  return h as tf.Tensor2D;
}

/**
 * The target as a standard tf.Sequential of built-in layers (no Entangle classes), with seeded
 * initializers: what the export writes, and what a classical baseline trains directly. With
 * `flatInput`, a Reshape layer first lets it take the flat rows tabular loaders produce.
 */
export function buildTargetModel(net: TargetNet, opts: { seed?: number; flatInput?: boolean; name?: string; layerPrefix?: string; rescale?: InputRescale } = {}): tf.Sequential {
  stepShapes(net);
  const model = tf.sequential({ name: opts.name });
  const prefix = opts.layerPrefix ?? 'step';
  const seed = opts.seed ?? 1;
  const flat = net.inputShape.reduce((a, b) => a * b, 1);
  const inputShape = opts.flatInput && net.inputShape.length > 1 ? [flat] : net.inputShape;
  if (opts.rescale) {
    // Built in, so the saved model takes raw inputs: x·scale + offset is the run's standardization.
    model.add(tf.layers.rescaling({ inputShape, scale: opts.rescale.scale, offset: opts.rescale.offset, name: `${prefix}_standardize` }));
  }
  if (opts.flatInput && net.inputShape.length > 1) {
    model.add(tf.layers.reshape({ ...(opts.rescale ? {} : { inputShape }), targetShape: net.inputShape, name: `${prefix}_reshape` }));
  } else if (!opts.rescale) {
    model.add(tf.layers.inputLayer({ inputShape, name: `${prefix}_input` }));
  }
  net.steps.forEach((step, i) => {
    const name = `${prefix}${i}_${step.kind}`;
    const init = () => tf.initializers.glorotUniform({ seed: seed + i });
    switch (step.kind) {
      case 'conv2d':
        model.add(tf.layers.conv2d({ name, filters: step.filters, kernelSize: step.kernelSize, strides: step.strides, padding: step.padding, activation: step.activation, useBias: step.useBias, kernelInitializer: init(), biasInitializer: 'zeros' }));
        break;
      case 'maxpool':
        model.add(tf.layers.maxPooling2d({ name, poolSize: step.poolSize, strides: step.strides, padding: step.padding }));
        break;
      case 'avgpool':
        model.add(tf.layers.averagePooling2d({ name, poolSize: step.poolSize, strides: step.strides, padding: step.padding }));
        break;
      case 'flatten':
        model.add(tf.layers.flatten({ name }));
        break;
      case 'dense':
        model.add(tf.layers.dense({ name, units: step.units, activation: step.activation, useBias: step.useBias, kernelInitializer: init(), biasInitializer: 'zeros' }));
        break;
      case 'activation':
        model.add(tf.layers.activation({ name, activation: step.activation }));
        break;
    }
  });
  return model;
}

const pair = (v: unknown, what: string): [number, number] => {
  if (typeof v === 'number') return [v, v];
  if (Array.isArray(v) && v.length === 2 && v.every((n) => typeof n === 'number')) return [v[0] as number, v[1] as number];
  throw new Error(`${what}: expected a number or a pair, got ${JSON.stringify(v)}`);
};

function activationOf(v: unknown, where: string): TargetActivation {
  const name = typeof v === 'string' ? v : v === null || v === undefined ? 'linear' : '';
  if (!(TARGET_ACTIVATIONS as readonly string[]).includes(name)) {
    throw new Error(`${where}: activation ${JSON.stringify(v)} is not supported in a generated target (use one of ${TARGET_ACTIVATIONS.join(', ')})`);
  }
  return name as TargetActivation;
}

/**
 * Steps of any tf.Sequential (or single-chain LayersModel) made of Conv2D, MaxPooling2D,
 * AveragePooling2D, Flatten, Dense, Activation, Reshape-of-the-input and Dropout (dropped: a
 * generated network is a deterministic function). Other layers are refused by name.
 */
export function stepsFromModel(model: tf.LayersModel): TargetNet {
  const inShape = model.inputs[0].shape.slice(1) as number[];
  const steps: TargetStep[] = [];
  let inputShape = inShape;
  model.layers.forEach((layer, i) => {
    const c = layer.getConfig() as Record<string, unknown>;
    const cls = layer.getClassName();
    const where = `target layer ${i} "${layer.name}" (${cls})`;
    const same = (p: unknown) => (p === 'same' ? 'same' : p === 'valid' || p === undefined ? 'valid' : (() => { throw new Error(`${where}: padding ${String(p)} is not supported`); })());
    switch (cls) {
      case 'InputLayer':
        break;
      case 'Reshape':
        if (steps.length > 0) throw new Error(`${where}: Reshape is supported only as the first layer (shaping flat inputs)`);
        inputShape = c.targetShape as number[];
        break;
      case 'Conv2D':
        if (c.dataFormat !== undefined && c.dataFormat !== 'channelsLast') throw new Error(`${where}: only channelsLast is supported`);
        if (pair(c.dilationRate ?? 1, `${where} dilationRate`).some((d) => d !== 1)) throw new Error(`${where}: dilation is not supported`);
        steps.push({ kind: 'conv2d', filters: c.filters as number, kernelSize: pair(c.kernelSize, `${where} kernelSize`), strides: pair(c.strides ?? 1, `${where} strides`), padding: same(c.padding), activation: activationOf(c.activation, where), useBias: c.useBias !== false });
        break;
      case 'MaxPooling2D':
      case 'AveragePooling2D': {
        const poolSize = pair(c.poolSize ?? 2, `${where} poolSize`);
        steps.push({ kind: cls === 'MaxPooling2D' ? 'maxpool' : 'avgpool', poolSize, strides: c.strides ? pair(c.strides, `${where} strides`) : poolSize, padding: same(c.padding) });
        break;
      }
      case 'Flatten':
        steps.push({ kind: 'flatten' });
        break;
      case 'Dense':
        steps.push({ kind: 'dense', units: c.units as number, activation: activationOf(c.activation, where), useBias: c.useBias !== false });
        break;
      case 'Activation':
        steps.push({ kind: 'activation', activation: activationOf(c.activation, where) });
        break;
      case 'Dropout':
      case 'SeededDropout':
        break;
      default:
        throw new Error(`${where}: this layer kind cannot be generated by Quantum-Train (supported: Conv2D, MaxPooling2D, AveragePooling2D, Flatten, Dense, Activation, Dropout, a leading Reshape)`);
    }
  });
  const net = { inputShape, steps };
  const expected = targetParamCount(net);
  const actual = model.trainableWeights.reduce((s, w) => s + w.shape.reduce((a: number, b) => a * (b ?? 1), 1), 0);
  if (expected !== actual) throw new Error(`target model has ${actual} trainable parameters but its supported layers account for ${expected}; it holds weights Quantum-Train cannot fill`);
  return net;
}
