// A sweep: one config trained once per trial — every combination of the --param fields' values
// (a grid; --random N --seed S trains a seeded sample of it), each repeated over seeds with
// --repeat — every run on the same split, tabulated and plotted as test accuracy against
// trainable parameters (Quantum-Train's central figure). Finished runs of earlier baselines (e.g.
// the classical network trained directly) can be added as reference points from their run folders.
//
//   <outDir>/sweep.md, sweep.json, split.json, plots/accuracy_vs_params.{svg,png}, <name>/ (runs)
//
// Trials run one after another here, or on any executor (src/distributed: a BullMQ queue and
// workers on other machines); either way sweep.json gets one row per finished trial, rewritten
// atomically as each one finishes, with its field values, seed, status (done / failed), attempts,
// worker and test accuracy.
//
// Run names are <config name>-<leaf><value>[-<leaf><value>...][-seed<s>] (mnist-qt-sweep-blocks4),
// so a sweep with --resume finds the folders of an interrupted one, or of runs started by hand
// with the same --set overrides.

import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { TopLevelSpec } from 'vega-lite';
import { ConfigError } from '../config/errors.js';
import type { LoadedConfig } from '../config/load.js';
import { prepareData } from '../data/load.js';
import { loadSplit, saveSplit, type SplitIndices } from '../data/split.js';
import { writeFileAtomic } from '../util/atomic-file.js';
import { EntangleError } from '../util/errors.js';
import type { ProgressReporter } from '../train/progress.js';
import { compressionOf } from './compare.js';
import { writePlot } from '../report/report-md.js';
import { SPLIT_FILE } from './run.js';
import { checkFolder, holdsRun, inMarkedFolder } from './run-folder.js';
import { computationalConfig } from '../config/save.js';
import { configFingerprint } from '../util/hash.js';
import type { RunSummary } from '../report/summary.js';
import { RunInterruptedError } from './interrupted.js';
import { planTrials, trialName, type PlannedTrial, type SweepParam } from './sweep-plan.js';
import { runTrial, trialConfig, type TrialSpec } from './trial.js';

export const SWEEP_PLOT = 'accuracy_vs_params';
export const SWEEP_FILE = 'sweep.json';

export interface SweepOptions {
  outDir: string;
  /** The swept fields and their values (the grid is every combination). */
  params?: SweepParam[];
  /** One swept field (same as params: [{ path, values }]). */
  path?: string;
  values?: string[];
  /** Seeds per grid point: the config's seed, seed+1, ... (default 1). */
  repeat?: number;
  /** Train a sample of this many grid points, drawn with randomSeed. */
  random?: number;
  randomSeed?: number;
  /** --set overrides applied to every run before the swept value. */
  overrides?: string[];
  /** Run folders (with summary.json) to show as reference points. */
  baselines?: string[];
  resume?: boolean;
  reporter?: ProgressReporter;
  report?: boolean;
  /** Write into a non-empty folder that is not a sweep (and run folders of other configs). */
  force?: boolean;
  /** Stop at the next safe point of the current run and throw RunInterruptedError. */
  signal?: AbortSignal;
  /** Where the trials run (default: one after another in this process). */
  executor?: TrialExecutor;
}

export type TrialStatus = 'done' | 'failed';

/** How one trial ended, wherever it ran. */
export interface TrialOutcome {
  status: TrialStatus;
  /** The run's summary.json (done trials). */
  summary: RunSummary | null;
  /** Why it failed (failed trials). */
  error?: string;
  /** Times the trial was started (a retry after a crashed worker counts). */
  attempts: number;
  /** Who ran it: "local", or the queue worker's name (host:pid). */
  worker: string;
}

/** A trial as an executor gets it: what to train, and where its run folder is (in this process's view). */
export interface ExecutorTrial {
  spec: TrialSpec;
  runDir: string;
  /** --resume, and the folder holds a run to continue. */
  resume: boolean;
}

export interface ExecutorContext {
  /** The sweep folder (created and marked before the executor runs). */
  outDir: string;
  resume: boolean;
  force: boolean;
  reporter?: ProgressReporter;
  signal?: AbortSignal;
  /** Call once per trial, as it finishes, in any order. */
  onFinished(trial: ExecutorTrial, outcome: TrialOutcome): void;
}

