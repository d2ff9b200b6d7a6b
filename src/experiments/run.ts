// One experiment from a loaded config to a complete run folder:
//
//   config.yaml        the resolved config
//   split.json         the row indices of train/val/test (reuse with data.split.file)
//   preprocessing.json the standardizer, feature and class names (to apply the model to new rows)
//   metrics.jsonl      one record per epoch
//   checkpoints/       last.ckpt, rewritten atomically every epoch (resume from it)
//   model.json, weights.bin   the final model (tfjs layers format)
//   summary.json       headline numbers
//   report.md, plots/  curves and, for 2-D data, the decision boundary
//
//   .entangle-run.json the marker: what the folder is, the config hash, running / finished /
//                      interrupted / failed (and why); see run-folder.ts
//
// Every file is written atomically, so a run killed at any moment leaves a readable folder.

import { existsSync, readFileSync, rmSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { LoadedConfig } from '../config/load.js';
import { ConfigError } from '../config/errors.js';
import { computationalConfig, writeResolvedConfig } from '../config/save.js';
import { describeDifferences, diffConfigs } from '../config/diff.js';
import { CheckpointError, readCheckpoint, type Fingerprint } from '../train/checkpoint.js';
import { sampleShape, type Dataset } from '../data/dataset.js';
import { CsvError } from '../data/csv.js';
import { prepareData, type PreparedData } from '../data/load.js';
import { loadSplit, saveSplit, type SplitIndices } from '../data/split.js';
import { buildModel, countParams, ModelConfigError } from '../models/build.js';
import { buildQuantumTrainFromConfig } from '../models/quantum-train/from-config.js';
import { attachQuantumHead } from '../models/quantum-head/head.js';
import { findGate } from '../models/quantum-head/gate.js';
import { QuantumChannelsError, withQuantumChannels, type ChannelStats } from '../models/quantum-channels/channels.js';
import { buildResNetFromConfig } from '../models/resnet/from-config.js';
import { setupBackend } from '../tf-kernels/backend.js';
import { writeFileAtomic } from '../util/atomic-file.js';
import { modelFingerprint } from '../train/fingerprint.js';
import { configFingerprint } from '../util/hash.js';
import { taskFromConfig, taskKindOf } from '../train/tasks/from-config.js';
import type { Evaluation, TrainingTask } from '../train/tasks/task.js';
import { regressionTargets, taskTensors, type TaskTensors } from './task-data.js';
import { silentReporter, type ProgressReporter } from '../train/progress.js';
import { CHECKPOINT_FILE, train, type TrainResult } from '../train/trainer.js';
import { decisionBoundaryGrid } from '../report/decision-boundary.js';
import { writeReport } from '../report/report-md.js';
import { finishQuantumTrain } from './quantum-train.js';
import { withAugmentation } from './augmented-task.js';
import type { LabeledTensors } from '../train/tasks/classification.js';
import { saveModel } from '../models/save.js';
import { RunInterruptedError, throwIfInterrupted } from './interrupted.js';
import { checkFolder, inMarkedFolder } from './run-folder.js';
import { trainingSummary, type RunSummary } from '../report/summary.js';

export interface RunOptions {
  /** Run folder; default: the config's output.dir (relative to the working directory). */
  outDir?: string;
  resume?: boolean;
  /** Use this split instead of the config's (compare shares one split among its runs). */
  split?: SplitIndices;
  reporter?: ProgressReporter;
  /** Write report.md and plots (default true). */
  report?: boolean;
  /** Stop after this many epochs in this call, leaving a resumable folder (tests). */
  maxEpochsThisCall?: number;
  /** Write into a non-empty folder that is not a run of this config (the CLI's --force). */
  force?: boolean;
  /** Stop at the next safe point (after an epoch's checkpoint) and throw RunInterruptedError. */
  signal?: AbortSignal;
}

export interface RunOutcome {
  runDir: string;
  summary: RunSummary;
  result: TrainResult;
  split: SplitIndices;
}

export const SPLIT_FILE = 'split.json';

/** Schedules whose rate at a step depends on the total number of epochs. */
const EPOCH_COUNT_SCHEDULES = new Set(['cosine', 'one_cycle']);

/**
 * Check a --resume before anything in the folder is rewritten. Refuses a checkpoint that cannot
 * be continued (damaged, or from another model or config), naming the config fields that differ
 * from the run folder's config.yaml. One difference is allowed: more training.epochs, when the
 * schedule does not depend on the epoch count — the extended run is then exactly the longer run
 * (per-epoch shuffles are seeded by epoch), so the checkpoint's fingerprint is accepted and
 * returned. A folder without a checkpoint is fine: the run starts from epoch 1.
 */
export function checkResumable(runDir: string, fingerprint: Fingerprint, config: LoadedConfig['config'], reporter: ProgressReporter): Fingerprint | undefined {
  const ckptPath = join(runDir, CHECKPOINT_FILE);
  if (!existsSync(ckptPath)) return undefined;
  let stored: Fingerprint;
  try {
    readCheckpoint(ckptPath, fingerprint);
    return undefined;
  } catch (e) {
    if (!(e instanceof CheckpointError) || e.problem !== 'foreign') throw e;
    const saved = join(runDir, 'config.yaml');
    let before: LoadedConfig['config'];
    try {
      stored = readCheckpoint(ckptPath).fingerprint;
      before = parseYaml(readFileSync(saved, 'utf8')) as LoadedConfig['config'];
    } catch {
      throw e;
    }
    const diffs = diffConfigs(computationalConfig(before), computationalConfig(config));
    if (diffs.length === 0 || stored.model !== fingerprint.model) throw e; // the model code or architecture: the fingerprint says so
    const fields = describeDifferences(diffs, ['the run', 'now']).join('; ');
    const onlyEpochs = diffs.length === 1 && diffs[0].path === 'training.epochs' && Number(diffs[0].b) > Number(diffs[0].a);
    if (!onlyEpochs) throw new CheckpointError('foreign', ckptPath, `it was trained with another config; these fields differ from ${saved}: ${fields}`);
    const schedule = config.training.schedule?.type ?? 'constant';
    if (EPOCH_COUNT_SCHEDULES.has(schedule)) {
      throw new CheckpointError('foreign', ckptPath, `only training.epochs differs (${fields}), but the ${schedule} schedule depends on the number of epochs, so continuing would not give the ${String(diffs[0].b)}-epoch run`);
    }
    reporter.onMessage?.(`extending ${runDir} from ${String(diffs[0].a)} to ${String(diffs[0].b)} epochs (the ${schedule} schedule does not depend on the epoch count: the same as a ${String(diffs[0].b)}-epoch run from the start)`);
    return stored;
  }
}

/** The validated inputs of a run: data, model and the fingerprint checkpoints are tied to. */
export interface Prepared {
  data: PreparedData;
  model: tf.LayersModel;
  fingerprint: Fingerprint;
  /** model.quantumChannels: where the channels came from and what they cost. */
  channels?: ChannelStats;
}

/** A config error at `path` (dotted, with [i] indices) of the loaded config. */
function configIssue(loaded: LoadedConfig, path: string, message: string): ConfigError {
  const parts = path.replace(/\[(\d+)\]/g, '.$1').split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p));
  return new ConfigError([{ file: loaded.locate(parts), path, message }]);
}

