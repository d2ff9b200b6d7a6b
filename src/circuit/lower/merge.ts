// Optimization passes over a lowered circuit. Each works wire by wire on "runs": the one-qubit
// operations between two multi-qubit gates on that wire. A run never extends across a multi-qubit
// gate that touches its wire (that gate does not commute with it); gates on other wires do not
// interrupt it, since they commute.
//   mergeRuns     multiplies each run's numeric gates into one `u`, folds diagonal ones into a
//                 neighbouring input-dependent rz, and drops what is the identity up to phase
//   mergeRz       sums adjacent rz on a wire, drops rz(θ) with θ ≡ 0 (mod 2π), writes θ in (−π, π]
//   cancelPairs   removes two equal self-inverse two-qubit gates (cx, cz) with nothing between them

import { matmul, type ComplexMatrix } from '../matrix.js';
import { addAngles, constantValue, isConstant, num, type Angle } from './angle.js';
import { lowMatrix, rz, TWO_QUBIT_GATES, u, type LoweredCircuit, type LowOp } from './ops.js';

/** Matrix entries below this count as zero; angles within it of 0 (mod 2π) as no rotation. */
export const IDENTITY_TOLERANCE = 1e-12;

const I2: ComplexMatrix = { dim: 2, re: Float64Array.of(1, 0, 0, 1), im: new Float64Array(4) };

function isDiagonal(m: ComplexMatrix, tol: number): boolean {
  return Math.hypot(m.re[1], m.im[1]) < tol && Math.hypot(m.re[2], m.im[2]) < tol;
}

/** β with m ≅ RZ(β), for a diagonal m: the relative phase of |1⟩ against |0⟩. */
function diagonalAngle(m: ComplexMatrix): number {
  return Math.atan2(m.im[3], m.re[3]) - Math.atan2(m.im[0], m.re[0]);
}

/** θ reduced to (−π, π]. */
export function wrapAngle(theta: number): number {
  const t = theta - 2 * Math.PI * Math.round(theta / (2 * Math.PI));
  return t <= -Math.PI ? t + 2 * Math.PI : t;
}

export function isZeroRotation(theta: number, tol = IDENTITY_TOLERANCE): boolean {
  return Math.abs(wrapAngle(theta)) < tol;
}

/** Whether m is the identity up to a global phase. */
export function isIdentityUpToPhase(m: ComplexMatrix, tol = IDENTITY_TOLERANCE): boolean {
  return isDiagonal(m, tol) && isZeroRotation(diagonalAngle(m), tol);
}

const isOneQubit = (op: LowOp): boolean => op.wires.length === 1;
const isSymbolic = (op: LowOp): boolean => !op.angles.every(isConstant);

/** One wire's run (time order) in the fewest ops: alternating `u` and input-dependent `rz`. */
function simplifyRun(wire: number, run: readonly LowOp[], tol: number): LowOp[] {
  const out: LowOp[] = [];
  let m = I2;
  // An input-dependent rz as the last op out, so that diagonal numbers can join it.
  const lastSymbolic = (): LowOp | undefined => {
    const last = out[out.length - 1];
    return last && last.gate === 'rz' && isSymbolic(last) ? last : undefined;
  };
  const foldInto = (angle: Angle): void => {
    const last = lastSymbolic();
    if (last) out[out.length - 1] = rz(wire, addAngles(last.angles[0], angle));
    else out.push(rz(wire, angle));
  };
  for (const op of run) {
    if (!(op.gate === 'rz' && isSymbolic(op))) {
      m = matmul(lowMatrix(op), m);
      continue;
    }
    const angle = op.angles[0];
    if (isDiagonal(m, tol)) {
      const beta = diagonalAngle(m);
      foldInto(isZeroRotation(beta, tol) ? angle : addAngles(angle, num(beta)));
    } else {
      out.push(u(wire, m));
      out.push(rz(wire, angle));
    }
    m = I2;
  }
  if (!isIdentityUpToPhase(m, tol)) {
    if (isDiagonal(m, tol) && lastSymbolic()) foldInto(num(diagonalAngle(m)));
    else out.push(u(wire, m));
  }
  return out;
}

/** Runs each wire's one-qubit runs through `simplify`, keeping every multi-qubit gate in place. */
function byRuns(c: LoweredCircuit, simplify: (wire: number, run: readonly LowOp[]) => LowOp[]): LoweredCircuit {
  const pending: LowOp[][] = Array.from({ length: c.numWires }, () => []);
  const out: LowOp[] = [];
  const flush = (wire: number): void => {
    if (pending[wire].length) out.push(...simplify(wire, pending[wire]));
    pending[wire] = [];
  };
  for (const op of c.ops) {
    if (isOneQubit(op)) pending[op.wires[0]].push(op);
    else {
      for (const w of op.wires) flush(w);
      out.push(op);
    }
  }
  for (let w = 0; w < c.numWires; w++) flush(w);
  return { numWires: c.numWires, ops: out };
}

export function mergeRuns(c: LoweredCircuit, tol = IDENTITY_TOLERANCE): LoweredCircuit {
  return byRuns(c, (wire, run) => simplifyRun(wire, run, tol));
}

/** Adjacent rz on a wire summed (runs of other gates left as they are); zero rotations dropped. */
export function mergeRz(c: LoweredCircuit, tol = IDENTITY_TOLERANCE): LoweredCircuit {
  return byRuns(c, (wire, run) => {
    const out: LowOp[] = [];
    for (const op of run) {
      const last = out[out.length - 1];
      if (op.gate === 'rz' && last?.gate === 'rz') out[out.length - 1] = rz(wire, addAngles(last.angles[0], op.angles[0]));
      else out.push(op);
    }
    // rz(θ + 2π) = −rz(θ): the same gate up to phase, so numeric angles are written in (−π, π].
    return out.flatMap((op) => {
      const v = op.gate === 'rz' ? constantValue(op.angles[0]) : undefined;
      if (v === undefined) return [op];
      return isZeroRotation(v, tol) ? [] : [rz(wire, num(wrapAngle(v)))];
    });
  });
}

const SELF_INVERSE = new Set(['cx', 'cz']);

function sameGate(a: LowOp, b: LowOp): boolean {
  if (a.gate !== b.gate) return false;
  if (a.wires[0] === b.wires[0] && a.wires[1] === b.wires[1]) return true;
  // CZ is symmetric in its wires.
  return a.gate === 'cz' && a.wires[0] === b.wires[1] && a.wires[1] === b.wires[0];
}

export function cancelPairs(c: LoweredCircuit): LoweredCircuit {
  const out: Array<LowOp | null> = [];
  const last: number[][] = Array.from({ length: c.numWires }, () => []);
  for (const op of c.ops) {
    if (SELF_INVERSE.has(op.gate) && TWO_QUBIT_GATES.has(op.gate)) {
      const [a, b] = op.wires;
      const i = last[a][last[a].length - 1];
      if (i !== undefined && i === last[b][last[b].length - 1] && sameGate(out[i]!, op)) {
        out[i] = null;
        last[a].pop();
        last[b].pop();
        continue;
      }
    }
    out.push(op);
    for (const w of op.wires) last[w].push(out.length - 1);
  }
  return { numWires: c.numWires, ops: out.filter((op): op is LowOp => op !== null) };
}
