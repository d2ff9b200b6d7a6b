// Angles of lowered gates: an expression of the circuit's per-sample inputs (weights are always
// bound before lowering), folded to a plain number wherever it is one. Only `rz` carries a
// symbolic angle through the passes — every other gate is lowered from its numeric matrix — so
// the arithmetic needed here is small: sums and scalings, with constants folded.

import type { Expr } from '../expr.js';
import type { ParamRef } from '../params.js';

export type Angle = Expr;

export const num = (value: number): Angle => ({ op: 'num', value });

/** The angle's value when it reads no input, else undefined. */
export function constantValue(a: Angle): number | undefined {
  return a.op === 'num' ? a.value : undefined;
}

export function isConstant(a: Angle): boolean {
  return a.op === 'num';
}

/** An angle as (part that reads inputs, constant): `x0 + 0.5` → [x0, 0.5], `x0 - 0.5` → [x0, −0.5]. */
function split(a: Angle): [Expr | undefined, number] {
  if (a.op === 'num') return [undefined, a.value];
  if ((a.op === '+' || a.op === '-') && a.b.op === 'num') return [a.a, a.op === '+' ? a.b.value : -a.b.value];
  return [a, 0];
}

/**
 * a + b, folded when both are numbers; constants gather in one trailing term (`x0 + 0.5`,
 * `x0 - 1.2`), so a chain of merged rotations reads as one offset.
 */
export function addAngles(a: Angle, b: Angle): Angle {
  const [ea, ca] = split(a);
  const [eb, cb] = split(b);
  const c = ca + cb;
  const e: Expr | undefined = ea && eb ? { op: '+', a: ea, b: eb } : (ea ?? eb);
  if (!e) return num(c);
  if (c === 0) return e;
  return c > 0 ? { op: '+', a: e, b: num(c) } : { op: '-', a: e, b: num(-c) };
}

/** k·a, folded when a is a number. */
export function scaleAngle(a: Angle, k: number): Angle {
  if (a.op === 'num') return num(k * a.value);
  if (k === 1) return a;
  if (k === -1) return { op: 'neg', a };
  return { op: '*', a: num(k), b: a };
}

/**
 * A gate parameter whose weights are already bound (export's bindParam) as an angle expression of
 * the inputs: affine inputs and input products become the same arithmetic the engine evaluates.
 */
export function angleOfParam(p: ParamRef): Angle {
  switch (p.kind) {
    case 'const':
      return num(p.value);
    case 'expr':
      return p.expr;
    case 'input': {
      const x: Expr = { op: 'input', index: p.index };
      return addAngles(p.scale === 1 ? x : { op: '*', a: num(p.scale), b: x }, num(p.offset));
    }
    case 'inputProduct': {
      const f = (i: number, o: number): Expr => (o === 0 ? { op: 'input', index: i } : { op: '+', a: { op: 'input', index: i }, b: num(o) });
      const prod: Expr = { op: '*', a: f(p.a, p.offsetA), b: f(p.b, p.offsetB) };
      return p.scale === 1 ? prod : { op: '*', a: num(p.scale), b: prod };
    }
    case 'weight':
      throw new RangeError(`angleOfParam: weight ${p.index} is not bound (bind the weights before lowering)`);
  }
}

/** The angle as a gate parameter of the circuit IR (so the engine can run a lowered circuit). */
export function paramOfAngle(a: Angle): ParamRef {
  return a.op === 'num' ? { kind: 'const', value: a.value } : { kind: 'expr', expr: a };
}
