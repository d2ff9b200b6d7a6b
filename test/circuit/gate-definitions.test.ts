// Every gate checked against its textbook matrix, written out here independently of
// src/circuit/gates.ts (nothing below reads a matrix from the table): each gate is simulated by the
// engine on every basis state (one batch: the basis states amplitude-embedded) and the output
// amplitudes are compared with the columns of the textbook matrix. Parameterized gates are checked
// at several angles against their closed forms (RX(θ) = exp(−iθX/2) = cos(θ/2)·I − i·sin(θ/2)·X, …).
//
// The same for the OpenQASM standard libraries: each gate name of stdgates.inc / qelib1.inc (and
// the Qiskit extras we accept) imported in a one-gate program must give its standard matrix.
// OpenQASM 3 defines every gate exactly (stdgates.inc spells out gphase), so there we compare
// e^{iγ}·U with γ the importer's globalPhase, exactly. OpenQASM 2 (qelib1.inc) defines gates only up
// to a global phase, so OpenQASM 2 programs are compared up to one global phase.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Circuit } from '../../src/circuit/circuit.js';
import { GATES } from '../../src/circuit/gates.js';
import { evalParam, w } from '../../src/circuit/params.js';
import { state } from '../../src/circuit/measurements.js';
import { parseQasm } from '../../src/circuit/qasm/import.js';
import { QNode } from '../../src/engine/qnode.js';

// ---------------------------------------------------------------------------------------------
// Textbook matrices, as rows of [re, im] (or real numbers).

type C = [number, number];
type M = C[][];
const { cos, sin, PI } = Math;
const R = (v: number): C => [v, 0];
const I_ = (v: number): C => [0, v];
const e = (a: number): C => [cos(a), sin(a)];
const mul = (a: C, b: C): C => [a[0] * b[0] - a[1] * b[1], a[0] * b[1] + a[1] * b[0]];
const scale = (a: C, k: number): C => [a[0] * k, a[1] * k];
const real = (rows: number[][]): M => rows.map((r) => r.map(R));
const h = Math.SQRT1_2;

/** [[I, 0], [0, U]]: control on the first (most significant) wire. */
function ctrl(u: M): M {
  const d = u.length;
  const out: M = Array.from({ length: 2 * d }, (_, i) => Array.from({ length: 2 * d }, (_, j): C => (i === j && i < d ? [1, 0] : [0, 0])));
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) out[d + i][d + j] = u[i][j];
  return out;
}
function diag(...v: C[]): M {
  return v.map((x, i) => v.map((_, j): C => (i === j ? x : [0, 0])));
}
const phased = (m: M, a: number): M => m.map((r) => r.map((x) => mul(e(a), x)));

const ID = real([[1, 0], [0, 1]]);
const X = real([[0, 1], [1, 0]]);
const Y: M = [[R(0), I_(-1)], [I_(1), R(0)]];
const Z = real([[1, 0], [0, -1]]);
const H = real([[h, h], [h, -h]]);
const S = diag(R(1), I_(1));
const T = diag(R(1), e(PI / 4));
const SX: M = [[[0.5, 0.5], [0.5, -0.5]], [[0.5, -0.5], [0.5, 0.5]]];
const rx = (t: number): M => [[R(cos(t / 2)), I_(-sin(t / 2))], [I_(-sin(t / 2)), R(cos(t / 2))]];
const ry = (t: number): M => real([[cos(t / 2), -sin(t / 2)], [sin(t / 2), cos(t / 2)]]);
const rz = (t: number): M => diag(e(-t / 2), e(t / 2));
const p = (f: number): M => diag(R(1), e(f));
/** Rot(φ, θ, ω) = RZ(ω)·RY(θ)·RZ(φ), multiplied out. */
const rot = (f: number, t: number, o: number): M => [
  [scale(e(-(f + o) / 2), cos(t / 2)), scale(e((f - o) / 2), -sin(t / 2))],
  [scale(e(-(f - o) / 2), sin(t / 2)), scale(e((f + o) / 2), cos(t / 2))],
];
/** U3(θ, φ, λ) = [[cos θ/2, −e^{iλ} sin θ/2], [e^{iφ} sin θ/2, e^{i(φ+λ)} cos θ/2]] (= OpenQASM 3's U). */
const u3 = (t: number, f: number, l: number): M => [
  [R(cos(t / 2)), scale(e(l), -sin(t / 2))],
  [scale(e(f), sin(t / 2)), scale(e(f + l), cos(t / 2))],
];
const CNOT = real([[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 0, 1], [0, 0, 1, 0]]);
const SWAP = real([[1, 0, 0, 0], [0, 0, 1, 0], [0, 1, 0, 0], [0, 0, 0, 1]]);
/** exp(−iφ/2 X⊗X) = cos(φ/2) I − i sin(φ/2) X⊗X. */
const xx = (f: number): M => {
  const [c, s] = [R(cos(f / 2)), I_(-sin(f / 2))];
  const o = R(0);
  return [[c, o, o, s], [o, c, s, o], [o, s, c, o], [s, o, o, c]];
};
/** exp(−iφ/2 Y⊗Y); Y⊗Y = [[0,0,0,−1],[0,0,1,0],[0,1,0,0],[−1,0,0,0]]. */
const yy = (f: number): M => {
  const [c, s] = [R(cos(f / 2)), I_(-sin(f / 2))];
  const o = R(0);
  const ms: C = [-s[0], -s[1]];
  return [[c, o, o, ms], [o, c, s, o], [o, s, c, o], [ms, o, o, c]];
};
const zz = (f: number): M => diag(e(-f / 2), e(f / 2), e(f / 2), e(-f / 2));
const TOFFOLI = ctrl(ctrl(X));
const FREDKIN = ctrl(SWAP);

