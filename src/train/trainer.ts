// The training loop: a custom loop over tf.variableGrads (not model.fit), so that param groups,
// clipping, our optimizers and exact checkpoints are possible. What is trained on, the loss and
// the metrics belong to a task (tasks/task.ts: classification by default, regression, or any
// custom one); the loop only shuffles the task's examples, steps, evaluates, stops early and
// checkpoints. Every step runs inside tf.tidy, so the tensor count is flat across epochs.
//
// Determinism: the shuffle of epoch e is drawn from deriveSeed(seed, 'shuffle', e) and a layer
// that needs per-step randomness (SeededDropout) is told the global step, so an epoch depends
// only on (seed, epoch, weights, optimizer state, task state). A checkpoint after every epoch
// holds exactly that state, which is why a resumed run ends with the same bits as an
// uninterrupted one.

import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { removeStaleTempFiles } from '../util/atomic-file.js';
import { CheckpointError, readCheckpoint, writeCheckpoint, type Fingerprint, type StoredTensor } from './checkpoint.js';
import { engineSeconds } from './engine-time.js';
import { runEpoch, type EpochRunner, type EpochTotals } from './epoch.js';
import { fingerprintOf } from './fingerprint.js';
import { writeMetricsJsonl, type EpochRecord } from './history.js';
import { assembleLoop, evaluateValidation, type LoopOptions, type TrainerConfig } from './loop.js';
import { delayedVariables, layerEpochMetrics } from './phases.js';
import type { ProgressReporter } from './progress.js';
import type { LabeledTensors } from './tasks/classification.js';
import type { Evaluation, TrainingTask } from './tasks/task.js';
import { captureEpochStart, makeCheckpoint, restoreFromCheckpoint, rollBackEpoch, type TrainingParts } from './train-state.js';
import { restoreWeights, snapshotWeights } from './weights.js';

export { evaluate, type LabeledTensors } from './tasks/classification.js';
export { predict } from './predict.js';
export type { StepSeeded } from './epoch.js';

export type { OptimizerConfig, TrainerConfig } from './loop.js';

/**
 * What train() takes: the loop's options (model, data, task, config, seed, reporter, and `signal`:
 * when aborted, an epoch under way is discarded — weights, optimizer and task state go back to the
 * end of the last complete epoch, which the checkpoint holds; an abort during an epoch's
 * evaluation or checkpoint takes effect once the checkpoint is written, and the result then says
 * interrupted), plus the run folder and resume settings.
 */
export interface TrainOptions<D = LabeledTensors> extends LoopOptions<D> {
  /** Run folder: checkpoints/last.ckpt and metrics.jsonl are written there after every epoch. */
  runDir?: string;
  /** Continue from runDir's checkpoint (a missing one starts afresh; a bad one is refused). */
  resume?: boolean;
  /** What checkpoints are tied to; by default the model architecture and `config` + seed. */
  fingerprint?: Fingerprint;
  /** The fingerprint the checkpoint to resume from may carry, when it differs (a run extended to more epochs); default `fingerprint`. */
  resumeFingerprint?: Fingerprint;
  name?: string;
  /** Return after this many epochs in this call, as if interrupted (tests, time-boxed jobs). */
  maxEpochsThisCall?: number;
}

export interface TrainResult {
  history: EpochRecord[];
  /** Epochs completed in total (including those before a resume): the epoch the checkpoint holds. */
  epochsCompleted: number;
  stoppedEarly: boolean;
  /** The signal aborted the run before it finished (resume continues it). */
  interrupted: boolean;
  /** 1-based epoch of the best monitored value (early stopping), else the last epoch. */
  bestEpoch: number;
  /** Training seconds summed over all epochs, across resumes. */
  trainSeconds: number;
  secondsPerEpoch: number;
  resumedFromEpoch: number | null;
}

export const CHECKPOINT_FILE = join('checkpoints', 'last.ckpt');
export const METRICS_FILE = 'metrics.jsonl';

/** One call of train(): its fixed parts and the state that grows epoch by epoch. */
interface Run<D> {
  options: TrainOptions<D>;
  config: TrainerConfig;
  task: TrainingTask<D>;
  reporter: ProgressReporter;
  parts: TrainingParts;
  runner: EpochRunner<D>;
  /** Variables frozen in early epochs (train/phases.ts): tfjs name → first epoch they train in. */
  delayed: ReadonlyMap<string, number>;
  samplesPerEpoch: number;
  hasVal: boolean;
  fingerprint: Fingerprint;
  ckptPath?: string;
  metricsPath?: string;
  history: EpochRecord[];
  bestWeights: Map<string, StoredTensor> | null;
  startEpoch: number;
  resumedFromEpoch: number | null;
}

