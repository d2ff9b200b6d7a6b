// A sweep: one config trained once per value of one field (e.g. model.quantumTrain.blocks = 1, 4,
// 8, 16), every run on the same split, tabulated and plotted as test accuracy against trainable
// parameters (Quantum-Train's central figure). Finished runs of earlier baselines (e.g. the
// classical network trained directly) can be added as reference points from their run folders.
//
//   <outDir>/sweep.md, sweep.json, split.json, plots/accuracy_vs_params.{svg,png}, <name>/ (runs)
//
// Run names are <config name>-<last path segment><value> (mnist-qt-sweep-blocks4), so a sweep
// with --resume finds the folders of an interrupted one, or of runs started by hand with the
// same --set overrides.

import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { TopLevelSpec } from 'vega-lite';
import { loadConfigFile } from '../config/load.js';
import { saveSplit, type SplitIndices } from '../data/split.js';
import { writeFileAtomic } from '../util/atomic-file.js';
import type { ProgressReporter } from '../train/progress.js';
import { compressionOf } from './compare.js';
import { writePlot } from '../report/report-md.js';
import { runExperiment, SPLIT_FILE } from './run.js';
import { checkFolder, holdsRun, inMarkedFolder } from './run-folder.js';
import { computationalConfig } from '../config/save.js';
import { configFingerprint } from '../util/hash.js';
import type { RunSummary } from '../report/summary.js';

export const SWEEP_PLOT = 'accuracy_vs_params';

export interface SweepOptions {
  outDir: string;
  /** Config path of the swept field, e.g. "model.quantumTrain.blocks". */
  path: string;
  /** Values as --set would take them (parsed as YAML). */
  values: string[];
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
}

export interface SweepRow {
  /** The swept value ('-' for a baseline). */
  value: string;
  name: string;
  test_accuracy: number | null;
  /** Quantum-Train runs: the generated network's test accuracy on its own. */
  generated_test_accuracy: number | null;
  trainable: number;
  quantum: number;
  classical: number;
  /** Parameters of the network the model stands for / trainable ones (1 for a plain network). */
  compression: number | null;
  seconds_per_epoch: number;
  /** CPU seconds per epoch (leaves out waiting for a core on a shared machine); null when not recorded. */
  cpu_seconds_per_epoch: number | null;
  epochs: number;
  limit_batches: number | null;
  baseline: boolean;
  run_dir: string;
}

export interface SweepResult {
  rows: SweepRow[];
  table: string;
}

export function runName(base: string, path: string, value: string): string {
  const leaf = path.split('.').pop() ?? 'value';
  return `${base}-${leaf}${value}`.replace(/[^A-Za-z0-9._-]/g, '_');
}

function rowOf(s: RunSummary, value: string, runDir: string, baseline: boolean): SweepRow {
  const qt = s.quantum_train;
  return {
    value,
    name: s.name,
    test_accuracy: s.test_accuracy,
    generated_test_accuracy: qt?.generated_test_accuracy ?? null,
    trainable: s.params.total,
    quantum: s.params.quantum,
    classical: s.params.classical,
    compression: compressionOf(s),
    seconds_per_epoch: s.seconds_per_epoch,
    cpu_seconds_per_epoch: s.train_cpu_seconds > 0 && s.epochs > 0 ? s.train_cpu_seconds / s.epochs : null,
    epochs: s.epochs,
    limit_batches: s.limit_batches ?? null,
    baseline,
    run_dir: runDir,
  };
}

