// The one table of gates. Each gate declares what it is: wires, parameters, its matrix (PennyLane's
// definitions), how each parameter is differentiated by parameter-shift, and its OpenQASM name.
// Every fast kernel in the engine is tested against the matrix declared here.

import { cmat, matmul, type ComplexMatrix } from './matrix.js';

/**
 * Parameter-shift rule of one gate parameter.
 * - 'two': the expectation is a trigonometric polynomial of frequency 1/2 or 1 in the parameter
 *   (generator eigenvalue gaps {1} or {1/2} scaled), so df/dθ = [f(θ+π/2) − f(θ−π/2)] / 2.
 * - 'four': controlled rotations; the generator |1⟩⟨1|⊗σ/2 has eigenvalues {0, ±1/2}, giving
 *   frequencies {1/2, 1}: df/dθ = c₊[f(θ+π/2) − f(θ−π/2)] − c₋[f(θ+3π/2) − f(θ−3π/2)],
 *   c± = (√2 ± 1) / (4√2).
 */
export type ShiftRule = 'two' | 'four';

export interface GateDef {
  readonly name: string;
  readonly numWires: number;
  readonly numParams: number;
  /** How many of the leading wires are controls (for drawing and export). */
  readonly numControls: number;
  readonly shiftRules: readonly ShiftRule[];
  /** Parameter names, for messages and drawings. */
  readonly paramNames: readonly string[];
  /** OpenQASM 3 stdgates.inc name, when one exists with exactly this matrix. */
  readonly qasm?: string;
  /** Short label used by the text drawing. */
  readonly label: string;
  matrix(params: readonly number[]): ComplexMatrix;
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

function def(
  name: string,
  numWires: number,
  paramNames: readonly string[],
  matrix: MatrixFn,
  opts: { controls?: number; rules?: ShiftRule[]; qasm?: string; label?: string } = {},
): GateDef {
  return {
    name,
    numWires,
    numParams: paramNames.length,
    numControls: opts.controls ?? 0,
    paramNames,
    shiftRules: opts.rules ?? paramNames.map(() => 'two' as const),
    qasm: opts.qasm,
    label: opts.label ?? name,
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

export const GATES: Readonly<Record<string, GateDef>> = Object.freeze({
  Identity: def('Identity', 1, [], () => cmat([[1, 0], [0, 1]]), { qasm: 'id', label: 'I' }),
  PauliX: def('PauliX', 1, [], () => X, { qasm: 'x', label: 'X' }),
  PauliY: def('PauliY', 1, [], () => Y, { qasm: 'y', label: 'Y' }),
  PauliZ: def('PauliZ', 1, [], () => Z, { qasm: 'z', label: 'Z' }),
  Hadamard: def('Hadamard', 1, [], () => H, { qasm: 'h', label: 'H' }),
  S: def('S', 1, [], () => phase(Math.PI / 2), { qasm: 's' }),
  T: def('T', 1, [], () => phase(Math.PI / 4), { qasm: 't' }),
  SX: def('SX', 1, [], () => SXm, { qasm: 'sx' }),
  RX: def('RX', 1, ['theta'], (p) => rx(p[0]), { qasm: 'rx' }),
  RY: def('RY', 1, ['theta'], (p) => ry(p[0]), { qasm: 'ry' }),
  RZ: def('RZ', 1, ['theta'], (p) => rz(p[0]), { qasm: 'rz' }),
  PhaseShift: def('PhaseShift', 1, ['phi'], (p) => phase(p[0]), { qasm: 'p', label: 'P' }),
  Rot: def('Rot', 1, ['phi', 'theta', 'omega'], (p) => matmul(rz(p[2]), matmul(ry(p[1]), rz(p[0])))),
  U3: def('U3', 1, ['theta', 'phi', 'lambda'], (p) => u3(p[0], p[1], p[2]), { qasm: 'U' }),
  CNOT: def('CNOT', 2, [], () => controlled(X), { controls: 1, qasm: 'cx', label: 'X' }),
  CZ: def('CZ', 2, [], () => controlled(Z), { controls: 1, qasm: 'cz', label: 'Z' }),
  CY: def('CY', 2, [], () => controlled(Y), { controls: 1, qasm: 'cy', label: 'Y' }),
  SWAP: def('SWAP', 2, [], () => SWAPm, { qasm: 'swap', label: 'SWAP' }),
  CRX: def('CRX', 2, ['theta'], (p) => controlled(rx(p[0])), { controls: 1, rules: FOUR, qasm: 'crx', label: 'RX' }),
  CRY: def('CRY', 2, ['theta'], (p) => controlled(ry(p[0])), { controls: 1, rules: FOUR, qasm: 'cry', label: 'RY' }),
  CRZ: def('CRZ', 2, ['theta'], (p) => controlled(rz(p[0])), { controls: 1, rules: FOUR, qasm: 'crz', label: 'RZ' }),
  CRot: def(
    'CRot',
    2,
    ['phi', 'theta', 'omega'],
    (p) => controlled(matmul(rz(p[2]), matmul(ry(p[1]), rz(p[0])))),
    { controls: 1, rules: ['four', 'four', 'four'], label: 'Rot' },
  ),
  ControlledPhaseShift: def('ControlledPhaseShift', 2, ['phi'], (p) => controlled(phase(p[0])), {
    controls: 1,
    qasm: 'cp',
    label: 'P',
  }),
  // Controlled U3: the Quantum-Train ansatz's entangler. θ enters as a controlled RY (four-term
  // rule); φ and λ as controlled phases, whose generator |11⟩⟨11| has eigenvalues {0, 1} (two-term).
  CU3: def('CU3', 2, ['theta', 'phi', 'lambda'], (p) => controlled(u3(p[0], p[1], p[2])), {
    controls: 1,
    rules: ['four', 'two', 'two'],
    label: 'U3',
  }),
  IsingXX: def('IsingXX', 2, ['phi'], (p) => ising(p[0], 'XX'), { label: 'XX' }),
  IsingYY: def('IsingYY', 2, ['phi'], (p) => ising(p[0], 'YY'), { label: 'YY' }),
  IsingZZ: def('IsingZZ', 2, ['phi'], (p) => multiRZ(p[0], 2), { label: 'ZZ' }),
  Toffoli: def('Toffoli', 3, [], () => controlled(controlled(X)), { controls: 2, qasm: 'ccx', label: 'X' }),
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