/** Textbook definition of every gate of the table (PennyLane's conventions), by name. */
const TEXTBOOK: Record<string, (a: number[]) => M> = {
  Identity: () => ID,
  PauliX: () => X,
  PauliY: () => Y,
  PauliZ: () => Z,
  Hadamard: () => H,
  S: () => S,
  T: () => T,
  SX: () => SX,
  RX: ([t]) => rx(t),
  RY: ([t]) => ry(t),
  RZ: ([t]) => rz(t),
  PhaseShift: ([f]) => p(f),
  Rot: ([f, t, o]) => rot(f, t, o),
  U3: ([t, f, l]) => u3(t, f, l),
  CNOT: () => CNOT,
  CZ: () => diag(R(1), R(1), R(1), R(-1)),
  CY: () => [[R(1), R(0), R(0), R(0)], [R(0), R(1), R(0), R(0)], [R(0), R(0), R(0), I_(-1)], [R(0), R(0), I_(1), R(0)]],
  SWAP: () => SWAP,
  CRX: ([t]) => ctrl(rx(t)),
  CRY: ([t]) => ctrl(ry(t)),
  CRZ: ([t]) => ctrl(rz(t)),
  CRot: ([f, t, o]) => ctrl(rot(f, t, o)),
  ControlledPhaseShift: ([f]) => diag(R(1), R(1), R(1), e(f)),
  CU3: ([t, f, l]) => ctrl(u3(t, f, l)),
  IsingXX: ([f]) => xx(f),
  IsingYY: ([f]) => yy(f),
  IsingZZ: ([f]) => zz(f),
  Toffoli: () => TOFFOLI,
};

const ANGLES = [
  [0.37, -1.21, 2.93],
  [-2.6, 0.05, -0.8],
  [PI / 2, PI, -PI / 3],
];

// ---------------------------------------------------------------------------------------------
// The engine's unitary of a circuit: all basis states in one batch, amplitude-embedded.

function simulatedUnitary(c: Circuit, weights: number[] = []): M {
  const n = c.numWires;
  const d = 1 << n;
  const wrap = new Circuit(n);
  wrap.setAmplitudeInit({ firstInput: 0, length: d, normalize: false, pad: 0 });
  wrap.compose(c);
  const inputs = new Float64Array(d * d);
  for (let b = 0; b < d; b++) inputs[b * d + b] = 1; // sample b is |b⟩
  const out = new QNode(wrap, state()).forward(inputs, weights, d);
  // Column b of U is the output state of sample b.
  return Array.from({ length: d }, (_, i) => Array.from({ length: d }, (_, b): C => [out[b * 2 * d + i], out[b * 2 * d + d + i]]));
}

/** Largest |a − e^{iχ}b| (χ = 0 unless `upToPhase`, then χ aligns the largest entry of b). */
function distance(a: M, b: M, upToPhase = false): number {
  if (a.length !== b.length) return Infinity;
  let chi: C = [1, 0];
  if (upToPhase) {
    let best: [number, number] = [0, 0];
    b.forEach((r, i) => r.forEach((x, j) => (Math.hypot(...x) > Math.hypot(...b[best[0]][best[1]]) ? (best = [i, j]) : 0)));
    const [i, j] = best;
    chi = e(Math.atan2(a[i][j][1], a[i][j][0]) - Math.atan2(b[i][j][1], b[i][j][0]));
  }
  let m = 0;
  for (let i = 0; i < a.length; i++)
    for (let j = 0; j < a.length; j++) {
      const y = mul(chi, b[i][j]);
      m = Math.max(m, Math.hypot(a[i][j][0] - y[0], a[i][j][1] - y[1]));
    }
  return m;
}

