// Optimizers written on tf.Variables with plain tfjs ops, so that every piece of state (moments,
// momentum buffers, the step count) is explicit: `getState` copies it out as Float32Arrays for a
// checkpoint and `setState` puts it back bit for bit. tfjs's own optimizers hide their slots and
// have no parameter groups, which is why they are not used.
//
// The update rules follow PyTorch's (torch.optim.Adam, AdamW, SGD), so that learning rates and
// weight decays carry over from PyTorch/PennyLane examples unchanged.

import * as tf from '@tensorflow/tfjs';
import { EntangleError } from '../util/errors.js';

let fusedCpu = true;

/**
 * On the cpu backend, Adam and AdamW update each variable in one JavaScript loop (fusedAdamCpu)
 * instead of ~13 tfjs ops: the same float32 arithmetic, bit for bit. Off: the op-by-op path,
 * everywhere (benchmarks and tests compare the two).
 */
export function setFusedCpuOptimizer(on: boolean): void {
  fusedCpu = on;
}

/** Whether this update can take the fused loop: cpu backend, float32 variable and gradient. */
function fusedOnCpu(variable: tf.Variable, grad: tf.Tensor): boolean {
  return fusedCpu && variable.dtype === 'float32' && grad.dtype === 'float32' && grad.size === variable.size && tf.getBackend() === 'cpu';
}

/** A trainable variable with the stable name it is checkpointed under. */
export interface NamedVariable {
  /** Stable across processes (e.g. the layer variable's original name), unlike tf.Variable.name. */
  key: string;
  variable: tf.Variable;
}

/** Variables that share a learning rate and weight decay (e.g. all quantum weights). */
export interface ParamGroup {
  name: string;
  params: NamedVariable[];
  /** Base learning rate; the schedule multiplies it. */
  lr: number;
  weightDecay: number;
}

export type OptimizerKind = 'adam' | 'adamw' | 'sgd';

export interface OptimizerHyper {
  /** Adam/AdamW: exponential decay of the first and second moments. */
  beta1?: number;
  beta2?: number;
  epsilon?: number;
  /** SGD: momentum factor (0 = plain SGD) and Nesterov's variant. */
  momentum?: number;
  nesterov?: boolean;
}

/** Everything an optimizer needs to continue exactly where it stopped. */
export interface OptimizerState {
  kind: OptimizerKind;
  /** Number of updates applied so far. */
  step: number;
  /** slots[variableKey][slotName] = values, in the variable's shape (row-major). */
  slots: Record<string, Record<string, Float32Array>>;
}

export class OptimizerStateError extends EntangleError {
  constructor(message: string) {
    super('E_OPTIMIZER_STATE', message);
  }
  override name = 'OptimizerStateError';
}

export abstract class Optimizer {
  abstract readonly kind: OptimizerKind;
  protected stepCount = 0;
  /** slot name → variable key → state variable. */
  private readonly slotVars = new Map<string, Map<string, tf.Variable>>();

  constructor(
    readonly groups: ParamGroup[],
    protected readonly slotNames: readonly string[],
  ) {
    const seen = new Set<string>();
    for (const g of groups) {
      if (!(g.lr >= 0)) throw new RangeError(`param group "${g.name}": lr must be >= 0, got ${g.lr}`);
      if (!(g.weightDecay >= 0)) throw new RangeError(`param group "${g.name}": weightDecay must be >= 0, got ${g.weightDecay}`);
      for (const p of g.params) {
        if (seen.has(p.key)) throw new Error(`variable "${p.key}" belongs to more than one param group`);
        seen.add(p.key);
      }
    }
    for (const slot of slotNames) {
      const byKey = new Map<string, tf.Variable>();
      for (const g of groups) {
        for (const p of g.params) byKey.set(p.key, tf.tidy(() => tf.variable(tf.zerosLike(p.variable), false, undefined, 'float32')));
      }
      this.slotVars.set(slot, byKey);
    }
  }

  get step(): number {
    return this.stepCount;
  }

  /** The learning rate of every group at a schedule factor, by group name. */
  learningRates(scheduleFactor = 1): Record<string, number> {
    const out: Record<string, number> = {};
    for (const g of this.groups) out[g.name] = g.lr * scheduleFactor;
    return out;
  }

