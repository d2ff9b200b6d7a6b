// The one table of gates. Each gate is described here and nowhere else: wires and parameters, its
// matrix (PennyLane's definitions) as a function of its parameters, how each parameter is
// differentiated (shift rule), its inverse, its control structure, its OpenQASM 3 / 2 names, and
// which fast kernel of the engine implements it. Everything else derives from this table: the
// engine's lowering (engine/program.ts), the OpenQASM importer's standard-gate library and the
// exporter (circuit/qasm/), the drawing, the builder's generic `gate()`. A gate without a `fast`
// lowering runs on the engine's generic matrix path (engine/generic-matrix.ts), forward and in the
// adjoint sweep, from its matrix function alone. Every fast kernel is tested against the matrix
// declared here (test/engine/gates.test.ts), and every matrix against an independently written
// textbook matrix (test/circuit/gate-definitions.test.ts). How to add a gate: docs/adding-a-gate.md.

import { cmat, matmul, type ComplexMatrix } from './matrix.js';

/**
 * Parameter-shift rule of one gate parameter.
 * - 'two': the expectation is a trigonometric polynomial of frequency 1/2 or 1 in the parameter
 *   (generator eigenvalue gaps {1} or {1/2} scaled), so df/dθ = [f(θ+π/2) − f(θ−π/2)] / 2.
 * - 'four': controlled rotations; the generator |1⟩⟨1|⊗σ/2 has eigenvalues {0, ±1/2}, giving
 *   frequencies {1/2, 1}: df/dθ = c₊[f(θ+π/2) − f(θ−π/2)] − c₋[f(θ+3π/2) − f(θ−3π/2)],
 *   c± = (√2 ± 1) / (4√2).
 * - 'none': no exact shift rule is declared; parameter-shift differentiates this parameter by
 *   central finite differences instead (engine/shift-rules.ts).
 */
export type ShiftRule = 'two' | 'four' | 'none';

/** Rotation axis of a fast rotation step: exp(−iασ/2) for X, Y, Z; diag(1, e^{iα}) for P. */
export type RotationAxis = 'X' | 'Y' | 'Z' | 'P';

/** Where an angle comes from: parameter k of the gate, or a constant. */
export type AngleSource = { readonly param: number } | { readonly constant: number };

/**
 * The engine kernel that implements a gate exactly (engine/program.ts turns it into primitives).
 * "Controlled" means: on the gate's leading `numControls` wires, acting on its last wire.
 */
export type FastLowering =
  /** Nothing to apply (the identity). */
  | { readonly kind: 'identity' }
  /** X on the last wire, controlled: a pure permutation of amplitudes (X, CNOT, Toffoli). */
  | { readonly kind: 'permutation-x' }
  /** Exchange of the two wires. */
  | { readonly kind: 'swap' }
  /** Rotations on the last wire, controlled, applied in this order (RX…, Z = P(π), Rot = RZ·RY·RZ, …). */
  | { readonly kind: 'rotations'; readonly steps: ReadonlyArray<{ readonly axis: RotationAxis; readonly angle: AngleSource }> }
  /** A constant 2×2 matrix on the last wire, controlled (H, Y, SX, CY). */
  | { readonly kind: 'matrix-2x2'; readonly target: () => ComplexMatrix }
  /** exp(−iα/2 P⊗P) on the two wires, P = X or Y, α = parameter 0 (IsingXX, IsingYY). */
  | { readonly kind: 'pair-rotation'; readonly pauli: 'X' | 'Y' }
  /** exp(−iα/2 Z⊗…⊗Z) over every wire, α = parameter 0: a diagonal phase by parity. */
  | { readonly kind: 'parity-phase' };

/** One argument of a rewritten gate: a parameter of the original (optionally negated) or a constant. */
export type ArgMap = { readonly param: number; readonly negate?: boolean } | { readonly constant: number };

/** U† = e^{i·phase} · gate(args) on the same wires (gate defaults to the same gate). */
export interface InverseRule {
  readonly gate?: string;
  readonly args: readonly ArgMap[];
  /** A global phase, in radians (SX† = e^{−iπ/4} RX(−π/2)). */
  readonly phase?: number;
}

