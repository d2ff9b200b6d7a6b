// The importer's working vocabulary: operations of our gate table with expression parameters, plus
// global phases, and the exact rewrites OpenQASM's modifiers need on it: one more control
// (`ctrl @`), the inverse (`inv @`), and the unitary of a list (to recognise a user definition
// that is exactly a built-in gate). Every rewrite is exact: relative phases matter once a gate is
// controlled.

import { GATES, multiRZMatrix, type GateName } from '../gates.js';
import type { Expr } from '../expr.js';
import { dagger, embed, identity, matmul, type ComplexMatrix } from '../matrix.js';
import { u3Angles } from './export.js';
import { evalNum, half, neg, num } from './expressions.js';

export type Prim =
  | { kind: 'op'; gate: GateName; wires: number[]; params: Expr[]; matrix?: ComplexMatrix }
  | { kind: 'phase'; phase: Expr };

export const op = (gate: GateName, wires: number[], params: Expr[] = [], matrix?: ComplexMatrix): Prim => ({ kind: 'op', gate, wires, params, ...(matrix ? { matrix } : {}) });
export const phase = (e: Expr): Prim => ({ kind: 'phase', phase: e });
export const angle = (v: number): Expr => num(v);

/** Thrown by the rewrites below; the caller adds the source position. */
export class Unsupported extends Error {}

/** The primitive with one more control wire `ctl`, exactly (relative phases included). */
export function controlPrim(ctl: number, p: Prim): Prim[] {
  // ctrl @ gphase(γ) is the phase gate on the control: that is how stdgates.inc defines p.
  if (p.kind === 'phase') return [op('PhaseShift', [ctl], [p.phase])];
  const w = p.wires;
  const t = w[w.length - 1];
  // The table says which gate is this one with one more control in front (X → CNOT → Toffoli, RX → CRX, …).
  const to = p.gate in GATES ? GATES[p.gate].controlled : undefined;
  if (to) return [op(to as GateName, [ctl, ...w], p.params)];
  // exp(-iθ/2 Z…Z) controlled: fold the parity into the last wire, controlled RZ, unfold.
  const controlledZZ = (wires: number[], theta: Expr): Prim[] => {
    const ladder = wires.slice(0, -1).map((a, i) => op('CNOT', [a, wires[i + 1]]));
    return [...ladder, op('CRZ', [ctl, wires[wires.length - 1]], [theta]), ...[...ladder].reverse()];
  };
  switch (p.gate) {
    case 'Identity':
      return [];
    case 'Hadamard':
      // H = U3(π/2, 0, π) exactly.
      return [op('CU3', [ctl, w[0]], [angle(Math.PI / 2), angle(0), angle(Math.PI)])];
    case 'S':
      return [op('ControlledPhaseShift', [ctl, w[0]], [angle(Math.PI / 2)])];
    case 'T':
      return [op('ControlledPhaseShift', [ctl, w[0]], [angle(Math.PI / 4)])];
    case 'SX':
      // SX = e^{iπ/4} RX(π/2).
      return [op('PhaseShift', [ctl], [angle(Math.PI / 4)]), op('CRX', [ctl, w[0]], [angle(Math.PI / 2)])];
    case 'QubitUnitary':
      if (p.matrix && p.matrix.dim === 2) {
        // M = e^{iα} U3(θ, φ, λ): the e^{iα} becomes a phase gate on the control.
        const { theta, phi, lambda, alpha } = u3Angles(p.matrix);
        return [op('PhaseShift', [ctl], [angle(alpha)]), op('CU3', [ctl, w[0]], [angle(theta), angle(phi), angle(lambda)])];
      }
      break;
    case 'CZ':
      return [op('Hadamard', [t]), op('Toffoli', [ctl, w[0], t]), op('Hadamard', [t])];
    case 'CY':
      // Y = S·X·S†.
      return [op('PhaseShift', [t], [angle(-Math.PI / 2)]), op('Toffoli', [ctl, w[0], t]), op('PhaseShift', [t], [angle(Math.PI / 2)])];
    case 'SWAP':
      return [op('CNOT', [w[1], w[0]]), op('Toffoli', [ctl, w[0], w[1]]), op('CNOT', [w[1], w[0]])];
    case 'ControlledPhaseShift':
    case 'CRX':
    case 'CRY':
    case 'CRZ': {
      // Angles about one axis add: θ/2·a − θ/2·(a⊕c) + θ/2·c = θ·a·c.
      const [a] = w;
      const h = half(p.params[0]);
      return [op(p.gate, [a, t], [h]), op('CNOT', [ctl, a]), op(p.gate, [a, t], [neg(h)]), op('CNOT', [ctl, a]), op(p.gate, [ctl, t], [h])];
    }
    case 'IsingZZ':
    case 'MultiRZ':
      return controlledZZ(w, p.params[0]);
    case 'IsingXX':
      // H maps Z to X on both wires.
      return [op('Hadamard', [w[0]]), op('Hadamard', [w[1]]), ...controlledZZ(w, p.params[0]), op('Hadamard', [w[0]]), op('Hadamard', [w[1]])];
    case 'IsingYY': {
      const rx = (a: number, v: number): Prim => op('RX', [a], [angle(v)]);
      return [rx(w[0], Math.PI / 2), rx(w[1], Math.PI / 2), ...controlledZZ(w, p.params[0]), rx(w[0], -Math.PI / 2), rx(w[1], -Math.PI / 2)];
    }
  }
  throw new Unsupported(`a further control on ${p.gate} is not supported (the circuit model has no gate for it)`);
}

