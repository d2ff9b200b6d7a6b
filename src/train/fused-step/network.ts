// A small dense network's training step outside TensorFlow.js's per-op machinery (issue 14 §3).
// For a Sequential chain of Dense / Activation layers and circuit layers (the small hybrids and
// their classical twins), tfjs spends most of a step on bookkeeping per op — the tape, scopes,
// kernel lookup, tensor tracking — on tensors of a few hundred numbers. Here the forward and
// backward passes are plain loops over Float32Arrays (float32-ops.ts: the cpu kernels' own
// arithmetic, so the gradients are the same bits), and a circuit layer runs its QNode directly
// (CircuitLayer.forwardBatch / gradBatch: the same code as its tfjs op). Models with any other
// layer, or another backend, keep the tfjs path: planNetwork says why.

import * as tf from '@tensorflow/tfjs';
import { activate, activationGrad, addBiasInPlace, FUSED_ACTIVATIONS, matMul, MATMUL_BLOCK, matMulTransposeA, matMulTransposeB, sumRows, type FusedActivation } from './float32-ops.js';

/**
 * What a circuit layer offers the fused step (src/tf/circuit-layer.ts CircuitLayer; structural,
 * since train/ does not import the tfjs bridge): its call() on plain arrays and its gradient.
 */
export interface BatchCircuitLayer {
  readonly isQuantum: true;
  readonly inputSize: number;
  readonly outputSize: number;
  forwardBatch(x: Float32Array, weights: Float32Array, batch: number): Float32Array;
  gradBatch(dy: Float32Array): { inputs: Float32Array; weights: Float32Array };
}

/**
 * Circuit layer classes whose call() is CircuitLayer's own (circuit on the input, its one weight
 * vector): only those may run through forwardBatch. A subclass that changes call() is not listed.
 */
const PLAIN_CIRCUIT_CLASSES = new Set(['CircuitLayer', 'QuantumLayer']);

type Stage =
  | { kind: 'dense'; kernel: tf.Variable; bias: tf.Variable | null; inSize: number; outSize: number; activation: FusedActivation }
  | { kind: 'activation'; activation: FusedActivation }
  | { kind: 'circuit'; layer: BatchCircuitLayer; weights: tf.Variable | null; inSize: number; outSize: number };

/** A model the fused step can run: its layers in order. */
export interface FusedNetwork {
  readonly stages: readonly Stage[];
  readonly inputSize: number;
  readonly outputSize: number;
}

interface LayerInternals {
  activation?: { getClassName(): string };
  kernel?: tf.LayerVariable | null;
  bias?: tf.LayerVariable | null;
  kernelRegularizer?: unknown;
  biasRegularizer?: unknown;
  activityRegularizer?: unknown;
  kernelConstraint?: unknown;
  biasConstraint?: unknown;
}

/** The fused plan of `model`, or the reason it has none (the step then runs on tfjs). */
export function planNetwork(model: tf.LayersModel): FusedNetwork | string {
  if (model.getClassName() !== 'Sequential') return `a ${model.getClassName()} model (only Sequential chains are fused)`;
  if (model.inputs.length !== 1 || model.inputs[0].shape.length !== 2) return 'the input is not [batch, features]';
  const backend = tf.backend() as unknown as { blockSize?: number };
  if (backend.blockSize !== MATMUL_BLOCK) return `the backend's matMul block is ${String(backend.blockSize)}, not ${MATMUL_BLOCK}`;
  let width = model.inputs[0].shape[1];
  if (typeof width !== 'number') return 'the input has no fixed width';
  const inputSize = width;
  const stages: Stage[] = [];
  for (const layer of model.layers) {
    const cls = layer.getClassName();
    const internals = layer as unknown as LayerInternals;
    if (internals.activityRegularizer) return `layer "${layer.name}" has an activity regularizer`;
    if (cls === 'InputLayer') {
      // The model's input itself: no op (the input's shape was checked above).
      if (layer.dtype !== 'float32') return `the input is ${layer.dtype}`;
    } else if (cls === 'Dense') {
      const act = internals.activation?.getClassName() ?? 'linear';
      const kernel = internals.kernel;
      if (!FUSED_ACTIVATIONS.includes(act)) return `layer "${layer.name}": activation ${act} is not fused`;
      if (!kernel || kernel.shape.length !== 2 || kernel.shape[0] !== width) return `layer "${layer.name}": unexpected kernel shape`;
      if (internals.kernelRegularizer || internals.biasRegularizer || internals.kernelConstraint || internals.biasConstraint) return `layer "${layer.name}" has a regularizer or constraint`;
      if (kernel.dtype !== 'float32') return `layer "${layer.name}" is not float32`;
      const outSize = kernel.shape[1] as number;
      const bias = internals.bias ? (internals.bias.read() as tf.Variable) : null;
      stages.push({ kind: 'dense', kernel: kernel.read() as tf.Variable, bias, inSize: width, outSize, activation: act as FusedActivation });
      width = outSize;
    } else if (cls === 'Activation') {
      const act = internals.activation?.getClassName() ?? '';
      if (!FUSED_ACTIVATIONS.includes(act)) return `layer "${layer.name}": activation ${act} is not fused`;
      stages.push({ kind: 'activation', activation: act as FusedActivation });
    } else if (PLAIN_CIRCUIT_CLASSES.has(cls) && isBatchCircuitLayer(layer)) {
      if (layer.inputSize !== width) return `layer "${layer.name}" reads ${layer.inputSize} inputs, gets ${width}`;
      const w = layer.weights;
      if (w.length > 1) return `layer "${layer.name}" has ${w.length} weights`;
      stages.push({ kind: 'circuit', layer, weights: w.length ? (w[0].read() as tf.Variable) : null, inSize: width, outSize: layer.outputSize });
      width = layer.outputSize;
    } else {
      return `layer "${layer.name}" (${cls}) is not fused`;
    }
  }
  return { stages, inputSize, outputSize: width };
}

