// Comparing models: train each config on one shared split (drawn from the first config, which
// every config's data section must match) and tabulate accuracy, parameter counts, time and the
// quantum layers' share of it; plot every model's validation accuracy per epoch in one chart.
//
//   <outDir>/comparison.md, comparison.json, split.json, plots/val_accuracy.{svg,png}, <name>/ (runs)

import { join, resolve } from 'node:path';
import { ConfigError } from '../config/errors.js';
import type { LoadedConfig } from '../config/load.js';
import { saveSplit, type SplitIndices } from '../data/split.js';
import { canonicalJson, configFingerprint } from '../util/hash.js';
import { writeFileAtomic } from '../util/atomic-file.js';
import type { ProgressReporter } from '../train/progress.js';
import { alphaSpec, validationAccuracySpec } from '../report/plots.js';
import type { EpochRecord } from '../train/history.js';
import { writePlot } from '../report/report-md.js';
import { runExperiment, SPLIT_FILE } from './run.js';
import { checkFolder, holdsRun, inMarkedFolder } from './run-folder.js';
import { computationalConfig } from '../config/save.js';
import type { RunSummary } from '../report/summary.js';

export const VAL_ACCURACY_PLOT = 'val_accuracy';
export const ALPHA_PLOT = 'alpha';

export interface CompareOptions {
  /** Folder of the comparison; each run goes to <outDir>/<name>. */
  outDir: string;
  resume?: boolean;
  reporter?: ProgressReporter;
  report?: boolean;
  /** Train each run at most this many epochs in this call (0 with resume: tabulate the runs as they are). */
  maxEpochsThisCall?: number;
  /** Write into a non-empty folder that is not a comparison (and run folders of other configs). */
  force?: boolean;
  /** Stop at the next safe point of the current run and throw RunInterruptedError. */
  signal?: AbortSignal;
}

export interface ComparisonRow {
  name: string;
  test_accuracy: number | null;
  params: RunSummary['params'];
  train_seconds: number;
  seconds_per_epoch: number;
  /** Seconds of train_seconds spent in quantum layers' engine calls, and their share. */
  quantum_seconds: number;
  quantum_share: number;
  epochs: number;
  /** Training batches per epoch when limited (--limit-batches); null: every batch. */
  limit_batches: number | null;
  /** Validation accuracy after each epoch (null where there is no validation set). */
  val_accuracy_per_epoch: Array<number | null>;
  /**
   * Parameters of the classical network a model stands for / its trainable parameters: the
   * generated network's size for Quantum-Train, 1 for a plain classical network, null otherwise.
   */
  compression: number | null;
  /** Quantum-Train: test accuracy of the generated network alone (no quantum part); else null. */
  generated_test_accuracy: number | null;
  run_dir: string;
  /** Top-5 test accuracy where the run reports it (100-class data); absent or null otherwise. */
  test_top5_accuracy?: number | null;
  /** Quantum head: the gate's alpha at the end, and after each epoch (null where a run has no gate). */
  final_alpha?: number | null;
  alpha_per_epoch?: Array<number | null>;
  /** Quantum channels: engine seconds of their precompute in this call (0: read from the cache), and whether they were cached. */
  precompute_seconds?: number | null;
  channels_cached?: boolean;
}

export function compressionOf(s: Pick<RunSummary, 'params' | 'quantum_train'>): number | null {
  if (s.quantum_train) return s.quantum_train.compression;
  return s.params.quantum === 0 ? 1 : null;
}

export interface Comparison {
  rows: ComparisonRow[];
  split: SplitIndices;
  /** The table as fixed-width text (what the CLI prints). */
  table: string;
}

export async function compareExperiments(configs: LoadedConfig[], options: CompareOptions): Promise<Comparison> {
  if (configs.length === 0) throw new Error('compare needs at least one config');
  checkComparable(configs);
  const outDir = resolve(options.outDir);
  const request = { kind: 'compare' as const, name: configs.map((c) => c.config.name).join(', '), resume: options.resume, force: options.force, onMessage: (m: string) => options.reporter?.onMessage?.(m) };
  const previous = checkFolder(outDir, request);
  // Every run folder is checked too before the first run trains, so a refusal comes first.
  for (const loaded of configs) checkFolder(join(outDir, loaded.config.name), runRequest(loaded, outDir, options));
  return inMarkedFolder(outDir, request, previous, () => compareRuns(configs, outDir, options));
}