/** The inverse of one primitive, as the gate table declares it (`inverse`). */
export function invertPrim(p: Prim): Prim[] {
  if (p.kind === 'phase') return [phase(neg(p.phase))];
  if (p.gate === 'QubitUnitary') return [op('QubitUnitary', p.wires, [], dagger(p.matrix!))];
  const def = GATES[p.gate];
  // MultiRZ, exp(−iθ/2 Z…Z), is the one gate outside the table: its inverse negates θ.
  if (def === undefined) return [op(p.gate, p.wires, p.params.map(neg))];
  const rule = def.inverse;
  const args = rule.args.map((a) => ('constant' in a ? angle(a.constant) : a.negate ? neg(p.params[a.param]) : p.params[a.param]));
  const inv = op((rule.gate ?? p.gate) as GateName, p.wires, args);
  return rule.phase === undefined ? [inv] : [inv, phase(angle(rule.phase))];
}

export const invert = (ps: Prim[]): Prim[] => [...ps].reverse().flatMap(invertPrim);

/** The unitary of primitives on `numWires` wires (parameters must be constants). */
export function primsUnitary(ps: Prim[], numWires: number): ComplexMatrix {
  let u = identity(1 << numWires);
  for (const p of ps) {
    let g: ComplexMatrix;
    if (p.kind === 'phase') {
      const a = evalNum(p.phase);
      g = identity(1 << numWires);
      for (let i = 0; i < g.dim; i++) {
        g.re[i * g.dim + i] = Math.cos(a);
        g.im[i * g.dim + i] = Math.sin(a);
      }
    } else {
      const vals = p.params.map(evalNum);
      const m = p.gate === 'QubitUnitary' ? p.matrix! : p.gate === 'MultiRZ' ? multiRZMatrix(vals[0], p.wires.length) : GATES[p.gate].matrix(vals);
      g = embed(m, p.wires, numWires);
    }
    u = matmul(g, u);
  }
  return u;
}

/** Largest |a − e^{iχ} b| over the phase χ that aligns the largest entry (0 when `exact` and χ = 0). */
export function unitaryDistance(a: ComplexMatrix, b: ComplexMatrix, exact: boolean): number {
  let k = 0;
  for (let i = 0; i < a.re.length; i++) if (Math.hypot(b.re[i], b.im[i]) > Math.hypot(b.re[k], b.im[k])) k = i;
  let pr = 1;
  let pi = 0;
  if (!exact) {
    // χ = arg(a_k / b_k)
    const chi = Math.atan2(a.im[k], a.re[k]) - Math.atan2(b.im[k], b.re[k]);
    pr = Math.cos(chi);
    pi = Math.sin(chi);
  }
  let m = 0;
  for (let i = 0; i < a.re.length; i++) {
    const re = b.re[i] * pr - b.im[i] * pi;
    const im = b.re[i] * pi + b.im[i] * pr;
    m = Math.max(m, Math.hypot(a.re[i] - re, a.im[i] - im));
  }
  return m;
}