  /**
   * Apply one update. `grads` maps variable keys to gradients (a missing key means no gradient,
   * and that variable is left alone for this step, as PyTorch does for `grad is None`).
   */
  applyGradients(grads: ReadonlyMap<string, tf.Tensor>, scheduleFactor = 1): void {
    this.stepCount += 1;
    for (const g of this.groups) {
      const lr = g.lr * scheduleFactor;
      for (const p of g.params) {
        const grad = grads.get(p.key);
        if (!grad) continue;
        tf.tidy(() => this.update(p, grad, lr, g.weightDecay));
      }
    }
  }

  /**
   * applyGradients with the gradients as float32 arrays in their variables' shapes (the fused
   * training step's, train/fused-step). Optimizers with a loop of their own on plain arrays
   * (Adam on the cpu backend) run it; the others get the arrays as tensors.
   */
  applyGradientArrays(grads: ReadonlyMap<string, Float32Array>, scheduleFactor = 1): void {
    if (!this.updatesArrays()) {
      tf.tidy(() => {
        const tensors = new Map<string, tf.Tensor>();
        for (const g of this.groups) {
          for (const p of g.params) {
            const values = grads.get(p.key);
            if (values) tensors.set(p.key, tf.tensor(values, p.variable.shape, 'float32'));
          }
        }
        this.applyGradients(tensors, scheduleFactor);
      });
      return;
    }
    this.stepCount += 1;
    for (const g of this.groups) {
      const lr = g.lr * scheduleFactor;
      for (const p of g.params) {
        const grad = grads.get(p.key);
        if (grad) this.updateFromArray(p, grad, lr, g.weightDecay);
      }
    }
  }

  /** Whether updateFromArray runs (else applyGradientArrays goes through tensors). */
  protected updatesArrays(): boolean {
    return false;
  }

  /** One variable's update from a plain gradient array (only called when updatesArrays()). */
  protected updateFromArray(_p: NamedVariable, _grad: Float32Array, _lr: number, _weightDecay: number): void {
    throw new Error(`${this.kind}: no update from plain arrays`);
  }

  protected slot(name: string, key: string): tf.Variable {
    const v = this.slotVars.get(name)?.get(key);
    if (!v) throw new Error(`optimizer has no slot "${name}" for "${key}"`);
    return v;
  }

  /** One variable's update, run inside tf.tidy. */
  protected abstract update(p: NamedVariable, grad: tf.Tensor, lr: number, weightDecay: number): void;

  getState(): OptimizerState {
    const slots: Record<string, Record<string, Float32Array>> = {};
    for (const [slot, byKey] of this.slotVars) {
      for (const [key, v] of byKey) {
        (slots[key] ??= {})[slot] = Float32Array.from(v.dataSync() as Float32Array);
      }
    }
    return { kind: this.kind, step: this.stepCount, slots };
  }

  /** Restore state saved by getState; refuses (throws) on any mismatch rather than guessing. */
  setState(state: OptimizerState): void {
    if (state.kind !== this.kind) throw new OptimizerStateError(`optimizer state is for "${state.kind}", this optimizer is "${this.kind}"`);
    if (!Number.isInteger(state.step) || state.step < 0) throw new OptimizerStateError(`optimizer state has an invalid step ${state.step}`);
    for (const [slot, byKey] of this.slotVars) {
      for (const [key, v] of byKey) {
        const values = state.slots[key]?.[slot];
        if (!values) throw new OptimizerStateError(`optimizer state lacks slot "${slot}" of "${key}"`);
        if (values.length !== v.size) throw new OptimizerStateError(`optimizer slot "${slot}" of "${key}" has ${values.length} values, expected ${v.size}`);
      }
    }
    for (const [slot, byKey] of this.slotVars) {
      for (const [key, v] of byKey) {
        const values = state.slots[key][slot];
        tf.tidy(() => v.assign(tf.tensor(values, v.shape, 'float32')));
      }
    }
    this.stepCount = state.step;
  }

  dispose(): void {
    for (const byKey of this.slotVars.values()) for (const v of byKey.values()) v.dispose();
    this.slotVars.clear();
  }
}