/** How a gate is spelled in OpenQASM. Every name listed imports as exactly this gate. */
export interface QasmNames {
  /**
   * OpenQASM 3 names (stdgates.inc or built in) whose definition is exactly this matrix, global
   * phase included; the first is the one the exporter writes.
   */
  readonly v3: readonly string[];
  /** OpenQASM 2 names (qelib1.inc and Qiskit's extras); OpenQASM 2 defines gates up to a global phase. */
  readonly v2?: readonly string[];
  /** QASM argument i is gate parameter args[i] (the identity order when absent). */
  readonly args?: readonly number[];
  /** For a name stdgates.inc lacks: the `gate` definition an exported program carries (Qiskit's rxx…). */
  readonly definition?: string;
}

export interface GateDef {
  readonly name: string;
  readonly numWires: number;
  readonly numParams: number;
  /** How many of the leading wires are controls (the gate acts on the rest when they are all |1⟩). */
  readonly numControls: number;
  readonly shiftRules: readonly ShiftRule[];
  /** Parameter names, for messages and drawings. */
  readonly paramNames: readonly string[];
  /** OpenQASM 3 stdgates.inc name, when one exists with exactly this matrix (= qasmNames.v3[0]). */
  readonly qasm?: string;
  readonly qasmNames?: QasmNames;
  /** Short label used by the text drawing. */
  readonly label: string;
  /** The engine's fast kernel; absent: the generic matrix path (engine/generic-matrix.ts). */
  readonly fast?: FastLowering;
  /** The inverse as a gate of this table (used by OpenQASM's `inv @`). */
  readonly inverse: InverseRule;
  /** The table gate equal to this one with one more control wire in front (X → CNOT → Toffoli). */
  readonly controlled?: string;
  matrix(params: readonly number[]): ComplexMatrix;
  /**
   * dU/dθ_k, when known in closed form. Absent: the generic adjoint path differentiates `matrix`
   * numerically (a fourth-order central difference, engine/generic-matrix.ts).
   */
  derivative?(params: readonly number[], k: number): ComplexMatrix;
}

const { cos, sin } = Math;
const eix = (a: number): [number, number] => [cos(a), sin(a)];
const SQ = Math.SQRT1_2;

function rx(t: number): ComplexMatrix {
  const c0 = cos(t / 2);
  const s0 = sin(t / 2);
  return cmat([
    [c0, [0, -s0]],
    [[0, -s0], c0],
  ]);
}
function ry(t: number): ComplexMatrix {
  const c0 = cos(t / 2);
  const s0 = sin(t / 2);
  return cmat([
    [c0, -s0],
    [s0, c0],
  ]);
}
function rz(t: number): ComplexMatrix {
  return cmat([
    [eix(-t / 2), 0],
    [0, eix(t / 2)],
  ]);
}
function phase(t: number): ComplexMatrix {
  return cmat([
    [1, 0],
    [0, eix(t)],
  ]);
}
function u3(theta: number, phi: number, lam: number): ComplexMatrix {
  const c0 = cos(theta / 2);
  const s0 = sin(theta / 2);
  const a = eix(lam);
  const b = eix(phi);
  const ab = eix(phi + lam);
  return cmat([
    [c0, [-a[0] * s0, -a[1] * s0]],
    [
      [b[0] * s0, b[1] * s0],
      [ab[0] * c0, ab[1] * c0],
    ],
  ]);
}
/** |0⟩⟨0| ⊗ I + |1⟩⟨1| ⊗ U, control = the first (most significant) wire. */
function controlled(u: ComplexMatrix): ComplexMatrix {
  const d = 2 * u.dim;
  const re = new Float64Array(d * d);
  const im = new Float64Array(d * d);
  for (let i = 0; i < u.dim; i++) re[i * d + i] = 1;
  for (let i = 0; i < u.dim; i++)
    for (let j = 0; j < u.dim; j++) {
      re[(u.dim + i) * d + u.dim + j] = u.re[i * u.dim + j];
      im[(u.dim + i) * d + u.dim + j] = u.im[i * u.dim + j];
    }
  return { dim: d, re, im };
}
function ising(t: number, kind: 'XX' | 'YY'): ComplexMatrix {
  const c0 = cos(t / 2);
  const s0 = sin(t / 2);
  // exp(-i t/2 P⊗P): cos on the diagonal, -i sin P⊗P off it. XX maps |00⟩↔|11⟩, |01⟩↔|10⟩ with +1;
  // YY has −1 on |00⟩↔|11⟩ and +1 on |01⟩↔|10⟩.
  const outer = kind === 'XX' ? -s0 : s0;
  return cmat([
    [c0, 0, 0, [0, outer]],
    [0, c0, [0, -s0], 0],
    [0, [0, -s0], c0, 0],
    [[0, outer], 0, 0, c0],
  ]);
}
/** exp(-i t/2 Z⊗…⊗Z) on k wires: diagonal with e^{∓it/2} by parity. */
function multiRZ(t: number, k: number): ComplexMatrix {
  const d = 1 << k;
  const rows: Array<Array<number | [number, number]>> = [];
  for (let i = 0; i < d; i++) {
    const row: Array<number | [number, number]> = new Array(d).fill(0);
    let parity = 0;
    for (let b = i; b; b >>= 1) parity ^= b & 1;
    row[i] = eix(parity ? t / 2 : -t / 2);
    rows.push(row);
  }
  return cmat(rows);
}

