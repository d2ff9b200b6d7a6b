// summary.json: the numbers a run is judged and compared by.

import type { ParamCounts } from '../models/build.js';
import type { QuantumTrainCounts } from '../models/quantum-train/model.js';
import type { ChannelStats } from '../models/quantum-channels/channels.js';
import type { TrainResult } from '../train/trainer.js';

export interface RunSummary {
  name: string;
  test_accuracy: number | null;
  test_loss: number | null;
  val_accuracy: number | null;
  /** Classification with more than 5 classes: the label among the 5 largest outputs (absent otherwise). */
  test_top5_accuracy?: number | null;
  val_top5_accuracy?: number | null;
  val_loss: number | null;
  /** null for tasks other than classification. */
  train_accuracy: number | null;
  train_loss: number;
  params: ParamCounts;
  /** Epochs trained (fewer than configured when early stopping fired). */
  epochs: number;
  epochs_configured: number;
  stopped_early: boolean;
  best_epoch: number;
  /** Training time summed over epochs (across resumes). */
  train_seconds: number;
  seconds_per_epoch: number;
  /** CPU seconds (user + system) of the training epochs; compare with train_seconds to see how much waiting for a core inflated the wall time. */
  train_cpu_seconds: number;
  /** Seconds of train_seconds spent in quantum layers' engine calls (forward and gradient). */
  quantum_seconds: number;
  /** quantum_seconds / train_seconds (0 for a classical model). */
  quantum_share: number;
  /** Training batches per epoch when limited (training.limitBatches); null: every batch. */
  limit_batches: number | null;
  /** Training batches in a full epoch (ceil(training samples / batch size)); only when limit_batches is set (and absent in older run folders). */
  batches_per_epoch?: number;
  /** Wall time of this invocation: data, build, training, evaluation, reports. */
  wall_seconds: number;
  resumed_from_epoch: number | null;
  seed: number;
  backend: string;
  fingerprint: { model: string; config: string };
  /** The training task when it is not classification (absent: classification). */
  task?: string;
  /** That task's evaluation metrics as <split>_<metric> (e.g. test_r2; null without the split). */
  metrics?: Record<string, number | null>;
  /** Models with a gated quantum head: alpha = sigmoid(alpha_raw) of the final model. */
  final_alpha?: number;
  /**
   * model.quantumChannels: seconds the engine took to compute the channels for every image of the
   * data set in this invocation (0 when they came from the cache; quantum_channels says which).
   */
  precompute_seconds?: number;
  quantum_channels?: ChannelStats;
  /** Quantum-Train runs: parameter accounting and the generated network's own test metrics. */
  quantum_train?: QuantumTrainSummary;
}

/** What a Quantum-Train run adds to its summary: the counts and the generated network alone. */
export interface QuantumTrainSummary extends QuantumTrainCounts {
  /** Test accuracy of the generated network run alone (no quantum part); null without a test set. */
  generated_test_accuracy: number | null;
  generated_test_loss: number | null;
  /** Folder of the exported model, relative to the run folder; null when export is off. */
  generated_dir: string | null;
  /**
   * What the exported model takes: 'raw' when the run's standardization (one mean and deviation)
   * is built into it as a Rescaling layer, 'standardized' when inputs must be standardized first
   * with preprocessing.json (per-feature statistics cannot be one Rescaling layer).
   */
  generated_input: 'raw' | 'standardized';
}

/**
 * A sentence saying that `--limit-batches` (training.limitBatches) cut every epoch short, or
 * undefined when each epoch saw every batch: accuracies of such a run are not those of the config.
 */
export function limitedEpochsNote(s: Pick<RunSummary, 'limit_batches' | 'batches_per_epoch'>): string | undefined {
  if (s.limit_batches === null) return undefined;
  if (s.batches_per_epoch !== undefined && s.limit_batches >= s.batches_per_epoch) return undefined;
  const of = s.batches_per_epoch !== undefined ? ` of ${s.batches_per_epoch}` : '';
  return `Epochs cut short: each trained on the first ${s.limit_batches}${of} batches only (--limit-batches / training.limitBatches).`;
}

/**
 * The summary fields that come from the training loop's result, the same for every model family:
 * epochs, early stopping, times, the quantum layers' engine time (`quantumSeconds`) and its share.
 */
export function trainingSummary(
  result: TrainResult, training: { epochs: number; limitBatches?: number }, quantumSeconds: number,
): Pick<RunSummary, 'epochs' | 'epochs_configured' | 'stopped_early' | 'best_epoch' | 'train_seconds' | 'seconds_per_epoch' | 'train_cpu_seconds' | 'quantum_seconds' | 'quantum_share' | 'limit_batches'> {
  return {
    epochs: result.epochsCompleted,
    epochs_configured: training.epochs,
    stopped_early: result.stoppedEarly,
    best_epoch: result.bestEpoch,
    train_seconds: result.trainSeconds,
    seconds_per_epoch: result.secondsPerEpoch,
    train_cpu_seconds: result.history.reduce((s, r) => s + (r.cpu_seconds ?? 0), 0),
    quantum_seconds: quantumSeconds,
    quantum_share: result.trainSeconds > 0 ? quantumSeconds / result.trainSeconds : 0,
    limit_batches: training.limitBatches ?? null,
  };
}
