// The gradient methods compared on one model: do they give the same gradients, and what does
// each cost? For a config with quantum layers:
//
// (a) Agreement on one batch (the first batch of epoch 1's shuffle), in two precisions:
//     - float64, the quantum layers themselves: each layer's input batch and upstream gradient
//       (d loss / d layer output) are taken from the model, then two QNodes over the same circuit
//       — adjoint and parameter-shift — run forward and VJP on exactly the same float64 numbers.
//       This is the check of the methods (differences ~1e-15).
//     - float32, the whole model: tf.variableGrads of the loss for every trainable variable, once
//       per method. TensorFlow.js tensors are float32, so the quantum layer hands float32
//       gradients to the layers before it; two methods whose float64 results differ in the last
//       bits can round to neighbouring float32 values, so here agreement means "within a few
//       float32 ulps of the gradient's scale".
// (b) Cost: one training epoch (or the first N batches, extrapolated to the epoch and labelled so)
//     per method from the same initial weights, with the seconds spent in the quantum layers, and
//     the circuit evaluations each method needs (what a QPU would have to run). Every method
//     first trains a few batches on a throwaway model, all before any timing: the first method
//     timed would otherwise also pay for JIT compilation and TensorFlow.js's first-use kernel set-up,
//     and on a short run that can make parameter-shift look faster than adjoint.

import { taskKindOf } from '../train/tasks/from-config.js';
import * as tf from '@tensorflow/tfjs';
import type { LoadedConfig } from '../config/load.js';
import { sampleShape } from '../data/dataset.js';
import { prepareData } from '../data/load.js';
import { QNode, type DiffMethod } from '../engine/qnode.js';
import { shiftRule } from '../engine/shift-rules.js';
import { buildModel, ModelConfigError, type LayerConfig } from '../models/build.js';
import { setupBackend } from '../tf-kernels/backend.js';
import { QuantumLayer } from '../models/quantum-layer.js';
import { classificationLoss, meanAbsoluteError, meanSquaredError } from '../train/losses.js';
import type { TrainerConfig } from '../train/trainer.js';
import { taskTensors } from './task-data.js';
import { silentReporter, type ProgressReporter } from '../train/progress.js';
import { deriveSeed, Rng } from '../util/random.js';
import { train } from '../train/trainer.js';

export const GRAD_CHECK_METHODS: readonly DiffMethod[] = ['adjoint', 'parameter-shift'];

export interface GradCheckOptions {
  /** Methods to compare; the first is the reference. Default: adjoint, parameter-shift. */
  methods?: readonly DiffMethod[];
  /** Time this many training batches per method and extrapolate to the epoch; default: the whole epoch. */
  batches?: number;
  /** Skip (b), the timed epochs. */
  timing?: boolean;
  /** Untimed training batches per method before any method is timed; default 2. */
  warmupBatches?: number;
  reporter?: ProgressReporter;
}

export interface QuantumLayerAgreement {
  layer: string;
  numWeights: number;
  numInputs: number;
  /** Largest |adjoint − other| over the layer's weight and input gradients, float64. */
  maxAbsDiffWeights: number;
  maxAbsDiffInputs: number;
  /** Largest |gradient| (the scale the differences compare to). */
  maxAbsWeights: number;
  maxAbsInputs: number;
}

export interface MethodAgreement {
  method: DiffMethod;
  float64: QuantumLayerAgreement[];
  /** Over every trainable variable of the model, float32 (worstVariable: where the largest difference is, '-' if none). */
  float32: { variables: number; values: number; maxAbsDiff: number; maxAbsGrad: number; maxRelDiff: number; worstVariable: string };
}

export interface MethodTiming {
  method: DiffMethod;
  batches: number;
  batchesPerEpoch: number;
  samples: number;
  /** Seconds for the timed batches, and the quantum layers' part of them. */
  seconds: number;
  quantumSeconds: number;
  /** seconds × batchesPerEpoch / batches (equal to seconds for a full epoch). */
  secondsPerEpoch: number;
  quantumSecondsPerEpoch: number;
  extrapolated: boolean;
  /** Circuit evaluations one epoch needs with this method (forward + gradient, per sample). */
  circuitsPerEpoch: number;
}

export interface GradCheckResult {
  name: string;
  batchSize: number;
  reference: DiffMethod;
  agreement: MethodAgreement[];
  timing: MethodTiming[];
  /** Untimed batches each method trained before the timing (0: no warm-up). */
  warmupBatches: number;
  backend: string;
}