export async function train<D = LabeledTensors>(options: TrainOptions<D>): Promise<TrainResult> {
  const run = setUp(options);
  try {
    prepareRunDir(run);
    resumeFromCheckpoint(run);
    const interrupted = await trainEpochs(run);
    run.reporter.onTrainEnd?.();
    if (run.bestWeights && finished(run)) restoreWeights(run.options.model, run.bestWeights);
    return resultOf(run, interrupted);
  } finally {
    run.parts.optimizer.dispose();
  }
}

function setUp<D>(options: TrainOptions<D>): Run<D> {
  const { task, parts, runner, hasVal, samplesPerEpoch } = assembleLoop(options);
  const { model, config, seed } = options;
  const reporter = runner.reporter;
  const ckptPath = options.runDir ? join(options.runDir, CHECKPOINT_FILE) : undefined;
  const metricsPath = options.runDir ? join(options.runDir, METRICS_FILE) : undefined;
  const fingerprint = options.fingerprint ?? fingerprintOf(model, { config, seed });
  return { options, config, task, reporter, parts, runner, delayed: delayedVariables(model), samplesPerEpoch, hasVal, fingerprint, ckptPath, metricsPath, history: [], bestWeights: null, startEpoch: 0, resumedFromEpoch: null };
}

function prepareRunDir<D>(run: Run<D>): void {
  const dir = run.options.runDir;
  if (!dir) return;
  mkdirSync(join(dir, 'checkpoints'), { recursive: true });
  removeStaleTempFiles(dir);
  removeStaleTempFiles(join(dir, 'checkpoints'));
  // A fresh start must not leave an older run's checkpoint behind for a later --resume.
  if (!run.options.resume && run.ckptPath && run.metricsPath) {
    rmSync(run.ckptPath, { force: true });
    rmSync(run.metricsPath, { force: true });
  }
}

function resumeFromCheckpoint<D>(run: Run<D>): void {
  const { options, ckptPath, reporter } = run;
  if (!options.resume || !ckptPath) return;
  let ckpt;
  try {
    ckpt = readCheckpoint(ckptPath, options.resumeFingerprint ?? run.fingerprint);
  } catch (e) {
    if (!(e instanceof CheckpointError && e.problem === 'missing')) throw e;
    reporter.onMessage?.(`no checkpoint in ${options.runDir}; starting from epoch 1`);
    return;
  }
  const restored = restoreFromCheckpoint(ckpt, run.parts);
  run.history = restored.history;
  run.bestWeights = restored.bestWeights;
  run.startEpoch = ckpt.epoch;
  run.resumedFromEpoch = ckpt.epoch;
  if (run.metricsPath) writeMetricsJsonl(run.metricsPath, run.history);
  reporter.onMessage?.(`resuming ${options.name ?? 'run'} after epoch ${ckpt.epoch} from ${ckptPath}`);
}

function finished<D>(run: Run<D>): boolean {
  return run.history.length >= run.config.epochs || (run.parts.earlyStopping?.stopped ?? false);
}

/** The epochs of this call; says whether the signal interrupted them. */
async function trainEpochs<D>(run: Run<D>): Promise<boolean> {
  const { config, options, runner } = run;
  const lastEpochThisCall = Math.min(config.epochs, run.startEpoch + (options.maxEpochsThisCall ?? Infinity));
  // The epochs this call will run (--stop-after may cut them short, or to none).
  if (!finished(run) && lastEpochThisCall > run.startEpoch) {
    run.reporter.onTrainStart?.({ name: options.name, epochs: config.epochs, firstEpoch: run.startEpoch + 1, lastEpoch: lastEpochThisCall, stepsPerEpoch: runner.stepsPerEpoch, samples: run.samplesPerEpoch });
  }
  for (let epoch = run.startEpoch; epoch < lastEpochThisCall && !finished(run); epoch++) {
    if (options.signal?.aborted) break;
    const started = performance.now();
    const engineBefore = engineSeconds(options.model);
    const cpuBefore = process.cpuUsage();
    // Only a run that can be interrupted pays for the copy that lets it discard an epoch.
    const epochStart = options.signal ? captureEpochStart(run.parts) : null;
    run.task.beginEpoch?.({ epoch, model: options.model, train: options.train });
    const totals = runEpoch(run.delayed.size > 0 ? { ...runner, variables: runner.variables.filter((v) => (run.delayed.get(v.name) ?? 0) <= epoch) } : runner, epoch);
    if (!totals) {
      rollBackEpoch(run.parts, epochStart as NonNullable<typeof epochStart>);
      run.reporter.onMessage?.(`interrupted during epoch ${epoch + 1}: it is discarded; the run stands at epoch ${epoch}${run.ckptPath ? ` (${run.ckptPath})` : ''}`);
      break;
    }
    finishEpoch(run, epoch, totals, { started, engineBefore, cpuBefore });
    // The loop never waits otherwise, so a SIGINT/SIGTERM handler (which aborts the signal) runs
    // only here, once the epoch's checkpoint is written: the safe point the CLI promises.
    if (options.signal) await new Promise((resolve) => setImmediate(resolve));
  }
  return (options.signal?.aborted ?? false) && !finished(run);
}