const TOL = 1e-12;

test('every gate of the table has a textbook matrix in this test (a new gate needs one)', () => {
  assert.deepEqual(Object.keys(GATES).filter((g) => !(g in TEXTBOOK)), []);
});

for (const name of Object.keys(TEXTBOOK)) {
  test(`${name} simulates as its textbook matrix on every basis state`, () => {
    const def = GATES[name];
    const angleSets = def.numParams === 0 ? [[]] : ANGLES.map((a) => a.slice(0, def.numParams));
    for (const angles of angleSets) {
      const c = new Circuit(def.numWires).add(name, Array.from({ length: def.numWires }, (_, k) => k), angles.map((_, k) => w(k)));
      const got = simulatedUnitary(c, angles);
      const d = distance(got, TEXTBOOK[name](angles));
      assert.ok(d < TOL, `${name}(${angles.join(', ')}) is off its textbook matrix by ${d}`);
    }
  });
}

test('MultiRZ(θ) on 3 wires is exp(−iθ/2 Z⊗Z⊗Z): e^{∓iθ/2} by parity', () => {
  for (const t of [0.7, -2.3]) {
    const want = diag(...Array.from({ length: 8 }, (_, i) => e(((i ^ (i >> 1) ^ (i >> 2)) & 1 ? t : -t) / 2)));
    const d = distance(simulatedUnitary(new Circuit(3).multiRZ([0, 1, 2], w(0)), [t]), want);
    assert.ok(d < TOL, `MultiRZ(${t}) off by ${d}`);
  }
});

test('the comparison would catch a Hadamard with swapped rows and a negated PauliY', () => {
  const swapped: M = [H[1], H[0]];
  assert.ok(distance(simulatedUnitary(new Circuit(1).h(0)), swapped) > 0.5, 'H with swapped rows must not match');
  const negY = Y.map((r) => r.map(([a, b]): C => [-a, -b]));
  assert.ok(distance(simulatedUnitary(new Circuit(1).y(0)), negY) > 0.5, 'a negated PauliY must not match');
  // …and the gate's wire order: CNOT with control and target exchanged is a different matrix.
  assert.ok(distance(simulatedUnitary(new Circuit(2).cnot(1, 0)), CNOT) > 0.5, 'CNOT(1, 0) must not match CNOT(0, 1)');
});

// ---------------------------------------------------------------------------------------------
// The OpenQASM standard libraries.

const [A, B_, G, D] = [0.37, -1.21, 2.93, 0.61];

/** name → [number of qubits, arguments, textbook matrix]. */
const STDGATES: Record<string, [number, number[], M]> = {
  id: [1, [], ID],
  x: [1, [], X],
  y: [1, [], Y],
  z: [1, [], Z],
  h: [1, [], H],
  s: [1, [], S],
  sdg: [1, [], diag(R(1), I_(-1))],
  t: [1, [], T],
  tdg: [1, [], diag(R(1), e(-PI / 4))],
  sx: [1, [], SX],
  sxdg: [1, [], [[[0.5, -0.5], [0.5, 0.5]], [[0.5, 0.5], [0.5, -0.5]]]],
  rx: [1, [A], rx(A)],
  ry: [1, [A], ry(A)],
  // stdgates.inc: rz(λ) = gphase(−λ/2) U(0, 0, λ) = diag(e^{−iλ/2}, e^{iλ/2}).
  rz: [1, [A], rz(A)],
  p: [1, [A], p(A)],
  phase: [1, [A], p(A)],
  u1: [1, [A], p(A)],
  U: [1, [A, B_, G], u3(A, B_, G)],
  // stdgates.inc: u3(θ, φ, λ) = gphase(−(φ+λ)/2) U(θ, φ, λ); u2(φ, λ) = u3(π/2, φ, λ).
  u3: [1, [A, B_, G], phased(u3(A, B_, G), -(B_ + G) / 2)],
  u2: [1, [B_, G], phased(u3(PI / 2, B_, G), -(B_ + G) / 2)],
  cx: [2, [], CNOT],
  CX: [2, [], CNOT],
  cy: [2, [], ctrl(Y)],
  cz: [2, [], ctrl(Z)],
  ch: [2, [], ctrl(H)],
  swap: [2, [], SWAP],
  crx: [2, [A], ctrl(rx(A))],
  cry: [2, [A], ctrl(ry(A))],
  crz: [2, [A], ctrl(rz(A))],
  cp: [2, [A], ctrl(p(A))],
  cphase: [2, [A], ctrl(p(A))],
  cu1: [2, [A], ctrl(p(A))],
  // cu(θ, φ, λ, γ) = |0⟩⟨0| ⊗ I + e^{iγ} |1⟩⟨1| ⊗ U(θ, φ, λ).
  cu: [2, [A, B_, G, D], ctrl(phased(u3(A, B_, G), D))],
  ccx: [3, [], TOFFOLI],
  cswap: [3, [], FREDKIN],
};