/**
 * Everything that can be checked before the run folder is touched: load and split the data,
 * build the model, and check the two against each other (classes, sample shape), so
 * that a run that cannot train fails here, with nothing written.
 */
export function prepareExperiment(loaded: LoadedConfig, runDir: string, options: RunOptions): Prepared {
  const config = loaded.config;
  let channels: ChannelStats | undefined;
  const channelConfig = config.model.quantumChannels;
  const addChannels = channelConfig
    ? (ds: Dataset) => {
        const out = withQuantumChannels(ds, channelConfig, (m) => options.reporter?.onMessage?.(m));
        channels = out.stats;
        return out.dataset;
      }
    : undefined;
  // A resumed run keeps the split it started with, whatever the config would draw now.
  const savedSplit = options.resume && !options.split && existsSync(join(runDir, SPLIT_FILE)) ? join(runDir, SPLIT_FILE) : undefined;
  let data: PreparedData;
  try {
    data = prepareData(config.data, config.seed, loaded.baseDir, options.split ?? (savedSplit ? loadSplit(savedSplit) : undefined), addChannels);
  } catch (e) {
    if (e instanceof ConfigError) throw e;
    if (e instanceof QuantumChannelsError) throw configIssue(loaded, 'model.quantumChannels', e.message);
    // A CSV problem with one field (a label or feature name) points at that field.
    const field = e instanceof CsvError && e.field ? ['data', e.field] : ['data'];
    throw new ConfigError([{ file: loaded.locate(field), path: field.join('.'), message: (e as Error).message }]);
  }
  const taskKind = taskKindOf(config.training);
  if (taskKind === 'classification') checkDataFitsTraining(loaded, data);
  else {
    try {
      regressionTargets(data.dataset);
    } catch (e) {
      throw new ConfigError([{ file: loaded.locate(['data', 'label']), path: 'data.label', message: (e as Error).message }]);
    }
  }
  let model: tf.LayersModel;
  try {
    const buildOptions = { inputShape: sampleShape(data.train), seed: config.seed, name: config.name, numClasses: taskKind === 'classification' ? data.dataset.numClasses : undefined, ...(config.training.threads ? { quantum: { threads: config.training.threads } } : {}) };
    if (config.model.quantumTrain) model = buildQuantumTrainFromConfig(config.model.quantumTrain, buildOptions);
    else if (config.model.resnet) model = buildResNetFromConfig(config.model.resnet, { ...buildOptions, baseDir: loaded.baseDir });
    else model = buildModel(config.model.layers ?? [], buildOptions);
    if (config.model.quantumHead) {
      try {
        const backbone = model;
        model = attachQuantumHead(backbone, config.model.quantumHead, config.seed);
      } catch (e) {
        throw new ModelConfigError('model.quantumHead', (e as Error).message.replace(/^model\.quantumHead: /, ''));
      }
    }
  } catch (e) {
    if (e instanceof ModelConfigError) throw configIssue(loaded, e.path, e.message.slice(e.path.length + 2));
    throw e;
  }
  if (config.training.augment && (taskKind !== 'classification' || sampleShape(data.train).length !== 3)) {
    model.dispose();
    throw configIssue(loaded, 'training.augment', `augmentation works on images [height, width, channels] for classification; this run has ${taskKind} on samples of shape [${sampleShape(data.train).join(', ')}] (remove training.augment)`);
  }
  const inputShape = model.inputs[0].shape.slice(1);
  if (inputShape.join(',') !== sampleShape(data.train).join(',')) {
    model.dispose();
    throw configIssue(loaded, 'model', `the model takes samples of shape [${inputShape.join(', ')}], the data has samples of shape [${sampleShape(data.train).join(', ')}]`);
  }
  return { data, model, fingerprint: { model: modelFingerprint(model), config: configFingerprint(computationalConfig(config)) }, ...(channels ? { channels } : {}) };
}