/** Circuit evaluations per sample for one forward and one gradient with `method`, over the model's quantum layers. */
export function circuitsPerSample(model: tf.LayersModel, method: DiffMethod): number {
  let total = 0;
  for (const layer of model.layers) {
    if (!(layer instanceof QuantumLayer)) continue;
    if (method === 'adjoint') {
      total += 2; // the forward pass and one backward sweep (in simulation; not possible on a QPU)
      continue;
    }
    let shifted = 0;
    for (const slot of layer.qnode.program.slots) {
      if (slot.ref.kind === 'const') continue;
      shifted += method === 'finite-diff' ? 2 : shiftRule(slot.rule).shifts.length;
    }
    total += 1 + shifted;
  }
  return total;
}

function withMethod(loaded: LoadedConfig, data: ReturnType<typeof prepareData>, method: DiffMethod): tf.Sequential {
  const config = loaded.config;
  return buildModel(layerList(loaded), {
    inputShape: sampleShape(data.train),
    seed: config.seed,
    name: config.name,
    numClasses: taskKindOf(config.training) === 'classification' ? data.dataset.numClasses : undefined,
    quantum: { diffMethod: method },
  });
}

/** The config's layer list; other model kinds are refused with the reason. */
export function layerList(loaded: LoadedConfig): LayerConfig[] {
  const layers = loaded.config.model.layers;
  if (!layers) throw new ModelConfigError('model.layers', `${loaded.file} has no layer list; this command needs a model given as model.layers`);
  return layers;
}

/** Apply layers [from, to) of a model in order (the input layer is skipped). */
function applyLayers(model: tf.LayersModel, x: tf.Tensor, from: number, to: number): tf.Tensor {
  let t = x;
  for (let i = from; i < to; i++) {
    const layer = model.layers[i];
    if (layer.getClassName() === 'InputLayer') continue;
    t = layer.apply(t, { training: true }) as tf.Tensor;
  }
  return t;
}

function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/** Float64 VJPs of every quantum layer with `method` against the reference method. */
function float64Agreement(model: tf.LayersModel, xb: tf.Tensor, yb: tf.Tensor, lossFn: OutputLoss, reference: DiffMethod, method: DiffMethod): QuantumLayerAgreement[] {
  const out: QuantumLayerAgreement[] = [];
  model.layers.forEach((layer, i) => {
    if (!(layer instanceof QuantumLayer)) return;
    const [before, w, dy] = tf.tidy(() => {
      const x = applyLayers(model, xb, 0, i);
      const q = layer.apply(x, { training: true }) as tf.Tensor;
      // d loss / d (this layer's output), through the layers after it.
      const g = tf.grad((qOut: tf.Tensor) => lossFn(yb, applyLayers(model, qOut, i + 1, model.layers.length) as tf.Tensor2D))(q);
      return [x, (layer.getWeights()[0] ?? tf.zeros([0])).clone(), g];
    });
    const inputs = Float64Array.from(before.dataSync());
    const weights = Float64Array.from(w.dataSync());
    const cotangent = Float64Array.from(dy.dataSync());
    tf.dispose([before, w, dy]);
    const B = inputs.length / layer.inputSize;
    const grads = [reference, method].map((m) => {
      const q = new QNode(layer.circuit, layer.qnode.measurement, { diffMethod: m });
      q.forward(inputs, weights, B);
      return q.vjp(cotangent);
    });
    out.push({
      layer: layer.name,
      numWeights: weights.length,
      numInputs: layer.inputSize,
      maxAbsDiffWeights: maxAbsDiff(grads[0].weights, grads[1].weights),
      maxAbsDiffInputs: maxAbsDiff(grads[0].inputs, grads[1].inputs),
      maxAbsWeights: maxAbs(grads[0].weights),
      maxAbsInputs: maxAbs(grads[0].inputs),
    });
  });
  return out;
}

/** The task's loss as a function of the model's outputs (targets: class indices or regression targets). */
type OutputLoss = (targets: tf.Tensor, outputs: tf.Tensor2D) => tf.Scalar;

function outputLoss(training: TrainerConfig): OutputLoss {
  if (training.task === 'regression') return training.loss === 'mae' ? meanAbsoluteError : meanSquaredError;
  const loss = classificationLoss(training.loss ?? 'cross_entropy', training.labelSmoothing ?? 0);
  return (labels, outputs) => loss(labels as tf.Tensor1D, outputs);
}