/**
 * Adam (Kingma & Ba) as torch.optim.Adam computes it:
 *   g ← g + λ·p (L2 weight decay, coupled)
 *   m ← β1·m + (1−β1)·g,   v ← β2·v + (1−β2)·g²
 *   p ← p − (lr / (1−β1^t)) · m / (√v / √(1−β2^t) + ε)
 */
export class Adam extends Optimizer {
  readonly kind: OptimizerKind = 'adam';
  protected readonly beta1: number;
  protected readonly beta2: number;
  protected readonly epsilon: number;

  constructor(groups: ParamGroup[], hyper: OptimizerHyper = {}) {
    super(groups, ['m', 'v']);
    this.beta1 = hyper.beta1 ?? 0.9;
    this.beta2 = hyper.beta2 ?? 0.999;
    this.epsilon = hyper.epsilon ?? 1e-8;
    if (!(this.beta1 >= 0 && this.beta1 < 1)) throw new RangeError(`beta1 must be in [0, 1), got ${this.beta1}`);
    if (!(this.beta2 >= 0 && this.beta2 < 1)) throw new RangeError(`beta2 must be in [0, 1), got ${this.beta2}`);
  }

  /** AdamW: weight decay applied to the weights, not folded into the gradient. */
  protected readonly decoupled: boolean = false;

  protected override updatesArrays(): boolean {
    return fusedCpu && tf.getBackend() === 'cpu';
  }

  /** The fused loop on a plain gradient (the variable must be float32: fused-step's are). */
  protected override updateFromArray(p: NamedVariable, grad: Float32Array, lr: number, weightDecay: number): void {
    if (p.variable.dtype !== 'float32' || grad.length !== p.variable.size) throw new Error(`adam: gradient of "${p.key}" has ${grad.length} values for a ${p.variable.dtype} variable of ${p.variable.size}`);
    this.fusedUpdate(p, grad, lr, weightDecay, this.decoupled);
  }

  /** Weight decay folded into the gradient (Adam) or applied to the weights directly (AdamW). */
  protected decayedGradient(p: NamedVariable, grad: tf.Tensor, weightDecay: number): tf.Tensor {
    return weightDecay > 0 ? grad.add(p.variable.mul(weightDecay)) : grad;
  }

  protected update(p: NamedVariable, grad: tf.Tensor, lr: number, weightDecay: number): void {
    if (fusedOnCpu(p.variable, grad)) {
      this.fusedUpdate(p, grad.dataSync() as Float32Array, lr, weightDecay, this.decoupled);
      return;
    }
    const g = this.decayedGradient(p, grad, weightDecay);
    const m = this.slot('m', p.key);
    const v = this.slot('v', p.key);
    const t = this.stepCount;
    m.assign(m.mul(this.beta1).add(g.mul(1 - this.beta1)));
    v.assign(v.mul(this.beta2).add(g.square().mul(1 - this.beta2)));
    // Bias corrections computed in float64 on the host, exactly as PyTorch does.
    const stepSize = lr / (1 - this.beta1 ** t);
    const sqrtBias2 = Math.sqrt(1 - this.beta2 ** t);
    const denom = v.sqrt().div(sqrtBias2).add(this.epsilon);
    p.variable.assign(p.variable.sub(m.div(denom).mul(stepSize)));
  }