/** Names beyond stdgates.inc that we accept (qelib1.inc / Qiskit), with Qiskit's matrices. */
const EXTRAS: Record<string, [number, number[], M]> = {
  // Qiskit's UGate and CU3Gate: U3 and controlled U3 with no extra phase.
  u: [1, [A, B_, G], u3(A, B_, G)],
  cu3: [2, [A, B_, G], ctrl(u3(A, B_, G))],
  csx: [2, [], ctrl(SX)],
  rxx: [2, [A], xx(A)],
  ryy: [2, [A], yy(A)],
  rzz: [2, [A], zz(A)],
  // Qiskit's RCCXGate (relative-phase Toffoli) in our wire order (wire 0 = first control = MSB):
  // the identity on |0xx⟩ and |10x⟩ except −1 on |101⟩; |110⟩ ↔ |111⟩ with −i / +i.
  rccx: [
    3,
    [],
    (() => {
      const m: M = Array.from({ length: 8 }, (_, i) => Array.from({ length: 8 }, (_, j): C => (i === j && i < 5 ? [1, 0] : [0, 0])));
      m[5][5] = [-1, 0];
      m[6][7] = [0, -1];
      m[7][6] = [0, 1];
      return m;
    })(),
  ],
};

function program(version: 2 | 3, name: string, qubits: number, args: number[]): string {
  const head = version === 3 ? 'OPENQASM 3.0;\ninclude "stdgates.inc";\nqubit[' + qubits + '] q;\n' : 'OPENQASM 2.0;\ninclude "qelib1.inc";\nqreg q[' + qubits + '];\n';
  const a = args.length ? `(${args.join(', ')})` : '';
  return `${head}${name}${a} ${Array.from({ length: qubits }, (_, k) => `q[${k}]`).join(', ')};\n`;
}

function imported(version: 2 | 3, name: string, qubits: number, args: number[]): M {
  const { circuit, globalPhase } = parseQasm(program(version, name, qubits, args));
  assert.equal(circuit.numWires, qubits);
  return phased(simulatedUnitary(circuit), evalParam(globalPhase, [], []));
}

for (const [name, [qubits, args, want]] of Object.entries({ ...STDGATES, ...EXTRAS })) {
  test(`OpenQASM 3 "${name}" imports as its standard matrix, global phase included`, () => {
    const d = distance(imported(3, name, qubits, args), want);
    assert.ok(d < TOL, `${name}: off by ${d}`);
  });
}

// qelib1.inc names; U there is e^{-i(φ+λ)/2} times OpenQASM 3's U, which only a global phase tells apart.
const QELIB1 = [
  'id', 'x', 'y', 'z', 'h', 's', 'sdg', 't', 'tdg', 'sx', 'sxdg', 'rx', 'ry', 'rz', 'p', 'u1', 'u2', 'u3', 'u', 'U', 'cx', 'CX', 'cy',
  'cz', 'ch', 'swap', 'crx', 'cry', 'crz', 'cp', 'cu1', 'cu3', 'csx', 'rxx', 'rzz', 'ccx', 'cswap',
];
test('OpenQASM 2 (qelib1.inc) names import as their standard matrices, up to a global phase', () => {
  for (const name of QELIB1) {
    const [qubits, args, want] = STDGATES[name] ?? EXTRAS[name];
    const { globalPhase } = parseQasm(program(2, name, qubits, args));
    assert.deepEqual(globalPhase, { kind: 'const', value: 0 }, `${name}: OpenQASM 2 reports no global phase`);
    const d = distance(imported(2, name, qubits, args), want, true);
    assert.ok(d < TOL, `${name}: off by ${d} (up to phase)`);
  }
});