/** The config's task, its training batches augmented when training.augment is set (checked in prepareExperiment). */
function trainingTask(config: LoadedConfig['config'], data: PreparedData): TrainingTask<TaskTensors> {
  const task = taskFromConfig(config.training) as TrainingTask<TaskTensors>;
  if (!config.training.augment) return task;
  const augmented = withAugmentation(task as unknown as TrainingTask<LabeledTensors, LabeledTensors>, {
    config: config.training.augment,
    seed: config.seed,
    images: data.train.features,
    shape: sampleShape(data.train),
    standardizer: data.standardizer,
  });
  return augmented as unknown as TrainingTask<TaskTensors>;
}

/** The data against what training needs (the config's own checks cover the rest). */
function checkDataFitsTraining(loaded: LoadedConfig, data: PreparedData): void {
  const { dataset } = data;
  if (dataset.numClasses < 2) {
    throw configIssue(loaded, 'data', `the data has a single class (${JSON.stringify(dataset.classNames[0] ?? '0')}); a classifier needs at least 2`);
  }
}

/** The run's inputs, written first: resolved config, split and preprocessing. */
function writeRunInputs(runDir: string, config: LoadedConfig['config'], data: PreparedData): void {
  writeResolvedConfig(join(runDir, 'config.yaml'), config);
  saveSplit(join(runDir, SPLIT_FILE), data.split);
  writeFileAtomic(
    join(runDir, 'preprocessing.json'),
    JSON.stringify({ standardizer: data.standardizer, featureNames: data.dataset.featureNames, classNames: data.dataset.classNames, ...(data.dataset.shape ? { sampleShape: data.dataset.shape } : {}) }, null, 2) + '\n',
  );
}