export async function sweepExperiments(configPath: string, options: SweepOptions): Promise<SweepResult> {
  if (options.values.length === 0) throw new Error('sweep needs at least one value (--param path=v1,v2,...)');
  const outDir = resolve(options.outDir);
  const base = loadConfigFile(configPath, { overrides: options.overrides }).config.name;
  // Everything that can be refused is refused before the first run trains: configs, baselines,
  // the sweep folder and every run folder.
  const runs = options.values.map((value) => {
    const name = runName(base, options.path, value);
    const loaded = loadConfigFile(configPath, { overrides: [...(options.overrides ?? []), `${options.path}=${value}`, `name=${name}`] });
    const runDir = join(outDir, name);
    const resume = (options.resume ?? false) && holdsRun(runDir);
    return { value, loaded, runDir, resume, request: { kind: 'run' as const, name, config: configFingerprint(computationalConfig(loaded.config)), resume, force: options.force } };
  });
  for (const dir of options.baselines ?? []) {
    if (!existsSync(join(dir, 'summary.json'))) throw new Error(`baseline ${dir}: no summary.json there (train it first, e.g. with entangle train … --out ${dir})`);
  }
  const request = { kind: 'sweep' as const, name: `${base}: ${options.path}`, resume: options.resume, force: options.force, onMessage: (m: string) => options.reporter?.onMessage?.(m) };
  const previous = checkFolder(outDir, request);
  for (const run of runs) checkFolder(run.runDir, run.request);
  return inMarkedFolder(outDir, request, previous, async () => {
    const rows: SweepRow[] = [];
    let split: SplitIndices | undefined;
    for (const { value, loaded, runDir, resume } of runs) {
      const outcome = await runExperiment(loaded, { outDir: runDir, resume, split, reporter: options.reporter, report: options.report, force: options.force, signal: options.signal });
      split ??= outcome.split;
      rows.push(rowOf(outcome.summary, value, runDir, false));
    }
    for (const dir of options.baselines ?? []) rows.push(rowOf(JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as RunSummary, '-', resolve(dir), true));
    if (split) saveSplit(join(outDir, SPLIT_FILE), split);
    const table = formatSweepTable(rows, options.path);
    const plot = options.report === false ? undefined : await writePlot(outDir, SWEEP_PLOT, accuracyVsParamsSpec(rows, options.path));
    writeFileAtomic(join(outDir, 'sweep.json'), JSON.stringify({ config: configPath, path: options.path, overrides: options.overrides ?? [], rows }, null, 2) + '\n');
    writeFileAtomic(join(outDir, 'sweep.md'), sweepMarkdown(rows, options, configPath, table, plot?.svg));
    return { rows, table };
  });
}

const pct = (x: number | null) => (x === null ? '-' : `${(100 * x).toFixed(2)}%`);

function cells(rows: SweepRow[], path: string): { header: string[]; body: string[][] } {
  const leaf = path.split('.').pop() ?? 'value';
  return {
    header: ['name', leaf, 'test acc', 'generated acc', 'trainable', 'quantum', 'classical', 'compression', 's/epoch', 'CPU s/epoch', 'epochs'],
    body: rows.map((r) => [
      r.name,
      r.value,
      pct(r.test_accuracy),
      pct(r.generated_test_accuracy),
      String(r.trainable),
      String(r.quantum),
      String(r.classical),
      r.compression === null ? '-' : `${r.compression.toFixed(2)}x`,
      r.seconds_per_epoch.toFixed(1),
      r.cpu_seconds_per_epoch === null ? '-' : r.cpu_seconds_per_epoch.toFixed(1),
      `${r.epochs}${r.limit_batches !== null ? ` × ${r.limit_batches} batches` : ''}`,
    ]),
  };
}

export function formatSweepTable(rows: SweepRow[], path: string): string {
  const { header, body } = cells(rows, path);
  const widths = header.map((h, j) => Math.max(h.length, ...body.map((c) => c[j].length)));
  const line = (cols: string[]) => cols.map((c, j) => (j === 0 ? c.padEnd(widths[j]) : c.padStart(widths[j]))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

function sweepMarkdown(rows: SweepRow[], options: SweepOptions, configPath: string, _table: string, plot?: string): string {
  const { header, body } = cells(rows, options.path);
  return [
    `# Sweep of ${options.path}`,
    '',
    `Config ${configPath}${options.overrides?.length ? ` with ${options.overrides.map((o) => `--set ${o}`).join(' ')}` : ''}; values ${options.values.join(', ')}; every run on the same split (${SPLIT_FILE}).`,
    'Trainable = quantum (circuit angles) + classical (for Quantum-Train: the mapping network) parameters; compression = parameters of the generated network / trainable; "generated acc" = the generated network alone on the test set. Baselines are reference runs read from their folders.',
    '',
    `| ${header.join(' | ')} |`,
    `|${header.map((_, j) => (j <= 1 ? '---' : '---:')).join('|')}|`,
    ...body.map((c) => `| ${c.join(' | ')} |`),
    '',
    ...(plot ? ['## Test accuracy against trainable parameters', '', `![test accuracy against trainable parameters](${plot})`, ''] : []),
  ].join('\n');
}

/** Test accuracy against trainable parameters: the sweep as a labelled line, baselines as points. */
export function accuracyVsParamsSpec(rows: SweepRow[], path: string): TopLevelSpec {
  const leaf = path.split('.').pop() ?? 'value';
  const values = rows
    .filter((r) => r.test_accuracy !== null)
    .map((r) => ({ params: r.trainable, accuracy: 100 * (r.test_accuracy as number), series: r.baseline ? r.name : `sweep of ${leaf}`, label: r.baseline ? r.name : `${leaf}=${r.value}` }));
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
