// OpenQASM expressions to parameter references: name resolution (built-in constants, inputs, a gate
// body's parameters), constant folding, and simplification to the cheapest reference the engine
// knows (constant, affine in one input, product of two affine inputs, else an expression).

import { evalExprDual, type Expr } from '../expr.js';
import { c, expr as exprRef, x as inputRef, xx, type ParamRef } from '../params.js';
import type { Fail, Token } from './lexer.js';
import type { PExpr } from './parser.js';

export const CONSTANTS: Record<string, number> = { pi: Math.PI, π: Math.PI, tau: 2 * Math.PI, τ: 2 * Math.PI, euler: Math.E, ℇ: Math.E };
export const num = (value: number): Expr => ({ op: 'num', value });

export function evalNum(e: Expr): number {
  return evalExprDual(e, [], [])[0];
}

/** Build a node, folding constants (so `pi/2` is one number and simple refs stay simple). */
function node(e: Expr): Expr {
  if (e.op === 'neg' && e.a.op === 'num') return num(-e.a.value);
  if (e.op === 'fn' && e.a.op === 'num') return num(evalNum(e));
  if ((e.op === '+' || e.op === '-' || e.op === '*' || e.op === '/' || e.op === '**') && e.a.op === 'num' && e.b.op === 'num') return num(evalNum(e));
  return e;
}
export const neg = (a: Expr): Expr => node({ op: 'neg', a });
export const add = (a: Expr, b: Expr): Expr => node({ op: '+', a, b });
export const half = (a: Expr): Expr => node({ op: '/', a, b: num(2) });

export type Lookup = (name: string, tok: Token) => Expr;

export function resolve(e: PExpr, lookup: Lookup, fail: Fail): Expr {
  let out: Expr;
  switch (e.k) {
    case 'num':
      // A literal past the double range (1e999) is Infinity: refuse it like a computed one.
      out = num(e.v);
      break;
    case 'name':
      return e.name in CONSTANTS ? num(CONSTANTS[e.name]) : lookup(e.name, e.tok);
    case 'neg':
      return neg(resolve(e.a, lookup, fail));
    case 'fn':
      out = node({ op: 'fn', name: e.name, a: resolve(e.a, lookup, fail) });
      break;
    case 'bin':
      out = node({ op: e.op, a: resolve(e.a, lookup, fail), b: resolve(e.b, lookup, fail) });
      break;
  }
  if (out.op === 'num' && !Number.isFinite(out.value)) fail(e.tok, `this expression evaluates to ${out.value}`);
  return out;
}

interface Linear {
  src?: { kind: 'input' | 'weight'; index: number };
  scale: number;
  offset: number;
}

/** scale·source + offset when the expression is affine in at most one source, else undefined. */
function linear(e: Expr): Linear | undefined {
  switch (e.op) {
    case 'num':
      return { scale: 0, offset: e.value };
    case 'input':
    case 'weight':
      return { src: { kind: e.op, index: e.index }, scale: 1, offset: 0 };
    case 'neg': {
      const a = linear(e.a);
      return a && { src: a.src, scale: -a.scale, offset: -a.offset };
    }
    case 'fn':
    case '**':
      return undefined; // constants were folded already
    default: {
      const a = linear(e.a);
      const b = linear(e.b);
      if (!a || !b) return undefined;
      if (e.op === '+' || e.op === '-') {
        if (a.src && b.src && (a.src.kind !== b.src.kind || a.src.index !== b.src.index)) return undefined;
        const s = e.op === '+' ? 1 : -1;
        return { src: a.src ?? b.src, scale: a.scale + s * b.scale, offset: a.offset + s * b.offset };
      }
      if (e.op === '*') {
        if (a.src && b.src) return undefined;
        const [k, v] = a.src ? [b.offset, a] : [a.offset, b];
        return { src: v.src, scale: v.scale * k, offset: v.offset * k };
      }
      if (b.src) return undefined; // division by a source is not affine
      return { src: a.src, scale: a.scale / b.offset, offset: a.offset / b.offset };
    }
  }
}

/** k·(x_a + o_a)·(x_b + o_b) from a product of affine factors (ZZFeatureMap's (π − x_i)(π − x_j)). */
function product(e: Expr): ParamRef | undefined {
  const factors: Expr[] = [];
  let sign = 1;
  const flatten = (f: Expr): void => {
    if (f.op === '*') {
      flatten(f.a);
      flatten(f.b);
    } else if (f.op === 'neg') {
      sign = -sign;
      flatten(f.a);
    } else factors.push(f);
  };
  flatten(e);
  let k = sign;
  const affine: Linear[] = [];
  for (const f of factors) {
    const l = linear(f);
    if (!l) return undefined;
    if (!l.src || l.scale === 0) k *= l.offset;
    else if (l.src.kind === 'input') affine.push(l);
    else return undefined;
  }
  if (affine.length !== 2) return undefined;
  const [a, b] = affine;
  return xx(a.src!.index, b.src!.index, { scale: k * a.scale * b.scale, offsetA: a.offset / a.scale, offsetB: b.offset / b.scale });
}

/** The cheapest parameter reference with this value. */
export function simplifyParam(e: Expr): ParamRef {
  const l = linear(e);
  if (l) {
    // x + 0 turns −0 into 0: `-c/2` has no offset, not a negative zero one.
    l.scale += 0;
    l.offset += 0;
  }
  if (l && (!l.src || l.scale === 0)) return c(l.offset);
  if (l && l.src) return l.src.kind === 'input' ? inputRef(l.src.index, { scale: l.scale, offset: l.offset }) : { kind: 'weight', index: l.src.index, scale: l.scale, offset: l.offset };
  return product(e) ?? exprRef(e);
}
