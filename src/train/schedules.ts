// Learning-rate schedules as multipliers of each param group's base rate, so a quantum group at
// 0.01 and a classical group at 0.001 keep their ratio through warm-up and decay. Step-indexed
// schedules are pure functions of the global step; reduce-on-plateau carries a little state,
// exposed through `state`/`restore` for checkpoints.

export type ScheduleConfig =
  | { type: 'constant' }
  | { type: 'step'; stepSize: number; gamma?: number }
  | { type: 'cosine'; minFactor?: number; warmupEpochs?: number }
  | { type: 'one_cycle'; pctStart?: number; divFactor?: number; finalDivFactor?: number }
  | { type: 'reduce_on_plateau'; factor?: number; patience?: number; minDelta?: number; cooldown?: number; minFactor?: number };

export type ScheduleType = ScheduleConfig['type'];

export interface ScheduleContext {
  epochs: number;
  stepsPerEpoch: number;
}

export type ScheduleState = Record<string, number>;

export interface LrSchedule {
  /** Multiplier of the base learning rates for the update at global step `step` (0-based) in `epoch` (0-based). */
  factor(step: number, epoch: number): number;
  /** Told the monitored value (validation loss, else training loss) after each epoch. */
  onEpochEnd(epoch: number, monitored: number): void;
  state(): ScheduleState;
  restore(state: ScheduleState): void;
}

/** Stateless schedules share the no-op state methods. */
abstract class StatelessSchedule implements LrSchedule {
  abstract factor(step: number, epoch: number): number;
  onEpochEnd(): void {}
  state(): ScheduleState {
    return {};
  }
  restore(): void {}
}

export class ConstantSchedule extends StatelessSchedule {
  factor(): number {
    return 1;
  }
}

/** Multiply by `gamma` every `stepSize` epochs (torch StepLR). */
export class StepSchedule extends StatelessSchedule {
  constructor(
    private readonly stepSize: number,
    private readonly gamma = 0.1,
  ) {
    super();
    if (!(Number.isInteger(stepSize) && stepSize >= 1)) throw new RangeError(`step schedule: stepSize must be an integer >= 1, got ${stepSize}`);
  }
  factor(_step: number, epoch: number): number {
    return this.gamma ** Math.floor(epoch / this.stepSize);
  }
}

/**
 * Cosine decay from 1 to `minFactor` over all steps after an optional linear warm-up
 * (warm-up step s of W uses (s+1)/W, so the first update is not wasted at rate 0).
 */
export class CosineSchedule extends StatelessSchedule {
  private readonly warmupSteps: number;
  private readonly totalSteps: number;
  constructor(
    ctx: ScheduleContext,
    private readonly minFactor = 0,
    warmupEpochs = 0,
  ) {
    super();
    this.warmupSteps = Math.round(warmupEpochs * ctx.stepsPerEpoch);
    this.totalSteps = ctx.epochs * ctx.stepsPerEpoch;
  }
  factor(step: number): number {
    if (step < this.warmupSteps) return (step + 1) / this.warmupSteps;
    const span = Math.max(1, this.totalSteps - this.warmupSteps);
    const progress = Math.min(1, (step - this.warmupSteps) / span);
    return this.minFactor + ((1 - this.minFactor) * (1 + Math.cos(Math.PI * progress))) / 2;
  }
}

/**
 * One-cycle (Smith & Topin) as torch OneCycleLR with cosine annealing, two phases: from
 * base/divFactor up to base over the first pctStart of the steps, then down to
 * base/(divFactor·finalDivFactor). The base rate is the peak.
 */
export class OneCycleSchedule extends StatelessSchedule {
  private readonly totalSteps: number;
  private readonly initial: number;
  private readonly final: number;
  private readonly peakStep: number;
  constructor(
    ctx: ScheduleContext,
    pctStart = 0.3,
    divFactor = 25,
    finalDivFactor = 1e4,
  ) {
    super();
    if (!(pctStart > 0 && pctStart < 1)) throw new RangeError(`one_cycle: pctStart must be in (0, 1), got ${pctStart}`);
    this.totalSteps = ctx.epochs * ctx.stepsPerEpoch;
    this.initial = 1 / divFactor;
    this.final = this.initial / finalDivFactor;
    this.peakStep = pctStart * this.totalSteps - 1;
  }
  factor(step: number): number {
    const anneal = (start: number, end: number, pct: number) => end + ((start - end) / 2) * (1 + Math.cos(Math.PI * Math.min(1, Math.max(0, pct))));
    if (step <= this.peakStep) return anneal(this.initial, 1, this.peakStep <= 0 ? 1 : step / this.peakStep);
    const span = this.totalSteps - 1 - this.peakStep;
    return anneal(1, this.final, span <= 0 ? 1 : (step - this.peakStep) / span);
  }
}

/**
 * Reduce on plateau (torch ReduceLROnPlateau, mode min, absolute threshold): after `patience`
 * epochs without the monitored value falling below best − minDelta, multiply by `factor`
 * (not below `minFactor`), then wait `cooldown` epochs before counting again.
 */
export class ReduceOnPlateauSchedule implements LrSchedule {
  private current = 1;
  private best = Infinity;
  private badEpochs = 0;
  private cooldownLeft = 0;
  constructor(
    private readonly reduceBy = 0.1,
    private readonly patience = 10,
    private readonly minDelta = 1e-4,
    private readonly cooldown = 0,
    private readonly minFactor = 0,
  ) {
    if (!(reduceBy > 0 && reduceBy < 1)) throw new RangeError(`reduce_on_plateau: factor must be in (0, 1), got ${reduceBy}`);
  }
  factor(): number {
    return this.current;
  }
  onEpochEnd(_epoch: number, monitored: number): void {
    if (monitored < this.best - this.minDelta) {
      this.best = monitored;
      this.badEpochs = 0;
    } else {
      this.badEpochs += 1;
    }
    if (this.cooldownLeft > 0) {
      this.cooldownLeft -= 1;
      this.badEpochs = 0;
    }
    if (this.badEpochs > this.patience) {
      this.current = Math.max(this.minFactor, this.current * this.reduceBy);
      this.cooldownLeft = this.cooldown;
      this.badEpochs = 0;
    }
  }
  state(): ScheduleState {
    // Infinity does not survive JSON; a fresh schedule's best is encoded as null-free sentinel.
    return { current: this.current, best: Number.isFinite(this.best) ? this.best : Number.MAX_VALUE, badEpochs: this.badEpochs, cooldownLeft: this.cooldownLeft };
  }
  restore(state: ScheduleState): void {
    this.current = state.current;
    this.best = state.best === Number.MAX_VALUE ? Infinity : state.best;
    this.badEpochs = state.badEpochs;
    this.cooldownLeft = state.cooldownLeft;
  }
}

export function createSchedule(config: ScheduleConfig | undefined, ctx: ScheduleContext): LrSchedule {
  const c = config ?? { type: 'constant' };
  switch (c.type) {
    case 'constant':
      return new ConstantSchedule();
    case 'step':
      return new StepSchedule(c.stepSize, c.gamma);
    case 'cosine':
      return new CosineSchedule(ctx, c.minFactor, c.warmupEpochs);
    case 'one_cycle':
      return new OneCycleSchedule(ctx, c.pctStart, c.divFactor, c.finalDivFactor);
    case 'reduce_on_plateau':
      return new ReduceOnPlateauSchedule(c.factor, c.patience, c.minDelta, c.cooldown, c.minFactor);
    default:
      throw new Error(`unknown schedule "${(c as { type: string }).type}"`);
  }
}
