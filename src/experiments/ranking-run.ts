// `entangle train` for a reranker (model.reranker on data.type beir): the run folder of every
// run (config.yaml, metrics.jsonl, checkpoints/, summary.json, report.md, the marker), plus
//
//   split.json       the query ids of train / val / test
//   reranker.json    the saved reranker's manifest, beside reranker-weights.bin (models/reranker/saved.ts)
//   ranking.json     the test evaluation: reranker against BM25 and cosine on the same candidates
//                    (the object `entangle evaluate-ranking --json` prints, plus params and times)
//
// Training goes through the unchanged trainer with the ranking task (models/reranker/task.ts).

import { rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { LoadedConfig } from '../config/load.js';
import { ConfigError } from '../config/errors.js';
import { computationalConfig, writeResolvedConfig } from '../config/save.js';
import type { BeirDataConfig } from '../data/load.js';
import { countParams } from '../models/build.js';
import { buildRerankerModel, loadReranker, RANKING_LOSSES, rankingTask, type RankingLossKind, resolveRerankerConfig, saveReranker, type RankingTrainingConfig, type RerankerModel } from '../models/reranker/index.js';
import { trainingSummary, type RunSummary } from '../report/summary.js';
import { writeReport } from '../report/report-md.js';
import { setupBackend } from '../tf-kernels/backend.js';
import { modelFingerprint } from '../train/fingerprint.js';
import { silentReporter } from '../train/progress.js';
import type { TrainingTask } from '../train/tasks/task.js';
import { train } from '../train/trainer.js';
import { writeFileAtomic } from '../util/atomic-file.js';
import { configFingerprint } from '../util/hash.js';
import { RunInterruptedError, throwIfInterrupted } from './interrupted.js';
import { evaluateRanking, type RankingReport } from './ranking-eval.js';
import { prepareRankingData, type PreparedRanking } from './ranking-data.js';
import { checkFolder, inMarkedFolder } from './run-folder.js';
import { checkResumable, SPLIT_FILE, type RunOptions } from './run.js';

export const RANKING_REPORT_FILE = 'ranking.json';

export interface RankingRunOutcome {
  runDir: string;
  summary: RunSummary;
  report: RankingReport | null;
}

export async function runRankingExperiment(loaded: LoadedConfig, options: RunOptions = {}): Promise<RankingRunOutcome> {
  const started = performance.now();
  const config = loaded.config;
  const runDir = resolve(options.outDir ?? config.output.dir);
  const reporter = options.reporter ?? silentReporter;
  const configHash = configFingerprint(computationalConfig(config));
  const request = { kind: 'run' as const, name: config.name, config: configHash, resume: options.resume, force: options.force, onMessage: (m: string) => reporter.onMessage?.(m) };
  const previous = checkFolder(runDir, request);
  await setupBackend(config.training.backend);
  const dataConfig = config.data as BeirDataConfig & { split: { train: number; val: number; test: number } };
  let data: PreparedRanking;
  try {
    reporter.onMessage?.(`preparing ${dataConfig.dir} (embeddings: ${dataConfig.embeddings})`);
    data = await prepareRankingData(dataConfig, config.data.seed ?? config.seed, loaded.baseDir);
  } catch (e) {
    throw new ConfigError([{ file: loaded.locate(['data']), path: 'data', message: (e as Error).message }]);
  }
  const rerankerConfig = resolveRerankerConfig(config.model.reranker);
  const rm = buildRerankerModel(rerankerConfig, data.dim, config.seed, config.name);
  const ranking: RankingTrainingConfig = config.training.ranking ?? {};
  // Without training.task the schema fills the classification default (cross_entropy): a reranker
  // then trains with the ranking default, triplet (load.ts refuses any other non-ranking loss).
  const loss = (RANKING_LOSSES as readonly string[]).includes(config.training.loss ?? '') ? (config.training.loss as unknown as RankingLossKind) : 'triplet';
  const task = rankingTask(rm, { ...ranking, loss, seed: config.seed });
  const fingerprint = { model: modelFingerprint(rm.model), config: configHash };
  try {
    const resumeFingerprint = options.resume ? checkResumable(runDir, fingerprint, config, reporter) : undefined;
    throwIfInterrupted(options.signal, runDir, config.name, options.resume);
    return await inMarkedFolder(runDir, request, previous, async () => {
      if (!options.resume) rmSync(join(runDir, 'summary.json'), { force: true });
      writeResolvedConfig(join(runDir, 'config.yaml'), config);
      writeFileAtomic(join(runDir, SPLIT_FILE), JSON.stringify({ kind: 'queries', ...data.ids }, null, 1) + '\n');
      const result = await train({
        model: rm.model, task: task as TrainingTask<unknown>, train: data.train, val: data.ids.val.length > 0 ? data.val : undefined,
        config: { ...config.training, task: undefined, loss: undefined }, seed: config.seed, runDir, resume: options.resume, fingerprint, resumeFingerprint,
        reporter, name: config.name, maxEpochsThisCall: options.maxEpochsThisCall, signal: options.signal,
      });
      if (result.interrupted) throw new RunInterruptedError(result.epochsCompleted, runDir, true, config.name);
      saveReranker(rm.model, runDir, {
        configHash, name: config.name, embedder: data.embedder, embeddingDim: data.dim,
        data: { dir: resolve(loaded.baseDir, dataConfig.dir), fingerprint: data.beir.fingerprint }, reranker: rerankerConfig,
        evaluation: { firstStage: data.firstStage, k: data.k },
      });
      const report = await testReport(runDir, data);
      const evalBatch = config.training.evalBatchSize ?? 256;
      const valEval = data.ids.val.length > 0 ? task.evaluate(rm.model, data.val, evalBatch) : null;
      const summary = summaryOf(config, rm, result, valEval, report, fingerprint);
      if (report) writeFileAtomic(join(runDir, RANKING_REPORT_FILE), JSON.stringify({ ...report, params: summary.params, train_seconds: result.trainSeconds }, null, 2) + '\n');
      if (options.report !== false) await writeReport({ runDir, summary, history: result.history });
      summary.wall_seconds = (performance.now() - started) / 1000;
      writeFileAtomic(join(runDir, 'summary.json'), JSON.stringify(summary, null, 2) + '\n');
      return { runDir, summary, report };
    }, (o) => o.summary.epochs);
  } finally {
    data.dispose();
    rm.model.dispose();
  }
}

/** The saved reranker (as evaluate-ranking and serve load it) on the test queries. */
async function testReport(runDir: string, data: PreparedRanking): Promise<RankingReport | null> {
  if (data.ids.test.length === 0 || !data.testQrels) return null;
  const reranker = await loadReranker(runDir);
  return evaluateRanking({
    beir: data.beir, qrels: data.testQrels, queryIds: data.ids.test, docEmbeddings: data.docEmbeddings, queryEmbeddings: data.queryEmbeddings,
    firstStage: data.firstStage, k: data.k, rerankers: { reranker },
  });
}

function summaryOf(
  config: LoadedConfig['config'], rm: RerankerModel, result: Awaited<ReturnType<typeof train>>, valEval: Record<string, number> | null, report: RankingReport | null, fingerprint: { model: string; config: string },
): RunSummary {
  // The circuit's engine time in training steps and validation losses (the fidelity op's timing).
  const quantumSeconds = rm.timing.forwardSeconds + rm.timing.backwardSeconds;
  const metrics: Record<string, number | null> = {
    'val_mrr@10': valEval?.['mrr@10'] ?? null,
    'val_recall@10': valEval?.['recall@10'] ?? null,
  };
  for (const [name, value] of Object.entries(report?.metrics.reranker ?? {})) metrics[`test_${name}`] = value;
  if (report) metrics.test_latency_ms = report.latencyMs.reranker;
  return {
    name: config.name,
    test_accuracy: null, test_loss: null, val_accuracy: null, val_loss: valEval?.loss ?? null, train_accuracy: null,
    train_loss: result.history.at(-1)?.train_loss ?? NaN,
    task: 'ranking',
    metrics,
    params: countParams(rm.model),
    ...trainingSummary(result, config.training, quantumSeconds),
    wall_seconds: 0,
    resumed_from_epoch: result.resumedFromEpoch,
    seed: config.seed,
    backend: tf.getBackend(),
    fingerprint,
  };
}