  /**
   * The op-by-op update above (decoupled: AdamW's) as one loop over the variable. The cpu
   * backend computes each op in float64 on float32 inputs and stores float32, so every op here is
   * Math.fround of the same float64 expression, in the same order, with the same float32 scalars
   * (tfjs turns a JavaScript number operand into a float32 tensor): the results are identical.
   * For a small network this replaces ~13 kernel calls, each with the tfjs engine's bookkeeping,
   * per variable and step.
   */
  protected fusedUpdate(p: NamedVariable, G: Float32Array, lr: number, weightDecay: number, decoupled: boolean): void {
    const f = Math.fround;
    const t = this.stepCount;
    const m = this.slot('m', p.key);
    const v = this.slot('v', p.key);
    // On the cpu backend dataSync returns the tensors' own arrays: read only, never written.
    const P = p.variable.dataSync() as Float32Array;
    const M = m.dataSync() as Float32Array;
    const V = v.dataSync() as Float32Array;
    const n = P.length;
    const b1 = f(this.beta1), ob1 = f(1 - this.beta1), b2 = f(this.beta2), ob2 = f(1 - this.beta2);
    const sqrtBias2 = f(Math.sqrt(1 - this.beta2 ** t));
    const eps = f(this.epsilon);
    const stepSize = f(lr / (1 - this.beta1 ** t));
    const decay = f(1 - lr * weightDecay); // AdamW: p ← p·(1 − lr·λ)
    const lambda = f(weightDecay); // Adam: g ← g + λ·p
    const newP = new Float32Array(n), newM = new Float32Array(n), newV = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      let pi = P[i];
      let gi = G[i];
      if (weightDecay > 0) {
        if (decoupled) pi = f(pi * decay);
        else gi = f(gi + f(pi * lambda));
      }
      const mi = f(f(M[i] * b1) + f(gi * ob1));
      const vi = f(f(V[i] * b2) + f(f(gi * gi) * ob2));
      const denom = f(f(f(Math.sqrt(vi)) / sqrtBias2) + eps);
      newM[i] = mi;
      newV[i] = vi;
      newP[i] = f(pi - f(f(mi / denom) * stepSize));
    }
    // Disposed here, not by a tidy: the fused step calls this outside one (assign keeps the data).
    for (const [target, values] of [[m, newM], [v, newV], [p.variable, newP]] as const) {
      const tensor = tf.tensor(values, target.shape, 'float32');
      target.assign(tensor);
      tensor.dispose();
    }
  }
}

/** AdamW (Loshchilov & Hutter): decoupled weight decay p ← p·(1 − lr·λ), then the Adam step on g. */
export class AdamW extends Adam {
  override readonly kind: OptimizerKind = 'adamw';
  protected override readonly decoupled: boolean = true;

  protected override decayedGradient(_p: NamedVariable, grad: tf.Tensor): tf.Tensor {
    return grad;
  }

  protected override update(p: NamedVariable, grad: tf.Tensor, lr: number, weightDecay: number): void {
    if (fusedOnCpu(p.variable, grad)) {
      this.fusedUpdate(p, grad.dataSync() as Float32Array, lr, weightDecay, true);
      return;
    }
    if (weightDecay > 0) p.variable.assign(p.variable.mul(1 - lr * weightDecay));
    super.update(p, grad, lr, weightDecay);
  }
}

/**
 * SGD with momentum as torch.optim.SGD (dampening 0):
 *   g ← g + λ·p;  b ← μ·b + g (b = g on the first step);  p ← p − lr·(nesterov ? g + μ·b : b)
 * With zero-initialized b, "μ·0 + g" equals PyTorch's first-step copy, so no special case.
 */
export class SGD extends Optimizer {
  readonly kind: OptimizerKind = 'sgd';
  private readonly momentum: number;
  private readonly nesterov: boolean;

  constructor(groups: ParamGroup[], hyper: OptimizerHyper = {}) {
    const momentum = hyper.momentum ?? 0;
    super(groups, momentum > 0 ? ['momentum'] : []);
    if (!(momentum >= 0 && momentum < 1)) throw new RangeError(`momentum must be in [0, 1), got ${momentum}`);
    this.momentum = momentum;
    this.nesterov = hyper.nesterov ?? false;
    if (this.nesterov && momentum === 0) throw new RangeError('nesterov needs momentum > 0');
  }

  protected update(p: NamedVariable, grad: tf.Tensor, lr: number, weightDecay: number): void {
    let g = weightDecay > 0 ? grad.add(p.variable.mul(weightDecay)) : grad;
    if (this.momentum > 0) {
      const b = this.slot('momentum', p.key);
      b.assign(b.mul(this.momentum).add(g));
      g = this.nesterov ? g.add(b.mul(this.momentum)) : b;
    }
    p.variable.assign(p.variable.sub(g.mul(lr)));
  }
}

export function createOptimizer(kind: OptimizerKind, groups: ParamGroup[], hyper: OptimizerHyper = {}): Optimizer {
  switch (kind) {
    case 'adam':
      return new Adam(groups, hyper);
    case 'adamw':
      return new AdamW(groups, hyper);
    case 'sgd':
      return new SGD(groups, hyper);
    default:
      throw new Error(`unknown optimizer "${kind as string}" (expected adam, adamw or sgd)`);
  }
}
