// The per-epoch record of a run and metrics.jsonl, the file that holds one record per line.
// metrics.jsonl is rewritten whole and atomically after every epoch (it is small), so a run
// killed at any moment leaves only complete lines; on resume it is rewritten from the
// checkpoint's history, which drops lines of epochs the checkpoint does not have.

import { existsSync, readFileSync } from 'node:fs';
import { writeFileAtomic } from '../util/atomic-file.js';

export interface EpochRecord {
  /** 1-based epoch number. */
  epoch: number;
  /** Mean loss over the epoch's training batches (running, while the weights change). */
  train_loss: number;
  /** Classification: the running accuracy over the epoch's training batches. */
  train_accuracy?: number;
  /** Post-epoch evaluation on the validation set; null without one. */
  val_loss: number | null;
  val_accuracy?: number | null;
  /** Learning rate of each param group for the epoch's last update. */
  lr: Record<string, number>;
  /** Mean and maximum over the epoch's steps of the global gradient norm before clipping. */
  grad_norm: number;
  grad_norm_max: number;
  seconds: number;
  samples_per_second: number;
  /** Training steps per second of the training loop alone (validation excluded); absent in older records. */
  batches_per_second?: number;
  /** Peak resident set size of the process so far, MiB. */
  peak_rss_mb: number;
  /**
   * Seconds of the epoch (training and validation) spent in quantum layers' engine calls,
   * forward and gradient (0 for a classical model; absent in records written before it existed).
   */
  quantum_seconds?: number;
  /**
   * CPU seconds (user + system) of the process during the epoch: on a machine shared with other
   * work, wall time includes waiting for a core and this does not (tfjs-wasm and the engine are
   * single-threaded, so on an idle machine the two agree). Absent in older records.
   */
  cpu_seconds?: number;
  /** Models with a gated quantum head: the gate's alpha = sigmoid(alpha_raw) at the epoch's end (absent otherwise). */
  alpha?: number;
  /**
   * The task's other metrics: train_<name> accumulated over the epoch's training batches,
   * val_<name> from the post-epoch evaluation (null without a validation set); regression:
   * train_mse, train_mae, train_r2, val_mse, val_mae, val_r2.
   */
  [metric: `train_${string}` | `val_${string}`]: number | null | undefined;
}

export function writeMetricsJsonl(path: string, history: readonly EpochRecord[]): void {
  writeFileAtomic(path, history.map((r) => JSON.stringify(r) + '\n').join(''));
}

/** Read metrics.jsonl; a trailing partial line (never written by us, but tolerated) is ignored. */
export function readMetricsJsonl(path: string): EpochRecord[] {
  if (!existsSync(path)) return [];
  const out: EpochRecord[] = [];
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    try {
      out.push(JSON.parse(line) as EpochRecord);
    } catch {
      break;
    }
  }
  return out;
}
