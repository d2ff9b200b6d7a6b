// The training loop: a custom loop over tf.variableGrads (not model.fit), so that param groups,
// clipping, our optimizers and exact checkpoints are possible. Batch-first tensors; every step
// runs inside tf.tidy and disposes what it made, so the tensor count is flat across epochs.
//
// Determinism: the shuffle of epoch e is drawn from deriveSeed(seed, 'shuffle', e) and a layer
// that needs per-step randomness (SeededDropout) is told the global step, so an epoch depends
// only on (seed, epoch, weights, optimizer state). A checkpoint after every epoch holds exactly
// that state, which is why a resumed run ends with the same bits as an uninterrupted one.

import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { removeStaleTempFiles } from '../util/atomic-file.js';
import { CheckpointError, readCheckpoint, writeCheckpoint, type CheckpointData, type Fingerprint, type StoredTensor } from './checkpoint.js';
import { clipByGlobalNorm } from './clip.js';
import { EarlyStopping, type EarlyStoppingConfig, type EarlyStoppingState } from './early-stopping.js';
import { fingerprintOf } from './fingerprint.js';
import { writeMetricsJsonl, type EpochRecord } from './history.js';
import { classificationLoss, type LossKind } from './losses.js';
import { correctCount, RunningMean } from './metrics.js';
import { createOptimizer, type Optimizer, type OptimizerHyper, type OptimizerKind, type OptimizerState } from './optimizers.js';
import { buildParamGroups, type GroupName, type GroupSettings } from './param-groups.js';
import { silentReporter, type ProgressReporter } from './progress.js';
import { deriveSeed, Rng } from '../util/random.js';
import { createSchedule, type LrSchedule, type ScheduleConfig, type ScheduleState } from './schedules.js';
import { engineSeconds } from './engine-time.js';
import { restoreWeights, snapshotWeights } from './weights.js';

export interface OptimizerConfig extends OptimizerHyper {
  type: OptimizerKind;
  lr: number;
  weightDecay?: number;
}

export interface TrainerConfig {
  epochs: number;
  batchSize: number;
  optimizer: OptimizerConfig;
  paramGroups?: Partial<Record<GroupName, GroupSettings>>;
  /** Clip gradients to this global L2 norm; absent: no clipping. */
  clipNorm?: number;
  schedule?: ScheduleConfig;
  earlyStopping?: EarlyStoppingConfig;
  loss?: LossKind;
  labelSmoothing?: number;
  /** Batch size for evaluation (no gradients, so it can be larger). */
  evalBatchSize?: number;
  /**
   * Train on at most this many batches per epoch (the first ones of the epoch's shuffle), for
   * quick looks at large data sets; validation still covers the whole validation set. Default:
   * every batch.
   */
  limitBatches?: number;
}

/** Inputs (batch-first, any rank) with integer class labels. */
export interface LabeledTensors {
  x: tf.Tensor;
  y: tf.Tensor1D;
}

export interface TrainOptions {
  model: tf.LayersModel;
  train: LabeledTensors;
  val?: LabeledTensors;
  config: TrainerConfig;
  seed: number;
  /** Run folder: checkpoints/last.ckpt and metrics.jsonl are written there after every epoch. */
  runDir?: string;
  /** Continue from runDir's checkpoint (a missing one starts afresh; a bad one is refused). */
  resume?: boolean;
  /** What checkpoints are tied to; by default the model architecture and `config` + seed. */
  fingerprint?: Fingerprint;
  /** The fingerprint the checkpoint to resume from may carry, when it differs (a run extended to more epochs); default `fingerprint`. */
  resumeFingerprint?: Fingerprint;
  reporter?: ProgressReporter;
  name?: string;
  /** Return after this many epochs in this call, as if interrupted (tests, time-boxed jobs). */
  maxEpochsThisCall?: number;
  /** Stop at the next safe point (after an epoch's checkpoint) once this fires; the result says interrupted. */
  signal?: AbortSignal;
}

