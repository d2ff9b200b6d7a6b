import { evalExprDual, exprSources, formatExpr, type Expr } from './expr.js';

// Gate parameters: each one refers to a trainable weight, a per-sample input feature, or a constant.
// Weights and inputs may be mapped affinely (value = scale * source + offset), e.g. pi * x.

export interface WeightRef {
  readonly kind: 'weight';
  readonly index: number;
  readonly scale: number;
  readonly offset: number;
}

export interface InputRef {
  readonly kind: 'input';
  readonly index: number;
  readonly scale: number;
  readonly offset: number;
}

export interface ConstRef {
  readonly kind: 'const';
  readonly value: number;
}

/**
 * The product of two affinely mapped inputs: scale * (x[a] + offsetA) * (x[b] + offsetB).
 * Feature maps need it: IQPEmbedding uses x_i x_j, Qiskit's ZZFeatureMap (π − x_i)(π − x_j).
 */
export interface InputProductRef {
  readonly kind: 'inputProduct';
  readonly a: number;
  readonly b: number;
  readonly scale: number;
  readonly offsetA: number;
  readonly offsetB: number;
}

/** Any arithmetic expression of inputs, weights and constants (OpenQASM gate arguments). */
export interface ExprRef {
  readonly kind: 'expr';
  readonly expr: Expr;
}

export type ParamRef = WeightRef | InputRef | ConstRef | InputProductRef | ExprRef;

/** What a gate parameter may be given as: a reference, or a plain number (a constant). */
export type ParamLike = ParamRef | number;

export interface AffineOptions {
  scale?: number;
  offset?: number;
}

function checkIndex(kind: string, index: number): void {
  if (!Number.isInteger(index) || index < 0) {
    throw new RangeError(`${kind} index must be a non-negative integer, got ${index}`);
  }
}

function checkFinite(what: string, v: number): void {
  if (!Number.isFinite(v)) throw new RangeError(`${what} must be a finite number, got ${v}`);
}

/** A trainable weight: `w(3)` is weight 3; `w(3, { scale: 2 })` is 2 * weight 3. */
export function w(index: number, opts: AffineOptions = {}): WeightRef {
  checkIndex('weight', index);
  const scale = opts.scale ?? 1;
  const offset = opts.offset ?? 0;
  checkFinite('weight scale', scale);
  checkFinite('weight offset', offset);
  return { kind: 'weight', index, scale, offset };
}

/** A per-sample input feature: `x(0)` is feature 0; `x(0, { scale: Math.PI })` is pi * feature 0. */
export function x(index: number, opts: AffineOptions = {}): InputRef {
  checkIndex('input', index);
  const scale = opts.scale ?? 1;
  const offset = opts.offset ?? 0;
  checkFinite('input scale', scale);
  checkFinite('input offset', offset);
  return { kind: 'input', index, scale, offset };
}

/** A constant parameter. */
export function c(value: number): ConstRef {
  checkFinite('constant parameter', value);
  return { kind: 'const', value };
}

/** scale * (x[a] + offsetA) * (x[b] + offsetB). */
export function xx(a: number, b: number, opts: { scale?: number; offsetA?: number; offsetB?: number } = {}): InputProductRef {
  checkIndex('input', a);
  checkIndex('input', b);
  const r = { kind: 'inputProduct' as const, a, b, scale: opts.scale ?? 1, offsetA: opts.offsetA ?? 0, offsetB: opts.offsetB ?? 0 };
  checkFinite('input product scale', r.scale);
  checkFinite('input product offset', r.offsetA);
  checkFinite('input product offset', r.offsetB);
  return r;
}

/** Highest input index a parameter reads, or -1. */
export function maxInputIndex(p: ParamRef): number {
  if (p.kind === 'input') return p.index;
  if (p.kind === 'inputProduct') return Math.max(p.a, p.b);
  if (p.kind === 'expr') return Math.max(-1, ...exprSources(p.expr).filter((s) => s.kind === 'input').map((s) => s.index));
  return -1;
}

/** Highest weight index a parameter reads, or -1. */
export function maxWeightIndex(p: ParamRef): number {
  if (p.kind === 'weight') return p.index;
  if (p.kind === 'expr') return Math.max(-1, ...exprSources(p.expr).filter((s) => s.kind === 'weight').map((s) => s.index));
  return -1;
}

/** A parameter given by an expression. */
export function expr(e: Expr): ExprRef {
  return { kind: 'expr', expr: e };
}

export function toParamRef(p: ParamLike): ParamRef {
  if (typeof p === 'number') return c(p);
  if (p === null || typeof p !== 'object' || !('kind' in p)) {
    throw new TypeError(`a gate parameter must be a number, w(i), x(i) or c(v); got ${JSON.stringify(p)}`);
  }
  return p;
}

/** Evaluate a parameter for one sample. */
export function evalParam(p: ParamRef, weights: ArrayLike<number>, inputs: ArrayLike<number>): number {
  switch (p.kind) {
    case 'const':
      return p.value;
    case 'weight':
      return p.scale * weights[p.index] + p.offset;
    case 'input':
      return p.scale * inputs[p.index] + p.offset;
    case 'inputProduct':
      return p.scale * (inputs[p.a] + p.offsetA) * (inputs[p.b] + p.offsetB);
    case 'expr':
      return evalExprDual(p.expr, weights, inputs)[0];
  }
}

/** A short human-readable form: `w3`, `0.5*x1+0.2`, `1.571`. */
export function formatParam(p: ParamRef, digits = 3): string {
  if (p.kind === 'const') return fmt(p.value, digits);
  if (p.kind === 'expr') return formatExpr(p.expr);
  if (p.kind === 'inputProduct') {
    const f = (i: number, o: number): string => (o === 0 ? `x${i}` : `(x${i}${o > 0 ? '+' : '-'}${fmt(Math.abs(o), digits)})`);
    return `${p.scale === 1 ? '' : `${fmt(p.scale, digits)}*`}${f(p.a, p.offsetA)}*${f(p.b, p.offsetB)}`;
  }
  const name = `${p.kind === 'weight' ? 'w' : 'x'}${p.index}`;
  let s = p.scale === 1 ? name : p.scale === -1 ? `-${name}` : `${fmtScale(p.scale, digits)}*${name}`;
  if (p.offset !== 0) s += p.offset > 0 ? `+${fmt(p.offset, digits)}` : `-${fmt(-p.offset, digits)}`;
  return s;
}

function fmtScale(v: number, digits: number): string {
  if (Math.abs(v - Math.PI) < 1e-12) return 'π';
  if (Math.abs(v + Math.PI) < 1e-12) return '-π';
  return fmt(v, digits);
}

function fmt(v: number, digits: number): string {
  return Number(v.toFixed(digits)).toString();
}