/**
 * Runs every trial once and reports each outcome; throws only for what stops the whole sweep.
 * `preflight` runs before the sweep folder is created (an unreachable queue then leaves nothing).
 */
export type TrialExecutor = ((trials: ExecutorTrial[], context: ExecutorContext) => Promise<void>) & { preflight?: () => Promise<void> };

export interface SweepRow {
  /** The swept value ('-' for a baseline); with several fields "leaf=value leaf=value". */
  value: string;
  /** The swept fields' values by path ({} for a baseline). */
  values: Record<string, string>;
  name: string;
  seed: number | null;
  status: TrialStatus;
  /** Times the trial was started (0 for a baseline: it was read, not run). */
  attempts: number;
  worker: string | null;
  /** Why the trial failed. */
  error?: string;
  test_accuracy: number | null;
  /** Quantum-Train runs: the generated network's test accuracy on its own. */
  generated_test_accuracy: number | null;
  trainable: number | null;
  quantum: number | null;
  classical: number | null;
  /** Parameters of the network the model stands for / trainable ones (1 for a plain network). */
  compression: number | null;
  seconds_per_epoch: number | null;
  /** CPU seconds per epoch (leaves out waiting for a core on a shared machine); null when not recorded. */
  cpu_seconds_per_epoch: number | null;
  epochs: number | null;
  limit_batches: number | null;
  baseline: boolean;
  run_dir: string;
}

/** Repeats of one grid point over seeds: test accuracy as mean and sample standard deviation. */
export interface SweepGroup {
  value: string;
  values: Record<string, string>;
  seeds: number[];
  /** Trials of the point that finished with a test accuracy. */
  n: number;
  test_accuracy_mean: number | null;
  /** Sample standard deviation (n − 1); null below two values. */
  test_accuracy_std: number | null;
  trainable: number | null;
}

export interface SweepResult {
  rows: SweepRow[];
  /** With --repeat > 1: one group per grid point. */
  groups: SweepGroup[];
  table: string;
  /** Trials that failed (their rows say why). */
  failed: number;
}

/** A sweep whose trials did not all succeed (everything else was written). */
export class SweepTrialsFailedError extends EntangleError {
  override name = 'SweepTrialsFailedError';
  constructor(readonly failed: SweepRow[], total: number, outDir: string) {
    super('E_SWEEP_TRIALS_FAILED', `${failed.length} of ${total} trials failed (${failed.map((r) => `${r.name}: ${r.error ?? 'no reason recorded'}`).join('; ')}); the table and ${join(outDir, SWEEP_FILE)} hold the others`);
  }
}

/** The one-field run name, as trialName gives it (kept for callers). */
export function runName(base: string, path: string, value: string): string {
  return trialName(base, [[path, value]]);
}

const leafOf = (path: string) => path.split('.').pop() ?? 'value';

function valueLabel(params: SweepParam[], values: Record<string, string>): string {
  if (params.length === 1) return values[params[0].path] ?? '-';
  return params.map((p) => `${leafOf(p.path)}=${values[p.path]}`).join(' ');
}

function rowOf(s: RunSummary | null, meta: Omit<SweepRow, 'test_accuracy' | 'generated_test_accuracy' | 'trainable' | 'quantum' | 'classical' | 'compression' | 'seconds_per_epoch' | 'cpu_seconds_per_epoch' | 'epochs' | 'limit_batches'>): SweepRow {
  const qt = s?.quantum_train;
  return {
    ...meta,
    test_accuracy: s?.test_accuracy ?? null,
    generated_test_accuracy: qt?.generated_test_accuracy ?? null,
    trainable: s?.params.total ?? null,
    quantum: s?.params.quantum ?? null,
    classical: s?.params.classical ?? null,
    compression: s ? compressionOf(s) : null,
    seconds_per_epoch: s?.seconds_per_epoch ?? null,
    cpu_seconds_per_epoch: s && s.train_cpu_seconds > 0 && s.epochs > 0 ? s.train_cpu_seconds / s.epochs : null,
    epochs: s?.epochs ?? null,
    limit_batches: s ? (s.limit_batches ?? null) : null,
  };
}