export interface TrainResult {
  history: EpochRecord[];
  /** Epochs completed in total (including those before a resume). */
  epochsCompleted: number;
  stoppedEarly: boolean;
  /** 1-based epoch of the best monitored value (early stopping), else the last epoch. */
  bestEpoch: number;
  /** Training seconds summed over all epochs, across resumes. */
  trainSeconds: number;
  secondsPerEpoch: number;
  resumedFromEpoch: number | null;
  /** Stopped by `signal`; epochsCompleted is then the epoch in the checkpoint. */
  interrupted: boolean;
}

export const CHECKPOINT_FILE = join('checkpoints', 'last.ckpt');
export const METRICS_FILE = 'metrics.jsonl';

/** Trainer state stored in the checkpoint's JSON next to the tensors. */
interface SavedState {
  optimizer: { kind: OptimizerKind; step: number; slots: Record<string, string[]> };
  schedule: ScheduleState;
  earlyStopping: EarlyStoppingState | null;
  history: EpochRecord[];
  hasBest: boolean;
}

/** Layers with per-step randomness implement this; the trainer calls it before every step. */
export interface StepSeeded {
  setTrainingStep(step: number): void;
}

function isStepSeeded(layer: unknown): layer is StepSeeded {
  return typeof (layer as Partial<StepSeeded>).setTrainingStep === 'function';
}