type RunTensors = Record<'train' | 'val' | 'test', TaskTensors>;

/** After training: evaluate, save the model, write the report and summary.json (last). */
async function finishRun(loaded: LoadedConfig, prepared: Prepared, task: TrainingTask<TaskTensors>, tensors: RunTensors, result: TrainResult, runDir: string, options: RunOptions, started: number): Promise<RunSummary> {
  const { config } = loaded;
  const { data, model, fingerprint } = prepared;
  const quantumSeconds = result.history.reduce((s, r) => s + (r.quantum_seconds ?? 0), 0);
  const evalBatch = config.training.evalBatchSize ?? 256;
  const trainEval = task.evaluate(model, tensors.train, evalBatch);
  const valEval = data.val.numSamples > 0 ? task.evaluate(model, tensors.val, evalBatch) : null;
  const testEval = data.test.numSamples > 0 ? task.evaluate(model, tensors.test, evalBatch) : null;
  await saveModel(model, runDir);
  // Quantum-Train: the generated classical network alone, exported and tested (null otherwise).
  const testGenerated = testEval ? (generated: tf.LayersModel) => task.evaluate(generated, tensors.test, evalBatch) : null;
  const quantumTrain = await finishQuantumTrain(model, runDir, testGenerated, { save: config.model.quantumTrain?.export !== false, standardizer: data.standardizer });
  const summary: RunSummary = {
    name: config.name,
    test_accuracy: testEval?.accuracy ?? null,
    test_loss: testEval?.loss ?? null,
    val_accuracy: valEval?.accuracy ?? null,
    val_loss: valEval?.loss ?? null,
    train_accuracy: trainEval.accuracy ?? null,
    train_loss: trainEval.loss,
    ...top5Summary(testEval, valEval),
    ...taskMetricsSummary(task, { train: trainEval, val: valEval, test: testEval }),
    params: countParams(model),
    ...trainingSummary(result, config.training, quantumSeconds),
    // Only where batches were limited, so other runs' summary.json stays as it was.
    ...(config.training.limitBatches !== undefined ? { batches_per_epoch: Math.ceil(data.train.numSamples / config.training.batchSize) } : {}),
    wall_seconds: 0,
    resumed_from_epoch: result.resumedFromEpoch,
    seed: config.seed,
    backend: tf.getBackend(),
    fingerprint,
    ...(quantumTrain ? { quantum_train: quantumTrain } : {}),
    ...quantumExtrasSummary(prepared),
  };
  if (options.report !== false) await writeReport({ runDir, summary, history: result.history, boundary: boundaryOf(config, data, model) });
  summary.wall_seconds = (performance.now() - started) / 1000;
  writeFileAtomic(join(runDir, 'summary.json'), JSON.stringify(summary, null, 2) + '\n');
  return summary;
}

/** summary.json's fields of the quantum extras: final_alpha (quantum head), precompute_seconds and quantum_channels (channels). */
function quantumExtrasSummary(prepared: Prepared): Pick<RunSummary, 'final_alpha' | 'precompute_seconds' | 'quantum_channels'> {
  const gate = findGate(prepared.model);
  return {
    ...(gate ? { final_alpha: gate.alpha } : {}),
    ...(prepared.channels ? { precompute_seconds: prepared.channels.precompute_seconds, quantum_channels: prepared.channels } : {}),
  };
}

/** The decision-boundary grid of a 2-D classification (synthetic sets name their informative features; any other 2-feature data is 2-D as is). */
function boundaryOf(config: LoadedConfig['config'], data: PreparedData, model: tf.LayersModel): ReturnType<typeof decisionBoundaryGrid> | undefined {
  const informative = data.dataset.informative ?? (data.dataset.numFeatures === 2 ? [0, 1] : undefined);
  if (!informative || informative.length !== 2 || taskKindOf(config.training) !== 'classification') return undefined;
  return decisionBoundaryGrid({
    model,
    raw: data.dataset,
    meanRows: data.split.train,
    shownRows: data.split.test.length > 0 ? data.split.test : data.split.train,
    standardizer: data.standardizer,
    features: [informative[0], informative[1]],
  });
}