type MatrixFn = (p: readonly number[]) => ComplexMatrix;

interface DefOptions {
  controls?: number;
  rules?: ShiftRule[];
  qasm?: QasmNames;
  label?: string;
  fast?: FastLowering;
  /** 'self' (U† = U), 'negate' (U(θ)† = U(−θ), the default for gates with parameters) or a rule. */
  inverse?: 'self' | 'negate' | InverseRule;
  controlled?: string;
}

function def(name: string, numWires: number, paramNames: readonly string[], matrix: MatrixFn, opts: DefOptions = {}): GateDef {
  const inv = opts.inverse ?? (paramNames.length ? 'negate' : 'self');
  const inverse: InverseRule =
    inv === 'self' ? { args: [] } : inv === 'negate' ? { args: paramNames.map((_, k) => ({ param: k, negate: true })) } : inv;
  return {
    name,
    numWires,
    numParams: paramNames.length,
    numControls: opts.controls ?? 0,
    paramNames,
    shiftRules: opts.rules ?? paramNames.map(() => 'two' as const),
    qasm: opts.qasm && !opts.qasm.definition ? opts.qasm.v3[0] : undefined,
    qasmNames: opts.qasm,
    label: opts.label ?? name,
    fast: opts.fast,
    inverse,
    controlled: opts.controlled,
    matrix,
  };
}

const X = cmat([
  [0, 1],
  [1, 0],
]);
const Y = cmat([
  [0, [0, -1]],
  [[0, 1], 0],
]);
const Z = cmat([
  [1, 0],
  [0, -1],
]);
const H = cmat([
  [SQ, SQ],
  [SQ, -SQ],
]);
const SXm = cmat([
  [
    [0.5, 0.5],
    [0.5, -0.5],
  ],
  [
    [0.5, -0.5],
    [0.5, 0.5],
  ],
]);
const SWAPm = cmat([
  [1, 0, 0, 0],
  [0, 0, 1, 0],
  [0, 1, 0, 0],
  [0, 0, 0, 1],
]);

const FOUR: ShiftRule[] = ['four'];
const PI = Math.PI;

// Fast lowerings.
const rotations = (...steps: Array<[RotationAxis, AngleSource]>): FastLowering => ({
  kind: 'rotations',
  steps: steps.map(([axis, angle]) => ({ axis, angle })),
});
const p0: AngleSource = { param: 0 };
const p1: AngleSource = { param: 1 };
const p2: AngleSource = { param: 2 };
const constant = (v: number): AngleSource => ({ constant: v });
const mat2 = (m: ComplexMatrix): FastLowering => ({ kind: 'matrix-2x2', target: () => m });
const neg = (k: number): ArgMap => ({ param: k, negate: true });