/** The folder rules of one compared run: --resume continues it only where it has started. */
function runRequest(loaded: LoadedConfig, outDir: string, options: CompareOptions) {
  const runDir = join(outDir, loaded.config.name);
  return { kind: 'run' as const, name: loaded.config.name, config: configFingerprint(computationalConfig(loaded.config)), resume: options.resume && holdsRun(runDir), force: options.force };
}

async function compareRuns(configs: LoadedConfig[], outDir: string, options: CompareOptions): Promise<Comparison> {
  const rows: ComparisonRow[] = [];
  let split: SplitIndices | undefined;
  for (const loaded of configs) {
    const runDir = join(outDir, loaded.config.name);
    const outcome = await runExperiment(loaded, {
      outDir: runDir,
      resume: runRequest(loaded, outDir, options).resume,
      split,
      reporter: options.reporter,
      report: options.report,
      maxEpochsThisCall: options.maxEpochsThisCall,
      force: options.force,
      signal: options.signal,
    });
    split ??= outcome.split;
    const s = outcome.summary;
    rows.push({
      name: s.name,
      test_accuracy: s.test_accuracy,
      params: s.params,
      train_seconds: s.train_seconds,
      seconds_per_epoch: s.seconds_per_epoch,
      quantum_seconds: s.quantum_seconds,
      quantum_share: s.quantum_share,
      epochs: s.epochs,
      limit_batches: s.limit_batches,
      val_accuracy_per_epoch: outcome.result.history.map((r) => r.val_accuracy ?? null),
      compression: compressionOf(s),
      generated_test_accuracy: s.quantum_train?.generated_test_accuracy ?? null,
      run_dir: runDir,
      ...quantumColumns(s, outcome.result.history),
    });
  }
  const finalSplit = split as SplitIndices;
  saveSplit(join(outDir, SPLIT_FILE), finalSplit);
  const table = formatTable(rows);
  const plot = options.report === false ? undefined : await writePlot(outDir, VAL_ACCURACY_PLOT, validationAccuracySpec(rows.map((r) => ({ name: r.name, values: r.val_accuracy_per_epoch }))));
  const gated = rows.filter((r) => r.alpha_per_epoch !== undefined);
  const alphaPlot = options.report === false || gated.length === 0 ? undefined : await writePlot(outDir, ALPHA_PLOT, alphaSpec(gated.map((r) => ({ name: r.name, values: r.alpha_per_epoch ?? [] }))));
  writeFileAtomic(join(outDir, 'comparison.json'), JSON.stringify({ rows, split: { seed: finalSplit.seed, train: finalSplit.train.length, val: finalSplit.val.length, test: finalSplit.test.length } }, null, 2) + '\n');
  writeFileAtomic(join(outDir, 'comparison.md'), comparisonMarkdown(rows, finalSplit, outDir, plot?.svg, alphaPlot?.svg));
  return { rows, split: finalSplit, table };
}

/** Names must be unique (they name run folders) and data sections identical (same rows). */
function checkComparable(configs: LoadedConfig[]): void {
  const names = new Map<string, string>();
  const issues: ConstructorParameters<typeof ConfigError>[0] = [];
  for (const c of configs) {
    const other = names.get(c.config.name);
    if (other) issues.push({ file: c.locate(['name']), path: 'name', message: `"${c.config.name}" is also the name of ${other}; compared runs need distinct names (try --set name=…)` });
    names.set(c.config.name, c.file);
  }
  const first = configs[0];
  const dataKey = (c: LoadedConfig) => canonicalJson({ ...c.config.data, seed: c.config.data.seed ?? c.config.seed });
  for (const c of configs.slice(1)) {
    if (dataKey(c) !== dataKey(first)) {
      issues.push({ file: c.locate(['data']), path: 'data', message: `differs from the data section of ${first.file} (with seeds); compare trains every model on the same data and split` });
    }
  }
  if (issues.length > 0) throw new ConfigError(issues);
}

/** The columns of the quantum extras (top-5 too, which 100-class runs report), only where a run has them. */
function quantumColumns(s: RunSummary, history: readonly EpochRecord[]): Partial<ComparisonRow> {
  const top5 = s.test_top5_accuracy;
  return {
    ...(top5 !== undefined ? { test_top5_accuracy: top5 } : {}),
    ...(s.final_alpha !== undefined ? { final_alpha: s.final_alpha, alpha_per_epoch: history.map((r) => r.alpha ?? null) } : {}),
    ...(s.quantum_channels ? { precompute_seconds: s.quantum_channels.precompute_seconds, channels_cached: s.quantum_channels.cache === 'hit' } : {}),
  };
}