function isBatchCircuitLayer(layer: unknown): layer is BatchCircuitLayer & tf.layers.Layer {
  const l = layer as Partial<BatchCircuitLayer>;
  return l.isQuantum === true && typeof l.forwardBatch === 'function' && typeof l.gradBatch === 'function';
}

/** What the loss hands back: its value, d loss / d outputs and the task's batch statistics. */
export interface FusedBatchLoss {
  loss: number;
  dOutputs: Float32Array;
  stats: Record<string, ArrayLike<number>>;
}

export interface FusedStepResult {
  loss: number;
  stats: Record<string, ArrayLike<number>>;
  /** The gradient of every variable asked for, in the order asked. */
  grads: Map<tf.Variable, Float32Array>;
}

/** One stage's saved forward values. */
interface Saved {
  input: Float32Array;
  /** Before the activation (relu's gradient reads it). */
  z: Float32Array;
  output: Float32Array;
}

/**
 * Forward, loss and backward of one batch x [rows, inputSize]; gradients of `wanted` only (as
 * tf.variableGrads(f, wanted) gives them). Reads the variables' current values; changes nothing.
 */
export function fusedStep(net: FusedNetwork, x: Float32Array, rows: number, loss: (outputs: Float32Array) => FusedBatchLoss, wanted: readonly tf.Variable[]): FusedStepResult {
  const saved: Saved[] = [];
  const out = loss(forward(net, x, rows, saved));
  const want = new Set(wanted);
  const found = new Map<tf.Variable, Float32Array>();
  // A stage's input gradient is needed only while an earlier stage has a variable to train.
  const needsInputGrad = net.stages.map((_, i) => net.stages.slice(0, i).some((s) => stageVariables(s).some((v) => want.has(v))));
  let dy = out.dOutputs;
  for (let i = net.stages.length - 1; i >= 0; i--) {
    const s = net.stages[i];
    const { input, z, output } = saved[i];
    if (s.kind === 'dense') {
      const dz = activationGrad(s.activation, dy, z, output);
      if (s.bias && want.has(s.bias)) found.set(s.bias, sumRows(dz, rows, s.outSize));
      if (want.has(s.kernel)) found.set(s.kernel, matMulTransposeA(input, dz, rows, s.inSize, s.outSize));
      if (needsInputGrad[i]) dy = matMulTransposeB(dz, values(s.kernel), rows, s.outSize, s.inSize);
    } else if (s.kind === 'activation') {
      dy = activationGrad(s.activation, dy, z, output);
    } else {
      const g = s.layer.gradBatch(dy);
      if (s.weights && want.has(s.weights)) found.set(s.weights, g.weights);
      dy = g.inputs;
    }
    if (!needsInputGrad[i]) break;
  }
  const grads = new Map<tf.Variable, Float32Array>();
  for (const v of wanted) {
    const g = found.get(v);
    if (g) grads.set(v, g);
  }
  return { loss: out.loss, stats: out.stats, grads };
}

/**
 * The model's outputs [rows, outputSize] for x [rows, inputSize], as model.apply computes them in
 * training or inference (the cpu kernels give one layer the same bits either way: fused or not,
 * matMul, bias add and activation are the same three element-wise roundings); `saved` receives
 * each stage's values for the backward pass.
 */
export function forward(net: FusedNetwork, x: Float32Array, rows: number, saved?: Saved[]): Float32Array {
  let h = x;
  for (const s of net.stages) {
    const input = h;
    let z: Float32Array;
    if (s.kind === 'dense') {
      z = matMul(input, values(s.kernel), rows, s.inSize, s.outSize);
      if (s.bias) addBiasInPlace(z, values(s.bias), rows, s.outSize);
      h = activate(s.activation, z);
    } else if (s.kind === 'activation') {
      z = input;
      h = activate(s.activation, z);
    } else {
      z = input;
      h = s.layer.forwardBatch(input, s.weights ? values(s.weights) : new Float32Array(0), rows);
    }
    saved?.push({ input, z, output: h });
  }
  return h;
}

function stageVariables(s: Stage): tf.Variable[] {
  if (s.kind === 'dense') return s.bias ? [s.kernel, s.bias] : [s.kernel];
  if (s.kind === 'circuit') return s.weights ? [s.weights] : [];
  return [];
}

/** A variable's values: on the cpu backend, its own array (read only). */
function values(v: tf.Variable): Float32Array {
  return v.dataSync() as Float32Array;
}
