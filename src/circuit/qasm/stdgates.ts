// The standard-gate libraries, built in: stdgates.inc (OpenQASM 3), qelib1.inc (OpenQASM 2) and the
// common Qiskit extras (rxx, ryy, rzz, csx, rccx). Every name a table gate declares (GATES[…].qasmNames,
// circuit/gates.ts) maps to exactly that gate, its arguments in the declared order; the few names
// that are not one table gate (sdg, u2, ch, cswap, …) are written here as exact rewrites into table
// gates and global phases.
//
// Phase conventions: OpenQASM 3 follows stdgates.inc literally (`U` = PennyLane's U3,
// `u3`/`u2` = e^{-i(φ+λ)/2}·U, `u1` = `p`). OpenQASM 2 defines gates only up to a global phase
// (qelib1.inc even has rz = u1), so the importer reports no global phase for OpenQASM 2 programs.

import type { Expr } from '../expr.js';
import { GATES, type GateDef, type GateName } from '../gates.js';
import { add, half, neg } from './expressions.js';
import { angle, controlPrim, invertPrim, op, phase, type Prim } from './prims.js';

export interface Builtin {
  params: number;
  qubits: number;
  lower(a: Expr[], w: number[], version: number): Prim[];
}

/** e^{−i(φ+λ)/2}: the phase stdgates.inc's u2/u3 add to U. */
const u3Phase = (phi: Expr, lam: Expr): Prim => phase(neg(half(add(phi, lam))));

/** Each QASM name a table gate declares, lowering to that gate with its arguments reordered as declared. */
function fromTable(): Record<string, Builtin> {
  const out: Record<string, Builtin> = {};
  for (const def of Object.values(GATES) as GateDef[]) {
    const q = def.qasmNames;
    if (!q) continue;
    const order = q.args;
    const lower = (a: Expr[], w: number[]): Prim[] => [op(def.name as GateName, w, order ? def.paramNames.map((_, k) => a[order.indexOf(k)]) : a)];
    for (const name of [...q.v3, ...(q.v2 ?? [])]) out[name] = { params: def.numParams, qubits: def.numWires, lower };
  }
  return out;
}

/** Standard names that are not exactly one table gate: exact rewrites. */
const COMPOSITES: Record<string, Builtin> = {
  sdg: { params: 0, qubits: 1, lower: (_a, w) => [op('PhaseShift', w, [angle(-Math.PI / 2)])] },
  tdg: { params: 0, qubits: 1, lower: (_a, w) => [op('PhaseShift', w, [angle(-Math.PI / 4)])] },
  sxdg: { params: 0, qubits: 1, lower: (_a, w) => invertPrim(op('SX', w)) },
  // OpenQASM 3's U is PennyLane's U3 (the table says so); OpenQASM 2's U is e^{−i(φ+λ)/2} times it.
  U: { params: 3, qubits: 1, lower: (a, w, v) => (v >= 3 ? [op('U3', w, a)] : [op('U3', w, a), u3Phase(a[1], a[2])]) },
  u3: { params: 3, qubits: 1, lower: (a, w) => [op('U3', w, a), u3Phase(a[1], a[2])] },
  u2: { params: 2, qubits: 1, lower: (a, w) => [op('U3', w, [angle(Math.PI / 2), a[0], a[1]]), u3Phase(a[0], a[1])] },
  ch: { params: 0, qubits: 2, lower: (_a, w) => controlPrim(w[0], op('Hadamard', [w[1]])) },
  csx: { params: 0, qubits: 2, lower: (_a, w) => controlPrim(w[0], op('SX', [w[1]])) },
  // cu(θ,φ,λ,γ) = |0⟩⟨0|⊗I + e^{iγ}|1⟩⟨1|⊗U(θ,φ,λ): the e^{iγ} is a phase gate on the control.
  cu: {
    params: 4,
    qubits: 2,
    lower: (a, w) => [...(a[3].op === 'num' && a[3].value === 0 ? [] : [op('PhaseShift', [w[0]], [a[3]])]), op('CU3', w, a.slice(0, 3))],
  },
  cswap: { params: 0, qubits: 3, lower: (_a, w) => controlPrim(w[0], op('SWAP', [w[1], w[2]])) },
  // Qiskit's relative-phase Toffoli (RCCXGate): H·T-ladder·H on the target.
  rccx: {
    params: 0,
    qubits: 3,
    lower: (_a, [a, b, t]) => {
      const pt = (v: number): Prim => op('PhaseShift', [t], [angle(v)]);
      const q = Math.PI / 4;
      return [op('Hadamard', [t]), pt(q), op('CNOT', [b, t]), pt(-q), op('CNOT', [a, t]), pt(q), op('CNOT', [b, t]), pt(-q), op('Hadamard', [t])];
    },
  },
};

/** Every built-in gate name (the composites override a table name only for `U`, whose meaning depends on the version). */
export const BUILTINS: Readonly<Record<string, Builtin>> = Object.freeze({ ...fromTable(), ...COMPOSITES });