export async function train(options: TrainOptions): Promise<TrainResult> {
  const { model, config, seed } = options;
  const reporter = options.reporter ?? silentReporter;
  const n = options.train.x.shape[0];
  if (options.train.y.shape[0] !== n) throw new Error(`train: x has ${n} rows but y has ${options.train.y.shape[0]}`);
  if (n === 0) throw new Error('train: the training set is empty');
  if (!(Number.isInteger(config.batchSize) && config.batchSize >= 1)) throw new RangeError(`batchSize must be an integer >= 1, got ${config.batchSize}`);
  if (config.limitBatches !== undefined && !(Number.isInteger(config.limitBatches) && config.limitBatches >= 1)) {
    throw new RangeError(`limitBatches must be an integer >= 1, got ${config.limitBatches}`);
  }
  const stepsPerEpoch = Math.min(Math.ceil(n / config.batchSize), config.limitBatches ?? Infinity);
  /** Training samples seen per epoch (fewer than n with limitBatches). */
  const samplesPerEpoch = Math.min(n, stepsPerEpoch * config.batchSize);
  const hasVal = options.val !== undefined && options.val.x.shape[0] > 0;
  if (config.earlyStopping && (config.earlyStopping.monitor ?? 'val_loss').startsWith('val_') && !hasVal) {
    throw new Error(`early stopping monitors ${config.earlyStopping.monitor ?? 'val_loss'}, but there is no validation set`);
  }

  const groups = buildParamGroups(model, { lr: config.optimizer.lr, weightDecay: config.optimizer.weightDecay }, config.paramGroups);
  const optimizer = createOptimizer(config.optimizer.type, groups, config.optimizer);
  const schedule = createSchedule(config.schedule, { epochs: config.epochs, stepsPerEpoch });
  const earlyStopping = config.earlyStopping ? new EarlyStopping(config.earlyStopping) : null;
  const lossFn = classificationLoss(config.loss ?? 'cross_entropy', config.labelSmoothing ?? 0);
  const fingerprint = options.fingerprint ?? fingerprintOf(model, { config, seed });
  const stepSeededLayers: StepSeeded[] = model.layers.filter(isStepSeeded) as unknown as StepSeeded[];
  const variables = groups.flatMap((g) => g.params);
  const varList = variables.map((p) => p.variable);
  const keyOfVariableName = new Map(variables.map((p) => [p.variable.name, p.key]));

  let history: EpochRecord[] = [];
  let bestWeights: Map<string, StoredTensor> | null = null;
  let startEpoch = 0;
  let resumedFromEpoch: number | null = null;

  const ckptPath = options.runDir ? join(options.runDir, CHECKPOINT_FILE) : undefined;
  const metricsPath = options.runDir ? join(options.runDir, METRICS_FILE) : undefined;
  if (options.runDir) {
    mkdirSync(join(options.runDir, 'checkpoints'), { recursive: true });
    removeStaleTempFiles(options.runDir);
    removeStaleTempFiles(join(options.runDir, 'checkpoints'));
    // A fresh start must not leave an older run's checkpoint behind for a later --resume.
    if (!options.resume && ckptPath && metricsPath) {
      rmSync(ckptPath, { force: true });
      rmSync(metricsPath, { force: true });
    }
  }

  try {
    if (options.resume && ckptPath) {
      let ckpt: CheckpointData | null = null;
      try {
        ckpt = readCheckpoint(ckptPath, options.resumeFingerprint ?? fingerprint);
      } catch (e) {
        if (!(e instanceof CheckpointError && e.problem === 'missing')) throw e;
        reporter.onMessage?.(`no checkpoint in ${options.runDir}; starting from epoch 1`);
      }
      if (ckpt) {
        const restored = restoreFromCheckpoint(ckpt, model, optimizer, schedule, earlyStopping);
        history = restored.history;
        bestWeights = restored.bestWeights;
        startEpoch = ckpt.epoch;
        resumedFromEpoch = ckpt.epoch;
        if (metricsPath) writeMetricsJsonl(metricsPath, history);
        reporter.onMessage?.(`resuming ${options.name ?? 'run'} after epoch ${ckpt.epoch} from ${ckptPath}`);
      }
    }

    const finished = () => history.length >= config.epochs || (earlyStopping?.stopped ?? false);
    const lastEpochThisCall = Math.min(config.epochs, startEpoch + (options.maxEpochsThisCall ?? Infinity));
    // The epochs this call will run (--stop-after may cut them short, or to none).
    if (!finished() && lastEpochThisCall > startEpoch) {
      reporter.onTrainStart?.({ name: options.name, epochs: config.epochs, firstEpoch: startEpoch + 1, lastEpoch: lastEpochThisCall, stepsPerEpoch, samples: samplesPerEpoch });
    }

    let interrupted = false;
    for (let epoch = startEpoch; epoch < lastEpochThisCall && !finished(); epoch++) {
      const started = performance.now();
      const engineBefore = engineSeconds(model);
      const cpuBefore = process.cpuUsage();
      const order = new Rng(deriveSeed(seed, 'shuffle', epoch)).permutation(n);
      const lossMean = new RunningMean();
      let correct = 0;
      let normSum = 0;
      let normMax = 0;
      let factor = 1;
      for (let b = 0; b < stepsPerEpoch; b++) {
        const step = epoch * stepsPerEpoch + b;
        const batch = order.subarray(b * config.batchSize, Math.min(n, (b + 1) * config.batchSize));
        for (const layer of stepSeededLayers) layer.setTrainingStep(step);
        factor = schedule.factor(step, epoch);
        const [lossT, correctT, normT] = tf.tidy(() => {
          const idx = tf.tensor1d(batch, 'int32');
          const xb = tf.gather(options.train.x, idx);
          const yb = tf.gather(options.train.y, idx) as tf.Tensor1D;
          let batchCorrect: tf.Scalar | undefined;
          const { value, grads } = tf.variableGrads(() => {
            const out = model.apply(xb, { training: true }) as tf.Tensor2D;
            // Kept past variableGrads' own tidy; the outer tidy returns it and we dispose it below.
            batchCorrect = tf.keep(correctCount(yb, out));
            return lossFn(yb, out);
          }, varList);
          const byKey = new Map<string, tf.Tensor>();
          for (const [name, g] of Object.entries(grads)) byKey.set(keyOfVariableName.get(name) ?? name, g);
          const clipped = clipByGlobalNorm(byKey, config.clipNorm);
          optimizer.applyGradients(clipped.grads, factor);
          return [value, batchCorrect as tf.Scalar, clipped.norm];
        });
        const lossValue = lossT.dataSync()[0];
        correct += correctT.dataSync()[0];
        const norm = normT.dataSync()[0];
        tf.dispose([lossT, correctT, normT]);
        lossMean.add(lossValue, batch.length);
        normSum += norm;
        normMax = Math.max(normMax, norm);
        reporter.onBatchEnd?.({ epoch: epoch + 1, epochs: config.epochs, step: b + 1, stepsPerEpoch, loss: lossMean.mean });
      }

      const stepsSeconds = (performance.now() - started) / 1000;
      const val = hasVal && options.val ? evaluate(model, options.val, lossFn, config.evalBatchSize ?? Math.max(256, config.batchSize)) : null;
      const seconds = (performance.now() - started) / 1000;
      const record: EpochRecord = {
        epoch: epoch + 1,
        train_loss: lossMean.mean,
        train_accuracy: correct / samplesPerEpoch,
        val_loss: val ? val.loss : null,
        val_accuracy: val ? val.accuracy : null,
        lr: optimizer.learningRates(factor),
        grad_norm: normSum / stepsPerEpoch,
        grad_norm_max: normMax,
        seconds,
        samples_per_second: samplesPerEpoch / seconds,
        batches_per_second: stepsPerEpoch / stepsSeconds,
        quantum_seconds: engineSeconds(model) - engineBefore,
        cpu_seconds: cpuSeconds(process.cpuUsage(cpuBefore)),
        peak_rss_mb: process.resourceUsage().maxRSS / 1024,
      };
      history.push(record);
      schedule.onEpochEnd(epoch, record.val_loss ?? record.train_loss);
      if (earlyStopping) {
        const monitored = monitoredValue(record, earlyStopping.monitor);
        const { improved } = earlyStopping.update(epoch + 1, monitored);
        if (improved && config.earlyStopping?.restoreBest) bestWeights = snapshotWeights(model);
      }
      // Checkpoint first, metrics second: if killed in between, resume rewrites metrics.jsonl
      // from the checkpoint's history, so the two always agree.
      if (ckptPath && metricsPath) {
        writeCheckpoint(ckptPath, makeCheckpoint(epoch + 1, fingerprint, model, optimizer, schedule, earlyStopping, history, bestWeights));
        writeMetricsJsonl(metricsPath, history);
      }
      reporter.onEpochEnd?.(record, config.epochs);
      if (options.signal) {
        await new Promise((r) => setImmediate(r)); // signal handlers run only when the event loop turns
        if (options.signal.aborted) {
          interrupted = true;
          break;
        }
      }
    }
    reporter.onTrainEnd?.();

    const stoppedEarly = earlyStopping?.stopped ?? false;
    if (bestWeights && finished()) restoreWeights(model, bestWeights);
    const trainSeconds = history.reduce((s, r) => s + r.seconds, 0);
    return {
      history,
      epochsCompleted: history.length,
      stoppedEarly,
      bestEpoch: earlyStopping && earlyStopping.bestEpoch > 0 ? earlyStopping.bestEpoch : history.length,
      trainSeconds,
      secondsPerEpoch: history.length > 0 ? trainSeconds / history.length : 0,
      resumedFromEpoch,
      interrupted,
    };
  } finally {
    optimizer.dispose();
  }
}

