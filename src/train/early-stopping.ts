// Early stopping on a monitored metric: stop after `patience` epochs in which the metric did not
// improve on its best by more than `minDelta`. State is plain numbers, for checkpoints.

/**
 * A metrics.jsonl key: train_<metric> or val_<metric> of the run's task (classification:
 * val_loss, val_accuracy, train_loss, train_accuracy; regression: also _mse, _mae, _r2).
 */
export type Monitor = `train_${string}` | `val_${string}`;

export interface EarlyStoppingConfig {
  patience: number;
  minDelta?: number;
  monitor?: Monitor;
  /** At the end, put back the weights of the best epoch. */
  restoreBest?: boolean;
}

export interface EarlyStoppingState {
  best: number | null;
  bestEpoch: number;
  wait: number;
  stopped: boolean;
}

/** The direction of a monitor by its name alone (accuracy up, anything else down); tasks say it exactly (tasks/task.ts). */
export function monitorMode(monitor: Monitor): 'min' | 'max' {
  return monitor.endsWith('accuracy') ? 'max' : 'min';
}

export class EarlyStopping {
  readonly monitor: Monitor;
  readonly patience: number;
  readonly minDelta: number;
  readonly mode: 'min' | 'max';
  private s: EarlyStoppingState = { best: null, bestEpoch: -1, wait: 0, stopped: false };

  /** `mode`: which way the monitored value improves; default from its name (monitorMode). */
  constructor(config: EarlyStoppingConfig, mode?: 'min' | 'max') {
    if (!(Number.isInteger(config.patience) && config.patience >= 0)) throw new RangeError(`early stopping: patience must be an integer >= 0, got ${config.patience}`);
    this.patience = config.patience;
    this.minDelta = Math.abs(config.minDelta ?? 0);
    this.monitor = config.monitor ?? 'val_loss';
    this.mode = mode ?? monitorMode(this.monitor);
  }

  /** Record an epoch's value; says whether it is a new best and whether training should stop. */
  update(epoch: number, value: number): { improved: boolean; stop: boolean } {
    const sign = this.mode === 'min' ? 1 : -1;
    const improved = Number.isFinite(value) && (this.s.best === null || sign * (this.s.best - value) > this.minDelta);
    if (improved) {
      this.s.best = value;
      this.s.bestEpoch = epoch;
      this.s.wait = 0;
    } else {
      this.s.wait += 1;
      if (this.s.wait >= this.patience) this.s.stopped = true;
    }
    return { improved, stop: this.s.stopped };
  }

  get stopped(): boolean {
    return this.s.stopped;
  }
  get bestEpoch(): number {
    return this.s.bestEpoch;
  }

  state(): EarlyStoppingState {
    return { ...this.s };
  }
  restore(state: EarlyStoppingState): void {
    this.s = { ...state };
  }
}