/**
 * Prepare data, build, train, evaluate, and write the run folder. Everything that can be checked
 * is checked before the folder is created; from then on the folder's marker says whether the run
 * is running, finished, interrupted (options.signal) or failed, and why.
 */
export async function runExperiment(loaded: LoadedConfig, options: RunOptions = {}): Promise<RunOutcome> {
  const started = performance.now();
  const config = loaded.config;
  const runDir = resolve(options.outDir ?? config.output.dir);
  const reporter = options.reporter ?? silentReporter;
  const request = { kind: 'run' as const, name: config.name, config: configFingerprint(computationalConfig(config)), resume: options.resume, force: options.force, onMessage: (m: string) => reporter.onMessage?.(m) };
  const previous = checkFolder(runDir, request);
  await setupBackend(config.training.backend);
  const prepared = prepareExperiment(loaded, runDir, options);
  const { data, model, fingerprint } = prepared;
  const taskKind = taskKindOf(config.training);
  const task = trainingTask(config, data);
  const tensors: RunTensors = { train: taskTensors(taskKind, data.train), val: taskTensors(taskKind, data.val), test: taskTensors(taskKind, data.test) };
  try {
    // Before anything in the folder is rewritten: a resume that will be refused must leave the
    // run's own config.yaml, split and preprocessing as they were.
    const resumeFingerprint = options.resume ? checkResumable(runDir, fingerprint, config, reporter) : undefined;
    if (!options.resume && existsSync(join(runDir, 'summary.json'))) {
      reporter.onMessage?.(`replacing the finished run in ${runDir} (--resume continues a run instead; --out DIR trains into another folder)`);
    }
    throwIfInterrupted(options.signal, runDir, config.name, options.resume);
    return await inMarkedFolder(
      runDir,
      request,
      previous,
      async () => {
        // A fresh start replaces the old run: its summary must not describe the new, unfinished one.
        if (!options.resume) rmSync(join(runDir, 'summary.json'), { force: true });
        writeRunInputs(runDir, config, data);
        const result = await train({
          model,
          task,
          train: tensors.train,
          val: data.val.numSamples > 0 ? tensors.val : undefined,
          config: config.training,
          seed: config.seed,
          runDir,
          resume: options.resume,
          fingerprint,
          resumeFingerprint,
          reporter,
          name: config.name,
          maxEpochsThisCall: options.maxEpochsThisCall,
          signal: options.signal,
        });
        if (result.interrupted) throw new RunInterruptedError(result.epochsCompleted, runDir, true, config.name);
        const summary = await finishRun(loaded, prepared, task, tensors, result, runDir, options, started);
        return { runDir, summary, result, split: data.split };
      },
      (outcome) => outcome.result.epochsCompleted,
    );
  } finally {
    tf.dispose([tensors.train.x, tensors.train.y, tensors.val.x, tensors.val.y, tensors.test.x, tensors.test.y]);
    model.dispose();
  }
}

/** Top-5 accuracies where the classification evaluation reports them (more than 5 classes). */
function top5Summary(test: Evaluation | null, val: Evaluation | null): Pick<RunSummary, 'test_top5_accuracy' | 'val_top5_accuracy'> {
  const reported = [test, val].some((e) => e && e.top5_accuracy !== undefined);
  return reported ? { test_top5_accuracy: test?.top5_accuracy ?? null, val_top5_accuracy: val?.top5_accuracy ?? null } : {};
}

/**
 * For tasks other than classification (whose accuracy has its own summary fields): the task and
 * every evaluation metric as <split>_<metric>, e.g. test_r2.
 */
function taskMetricsSummary(task: TrainingTask<TaskTensors>, evals: Record<'train' | 'val' | 'test', Evaluation | null>): Pick<RunSummary, 'task' | 'metrics'> {
  if (task.name === 'classification') return {};
  const metrics: Record<string, number | null> = {};
  for (const [split, e] of Object.entries(evals)) for (const m of task.evalMetrics) metrics[`${split}_${m.name}`] = e ? e[m.name] : null;
  return { task: task.name, metrics };
}