/** User + system seconds of a process.cpuUsage() difference. */
function cpuSeconds(usage: NodeJS.CpuUsage): number {
  return (usage.user + usage.system) / 1e6;
}

function monitoredValue(record: EpochRecord, monitor: EarlyStopping['monitor']): number {
  const value = record[monitor];
  if (value === null) {
    throw new Error(`early stopping monitors ${monitor}, but there is no validation set`);
  }
  return value;
}

/** Mean loss and accuracy over a labeled set, in batches, in inference mode. */
export function evaluate(
  model: tf.LayersModel,
  data: LabeledTensors,
  lossFn: (labels: tf.Tensor1D, outputs: tf.Tensor2D) => tf.Scalar,
  batchSize = 256,
): { loss: number; accuracy: number } {
  const n = data.x.shape[0];
  const lossMean = new RunningMean();
  let correct = 0;
  for (let start = 0; start < n; start += batchSize) {
    const size = Math.min(batchSize, n - start);
    const [lossT, correctT] = tf.tidy(() => {
      const xb = data.x.slice(start, size);
      const yb = data.y.slice(start, size);
      const out = model.apply(xb, { training: false }) as tf.Tensor2D;
      return [lossFn(yb, out), correctCount(yb, out)];
    });
    lossMean.add(lossT.dataSync()[0], size);
    correct += correctT.dataSync()[0];
    tf.dispose([lossT, correctT]);
  }
  return { loss: lossMean.mean, accuracy: n === 0 ? NaN : correct / n };
}