/** Gradients of the loss on (xb, yb) for every trainable variable, by stable name, as float32 arrays. */
function modelGradients(model: tf.LayersModel, xb: tf.Tensor, yb: tf.Tensor, lossFn: OutputLoss): Map<string, Float32Array> {
  const vars = model.trainableWeights.map((w) => ({ name: w.originalName, variable: w.read() as tf.Variable }));
  const { grads, value } = tf.variableGrads(() => lossFn(yb, model.apply(xb, { training: true }) as tf.Tensor2D), vars.map((v) => v.variable));
  const byName = new Map<string, Float32Array>();
  for (const v of vars) byName.set(v.name, grads[v.variable.name].dataSync() as Float32Array);
  tf.dispose([value, ...Object.values(grads)]);
  return byName;
}

export async function gradCheck(loaded: LoadedConfig, options: GradCheckOptions = {}): Promise<GradCheckResult> {
  const config = loaded.config;
  const methods = options.methods ?? GRAD_CHECK_METHODS;
  if (methods.length < 2) throw new Error('grad-check compares at least two gradient methods');
  const reference = methods[0];
  const reporter = options.reporter ?? silentReporter;
  await setupBackend(config.training.backend);
  const data = prepareData(config.data, config.seed, loaded.baseDir);
  const lossFn = outputLoss(config.training);
  const tensors = taskTensors(taskKindOf(config.training), data.train);
  const models = methods.map((m) => withMethod(loaded, data, m));
  try {
    if (!models[0].layers.some((l) => l instanceof QuantumLayer)) throw new ModelConfigError('model.layers', `${loaded.file} has no quantum layer, so there are no gradient methods to compare`);
    const n = data.train.numSamples;
    const batchSize = Math.min(config.training.batchSize, n);
    // The first batch of epoch 1, as the trainer draws it.
    const rows = new Rng(deriveSeed(config.seed, 'shuffle', 0)).permutation(n).subarray(0, batchSize);
    const idx = tf.tensor1d(rows, 'int32');
    const xb = tf.gather(tensors.x, idx);
    const yb = tf.gather(tensors.y, idx);
    idx.dispose();
    const step0 = (m: tf.LayersModel) => m.layers.forEach((l) => (l as { setTrainingStep?: (s: number) => void }).setTrainingStep?.(0));

    step0(models[0]);
    const refGrads = modelGradients(models[0], xb, yb, lossFn);
    const agreement: MethodAgreement[] = [];
    for (let k = 1; k < methods.length; k++) {
      step0(models[k]);
      const grads = modelGradients(models[k], xb, yb, lossFn);
      let maxDiff = 0;
      let maxGrad = 0;
      let maxRel = 0;
      let worst = '-';
      let values = 0;
      for (const [name, g] of refGrads) {
        const h = grads.get(name) as Float32Array;
        const scale = maxAbs(g);
        const d = maxAbsDiff(g, h);
        values += g.length;
        maxGrad = Math.max(maxGrad, scale);
        if (d > maxDiff) {
          maxDiff = d;
          worst = name;
        }
        if (scale > 0) maxRel = Math.max(maxRel, d / scale);
      }
      step0(models[0]);
      agreement.push({
        method: methods[k],
        float64: float64Agreement(models[0], xb, yb, lossFn, reference, methods[k]),
        float32: { variables: refGrads.size, values, maxAbsDiff: maxDiff, maxAbsGrad: maxGrad, maxRelDiff: maxRel, worstVariable: worst },
      });
    }
    tf.dispose([xb, yb]);

    const timing: MethodTiming[] = [];
    let warmupBatches = 0;
    if (options.timing !== false) {
      const batchesPerEpoch = Math.ceil(n / config.training.batchSize);
      const batches = Math.min(options.batches ?? batchesPerEpoch, batchesPerEpoch);
      if (options.warmupBatches !== undefined && !(Number.isInteger(options.warmupBatches) && options.warmupBatches >= 0)) {
        throw new Error(`grad-check: warmupBatches must be a whole number >= 0, got ${options.warmupBatches}`);
      }
      warmupBatches = Math.min(options.warmupBatches ?? 2, batchesPerEpoch);
      for (const method of warmupBatches > 0 ? methods : []) {
        const model = withMethod(loaded, data, method);
        try {
          await train({
            model,
            train: tensors,
            config: { ...config.training, epochs: 1, limitBatches: warmupBatches, earlyStopping: undefined },
            seed: config.seed,
            reporter,
            name: `${config.name} (${method}, warm-up, untimed)`,
          });
        } finally {
          model.dispose();
        }
      }
      for (const [k, method] of methods.entries()) {
        // A fresh model per method: both start from the same initial weights (same seed).
        const model = withMethod(loaded, data, method);
        try {
          const result = await train({
            model,
            train: tensors,
            config: { ...config.training, epochs: 1, limitBatches: batches, earlyStopping: undefined },
            seed: config.seed,
            reporter,
            name: `${config.name} (${method})`,
          });
          const record = result.history[0];
          const scale = batchesPerEpoch / batches;
          timing.push({
            method,
            batches,
            batchesPerEpoch,
            samples: Math.min(n, batches * config.training.batchSize),
            seconds: record.seconds,
            quantumSeconds: record.quantum_seconds ?? 0,
            secondsPerEpoch: record.seconds * scale,
            quantumSecondsPerEpoch: (record.quantum_seconds ?? 0) * scale,
            extrapolated: batches < batchesPerEpoch,
            circuitsPerEpoch: n * circuitsPerSample(models[k], method),
          });
        } finally {
          model.dispose();
        }
      }
    }
    return { name: config.name, batchSize, reference, agreement, timing, warmupBatches, backend: tf.getBackend() };
  } finally {
    tf.dispose([tensors.x, tensors.y]);
    models.forEach((m) => m.dispose());
  }
}

