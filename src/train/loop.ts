// The parts of a training run that do not touch files or the process: checking the data, param
// groups, optimizer, schedule, early stopping and the epoch runner (assembleLoop), and
// EpochStepper, which advances a run one epoch at a time. trainer.ts builds every run from
// assembleLoop and adds checkpoints, metrics.jsonl and process timings; the browser playground
// drives EpochStepper. Both run the same epochs in the same order (runEpoch with the seeded
// shuffle, then validation, then the schedule), so a page and `entangle train` given the same
// config and seed compute the same thing.

import type * as tf from '@tensorflow/tfjs';
import { EarlyStopping, type EarlyStoppingConfig } from './early-stopping.js';
import { isStepSeeded, runEpoch, type EpochRunner, type EpochTotals, type StepSeeded } from './epoch.js';
import { FusedTrainer } from './fused-step/index.js';
import type { LossKind } from './losses.js';
import { createOptimizer, type OptimizerHyper, type OptimizerKind } from './optimizers.js';
import { buildParamGroups, type GroupName, type GroupSettings } from './param-groups.js';
import { silentReporter, type ProgressReporter } from './progress.js';
import { createSchedule, type ScheduleConfig } from './schedules.js';
import type { LabeledTensors } from './tasks/classification.js';
import { taskFromConfig, type TaskKind } from './tasks/from-config.js';
import { monitorModeFor, type Evaluation, type TrainingTask } from './tasks/task.js';
import type { TrainingParts } from './train-state.js';

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
  /** The built-in task trained when TrainOptions.task is absent; default classification. */
  task?: TaskKind;
  /** classification: cross_entropy (default) or mse; regression: mse (default) or mae. */
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

export interface LoopOptions<D = LabeledTensors> {
  model: tf.LayersModel;
  train: D;
  val?: D;
  /** Default: the built-in task config.task names. */
  task?: TrainingTask<D>;
  config: TrainerConfig;
  seed: number;
  reporter?: ProgressReporter;
  signal?: AbortSignal;
}

/** What every epoch of a run shares. */
export interface AssembledLoop<D> {
  task: TrainingTask<D>;
  parts: TrainingParts;
  runner: EpochRunner<D>;
  hasVal: boolean;
  /** Training samples seen per epoch (fewer than the training set with limitBatches). */
  samplesPerEpoch: number;
}

export function assembleLoop<D>(options: LoopOptions<D>): AssembledLoop<D> {
  const { model, config, seed } = options;
  const task = options.task ?? (taskFromConfig(config) as TrainingTask<D>);
  const n = checkData(options, task);
  const stepsPerEpoch = Math.min(Math.ceil(n / config.batchSize), config.limitBatches ?? Infinity);
  const hasVal = options.val !== undefined && task.size(options.val) > 0;
  const earlyStopping = config.earlyStopping ? earlyStoppingFor(config.earlyStopping, task, hasVal) : null;
  const groups = buildParamGroups(model, { lr: config.optimizer.lr, weightDecay: config.optimizer.weightDecay }, config.paramGroups);
  const optimizer = createOptimizer(config.optimizer.type, groups, config.optimizer);
  const schedule = createSchedule(config.schedule, { epochs: config.epochs, stepsPerEpoch });
  const parts: TrainingParts = { model, optimizer, schedule, earlyStopping, task: task as TrainingTask<unknown> };
  const variables = groups.flatMap((g) => g.params);
  const runner: EpochRunner<D> = {
    model, task, data: options.train, numExamples: n, optimizer, schedule, reporter: options.reporter ?? silentReporter, seed, stepsPerEpoch,
    variables: variables.map((p) => p.variable),
    keyOfVariableName: new Map(variables.map((p) => [p.variable.name, p.key])),
    clipNorm: config.clipNorm, batchSize: config.batchSize, epochs: config.epochs,
    stepSeededLayers: model.layers.filter(isStepSeeded) as unknown as StepSeeded[],
    signal: options.signal,
    fused: fusedTrainerFor(model, task),
  };
  return { task, parts, runner, hasVal, samplesPerEpoch: Math.min(n, stepsPerEpoch * config.batchSize) };
}

/** The fused small-dense step when model and task allow it (train/fused-step), else null. */
function fusedTrainerFor<D>(model: tf.LayersModel, task: TrainingTask<D>): FusedTrainer<D> | null {
  const fused = FusedTrainer.create(model, task.fused);
  return typeof fused === 'string' ? null : fused;
}