/** Model outputs for every row, in batches (a [n, outputs] tensor the caller disposes). */
export function predict(model: tf.LayersModel, x: tf.Tensor, batchSize = 256): tf.Tensor2D {
  const n = x.shape[0];
  const parts: tf.Tensor[] = [];
  for (let start = 0; start < n; start += batchSize) {
    const size = Math.min(batchSize, n - start);
    parts.push(tf.tidy(() => model.apply(x.slice(start, size), { training: false }) as tf.Tensor));
  }
  const out = tf.concat(parts, 0) as tf.Tensor2D;
  tf.dispose(parts);
  return out;
}

function makeCheckpoint(
  epoch: number,
  fingerprint: Fingerprint,
  model: tf.LayersModel,
  optimizer: Optimizer,
  schedule: LrSchedule,
  earlyStopping: EarlyStopping | null,
  history: EpochRecord[],
  bestWeights: Map<string, StoredTensor> | null,
): CheckpointData {
  const tensors = new Map<string, StoredTensor>();
  for (const [name, t] of snapshotWeights(model)) tensors.set(`weights/${name}`, t);
  const optState = optimizer.getState();
  const shapes = new Map(optimizer.groups.flatMap((g) => g.params.map((p) => [p.key, p.variable.shape] as const)));
  const slots: Record<string, string[]> = {};
  for (const [key, bySlot] of Object.entries(optState.slots)) {
    slots[key] = Object.keys(bySlot);
    for (const [slot, values] of Object.entries(bySlot)) tensors.set(`optimizer/${slot}/${key}`, { shape: [...(shapes.get(key) ?? [values.length])], values });
  }
  if (bestWeights) for (const [name, t] of bestWeights) tensors.set(`best/${name}`, t);
  const state: SavedState = {
    optimizer: { kind: optState.kind, step: optState.step, slots },
    schedule: schedule.state(),
    earlyStopping: earlyStopping ? earlyStopping.state() : null,
    history,
    hasBest: bestWeights !== null,
  };
  return { epoch, fingerprint, tensors, state: state as unknown as Record<string, unknown> };
}

function restoreFromCheckpoint(
  ckpt: CheckpointData,
  model: tf.LayersModel,
  optimizer: Optimizer,
  schedule: LrSchedule,
  earlyStopping: EarlyStopping | null,
): { history: EpochRecord[]; bestWeights: Map<string, StoredTensor> | null } {
  const state = ckpt.state as unknown as SavedState;
  const pick = (prefix: string) => {
    const out = new Map<string, StoredTensor>();
    for (const [name, t] of ckpt.tensors) if (name.startsWith(prefix)) out.set(name.slice(prefix.length), t);
    return out;
  };
  const optState: OptimizerState = { kind: state.optimizer.kind, step: state.optimizer.step, slots: {} };
  for (const [key, slotNames] of Object.entries(state.optimizer.slots)) {
    optState.slots[key] = {};
    for (const slot of slotNames) {
      const t = ckpt.tensors.get(`optimizer/${slot}/${key}`);
      if (t) optState.slots[key][slot] = t.values;
    }
  }
  // Each restore validates its part before assigning; any mismatch throws and the run stops,
  // so a checkpoint that does not fit is never trained on.
  optimizer.setState(optState);
  restoreWeights(model, pick('weights/'));
  schedule.restore(state.schedule);
  if (earlyStopping && state.earlyStopping) earlyStopping.restore(state.earlyStopping);
  return { history: state.history, bestWeights: state.hasBest ? pick('best/') : null };
}