const exp = (x: number) => (x === 0 ? '0' : x.toExponential(1));

/** The result as markdown: the agreement tables and the timing table with ratios to the reference. */
export function gradCheckMarkdown(r: GradCheckResult): string {
  const lines: string[] = [`# Gradient methods: ${r.name}`, '', `One batch of ${r.batchSize} training samples (the first batch of epoch 1); reference method: ${r.reference}. Backend ${r.backend}.`, ''];
  lines.push(
    '## Agreement',
    '',
    'float64: the quantum layers alone, both methods on the same float64 inputs, weights and upstream gradient. ' +
      'float32: every trainable variable of the whole model through TensorFlow.js (float32 tensors).',
    '',
    '| method | precision | what | max abs difference | max abs gradient |',
    '|---|---|---|---:|---:|',
  );
  for (const a of r.agreement) {
    for (const q of a.float64) {
      lines.push(`| ${a.method} | float64 | ${q.layer}: ${q.numWeights} weight gradients | ${exp(q.maxAbsDiffWeights)} | ${exp(q.maxAbsWeights)} |`);
      lines.push(`| ${a.method} | float64 | ${q.layer}: input gradients (${q.numInputs} per sample) | ${exp(q.maxAbsDiffInputs)} | ${exp(q.maxAbsInputs)} |`);
    }
    const worst = a.float32.maxAbsDiff > 0 ? `; largest difference in ${a.float32.worstVariable}` : '';
    lines.push(`| ${a.method} | float32 | all ${a.float32.variables} variables (${a.float32.values} values${worst}) | ${exp(a.float32.maxAbsDiff)} | ${exp(a.float32.maxAbsGrad)} |`);
  }
  if (r.timing.length > 0) {
    const ref = r.timing[0];
    const extrapolated = r.timing.some((t) => t.extrapolated);
    lines.push(
      '',
      '## Time per epoch',
      '',
      extrapolated
        ? `Timed on the first ${ref.batches} of ${ref.batchesPerEpoch} batches of one epoch and **extrapolated** to the full epoch (× ${(ref.batchesPerEpoch / ref.batches).toFixed(2)}).`
        : `One full training epoch (${ref.batchesPerEpoch} batches, ${ref.samples} samples) per method, no validation.`,
      r.warmupBatches > 0 ? `Each method first trained ${r.warmupBatches} untimed batch${r.warmupBatches === 1 ? '' : 'es'} (warm-up), all before any timing.` : 'No warm-up: the first method timed includes start-up costs.',
      '',
      '| method | s/epoch | quantum s/epoch | quantum share | vs reference (epoch) | vs reference (quantum) | circuit evaluations per epoch |',
      '|---|---:|---:|---:|---:|---:|---:|',
    );
    for (const t of r.timing) {
      lines.push(
        `| ${t.method} | ${t.secondsPerEpoch.toFixed(1)}${t.extrapolated ? ' (extrap.)' : ''} | ${t.quantumSecondsPerEpoch.toFixed(2)} | ${((100 * t.quantumSeconds) / t.seconds).toFixed(1)}% | ` +
          `${(t.secondsPerEpoch / ref.secondsPerEpoch).toFixed(2)}× | ${ref.quantumSecondsPerEpoch > 0 ? (t.quantumSecondsPerEpoch / ref.quantumSecondsPerEpoch).toFixed(1) : '-'}× | ${t.circuitsPerEpoch.toLocaleString('en-US')} |`,
      );
    }
  }
  lines.push('');
  return lines.join('\n');
}