/** After an epoch's last step: evaluate, record, schedule, early stopping, checkpoint, report. */
function finishEpoch<D>(run: Run<D>, epoch: number, totals: EpochTotals, clock: EpochClock): void {
  const { options, parts, config } = run;
  const stepsSeconds = (performance.now() - clock.started) / 1000;
  const val = evaluateValidation(run, options);
  const record = epochRecord(run, epoch, totals, val, clock, stepsSeconds);
  run.history.push(record);
  parts.schedule.onEpochEnd(epoch, record.val_loss ?? record.train_loss);
  if (parts.earlyStopping) {
    const { improved } = parts.earlyStopping.update(epoch + 1, monitoredValue(record, parts.earlyStopping.monitor));
    if (improved && config.earlyStopping?.restoreBest) run.bestWeights = snapshotWeights(options.model);
  }
  run.task.endEpoch?.({ epoch, train: totals.metrics, val });
  // Checkpoint first, metrics second: if killed in between, resume rewrites metrics.jsonl
  // from the checkpoint's history, so the two always agree.
  if (run.ckptPath && run.metricsPath) {
    writeCheckpoint(run.ckptPath, makeCheckpoint(epoch + 1, run.fingerprint, parts, run.history, run.bestWeights));
    writeMetricsJsonl(run.metricsPath, run.history);
  }
  run.reporter.onEpochEnd?.(record, config.epochs);
}

interface EpochClock {
  started: number;
  engineBefore: number;
  cpuBefore: NodeJS.CpuUsage;
}

/** metrics.jsonl's line: train_loss, train_<metric>…, val_loss, val_<metric>…, then rates and timings. */
function epochRecord<D>(run: Run<D>, epoch: number, totals: EpochTotals, val: Evaluation | null, clock: EpochClock, stepsSeconds: number): EpochRecord {
  const seconds = (performance.now() - clock.started) / 1000;
  const metrics: Record<string, number | null> = { train_loss: totals.loss };
  for (const m of run.task.trainMetrics) metrics[`train_${m.name}`] = totals.metrics[m.name];
  metrics.val_loss = val ? val.loss : null;
  for (const m of run.task.evalMetrics) metrics[`val_${m.name}`] = val ? val[m.name] : null;
  return {
    epoch: epoch + 1,
    ...(metrics as Pick<EpochRecord, 'train_loss' | 'val_loss'>),
    lr: run.parts.optimizer.learningRates(totals.factor),
    grad_norm: totals.gradNorm,
    grad_norm_max: totals.gradNormMax,
    seconds,
    samples_per_second: run.samplesPerEpoch / seconds,
    batches_per_second: run.runner.stepsPerEpoch / stepsSeconds,
    quantum_seconds: engineSeconds(run.options.model) - clock.engineBefore,
    cpu_seconds: cpuSeconds(process.cpuUsage(clock.cpuBefore)),
    peak_rss_mb: process.resourceUsage().maxRSS / 1024,
    ...layerEpochMetrics(run.options.model),
  };
}

function resultOf<D>(run: Run<D>, interrupted: boolean): TrainResult {
  const { history } = run;
  const earlyStopping = run.parts.earlyStopping;
  const trainSeconds = history.reduce((s, r) => s + r.seconds, 0);
  return {
    history,
    epochsCompleted: history.length,
    stoppedEarly: earlyStopping?.stopped ?? false,
    interrupted,
    bestEpoch: earlyStopping && earlyStopping.bestEpoch > 0 ? earlyStopping.bestEpoch : history.length,
    trainSeconds,
    secondsPerEpoch: history.length > 0 ? trainSeconds / history.length : 0,
    resumedFromEpoch: run.resumedFromEpoch,
  };
}

/** User + system seconds of a process.cpuUsage() difference. */
function cpuSeconds(usage: NodeJS.CpuUsage): number {
  return (usage.user + usage.system) / 1e6;
}

function monitoredValue(record: EpochRecord, monitor: string): number {
  const value = (record as unknown as Record<string, number | null | undefined>)[monitor];
  if (value === null || value === undefined) {
    throw new Error(`early stopping monitors ${monitor}, but there is no validation set`);
  }
  return value;
}