/** Mean and sample standard deviation of each grid point's test accuracies over its seeds. */
export function groupRepeats(rows: SweepRow[], params: SweepParam[]): SweepGroup[] {
  const groups = new Map<string, SweepRow[]>();
  for (const r of rows.filter((row) => !row.baseline)) {
    const key = JSON.stringify(params.map((p) => r.values[p.path]));
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  return [...groups.values()].map((members) => {
    const accs = members.map((m) => m.test_accuracy).filter((a): a is number => a !== null);
    const mean = accs.length ? accs.reduce((s, a) => s + a, 0) / accs.length : null;
    const std = mean !== null && accs.length > 1 ? Math.sqrt(accs.reduce((s, a) => s + (a - mean) ** 2, 0) / (accs.length - 1)) : null;
    return {
      value: members[0].value,
      values: members[0].values,
      seeds: members.map((m) => m.seed ?? NaN),
      n: accs.length,
      test_accuracy_mean: mean,
      test_accuracy_std: std,
      trainable: members.find((m) => m.trainable !== null)?.trainable ?? null,
    };
  });
}

/** Trials one after another in this process; a trial's own failure is its row, not the sweep's end. */
export const localExecutor: TrialExecutor = async (trials, context) => {
  for (const trial of trials) {
    let outcome: TrialOutcome;
    try {
      const summary = await runTrial(trial.spec, trial.runDir, { resume: trial.resume, reporter: context.reporter, force: context.force, signal: context.signal });
      outcome = { status: 'done', summary, attempts: 1, worker: 'local' };
    } catch (e) {
      if (e instanceof RunInterruptedError) throw e;
      outcome = { status: 'failed', summary: null, error: (e as Error)?.message ?? String(e), attempts: 1, worker: 'local' };
      context.reporter?.onMessage?.(`trial ${trial.spec.name} failed: ${outcome.error}`);
    }
    context.onFinished(trial, outcome);
  }
};

/** The split every trial shares: the sweep's (or, resuming, its first run's) saved one, else the first trial's own. */
function sweepSplit(outDir: string, first: LoadedConfig, firstRunDir: string, resume: boolean): SplitIndices {
  for (const saved of resume ? [join(outDir, SPLIT_FILE), join(firstRunDir, SPLIT_FILE)] : []) if (existsSync(saved)) return loadSplit(saved);
  try {
    return prepareData(first.config.data, first.config.seed, first.baseDir).split;
  } catch (e) {
    if (e instanceof ConfigError) throw e;
    throw new ConfigError([{ file: first.locate(['data']), path: 'data', message: (e as Error).message }]);
  }
}

export async function sweepExperiments(configPath: string, options: SweepOptions): Promise<SweepResult> {
  const params = options.params ?? (options.path !== undefined ? [{ path: options.path, values: options.values ?? [] }] : []);
  if (params.length === 0 || params.some((p) => p.values.length === 0)) throw new Error('sweep needs at least one value (--param path=v1,v2,...)');
  const outDir = resolve(options.outDir);
  let configText: string;
  try {
    configText = readFileSync(configPath, 'utf8');
  } catch (e) {
    throw new ConfigError([{ file: configPath, path: '', message: `cannot read the config file: ${(e as Error).message}` }]);
  }
  const shared = { configText, configFile: configPath, baseDir: dirname(resolve(configPath)) };
  const base = trialConfig({ ...shared, overrides: options.overrides ?? [] }).config;
  // Seeds vary training only: every trial keeps the base config's data and split (see pinDataSeed).
  const pinDataSeed = base.data.seed === undefined ? base.seed : undefined;
  const planned = planTrials(base.name, base.seed, { params, repeat: options.repeat, random: options.random, randomSeed: options.randomSeed, pinDataSeed });
  // Everything that can be refused is refused before the first run trains: configs, baselines,
  // the sweep folder and every run folder.
  const trials = planned.map((t) => {
    const overrides = [...(options.overrides ?? []), ...t.overrides];
    const loaded = trialConfig({ ...shared, overrides });
    const runDir = join(outDir, t.name);
    const resume = (options.resume ?? false) && holdsRun(runDir);
    return { planned: { ...t, seed: loaded.config.seed } as PlannedTrial, loaded, overrides, runDir, resume, request: { kind: 'run' as const, name: t.name, config: configFingerprint(computationalConfig(loaded.config)), resume, force: options.force } };
  });
  for (const dir of options.baselines ?? []) {
    if (!existsSync(join(dir, 'summary.json'))) throw new Error(`baseline ${dir}: no summary.json there (train it first, e.g. with entangle train … --out ${dir})`);
  }
  const split = sweepSplit(outDir, trials[0].loaded, trials[0].runDir, options.resume ?? false);
  const label = params.map((p) => p.path).join(', ');
  const request = { kind: 'sweep' as const, name: `${base.name}: ${label}`, resume: options.resume, force: options.force, onMessage: (m: string) => options.reporter?.onMessage?.(m) };
  const previous = checkFolder(outDir, request);
  for (const run of trials) checkFolder(run.runDir, run.request);
  await options.executor?.preflight?.();
  return inMarkedFolder(outDir, request, previous, async () => {
    saveSplit(join(outDir, SPLIT_FILE), split);
    const finished = new Map<number, SweepRow>();
    const baselineRows = (options.baselines ?? []).map((dir) => {
      const s = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as RunSummary;
      return rowOf(s, { value: '-', values: {}, name: s.name, seed: s.seed, status: 'done', attempts: 0, worker: null, baseline: true, run_dir: resolve(dir) });
    });
    const header = { config: configPath, params, path: label, overrides: options.overrides ?? [], repeat: options.repeat ?? 1, ...(options.random !== undefined ? { random: options.random, random_seed: options.randomSeed } : {}), trials: trials.length };
    const rowsNow = () => [...[...finished.entries()].sort(([a], [b]) => a - b).map(([, r]) => r), ...baselineRows];
    const writeSweepJson = (rows: SweepRow[], groups?: SweepGroup[]) =>
      writeFileAtomic(join(outDir, SWEEP_FILE), JSON.stringify({ ...header, finished: finished.size, rows, ...(groups ? { groups } : {}) }, null, 2) + '\n');
    const executorTrials: ExecutorTrial[] = trials.map((t) => ({ spec: { index: t.planned.index, name: t.planned.name, ...shared, overrides: t.overrides, split, report: options.report !== false }, runDir: t.runDir, resume: t.resume }));
    const byIndex = new Map(trials.map((t) => [t.planned.index, t.planned]));
    await (options.executor ?? localExecutor)(executorTrials, {
      outDir,
      resume: options.resume ?? false,
      force: options.force ?? false,
      reporter: options.reporter,
      signal: options.signal,
      onFinished: (trial, outcome) => {
        const t = byIndex.get(trial.spec.index) as PlannedTrial;
        if (finished.has(t.index)) return; // a trial is counted once, however often it is reported
        finished.set(t.index, rowOf(outcome.summary, { value: valueLabel(params, t.values), values: t.values, name: t.name, seed: t.seed, status: outcome.status, attempts: outcome.attempts, worker: outcome.worker, ...(outcome.error !== undefined ? { error: outcome.error } : {}), baseline: false, run_dir: trial.runDir }));
        writeSweepJson(rowsNow());
      },
    });
    const missing = trials.filter((t) => !finished.has(t.planned.index)).map((t) => t.planned.name);
    if (missing.length > 0) throw new Error(`the sweep's executor returned without reporting ${missing.join(', ')} (a bug)`);
    const rows = rowsNow();
    const groups = (options.repeat ?? 1) > 1 ? groupRepeats(rows, params) : [];
    const table = formatSweepTable(rows, params, groups);
    const plot = options.report === false ? undefined : await writePlot(outDir, SWEEP_PLOT, accuracyVsParamsSpec(rows, params, groups));
    writeSweepJson(rows, groups.length ? groups : undefined);
    writeFileAtomic(join(outDir, 'sweep.md'), sweepMarkdown(rows, groups, params, options, configPath, plot?.svg));
    return { rows, groups, table, failed: rows.filter((r) => r.status === 'failed').length };
  });
}

const pct = (x: number | null) => (x === null ? '-' : `${(100 * x).toFixed(2)}%`);
const fixed = (x: number | null, digits: number) => (x === null ? '-' : x.toFixed(digits));

function cells(rows: SweepRow[], params: SweepParam[]): { header: string[]; body: string[][]; keyColumns: number } {
  const seeds = rows.some((r) => !r.baseline && r.name.endsWith(`-seed${r.seed}`));
  const anyFailed = rows.some((r) => r.status === 'failed');
  return {
    header: ['name', ...params.map((p) => leafOf(p.path)), ...(seeds ? ['seed'] : []), 'test acc', 'generated acc', 'trainable', 'quantum', 'classical', 'compression', 's/epoch', 'CPU s/epoch', 'epochs', ...(anyFailed ? ['status'] : [])],
    body: rows.map((r) => [
      r.name,
      ...params.map((p) => r.values[p.path] ?? '-'),
      ...(seeds ? [r.baseline ? '-' : String(r.seed)] : []),
      pct(r.test_accuracy),
      pct(r.generated_test_accuracy),
      r.trainable === null ? '-' : String(r.trainable),
      r.quantum === null ? '-' : String(r.quantum),
      r.classical === null ? '-' : String(r.classical),
      r.compression === null ? '-' : `${r.compression.toFixed(2)}x`,
      fixed(r.seconds_per_epoch, 1),
      fixed(r.cpu_seconds_per_epoch, 1),
      r.epochs === null ? '-' : `${r.epochs}${r.limit_batches !== null ? ` × ${r.limit_batches} batches` : ''}`,
      ...(anyFailed ? [r.status] : []),
    ]),
    keyColumns: 1 + params.length + (seeds ? 1 : 0),
  };
}

function groupCells(groups: SweepGroup[], params: SweepParam[]): { header: string[]; body: string[][] } {
  return {
    header: [...params.map((p) => leafOf(p.path)), 'seeds', 'test acc mean', 'spread (std)', 'trainable'],
    body: groups.map((g) => [...params.map((p) => g.values[p.path]), `${g.n}/${g.seeds.length}`, pct(g.test_accuracy_mean), g.test_accuracy_std === null ? '-' : `±${(100 * g.test_accuracy_std).toFixed(2)}`, g.trainable === null ? '-' : String(g.trainable)]),
  };
}

function textTable(header: string[], body: string[][], leftColumns: number): string {
  const widths = header.map((h, j) => Math.max(h.length, ...body.map((c) => c[j].length)));
  const line = (cols: string[]) => cols.map((c, j) => (j < leftColumns ? c.padEnd(widths[j]) : c.padStart(widths[j]))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

/** The sweep as a text table; with repeats, a second table of means and spreads over seeds. */
export function formatSweepTable(rows: SweepRow[], params: SweepParam[] | string, groups: SweepGroup[] = []): string {
  const ps = typeof params === 'string' ? [{ path: params, values: [] }] : params;
  const { header, body } = cells(rows, ps);
  const main = textTable(header, body, 1);
  if (groups.length === 0) return main;
  const g = groupCells(groups, ps);
  return `${main}\n\nover seeds (mean and sample standard deviation of test accuracy):\n${textTable(g.header, g.body, ps.length)}`;
}

function markdownTable(header: string[], body: string[][], keyColumns: number): string[] {
  return [`| ${header.join(' | ')} |`, `|${header.map((_, j) => (j < keyColumns ? '---' : '---:')).join('|')}|`, ...body.map((c) => `| ${c.join(' | ')} |`)];
}

function sweepMarkdown(rows: SweepRow[], groups: SweepGroup[], params: SweepParam[], options: SweepOptions, configPath: string, plot?: string): string {
  const { header, body, keyColumns } = cells(rows, params);
  const failed = rows.filter((r) => r.status === 'failed');
  const sampled = options.random !== undefined ? `; a random sample of ${options.random} grid points (seed ${options.randomSeed})` : '';
  return [
    `# Sweep of ${params.map((p) => p.path).join(', ')}`,
    '',
    `Config ${configPath}${options.overrides?.length ? ` with ${options.overrides.map((o) => `--set ${o}`).join(' ')}` : ''}; ${params.map((p) => `${p.path} = ${p.values.join(', ')}`).join('; ')}${sampled}${(options.repeat ?? 1) > 1 ? `; each point over ${options.repeat} seeds` : ''}; every run on the same split (${SPLIT_FILE}).`,
    'Trainable = quantum (circuit angles) + classical (for Quantum-Train: the mapping network) parameters; compression = parameters of the generated network / trainable; "generated acc" = the generated network alone on the test set. Baselines are reference runs read from their folders.',
    '',
    ...markdownTable(header, body, keyColumns),
    '',
    ...(groups.length ? ['## Over seeds', '', 'Test accuracy: mean and sample standard deviation over the seeds of each point (seeds = trials with a result / trials).', '', ...markdownTable(groupCells(groups, params).header, groupCells(groups, params).body, params.length), ''] : []),
    ...(failed.length ? ['## Failed trials', '', ...failed.map((r) => `- ${r.name} (${r.attempts} attempt${r.attempts === 1 ? '' : 's'}): ${r.error ?? 'no reason recorded'}`), ''] : []),
    ...(plot ? ['## Test accuracy against trainable parameters', '', `![test accuracy against trainable parameters](${plot})`, ''] : []),
  ].join('\n');
}

/**
 * Test accuracy against trainable parameters: the sweep as a labelled line (with repeats: each
 * point's mean over seeds), baselines as points.
 */
export function accuracyVsParamsSpec(rows: SweepRow[], params: SweepParam[] | string, groups: SweepGroup[] = []): TopLevelSpec {
  const ps = typeof params === 'string' ? [{ path: params, values: [] }] : params;
  const leaf = ps.map((p) => leafOf(p.path)).join(', ');
  const pointLabel = (value: string) => (ps.length === 1 ? `${leaf}=${value}` : value);
  const swept = groups.length
    ? groups.filter((g) => g.test_accuracy_mean !== null && g.trainable !== null).map((g) => ({ params: g.trainable, accuracy: 100 * (g.test_accuracy_mean as number), series: `sweep of ${leaf}`, label: `${pointLabel(g.value)} (mean of ${g.n})` }))
    : rows.filter((r) => !r.baseline && r.test_accuracy !== null && r.trainable !== null).map((r) => ({ params: r.trainable, accuracy: 100 * (r.test_accuracy as number), series: `sweep of ${leaf}`, label: pointLabel(r.value) }));
  const baselines = rows.filter((r) => r.baseline && r.test_accuracy !== null).map((r) => ({ params: r.trainable, accuracy: 100 * (r.test_accuracy as number), series: r.name, label: r.name }));
  const values = [...swept, ...baselines];
  const accs = values.map((v) => v.accuracy);
  const floor = accs.length ? Math.max(0, Math.floor(Math.min(...accs) / 5) * 5 - 5) : 0;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: 'test accuracy against trainable parameters',
    width: 440,
    height: 280,
    background: 'white',
    data: { values },
    encoding: {
      x: { field: 'params', type: 'quantitative', title: '# trainable parameters', scale: { zero: true } },
      y: { field: 'accuracy', type: 'quantitative', title: 'test accuracy (%)', scale: { domain: [floor, 100] } },
      color: { field: 'series', type: 'nominal', title: null },
    },
    layer: [
      { mark: { type: 'line', point: { size: 60 } }, transform: [{ filter: `datum.series === 'sweep of ${leaf}'` }] },
      { mark: { type: 'point', filled: true, size: 90, shape: 'diamond' }, transform: [{ filter: `datum.series !== 'sweep of ${leaf}'` }] },
      // Sweep labels above their points, baseline labels below theirs, so a baseline that sits on a
      // sweep point (the same run, say) keeps both labels readable.
      { mark: { type: 'text', dy: -10, fontSize: 10 }, transform: [{ filter: `datum.series === 'sweep of ${leaf}'` }], encoding: { text: { field: 'label' }, color: { value: '#333' } } },
      { mark: { type: 'text', dy: 14, fontSize: 10 }, transform: [{ filter: `datum.series !== 'sweep of ${leaf}'` }], encoding: { text: { field: 'label' }, color: { value: '#333' } } },
    ],
  } as TopLevelSpec;
}