export const GATES: Readonly<Record<string, GateDef>> = Object.freeze({
  Identity: def('Identity', 1, [], () => cmat([[1, 0], [0, 1]]), { qasm: { v3: ['id'] }, label: 'I', fast: { kind: 'identity' } }),
  PauliX: def('PauliX', 1, [], () => X, { qasm: { v3: ['x'] }, label: 'X', fast: { kind: 'permutation-x' }, controlled: 'CNOT' }),
  PauliY: def('PauliY', 1, [], () => Y, { qasm: { v3: ['y'] }, label: 'Y', fast: mat2(Y), controlled: 'CY' }),
  PauliZ: def('PauliZ', 1, [], () => Z, { qasm: { v3: ['z'] }, label: 'Z', fast: rotations(['P', constant(PI)]), controlled: 'CZ' }),
  Hadamard: def('Hadamard', 1, [], () => H, { qasm: { v3: ['h'] }, label: 'H', fast: mat2(H) }),
  S: def('S', 1, [], () => phase(PI / 2), {
    qasm: { v3: ['s'] },
    fast: rotations(['P', constant(PI / 2)]),
    inverse: { gate: 'PhaseShift', args: [{ constant: -PI / 2 }] },
  }),
  T: def('T', 1, [], () => phase(PI / 4), {
    qasm: { v3: ['t'] },
    fast: rotations(['P', constant(PI / 4)]),
    inverse: { gate: 'PhaseShift', args: [{ constant: -PI / 4 }] },
  }),
  // SX = e^{iπ/4} RX(π/2), so SX† = e^{−iπ/4} RX(−π/2).
  SX: def('SX', 1, [], () => SXm, { qasm: { v3: ['sx'] }, fast: mat2(SXm), inverse: { gate: 'RX', args: [{ constant: -PI / 2 }], phase: -PI / 4 } }),
  RX: def('RX', 1, ['theta'], (p) => rx(p[0]), { qasm: { v3: ['rx'] }, fast: rotations(['X', p0]), controlled: 'CRX' }),
  RY: def('RY', 1, ['theta'], (p) => ry(p[0]), { qasm: { v3: ['ry'] }, fast: rotations(['Y', p0]), controlled: 'CRY' }),
  RZ: def('RZ', 1, ['theta'], (p) => rz(p[0]), { qasm: { v3: ['rz'] }, fast: rotations(['Z', p0]), controlled: 'CRZ' }),
  // stdgates.inc's u1 is U(0, 0, λ) = p(λ) exactly; phase is its OpenQASM 3 alias.
  PhaseShift: def('PhaseShift', 1, ['phi'], (p) => phase(p[0]), {
    qasm: { v3: ['p', 'phase', 'u1'] },
    label: 'P',
    fast: rotations(['P', p0]),
    controlled: 'ControlledPhaseShift',
  }),
  // (RZ(ω)RY(θ)RZ(φ))† = RZ(−φ)RY(−θ)RZ(−ω) = Rot(−ω, −θ, −φ).
  Rot: def('Rot', 1, ['phi', 'theta', 'omega'], (p) => matmul(rz(p[2]), matmul(ry(p[1]), rz(p[0]))), {
    fast: rotations(['Z', p0], ['Y', p1], ['Z', p2]),
    inverse: { args: [neg(2), neg(1), neg(0)] },
    controlled: 'CRot',
  }),
  // OpenQASM 3's built-in U is exactly PennyLane's U3 (stdgates' u3 adds e^{−i(φ+λ)/2}); qelib1.inc's
  // u (Qiskit's UGate) is the same gate. U3(θ,φ,λ) = P(φ)·RY(θ)·P(λ) exactly; U3† = U3(−θ, −λ, −φ).
  U3: def('U3', 1, ['theta', 'phi', 'lambda'], (p) => u3(p[0], p[1], p[2]), {
    qasm: { v3: ['U'], v2: ['u'] },
    fast: rotations(['P', p2], ['Y', p0], ['P', p1]),
    inverse: { args: [neg(0), neg(2), neg(1)] },
    controlled: 'CU3',
  }),
  CNOT: def('CNOT', 2, [], () => controlled(X), {
    controls: 1,
    qasm: { v3: ['cx', 'CX'] },
    label: 'X',
    fast: { kind: 'permutation-x' },
    controlled: 'Toffoli',
  }),
  CZ: def('CZ', 2, [], () => controlled(Z), { controls: 1, qasm: { v3: ['cz'] }, label: 'Z', fast: rotations(['P', constant(PI)]) }),
  CY: def('CY', 2, [], () => controlled(Y), { controls: 1, qasm: { v3: ['cy'] }, label: 'Y', fast: mat2(Y) }),
  SWAP: def('SWAP', 2, [], () => SWAPm, { qasm: { v3: ['swap'] }, label: 'SWAP', fast: { kind: 'swap' } }),
  CRX: def('CRX', 2, ['theta'], (p) => controlled(rx(p[0])), { controls: 1, rules: FOUR, qasm: { v3: ['crx'] }, label: 'RX', fast: rotations(['X', p0]) }),
  CRY: def('CRY', 2, ['theta'], (p) => controlled(ry(p[0])), { controls: 1, rules: FOUR, qasm: { v3: ['cry'] }, label: 'RY', fast: rotations(['Y', p0]) }),
  CRZ: def('CRZ', 2, ['theta'], (p) => controlled(rz(p[0])), { controls: 1, rules: FOUR, qasm: { v3: ['crz'] }, label: 'RZ', fast: rotations(['Z', p0]) }),
  CRot: def('CRot', 2, ['phi', 'theta', 'omega'], (p) => controlled(matmul(rz(p[2]), matmul(ry(p[1]), rz(p[0])))), {
    controls: 1,
    rules: ['four', 'four', 'four'],
    label: 'Rot',
    fast: rotations(['Z', p0], ['Y', p1], ['Z', p2]),
    inverse: { args: [neg(2), neg(1), neg(0)] },
  }),
  // stdgates.inc's cu1 is ctrl @ u1 = cp exactly; cphase is its OpenQASM 3 alias.
  ControlledPhaseShift: def('ControlledPhaseShift', 2, ['phi'], (p) => controlled(phase(p[0])), {
    controls: 1,
    qasm: { v3: ['cp', 'cphase', 'cu1'] },
    label: 'P',
    fast: rotations(['P', p0]),
  }),
  // Controlled U3: the Quantum-Train ansatz's entangler. θ enters as a controlled RY (four-term
  // rule); φ and λ as controlled phases, whose generator |11⟩⟨11| has eigenvalues {0, 1} (two-term).
  // cu3 is Qiskit's CU3Gate, the controlled U3 without extra phase (Qiskit's qelib1.inc adds
  // u1((λ+φ)/2) on the control for this; the original qelib1.inc body controls e^{−i(φ+λ)/2}·U3).
  // A program that defines cu3 itself gets its own definition unless it matches this one.
  CU3: def('CU3', 2, ['theta', 'phi', 'lambda'], (p) => controlled(u3(p[0], p[1], p[2])), {
    controls: 1,
    rules: ['four', 'two', 'two'],
    label: 'U3',
    qasm: { v3: [], v2: ['cu3'] },
    fast: rotations(['P', p2], ['Y', p0], ['P', p1]),
    inverse: { args: [neg(0), neg(2), neg(1)] },
  }),
  // Not in stdgates.inc: the exporter writes Qiskit's names with these definitions.
  IsingXX: def('IsingXX', 2, ['phi'], (p) => ising(p[0], 'XX'), {
    label: 'XX',
    fast: { kind: 'pair-rotation', pauli: 'X' },
    // exp(-iθ/2 X⊗X): H maps Z to X, so conjugate the ZZ rotation by H on both qubits.
    qasm: { v3: ['rxx'], definition: 'gate rxx(theta) a, b { h a; h b; cx a, b; rz(theta) b; cx a, b; h a; h b; }' },
  }),
  IsingYY: def('IsingYY', 2, ['phi'], (p) => ising(p[0], 'YY'), {
    label: 'YY',
    fast: { kind: 'pair-rotation', pauli: 'Y' },
    // exp(-iθ/2 Y⊗Y): RX(π/2) Y RX(-π/2) = Z, so conjugate the ZZ rotation by RX(±π/2).
    qasm: { v3: ['ryy'], definition: 'gate ryy(theta) a, b { rx(pi / 2) a; rx(pi / 2) b; cx a, b; rz(theta) b; cx a, b; rx(-pi / 2) a; rx(-pi / 2) b; }' },
  }),
  IsingZZ: def('IsingZZ', 2, ['phi'], (p) => multiRZ(p[0], 2), {
    label: 'ZZ',
    fast: { kind: 'parity-phase' },
    // exp(-iθ/2 Z⊗Z): the CNOT computes the parity into b, rz rotates by it, the CNOT undoes it.
    qasm: { v3: ['rzz'], definition: 'gate rzz(theta) a, b { cx a, b; rz(theta) b; cx a, b; }' },
  }),
  Toffoli: def('Toffoli', 3, [], () => controlled(controlled(X)), { controls: 2, qasm: { v3: ['ccx'] }, label: 'X', fast: { kind: 'permutation-x' } }),
});

/** Gates whose wire count is chosen per use. */
export const VARIADIC_GATES = ['MultiRZ', 'QubitUnitary'] as const;

/** MultiRZ(θ) = exp(−iθ/2 Z⊗…⊗Z) on any number of wires. */
export function multiRZMatrix(theta: number, numWires: number): ComplexMatrix {
  return multiRZ(theta, numWires);
}

export type GateName = keyof typeof GATES | (typeof VARIADIC_GATES)[number];

export function isGateName(name: string): name is GateName {
  return Object.prototype.hasOwnProperty.call(GATES, name) || (VARIADIC_GATES as readonly string[]).includes(name);
}

export const gateMatrices = { rx, ry, rz, phase, u3, controlled, X, Y, Z, H };