const pct = (x: number | null) => (x === null ? '-' : (100 * x).toFixed(1) + '%');

function columns(rows: ComparisonRow[]): { header: string[]; cells: string[][] } {
  const base = {
    header: ['name', 'test acc', 'quantum', 'classical', 'total', 'train s', 's/epoch', 'quantum s', 'quantum %', 'compression', 'generated acc'],
    cells: rows.map((r) => [
      r.name,
      pct(r.test_accuracy),
      String(r.params.quantum),
      String(r.params.classical),
      String(r.params.total),
      r.train_seconds.toFixed(2),
      r.seconds_per_epoch.toFixed(3),
      r.quantum_seconds.toFixed(2),
      pct(r.quantum_share),
      r.compression === null ? '-' : `${r.compression.toFixed(2)}x`,
      pct(r.generated_test_accuracy),
    ]),
  };
  // Columns that only some comparisons have, added where a row has a value (older tables stay as they were).
  const extra: Array<[string, (r: ComparisonRow) => string | undefined, number]> = [
    ['top-5 acc', (r) => (r.test_top5_accuracy === undefined ? undefined : pct(r.test_top5_accuracy)), 2],
    ['final alpha', (r) => (r.final_alpha === undefined || r.final_alpha === null ? undefined : r.final_alpha.toPrecision(3)), Infinity],
    ['precompute s', (r) => (r.precompute_seconds === undefined || r.precompute_seconds === null ? undefined : r.channels_cached ? 'cached' : r.precompute_seconds.toFixed(2)), Infinity],
  ];
  for (const [title, cell, position] of extra) {
    const values = rows.map(cell);
    if (values.every((v) => v === undefined)) continue;
    const at = Math.min(position, base.header.length);
    base.header.splice(at, 0, title);
    base.cells.forEach((c, i) => c.splice(at, 0, values[i] ?? '-'));
  }
  return base;
}

/** Fixed-width text table: names left-aligned, numbers right-aligned. */
export function formatTable(rows: ComparisonRow[]): string {
  const { header, cells } = columns(rows);
  const widths = header.map((h, j) => Math.max(h.length, ...cells.map((c) => c[j].length)));
  const line = (cols: string[]) => cols.map((c, j) => (j === 0 ? c.padEnd(widths[j]) : c.padStart(widths[j]))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line)].join('\n');
}

function comparisonMarkdown(rows: ComparisonRow[], split: SplitIndices, outDir: string, plot?: string, alphaPlot?: string): string {
  const { header, cells } = columns(rows);
  const rel = (dir: string) => (dir.startsWith(outDir) ? `.${dir.slice(outDir.length)}` : dir);
  const limited = rows.filter((r) => r.limit_batches !== null);
  return [
    '# Comparison',
    '',
    `Every model trained on the same split (seed ${split.seed}: ${split.train.length} train, ${split.val.length} validation, ${split.test.length} test rows; indices in ${SPLIT_FILE}).`,
    'Parameters are trainable parameters; times are training time (with the per-epoch validation) summed over epochs; ' +
      '"quantum s" is the part of it spent simulating circuits and their gradients (forward + backward of every quantum layer), "quantum %" its share; ' +
      '"compression" is the parameter count of the classical network a model stands for over its trainable parameters (Quantum-Train: the generated network; 1.00x: a network trained directly), "generated acc" the generated network alone on the test set.',
    limited.length > 0 ? `Training was limited to ${[...new Set(limited.map((r) => r.limit_batches))].join('/')} batches per epoch (--limit-batches) for ${limited.map((r) => r.name).join(', ')}.` : '',
    '',
    `| ${header.join(' | ')} |`,
    `|${header.map((_, j) => (j === 0 ? '---' : '---:')).join('|')}|`,
    ...cells.map((c, i) => `| [${c[0]}](${rel(rows[i].run_dir)}/report.md) | ${c.slice(1).join(' | ')} |`),
    '',
    ...(plot ? ['## Validation accuracy per epoch', '', `![validation accuracy](${plot})`, '', `PNG: ${plot.replace(/\.svg$/, '.png')}.`, ''] : []),
    ...(alphaPlot ? ['## Quantum head gate per epoch', '', 'alpha = sigmoid(alpha_raw), the weight of the quantum logits (logits = logits_cls + alpha · logits_q); flat during the warm-up epochs, when it is frozen.', '', `![alpha](${alphaPlot})`, ''] : []),
  ]
    .filter((l, i, a) => !(l === '' && a[i - 1] === ''))
    .join('\n');
}