/** The validation set's evaluation after an epoch (null without one), at the trainer's batch size. */
export function evaluateValidation<D>(loop: AssembledLoop<D>, options: LoopOptions<D>): Evaluation | null {
  if (!loop.hasVal || options.val === undefined) return null;
  const batchSize = options.config.evalBatchSize ?? Math.max(256, options.config.batchSize);
  const fused = loop.runner.fused?.active ? loop.runner.fused.evaluate(options.val, batchSize) : null;
  return fused ?? loop.task.evaluate(options.model, options.val, batchSize);
}

/** The number of training examples, after refusing data or settings the loop cannot use. */
function checkData<D>(options: LoopOptions<D>, task: TrainingTask<D>): number {
  const { config } = options;
  task.checkData?.(options.train, 'train');
  if (options.val !== undefined) task.checkData?.(options.val, 'val');
  const n = task.size(options.train);
  if (n === 0) throw new Error('train: the training set is empty');
  if (!(Number.isInteger(config.batchSize) && config.batchSize >= 1)) throw new RangeError(`batchSize must be an integer >= 1, got ${config.batchSize}`);
  if (config.limitBatches !== undefined && !(Number.isInteger(config.limitBatches) && config.limitBatches >= 1)) {
    throw new RangeError(`limitBatches must be an integer >= 1, got ${config.limitBatches}`);
  }
  return n;
}

/** Early stopping on the task's metric, in the task's direction for it. */
function earlyStoppingFor<D>(config: EarlyStoppingConfig, task: TrainingTask<D>, hasVal: boolean): EarlyStopping {
  const monitor = config.monitor ?? (task.defaultMonitor as EarlyStoppingConfig['monitor']) ?? 'val_loss';
  if (monitor.startsWith('val_') && !hasVal) throw new Error(`early stopping monitors ${monitor}, but there is no validation set`);
  return new EarlyStopping({ ...config, monitor }, monitorModeFor(task, monitor));
}

/** One finished epoch as EpochStepper reports it. */
export interface SteppedEpoch {
  /** 1-based. */
  epoch: number;
  totals: EpochTotals;
  val: Evaluation | null;
  /** Wall seconds of the epoch's steps and its validation. */
  seconds: number;
}

/**
 * A run advanced one epoch per call, for callers that interleave training with other work (a
 * web page redrawing between epochs, pausing, stepping). The epochs are the trainer's: the same
 * shuffle, steps, validation and schedule updates; what it leaves out is the trainer's files
 * (checkpoints, metrics.jsonl) and restoring the best weights (earlyStopping.restoreBest): early
 * stopping itself is honoured (`done` turns true when it stops), the weights stay the last epoch's.
 */
export class EpochStepper<D = LabeledTensors> {
  private readonly loop: AssembledLoop<D>;
  private epochsDone = 0;

  constructor(private readonly options: LoopOptions<D>) {
    this.loop = assembleLoop(options);
  }

  get epoch(): number {
    return this.epochsDone;
  }

  get done(): boolean {
    return this.epochsDone >= this.options.config.epochs || (this.loop.parts.earlyStopping?.stopped ?? false);
  }

  get task(): TrainingTask<D> {
    return this.loop.task;
  }

  /** Train the next epoch; null when the run is done or the signal aborted it mid-epoch. */
  step(): SteppedEpoch | null {
    if (this.done) return null;
    const { parts, runner, task } = this.loop;
    const epoch = this.epochsDone;
    const started = performance.now();
    task.beginEpoch?.({ epoch, model: this.options.model, train: this.options.train });
    const totals = runEpoch(runner, epoch);
    if (!totals) return null;
    const val = evaluateValidation(this.loop, this.options);
    parts.schedule.onEpochEnd(epoch, val ? val.loss : totals.loss);
    parts.earlyStopping?.update(epoch + 1, monitorValue(parts.earlyStopping.monitor, totals, val));
    task.endEpoch?.({ epoch, train: totals.metrics, val });
    this.epochsDone = epoch + 1;
    return { epoch: epoch + 1, totals, val, seconds: (performance.now() - started) / 1000 };
  }

  dispose(): void {
    this.loop.parts.optimizer.dispose();
  }
}

function monitorValue(monitor: string, totals: EpochTotals, val: Evaluation | null): number {
  const [split, ...rest] = monitor.split('_');
  const metric = rest.join('_');
  const value = split === 'val' ? val?.[metric] : metric === 'loss' ? totals.loss : totals.metrics[metric];
  if (value === undefined) throw new Error(`early stopping monitors ${monitor}, which this run does not compute`);
  return value;
}
