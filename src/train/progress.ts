// Progress output of a training run: a one-line progress bar redrawn in place when the stream is
// a terminal, one plain line per epoch otherwise (logs, CI, pipes).

import type { EpochRecord } from './history.js';

export interface TrainStartInfo {
  name?: string;
  epochs: number;
  /** The first epoch this call runs (1-based; > 1 after a resume). */
  firstEpoch: number;
  /** The last epoch this call runs (< epochs when --stop-after cuts the call short). */
  lastEpoch: number;
  stepsPerEpoch: number;
  samples: number;
}

export interface BatchInfo {
  epoch: number;
  epochs: number;
  step: number;
  stepsPerEpoch: number;
  loss: number;
}

export interface ProgressReporter {
  onTrainStart?(info: TrainStartInfo): void;
  onBatchEnd?(info: BatchInfo): void;
  onEpochEnd?(record: EpochRecord, epochs: number): void;
  onMessage?(text: string): void;
  onTrainEnd?(): void;
}

interface WritableLike {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

/**
 * One epoch's line. The training numbers are running values over the epoch's batches (the
 * weights changed while they were summed), the validation ones a post-epoch evaluation, so the
 * line says which is which: `train (running): loss 0.4633 acc 0.8675  val: loss 0.4392 acc 0.8500`.
 */
export function formatEpochLine(r: EpochRecord, epochs: number): string {
  const width = String(epochs).length;
  const parts = [`epoch ${String(r.epoch).padStart(width)}/${epochs}`, `train (running): ${metricsOf(r, 'train_')}`];
  if (r.val_loss !== null) parts.push(`val: ${metricsOf(r, 'val_')}`);
  const lrs = Object.entries(r.lr).map(([g, v]) => `${g} ${v.toPrecision(3)}`);
  parts.push(`lr ${lrs.join(' ')}`, `|g| ${fmt(r.grad_norm)}`, `${r.seconds.toFixed(2)}s`, `${Math.round(r.samples_per_second)}/s`, `rss ${Math.round(r.peak_rss_mb)}MB`);
  return parts.join('  ');
}

/** Short names for the log; other metrics appear under their own. */
const SHORT: Record<string, string> = { accuracy: 'acc' };

/** The task's metrics of one split, in record order (loss first): "loss 0.5000 acc 0.7500". */
function metricsOf(r: EpochRecord, prefix: 'train_' | 'val_'): string {
  const out: string[] = [];
  for (const [key, value] of Object.entries(r)) {
    if (!key.startsWith(prefix) || (value !== null && typeof value !== 'number')) continue;
    const name = key.slice(prefix.length);
    out.push(`${SHORT[name] ?? name} ${fmt(value)}`);
  }
  return out.join(' ');
}

function fmt(x: number | null): string {
  return x === null || !Number.isFinite(x) ? '-' : x.toFixed(4);
}

/** One line per epoch. */
export function lineReporter(out: WritableLike = process.stdout): ProgressReporter {
  return {
    onTrainStart: (i) => {
      const range = `epochs ${i.firstEpoch}..${i.lastEpoch}${i.lastEpoch < i.epochs ? ` of ${i.epochs}` : ''}`;
      if (i.name) out.write(`training ${i.name}: ${i.samples} samples, ${i.stepsPerEpoch} steps per epoch, ${range}\n`);
    },
    onEpochEnd: (r, epochs) => out.write(`${formatEpochLine(r, epochs)}\n`),
    onMessage: (text) => out.write(`${text}\n`),
  };
}

/**
 * A progress bar redrawn with carriage returns; each finished epoch leaves its summary line.
 * Redraws at most every `minIntervalMs` (and on an epoch's last step), so thousands of small
 * batches do not flood the terminal.
 */
export function ttyProgressBar(out: WritableLike = process.stdout, minIntervalMs = 100): ProgressReporter {
  const clear = '\r\x1b[2K';
  let label = '';
  let lastDraw = -Infinity;
  return {
    onTrainStart: (i) => {
      label = i.name ? `${i.name} ` : '';
    },
    onBatchEnd: (b) => {
      const now = performance.now();
      if (now - lastDraw < minIntervalMs && b.step !== b.stepsPerEpoch) return;
      lastDraw = now;
      const columns = out.columns ?? 80;
      const width = Math.max(10, Math.min(30, columns - 50));
      const done = Math.round((b.step / b.stepsPerEpoch) * width);
      const bar = '='.repeat(Math.max(0, done - 1)) + (done > 0 ? '>' : '') + ' '.repeat(width - done);
      out.write(`${clear}${label}epoch ${b.epoch}/${b.epochs} [${bar}] ${b.step}/${b.stepsPerEpoch} loss ${b.loss.toFixed(4)}`);
    },
    onEpochEnd: (r, epochs) => out.write(`${clear}${label}${formatEpochLine(r, epochs)}\n`),
    onMessage: (text) => out.write(`${clear}${text}\n`),
    onTrainEnd: () => out.write(clear),
  };
}

/** The bar on a terminal, lines elsewhere. */
export function defaultReporter(out: WritableLike = process.stdout): ProgressReporter {
  return out.isTTY ? ttyProgressBar(out) : lineReporter(out);
}

export const silentReporter: ProgressReporter = {};
