// report.md of a run: the headline numbers, loss and accuracy curves and, for 2-D data, the
// decision boundary, each plot as SVG (crisp, diffable) and PNG (for viewers without SVG).

import { join } from 'node:path';
import type { TopLevelSpec } from 'vega-lite';
import type { EpochRecord } from '../train/history.js';
import { writeFileAtomic } from '../util/atomic-file.js';
import { alphaSpec, curveSpec, decisionBoundarySpec, renderSvg, svgToPng, type BoundaryGrid } from './plots.js';
import { limitedEpochsNote, type RunSummary } from './summary.js';

export interface ReportInput {
  runDir: string;
  summary: RunSummary;
  history: readonly EpochRecord[];
  boundary?: BoundaryGrid;
}

/** Write plots/<name>.svg and .png; returns the relative paths. */
export async function writePlot(runDir: string, name: string, spec: TopLevelSpec): Promise<{ svg: string; png: string }> {
  const svg = await renderSvg(spec);
  const svgPath = join('plots', `${name}.svg`);
  const pngPath = join('plots', `${name}.png`);
  writeFileAtomic(join(runDir, svgPath), svg);
  writeFileAtomic(join(runDir, pngPath), svgToPng(svg));
  return { svg: svgPath, png: pngPath };
}

export async function writeReport(input: ReportInput): Promise<void> {
  const { runDir, summary: s, history } = input;
  const loss = await writePlot(runDir, 'loss', curveSpec(history, 'loss', `${s.name}: loss`));
  // Tasks without accuracy (regression) get no empty accuracy plot.
  const hasAccuracy = history.some((r) => r.train_accuracy !== undefined);
  const acc = hasAccuracy ? await writePlot(runDir, 'accuracy', curveSpec(history, 'accuracy', `${s.name}: accuracy`)) : undefined;
  const alpha = s.final_alpha !== undefined ? await writePlot(runDir, 'alpha', alphaSpec([{ name: s.name, values: history.map((r) => r.alpha ?? null) }], `${s.name}: quantum head gate alpha`)) : undefined;
  const boundary = input.boundary ? await writePlot(runDir, 'decision_boundary', decisionBoundarySpec(input.boundary, `${s.name}: decision boundary (test points)`)) : undefined;
  const pct = (x: number | null) => (x === null ? '–' : `${(100 * x).toFixed(1)} %`);
  const lines = [
    `# ${s.name}`,
    '',
    '| | train | validation | test |',
    '|---|---|---|---|',
    ...(s.task === undefined ? [`| accuracy | ${pct(s.train_accuracy)} | ${pct(s.val_accuracy)} | ${pct(s.test_accuracy)} |`] : []),
    `| loss | ${s.train_loss.toFixed(4)} | ${s.val_loss?.toFixed(4) ?? '–'} | ${s.test_loss?.toFixed(4) ?? '–'} |`,
    ...taskMetricRows(s),
    '',
    `Parameters: ${s.params.total} trainable (${s.params.quantum} quantum, ${s.params.classical} classical).`,
    `Epochs: ${s.epochs} of ${s.epochs_configured}${s.stopped_early ? ` (early stopping; best epoch ${s.best_epoch})` : ''}; ` +
      `${s.train_seconds.toFixed(2)} s training, ${s.seconds_per_epoch.toFixed(3)} s per epoch; backend ${s.backend}, seed ${s.seed}.`,
    limitedEpochsNote(s) ?? '',
    s.resumed_from_epoch !== null ? `Resumed after epoch ${s.resumed_from_epoch}.` : '',
    '',
    ...quantumTrainLines(s, pct),
    ...quantumExtrasLines(s),
    '## Loss',
    '',
    `![loss](${loss.svg})`,
    '',
    ...(acc ? ['## Accuracy', '', `![accuracy](${acc.svg})`, ''] : []),
    ...(alpha ? ['## Quantum head gate', '', `![alpha](${alpha.svg})`, ''] : []),
  ];
  if (boundary) lines.push('## Decision boundary', '', `Over the two informative features; the others held at their training mean.`, '', `![decision boundary](${boundary.svg})`, '');
  lines.push('PNG versions of every plot are next to the SVGs in plots/.', '');
  writeFileAtomic(join(runDir, 'report.md'), lines.filter((l, i, a) => !(l === '' && a[i - 1] === '')).join('\n'));
}

/** Tasks other than classification: a row per metric of summary.metrics (<split>_<metric>). */
function taskMetricRows(s: RunSummary): string[] {
  if (!s.metrics) return [];
  const names = [...new Set(Object.keys(s.metrics).map((k) => k.slice(k.indexOf('_') + 1)))];
  const cell = (split: string, name: string) => s.metrics?.[`${split}_${name}`]?.toFixed(4) ?? '–';
  return names.map((name) => `| ${name} | ${cell('train', name)} | ${cell('val', name)} | ${cell('test', name)} |`);
}

/** Quantum-Train runs: what generated what, and the generated network's own test accuracy. */
function quantumTrainLines(s: RunSummary, pct: (x: number | null) => string): string[] {
  const q = s.quantum_train;
  if (!q) return [];
  return [
    '## Quantum-Train',
    '',
    `A ${q.qubits}-qubit circuit (${q.ansatz}, ${q.blocks} blocks: ${q.circuit} angles) and a mapping network (${q.mapping} weights) ` +
      `generate all ${q.target} weights of the target network: ${q.trainable} trainable parameters, ${q.compression.toFixed(2)}x compression.`,
    `The generated network alone (no quantum part): test accuracy ${pct(q.generated_test_accuracy)}` +
      (q.generated_dir ? `, exported to ${q.generated_dir}/ (a plain TensorFlow.js model taking ${q.generated_input === 'raw' ? 'raw inputs' : 'standardized inputs (preprocessing.json)'}).` : ' (export off).'),
    '',
  ];
}

/** The quantum head's gate and the quantum channels' precompute, where the run has them. */
function quantumExtrasLines(s: RunSummary): string[] {
  const lines: string[] = [];
  if (s.final_alpha !== undefined) lines.push(`Quantum head: final alpha = sigmoid(alpha_raw) = ${s.final_alpha.toPrecision(4)} (logits = logits_cls + alpha · logits_q; per epoch in metrics.jsonl).`);
  const c = s.quantum_channels;
  if (c) {
    lines.push(`Quantum channels: ${c.images} images × 2 circuits of ${c.qubits} qubits (${c.grid[0]}×${c.grid[1]} grid), ` +
      (c.cache === 'hit' ? `read from the cache in ${c.total_seconds.toFixed(2)} s` : `computed in ${c.precompute_seconds.toFixed(2)} s${c.cache === 'rebuilt' ? ` (the cache file was rebuilt: ${c.rebuilt_because})` : ''}`) + '.');
  }
  return lines.length > 0 ? [...lines, ''] : [];
}
