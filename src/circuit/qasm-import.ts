// OpenQASM 2 and 3 import. A straight-line program of gates becomes a Circuit: each `input float`
// (or `input angle`) becomes an input feature, in declaration order, and gate arguments become
// parameter references, simplified to the cheapest form the engine knows (constant, affine in one
// input, product of two affine inputs, else an expression).
//
// Gates are lowered to "primitives" (operations of our gate table, plus global phases), so gate
// definitions, `ctrl @`, `negctrl @`, `inv @` and `pow(k) @` all work on one small vocabulary, and
// every rewrite is exact: relative phases matter once a gate is controlled. Global phases that end
// at the top level are unobservable; they are summed into `globalPhase` rather than dropped
// silently, so tests (and users) can check the unitary exactly.
//
// Phase conventions: OpenQASM 3 follows stdgates.inc literally (`U` = PennyLane's U3,
// `u3`/`u2` = e^{-i(φ+λ)/2}·U, `u1` = `p`). OpenQASM 2 defines gates only up to a global phase
// (qelib1.inc even has rz = u1), so for OpenQASM 2 programs `globalPhase` is always 0.

import { Circuit, CircuitError } from './circuit.js';
import { evalExprDual, EXPR_FUNCTIONS, type Expr, type ExprFunction } from './expr.js';
import { GATES, multiRZMatrix, type GateName } from './gates.js';
import { dagger, embed, identity, matmul, type ComplexMatrix } from './matrix.js';
import { c, expr as exprRef, x as inputRef, xx, type ParamRef } from './params.js';
import { u3Angles } from './qasm-export.js';

export class QasmError extends Error {
  override name = 'QasmError';
  constructor(
    readonly fileName: string,
    readonly line: number,
    readonly column: number,
    readonly detail: string,
  ) {
    super(`${fileName}:${line}:${column}: ${detail}`);
  }
}

export interface QasmImportOptions {
  /** Used in error messages (default `<qasm>`). */
  fileName?: string;
}

export interface QasmImport {
  circuit: Circuit;
  /** Name of input i, in declaration order. */
  paramNames: string[];
  /**
   * The global phase γ (radians) the program applies on top of `circuit`: program = e^{iγ}·circuit.
   * Unobservable in any measurement; always 0 for OpenQASM 2.
   */
  globalPhase: ParamRef;
}

// =============================================================================================
// Lexer

interface Token {
  kind: 'id' | 'num' | 'str' | 'hw' | 'op' | 'eof';
  text: string;
  line: number;
  col: number;
}

const OPS3 = ['->', '**', '==', '!=', '<=', '>=', '&&', '||', '++', '+=', '-=', '<<', '>>'];
const ID = /[\p{L}_][\p{L}\p{N}_]*/uy;
const NUM = /(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/y;
const HW = /\$\d+/y;
const STR = /"[^"\n]*"|'[^'\n]*'/y;

type Fail = (tok: { line: number; col: number }, msg: string) => never;

function lex(src: string, fail: Fail): Token[] {
  const out: Token[] = [];
  let pos = 0;
  let line = 1;
  let lineStart = 0;
  const at = (): { line: number; col: number } => ({ line, col: pos - lineStart + 1 });
  const advance = (to: number): void => {
    for (; pos < to; pos++) {
      if (src[pos] === '\n') {
        line++;
        lineStart = pos + 1;
      }
    }
  };
  const sticky = (re: RegExp): string | undefined => {
    re.lastIndex = pos;
    const m = re.exec(src);
    return m ? m[0] : undefined;
  };
  while (pos < src.length) {
    const ch = src[pos];
    if (/\s/.test(ch)) {
      advance(pos + 1);
      continue;
    }
    const lineHead = src.slice(lineStart, pos).trim() === '';
    if (src.startsWith('//', pos) || (lineHead && (src.startsWith('#pragma', pos) || src.startsWith('pragma ', pos)))) {
      // Line comments; pragmas (a whole line) carry hints for other tools and do not change the unitary.
      const end = src.indexOf('\n', pos);
      advance(end < 0 ? src.length : end);
      continue;
    }
    if (src.startsWith('/*', pos)) {
      const end = src.indexOf('*/', pos + 2);
      if (end < 0) fail(at(), 'unterminated /* comment');
      advance(end + 2);
      continue;
    }
    const start = at();
    let text: string | undefined;
    let kind: Token['kind'] = 'op';
    if ((text = sticky(NUM))) kind = 'num';
    else if ((text = sticky(ID))) kind = 'id';
    else if ((text = sticky(HW))) kind = 'hw';
    else if ((text = sticky(STR))) kind = 'str';
    else if ((text = OPS3.find((o) => src.startsWith(o, pos)))) kind = 'op';
    else if (';,()[]{}@+-*/=:<>!%&|^~'.includes(ch)) text = ch;
    else fail(start, `unexpected character "${ch}"`);
    out.push({ kind, text: text as string, ...start });
    advance(pos + (text as string).length);
  }
  out.push({ kind: 'eof', text: 'end of input', ...at() });
  return out;
}

// =============================================================================================
// Syntax tree

/** A parsed expression; names are resolved later (gate bodies resolve them per call). */
type PExpr =
  | { k: 'num'; v: number; tok: Token }
  | { k: 'name'; name: string; tok: Token }
  | { k: 'neg'; a: PExpr; tok: Token }
  | { k: 'bin'; op: '+' | '-' | '*' | '/' | '**'; a: PExpr; b: PExpr; tok: Token }
  | { k: 'fn'; name: ExprFunction; a: PExpr; tok: Token };

interface Operand {
  kind: 'reg' | 'hw';
  name: string;
  index?: PExpr;
  tok: Token;
}

interface Modifier {
  kind: 'ctrl' | 'negctrl' | 'inv' | 'pow';
  arg?: PExpr;
  tok: Token;
}

interface GateCall {
  mods: Modifier[];
  name: string;
  nameTok: Token;
  args: PExpr[];
  operands: Operand[];
}

interface GateDefinition {
  name: string;
  params: string[];
  qubits: string[];
  body: GateCall[];
  /** Set when the body is exactly a built-in gate of the same name (e.g. Qiskit's rzz): use ours. */
  native: boolean;
}

// =============================================================================================
// Expressions

const CONSTANTS: Record<string, number> = { pi: Math.PI, π: Math.PI, tau: 2 * Math.PI, τ: 2 * Math.PI, euler: Math.E, ℇ: Math.E };
const FUNCTION_ALIASES: Record<string, ExprFunction> = { log: 'ln' };

const num = (value: number): Expr => ({ op: 'num', value });

function evalNum(e: Expr): number {
  return evalExprDual(e, [], [])[0];
}

/** Build a node, folding constants (so `pi/2` is one number and simple refs stay simple). */
function node(e: Expr): Expr {
  if (e.op === 'neg' && e.a.op === 'num') return num(-e.a.value);
  if (e.op === 'fn' && e.a.op === 'num') return num(evalNum(e));
  if ((e.op === '+' || e.op === '-' || e.op === '*' || e.op === '/' || e.op === '**') && e.a.op === 'num' && e.b.op === 'num') return num(evalNum(e));
  return e;
}
const neg = (a: Expr): Expr => node({ op: 'neg', a });
const add = (a: Expr, b: Expr): Expr => node({ op: '+', a, b });
const half = (a: Expr): Expr => node({ op: '/', a, b: num(2) });

type Lookup = (name: string, tok: Token) => Expr;

function resolve(e: PExpr, lookup: Lookup, fail: Fail): Expr {
  let out: Expr;
  switch (e.k) {
    case 'num':
      return num(e.v);
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

// =============================================================================================
// Primitives: our gates with expression parameters, and global phases.

type Prim =
  | { kind: 'op'; gate: GateName; wires: number[]; params: Expr[]; matrix?: ComplexMatrix }
  | { kind: 'phase'; phase: Expr };

const op = (gate: GateName, wires: number[], params: Expr[] = [], matrix?: ComplexMatrix): Prim => ({ kind: 'op', gate, wires, params, ...(matrix ? { matrix } : {}) });
const phase = (e: Expr): Prim => ({ kind: 'phase', phase: e });
const angle = (v: number): Expr => num(v);

/** Thrown by the rewrites below; the caller adds the source position. */
class Unsupported extends Error {}

/** The primitive with one more control wire `ctl`, exactly (relative phases included). */
function controlPrim(ctl: number, p: Prim): Prim[] {
  // ctrl @ gphase(γ) is the phase gate on the control: that is how stdgates.inc defines p.
  if (p.kind === 'phase') return [op('PhaseShift', [ctl], [p.phase])];
  const w = p.wires;
  const t = w[w.length - 1];
  const simple: Partial<Record<GateName, GateName>> = {
    PauliX: 'CNOT',
    PauliY: 'CY',
    PauliZ: 'CZ',
    RX: 'CRX',
    RY: 'CRY',
    RZ: 'CRZ',
    PhaseShift: 'ControlledPhaseShift',
    U3: 'CU3',
    Rot: 'CRot',
  };
  const to = simple[p.gate];
  if (to) return [op(to, [ctl, w[0]], p.params)];
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
    case 'CNOT':
      return [op('Toffoli', [ctl, w[0], t])];
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

/** The inverse of one primitive. */
function invertPrim(p: Prim): Prim[] {
  if (p.kind === 'phase') return [phase(neg(p.phase))];
  const n = p.params;
  switch (p.gate) {
    case 'S':
      return [op('PhaseShift', p.wires, [angle(-Math.PI / 2)])];
    case 'T':
      return [op('PhaseShift', p.wires, [angle(-Math.PI / 4)])];
    case 'SX':
      return [op('RX', p.wires, [angle(-Math.PI / 2)]), phase(angle(-Math.PI / 4))];
    case 'U3':
    case 'CU3':
      // U3(θ,φ,λ)† = U3(−θ,−λ,−φ).
      return [op(p.gate, p.wires, [neg(n[0]), neg(n[2]), neg(n[1])])];
    case 'Rot':
    case 'CRot':
      // (RZ(ω)RY(θ)RZ(φ))† = RZ(−φ)RY(−θ)RZ(−ω) = Rot(−ω,−θ,−φ).
      return [op(p.gate, p.wires, [neg(n[2]), neg(n[1]), neg(n[0])])];
    case 'QubitUnitary':
      return [op('QubitUnitary', p.wires, [], dagger(p.matrix!))];
    default:
      // Self-inverse gates have no parameters; every one-parameter gate here is exp(−iθG) or a phase.
      return [op(p.gate, p.wires, n.map(neg))];
  }
}

const invert = (ps: Prim[]): Prim[] => [...ps].reverse().flatMap(invertPrim);

/** The unitary of primitives on `numWires` wires (parameters must be constants). */
function primsUnitary(ps: Prim[], numWires: number): ComplexMatrix {
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
function unitaryDistance(a: ComplexMatrix, b: ComplexMatrix, exact: boolean): number {
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

// =============================================================================================
// Built-in gates: stdgates.inc, qelib1.inc, and the common Qiskit extras (rxx, ryy, rzz, csx, rccx).

interface Builtin {
  params: number;
  qubits: number;
  lower(a: Expr[], w: number[], version: number): Prim[];
}

const one = (gate: GateName) => (a: Expr[], w: number[]): Prim[] => [op(gate, w, a)];
/** e^{−i(φ+λ)/2}: the phase stdgates.inc's u2/u3 add to U. */
const u3Phase = (phi: Expr, lam: Expr): Prim => phase(neg(half(add(phi, lam))));

const BUILTINS: Record<string, Builtin> = {
  id: { params: 0, qubits: 1, lower: one('Identity') },
  x: { params: 0, qubits: 1, lower: one('PauliX') },
  y: { params: 0, qubits: 1, lower: one('PauliY') },
  z: { params: 0, qubits: 1, lower: one('PauliZ') },
  h: { params: 0, qubits: 1, lower: one('Hadamard') },
  s: { params: 0, qubits: 1, lower: one('S') },
  t: { params: 0, qubits: 1, lower: one('T') },
  sx: { params: 0, qubits: 1, lower: one('SX') },
  sdg: { params: 0, qubits: 1, lower: (_a, w) => [op('PhaseShift', w, [angle(-Math.PI / 2)])] },
  tdg: { params: 0, qubits: 1, lower: (_a, w) => [op('PhaseShift', w, [angle(-Math.PI / 4)])] },
  sxdg: { params: 0, qubits: 1, lower: (_a, w) => invertPrim(op('SX', w)) },
  rx: { params: 1, qubits: 1, lower: one('RX') },
  ry: { params: 1, qubits: 1, lower: one('RY') },
  rz: { params: 1, qubits: 1, lower: one('RZ') },
  p: { params: 1, qubits: 1, lower: one('PhaseShift') },
  phase: { params: 1, qubits: 1, lower: one('PhaseShift') },
  u1: { params: 1, qubits: 1, lower: one('PhaseShift') },
  // OpenQASM 3's U is PennyLane's U3; OpenQASM 2's U is e^{−i(φ+λ)/2} times it.
  U: { params: 3, qubits: 1, lower: (a, w, v) => (v >= 3 ? [op('U3', w, a)] : [op('U3', w, a), u3Phase(a[1], a[2])]) },
  u3: { params: 3, qubits: 1, lower: (a, w) => [op('U3', w, a), u3Phase(a[1], a[2])] },
  u2: { params: 2, qubits: 1, lower: (a, w) => [op('U3', w, [angle(Math.PI / 2), a[0], a[1]]), u3Phase(a[0], a[1])] },
  // qelib1.inc's u (Qiskit's UGate) is the OpenQASM 3 U.
  u: { params: 3, qubits: 1, lower: one('U3') },
  cx: { params: 0, qubits: 2, lower: one('CNOT') },
  CX: { params: 0, qubits: 2, lower: one('CNOT') },
  cy: { params: 0, qubits: 2, lower: one('CY') },
  cz: { params: 0, qubits: 2, lower: one('CZ') },
  ch: { params: 0, qubits: 2, lower: (_a, w) => controlPrim(w[0], op('Hadamard', [w[1]])) },
  csx: { params: 0, qubits: 2, lower: (_a, w) => controlPrim(w[0], op('SX', [w[1]])) },
  swap: { params: 0, qubits: 2, lower: one('SWAP') },
  crx: { params: 1, qubits: 2, lower: one('CRX') },
  cry: { params: 1, qubits: 2, lower: one('CRY') },
  crz: { params: 1, qubits: 2, lower: one('CRZ') },
  cp: { params: 1, qubits: 2, lower: one('ControlledPhaseShift') },
  cphase: { params: 1, qubits: 2, lower: one('ControlledPhaseShift') },
  cu1: { params: 1, qubits: 2, lower: one('ControlledPhaseShift') },
  // cu(θ,φ,λ,γ) = |0⟩⟨0|⊗I + e^{iγ}|1⟩⟨1|⊗U(θ,φ,λ): the e^{iγ} is a phase gate on the control.
  cu: {
    params: 4,
    qubits: 2,
    lower: (a, w) => [...(a[3].op === 'num' && a[3].value === 0 ? [] : [op('PhaseShift', [w[0]], [a[3]])]), op('CU3', w, a.slice(0, 3))],
  },
  // cu3 is Qiskit's CU3Gate, the controlled U3 without extra phase (Qiskit's qelib1.inc adds
  // u1((λ+φ)/2) on the control for this; the original qelib1.inc body controls e^{−i(φ+λ)/2}·U3).
  // A program that defines cu3 itself gets its own definition unless it matches this one.
  cu3: { params: 3, qubits: 2, lower: one('CU3') },
  rxx: { params: 1, qubits: 2, lower: one('IsingXX') },
  ryy: { params: 1, qubits: 2, lower: one('IsingYY') },
  rzz: { params: 1, qubits: 2, lower: one('IsingZZ') },
  ccx: { params: 0, qubits: 3, lower: one('Toffoli') },
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

// =============================================================================================
// Parser and program state

function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
  return d[a.length][b.length];
}

/** ` (did you mean a, b?)` for names within a small edit distance. */
function suggest(name: string, known: Iterable<string>): string {
  const lower = name.toLowerCase();
  const close = [...new Set(known)]
    .map((k) => ({ k, d: editDistance(lower, k.toLowerCase()) }))
    .filter(({ k, d }) => d <= Math.max(1, Math.floor(name.length / 3)) || (k.toLowerCase().startsWith(lower) && lower.length >= 2))
    .sort((a, b) => a.d - b.d || a.k.localeCompare(b.k))
    .slice(0, 4)
    .map(({ k }) => k);
  return close.length ? ` (did you mean ${close.join(', ')}?)` : '';
}

const UNSUPPORTED_STATEMENTS = new Set([
  'if', 'else', 'for', 'while', 'def', 'defcal', 'cal', 'defcalgrammar', 'const', 'let', 'int', 'uint', 'float', 'angle',
  'bool', 'complex', 'duration', 'stretch', 'box', 'return', 'extern', 'output', 'switch', 'array', 'opaque',
]);

interface Register {
  name: string;
  start: number;
  size: number;
}

interface Placed {
  prim: Prim;
  tok: Token;
}

class QasmProgram {
  private readonly toks: Token[];
  private i = 0;
  private version = 3;
  private readonly qregs = new Map<string, Register>();
  private numQubits = 0;
  private usesHardware = false;
  private readonly cregs = new Map<string, number>();
  private readonly inputs = new Map<string, number>();
  private readonly gates = new Map<string, GateDefinition>();
  private readonly placed: Placed[] = [];
  private readonly measuredAt = new Map<number, Token>();
  private readonly touched = new Set<number>();
  readonly fail: Fail;

  constructor(
    src: string,
    private readonly fileName: string,
  ) {
    this.fail = (tok, msg) => {
      throw new QasmError(this.fileName, tok.line, tok.col, msg);
    };
    this.toks = lex(src, this.fail);
  }

  // ---- token helpers
  private peek(k = 0): Token {
    return this.toks[Math.min(this.i + k, this.toks.length - 1)];
  }
  private next(): Token {
    const t = this.peek();
    if (t.kind !== 'eof') this.i++;
    return t;
  }
  private is(text: string, k = 0): boolean {
    const t = this.peek(k);
    return t.text === text && (t.kind === 'op' || t.kind === 'id');
  }
  private accept(text: string): boolean {
    if (!this.is(text)) return false;
    this.i++;
    return true;
  }
  private expect(text: string, context: string): Token {
    const t = this.peek();
    if (!this.is(text)) this.fail(t, `expected "${text}" ${context}, found ${describe(t)}`);
    return this.next();
  }
  private ident(context: string): Token {
    const t = this.peek();
    if (t.kind !== 'id') this.fail(t, `expected ${context}, found ${describe(t)}`);
    return this.next();
  }
  private endStatement(context: string): void {
    this.expect(';', `to end the ${context}`);
  }

  // ---- expressions (OpenQASM 3 precedence: + − < * / < unary − < ** (right-associative))
  private expr(): PExpr {
    let a = this.term();
    while (this.is('+') || this.is('-')) {
      const tok = this.next();
      a = { k: 'bin', op: tok.text as '+' | '-', a, b: this.term(), tok };
    }
    return a;
  }
  private term(): PExpr {
    let a = this.unary();
    while (this.is('*') || this.is('/')) {
      const tok = this.next();
      a = { k: 'bin', op: tok.text as '*' | '/', a, b: this.unary(), tok };
    }
    return a;
  }
  private unary(): PExpr {
    if (this.is('-')) {
      const tok = this.next();
      return { k: 'neg', a: this.unary(), tok };
    }
    if (this.is('+')) this.next();
    return this.power();
  }
  private power(): PExpr {
    const a = this.primary();
    if (this.is('**') || this.is('^')) {
      // OpenQASM 2 wrote powers with ^.
      const tok = this.next();
      return { k: 'bin', op: '**', a, b: this.unary(), tok };
    }
    return a;
  }
  private primary(): PExpr {
    const t = this.peek();
    if (t.kind === 'num') {
      this.next();
      return { k: 'num', v: Number(t.text), tok: t };
    }
    if (this.accept('(')) {
      const e = this.expr();
      this.expect(')', 'to close the parenthesis');
      return e;
    }
    if (t.kind === 'id') {
      this.next();
      if (this.is('(')) {
        const fn = FUNCTION_ALIASES[t.text] ?? t.text;
        if (!(EXPR_FUNCTIONS as readonly string[]).includes(fn)) {
          this.fail(t, `unknown function "${t.text}"; supported: ${[...EXPR_FUNCTIONS, 'log'].join(', ')}${suggest(t.text, [...EXPR_FUNCTIONS, 'log'])}`);
        }
        this.next();
        const a = this.expr();
        this.expect(')', `to close ${t.text}(`);
        return { k: 'fn', name: fn as ExprFunction, a, tok: t };
      }
      return { k: 'name', name: t.text, tok: t };
    }
    return this.fail(t, `expected a number, a parameter name or "(", found ${describe(t)}`);
  }

  /** A constant (parameter-free) expression's value, e.g. a register size or qubit index. */
  private constant(e: PExpr, what: string): number {
    const v = resolve(e, (name, tok) => this.fail(tok, `${what} must be a constant; "${name}" is not`), this.fail);
    return evalNum(v);
  }
  private constantInt(e: PExpr, what: string, min: number): number {
    const v = this.constant(e, what);
    if (!Number.isInteger(v) || v < min) this.fail(e.tok, `${what} must be an integer >= ${min}, got ${v}`);
    return v;
  }

  // ---- statements
  parse(): QasmImport {
    if (this.is('OPENQASM')) this.versionStatement();
    while (this.peek().kind !== 'eof') this.statement();
    return this.build();
  }

  private versionStatement(): void {
    const kw = this.next();
    const v = this.peek();
    if (v.kind !== 'num') this.fail(v, `expected a version number after OPENQASM, found ${describe(v)}`);
    this.next();
    const major = Math.floor(Number(v.text));
    if (major !== 2 && major !== 3) this.fail(v, `unsupported OpenQASM version ${v.text}; expected 2.0 or 3`);
    this.version = major;
    this.endStatement(`${kw.text} statement`);
  }

  private statement(): void {
    const t = this.peek();
    if (t.kind !== 'id') this.fail(t, `expected a statement, found ${describe(t)}`);
    switch (t.text) {
      case 'OPENQASM':
        return this.fail(t, 'the OPENQASM version statement must come first');
      case 'include':
        return this.include();
      case 'qubit':
      case 'qreg':
        return this.qubitDeclaration();
      case 'bit':
      case 'creg':
        return this.bitDeclaration();
      case 'input':
        return this.inputDeclaration();
      case 'gate':
        return this.gateDefinition();
      case 'measure':
        return this.measureStatement();
      case 'barrier':
        this.next();
        if (!this.is(';')) this.operandList();
        return this.endStatement('barrier');
      case 'reset':
        return this.resetStatement();
      case 'delay':
        // An idle period: the identity on ideal qubits. `delay[100ns] q[0];`
        this.next();
        while (!this.is(';') && this.peek().kind !== 'eof') this.next();
        return this.endStatement('delay');
    }
    if (UNSUPPORTED_STATEMENTS.has(t.text) && !this.gates.has(t.text)) {
      const why = ['if', 'else', 'for', 'while', 'switch'].includes(t.text) ? `classical control flow ("${t.text}") is` : `"${t.text}" statements are`;
      this.fail(t, `${why} not supported: only straight-line gate programs can become a circuit`);
    }
    // `c = measure q;` or `c[0] = measure q[0];`
    if (this.is('=', 1) || (this.is('[', 1) && this.closesThenAssigns())) return this.measureAssignment();
    const call = this.gateCall();
    this.executeCall(call);
  }

  /** After `name [`, is this `name[...] = …` (an assignment)? */
  private closesThenAssigns(): boolean {
    for (let k = 2; k < 64; k++) {
      const t = this.peek(k);
      if (t.kind === 'eof' || t.text === ';') return false;
      if (t.text === ']') return this.is('=', k + 1);
    }
    return false;
  }

  private include(): void {
    this.next();
    const f = this.peek();
    if (f.kind !== 'str') this.fail(f, `expected a file name in quotes after include, found ${describe(f)}`);
    this.next();
    const name = f.text.slice(1, -1);
    // Both standard libraries are built in; any other file would need a file system.
    if (name !== 'stdgates.inc' && name !== 'qelib1.inc') {
      this.fail(f, `cannot include "${name}": only "stdgates.inc" and "qelib1.inc" are available (they are built in); paste other definitions into the program`);
    }
    this.endStatement('include');
  }

  private addQubits(name: Token, size: number): void {
    if (this.usesHardware) this.fail(name, 'cannot declare qubit registers in a program that uses hardware qubits ($0, $1, …)');
    this.checkFreshName(name);
    this.qregs.set(name.text, { name: name.text, start: this.numQubits, size });
    this.numQubits += size;
  }

  private checkFreshName(name: Token): void {
    if (this.qregs.has(name.text) || this.cregs.has(name.text) || this.inputs.has(name.text)) this.fail(name, `"${name.text}" is already declared`);
    if (name.text in CONSTANTS) this.fail(name, `"${name.text}" is a built-in constant`);
  }

  private qubitDeclaration(): void {
    const kw = this.next();
    if (kw.text === 'qubit') {
      let size = 1;
      if (this.accept('[')) {
        size = this.constantInt(this.expr(), 'a register size', 1);
        this.expect(']', 'after the register size');
      }
      this.addQubits(this.ident('a register name'), size);
    } else {
      const name = this.ident('a register name');
      this.expect('[', 'after the qreg name (qreg q[n];)');
      const size = this.constantInt(this.expr(), 'a register size', 1);
      this.expect(']', 'after the register size');
      this.addQubits(name, size);
    }
    this.endStatement('qubit declaration');
  }

  private bitDeclaration(): void {
    const kw = this.next();
    let size = 1;
    let name: Token;
    if (kw.text === 'bit') {
      if (this.accept('[')) {
        size = this.constantInt(this.expr(), 'a register size', 1);
        this.expect(']', 'after the register size');
      }
      name = this.ident('a bit register name');
    } else {
      name = this.ident('a register name');
      this.expect('[', 'after the creg name (creg c[n];)');
      size = this.constantInt(this.expr(), 'a register size', 1);
      this.expect(']', 'after the register size');
    }
    this.checkFreshName(name);
    this.cregs.set(name.text, size);
    if (kw.text === 'bit' && this.accept('=')) {
      this.expect('measure', 'after "=" (bit c = measure q;)');
      this.measureOperands();
    }
    this.endStatement('bit declaration');
  }

  private inputDeclaration(): void {
    this.next();
    const type = this.ident('a type (float or angle)');
    if (type.text !== 'float' && type.text !== 'angle') {
      this.fail(type, `input parameters must be "float" or "angle", found "${type.text}"`);
    }
    if (this.accept('[')) {
      this.constantInt(this.expr(), 'a type width', 1);
      this.expect(']', 'after the type width');
    }
    const name = this.ident('a parameter name');
    this.checkFreshName(name);
    if (BUILTINS[name.text] || this.gates.has(name.text)) this.fail(name, `"${name.text}" is a gate name`);
    this.inputs.set(name.text, this.inputs.size);
    this.endStatement('input declaration');
  }

  private gateDefinition(): void {
    this.next();
    const nameTok = this.ident('a gate name');
    const name = nameTok.text;
    if (this.gates.has(name)) this.fail(nameTok, `gate "${name}" is already defined`);
    if (name === 'gphase') this.fail(nameTok, '"gphase" is built in');
    const params: string[] = [];
    if (this.accept('(')) {
      if (!this.is(')')) {
        do params.push(this.ident('a parameter name').text);
        while (this.accept(','));
      }
      this.expect(')', 'to close the parameter list');
    }
    const qubits: string[] = [];
    do qubits.push(this.ident('a qubit argument name').text);
    while (this.accept(','));
    const brace = this.expect('{', `to open the body of gate "${name}"`);
    const body: GateCall[] = [];
    while (!this.is('}')) {
      if (this.peek().kind === 'eof') this.fail(brace, `gate "${name}": missing "}"`);
      if (this.is('barrier')) {
        this.next();
        if (!this.is(';')) this.operandList();
        this.endStatement('barrier');
        continue;
      }
      const call = this.gateCall();
      for (const o of call.operands) {
        if (o.kind !== 'reg' || o.index || !qubits.includes(o.name)) {
          this.fail(o.tok, `inside gate "${name}", operands must be its qubit arguments (${qubits.join(', ')}); found "${o.name}"`);
        }
      }
      body.push(call);
    }
    this.next();
    const def: GateDefinition = { name, params, qubits, body, native: false };
    // Lowering once with sample angles checks the body now, where its errors are, not at each use.
    const samples = [
      [0.3, 1.1, -0.7, 2.3],
      [1.9, -0.4, 0.8, -2.6],
    ].map((s) => params.map((_, k) => num(s[k % 4])));
    const wires = qubits.map((_, k) => k);
    const lowered = samples.map((args) => this.expandDefinition(def, args, wires));
    // A definition that is exactly one of our built-ins (Qiskit writes rzz, cu3, … this way) keeps
    // the built-in gate, so a round trip through Qiskit returns IsingZZ rather than CNOT·RZ·CNOT.
    const b = BUILTINS[name];
    if (b && b.params === params.length && b.qubits === qubits.length && qubits.length <= 4) {
      const exact = this.version >= 3;
      def.native = samples.every((args, k) => unitaryDistance(primsUnitary(lowered[k], wires.length), primsUnitary(b.lower(args, wires, this.version), wires.length), exact) < 1e-9);
    }
    this.gates.set(name, def);
  }

  private gateCall(): GateCall {
    const mods: Modifier[] = [];
    while (['ctrl', 'negctrl', 'inv', 'pow'].includes(this.peek().text) && this.peek().kind === 'id' && (this.is('@', 1) || this.is('(', 1))) {
      const tok = this.next();
      if (this.version < 3) this.fail(tok, `gate modifiers such as "${tok.text} @" need OpenQASM 3 (this program declares OPENQASM 2)`);
      let arg: PExpr | undefined;
      if (this.accept('(')) {
        arg = this.expr();
        this.expect(')', `to close ${tok.text}(`);
      } else if (tok.text === 'pow') this.fail(tok, 'pow needs an exponent: pow(k) @');
      this.expect('@', `after the ${tok.text} modifier`);
      mods.push({ kind: tok.text as Modifier['kind'], arg, tok });
    }
    const nameTok = this.ident('a gate name');
    const args: PExpr[] = [];
    if (this.accept('(')) {
      if (!this.is(')')) {
        do args.push(this.expr());
        while (this.accept(','));
      }
      this.expect(')', 'to close the argument list');
    }
    const operands = this.is(';') ? [] : this.operandList();
    this.endStatement(`"${nameTok.text}" statement`);
    return { mods, name: nameTok.text, nameTok, args, operands };
  }

  private operand(): Operand {
    const t = this.peek();
    if (t.kind === 'hw') {
      this.next();
      return { kind: 'hw', name: t.text, tok: t };
    }
    const name = this.ident('a qubit (such as q[0] or q)');
    let index: PExpr | undefined;
    if (this.accept('[')) {
      index = this.expr();
      if (this.is(':')) this.fail(this.peek(), 'register slices (q[a:b]) are not supported; list the qubits');
      this.expect(']', 'after the qubit index');
    }
    return { kind: 'reg', name: name.text, index, tok: name };
  }

  private operandList(): Operand[] {
    const out = [this.operand()];
    while (this.accept(',')) out.push(this.operand());
    return out;
  }

  /** Wires of one operand at the top level. */
  private wiresOf(o: Operand): number[] {
    if (o.kind === 'hw') {
      if (this.qregs.size) this.fail(o.tok, `hardware qubit ${o.name} in a program that declares qubit registers`);
      this.usesHardware = true;
      const k = Number(o.name.slice(1));
      this.numQubits = Math.max(this.numQubits, k + 1);
      return [k];
    }
    const reg = this.qregs.get(o.name);
    if (!reg) {
      const what = this.cregs.has(o.name) ? `"${o.name}" is a bit register, not qubits` : `undeclared qubit register "${o.name}"${suggest(o.name, this.qregs.keys())}`;
      this.fail(o.tok, what);
    }
    if (!o.index) return Array.from({ length: reg.size }, (_, k) => reg.start + k);
    const k = this.constantInt(o.index, 'a qubit index', 0);
    if (k >= reg.size) this.fail(o.index.tok, `qubit ${o.name}[${k}] is out of range: register ${o.name} has ${reg.size} qubit(s), indices 0..${reg.size - 1}`);
    return [reg.start + k];
  }

  private wireName(w: number): string {
    if (this.usesHardware) return `$${w}`;
    for (const r of this.qregs.values()) if (w >= r.start && w < r.start + r.size) return `${r.name}[${w - r.start}]`;
    return `wire ${w}`;
  }

  /** Expand whole-register operands: `h q;` is one h per qubit; `cx a, b;` pairs registers elementwise. */
  private broadcast(operands: Operand[]): number[][] {
    const lists = operands.map((o) => this.wiresOf(o));
    let n = 1;
    lists.forEach((l, k) => {
      if (l.length === 1) return;
      if (n !== 1 && l.length !== n) this.fail(operands[k].tok, `register ${operands[k].name} has ${l.length} qubits but an earlier register operand has ${n}; broadcast registers must match in size`);
      n = l.length;
    });
    return Array.from({ length: n }, (_, i) => lists.map((l) => (l.length === 1 ? l[0] : l[i])));
  }

  private executeCall(call: GateCall): void {
    for (const wires of this.broadcast(call.operands)) {
      const dup = wires.find((w, k) => wires.indexOf(w) !== k);
      if (dup !== undefined) this.fail(call.nameTok, `qubit ${this.wireName(dup)} appears twice in one "${call.name}" gate`);
      const lookup: Lookup = (name, tok) => {
        const k = this.inputs.get(name);
        if (k === undefined) {
          const hint = this.qregs.has(name) || this.cregs.has(name) ? ' (it is a register)' : suggest(name, this.inputs.keys());
          return this.fail(tok, `undeclared parameter "${name}"${hint}; declare it with "input float[64] ${name};"`);
        }
        return { op: 'input', index: k };
      };
      const prims = this.lowerCall(call, call.args.map((a) => resolve(a, lookup, this.fail)), wires);
      for (const p of prims) {
        if (p.kind === 'op') {
          for (const w of p.wires) {
            const m = this.measuredAt.get(w);
            if (m) {
              this.fail(call.nameTok, `gate "${call.name}" acts on ${this.wireName(w)} after it was measured (line ${m.line}); gates after a measurement are not supported: measurements are read exactly at the end of the circuit`);
            }
            this.touched.add(w);
          }
        }
        this.placed.push({ prim: p, tok: call.nameTok });
      }
    }
  }

  /** A call with resolved arguments on concrete wires (controls first), to primitives. */
  private lowerCall(call: GateCall, args: Expr[], wires: number[]): Prim[] {
    const counts = call.mods.map((m) => (m.kind === 'ctrl' || m.kind === 'negctrl' ? (m.arg ? this.constantInt(m.arg, `the number of ${m.kind} qubits`, 1) : 1) : 0));
    const nCtl = counts.reduce((a, b) => a + b, 0);
    const base = wires.slice(nCtl);
    let prims = this.lowerBase(call, args, base, wires.length - nCtl);
    let end = nCtl;
    for (let k = call.mods.length - 1; k >= 0; k--) {
      const m = call.mods[k];
      try {
        if (m.kind === 'inv') prims = invert(prims);
        else if (m.kind === 'pow') {
          const e = this.constant(m.arg!, 'a pow exponent');
          if (!Number.isInteger(e)) this.fail(m.arg!.tok, `pow(${e}) @: only integer powers are supported`);
          const unit = e < 0 ? invert(prims) : prims;
          prims = Array.from({ length: Math.abs(e) }, () => unit).flat();
        } else {
          const ctl = wires.slice(end - counts[k], end);
          end -= counts[k];
          for (const cw of [...ctl].reverse()) prims = prims.flatMap((p) => controlPrim(cw, p));
          if (m.kind === 'negctrl') {
            const flips = ctl.map((cw) => op('PauliX', [cw]));
            prims = [...flips, ...prims, ...flips];
          }
        }
      } catch (e) {
        if (e instanceof Unsupported) this.fail(m.tok, `${m.kind} @ ${call.name}: ${e.message}`);
        throw e;
      }
    }
    return prims;
  }

  private lowerBase(call: GateCall, args: Expr[], wires: number[], given: number): Prim[] {
    const name = call.name;
    const def = this.gates.get(name);
    const b = BUILTINS[name];
    if (name === 'gphase') {
      this.checkCounts(call, 1, 0, args.length, given);
      return [phase(args[0])];
    }
    if (def && !def.native) {
      this.checkCounts(call, def.params.length, def.qubits.length, args.length, given);
      return this.expandDefinition(def, args, wires);
    }
    if (!b) {
      const known = [...Object.keys(BUILTINS), ...this.gates.keys(), 'gphase'];
      return this.fail(call.nameTok, `unknown gate "${name}"${suggest(name, known)}; define it with "gate ${name} … { … }"`);
    }
    this.checkCounts(call, b.params, b.qubits, args.length, given);
    return b.lower(args, wires, this.version);
  }

  private checkCounts(call: GateCall, params: number, qubits: number, gotParams: number, gotQubits: number): void {
    if (params !== gotParams) {
      this.fail(call.nameTok, `gate "${call.name}" takes ${params} parameter(s), got ${gotParams}`);
    }
    if (qubits !== gotQubits) {
      const ctl = call.mods.some((m) => m.kind === 'ctrl' || m.kind === 'negctrl') ? ' after its control qubits' : '';
      this.fail(call.nameTok, `gate "${call.name}" acts on ${qubits} qubit(s)${ctl}, got ${gotQubits}`);
    }
  }

  /** Inline a user gate: its parameters become the call's argument expressions. */
  private expandDefinition(def: GateDefinition, args: Expr[], wires: number[]): Prim[] {
    const env = new Map(def.params.map((p, k) => [p, args[k]] as const));
    const lookup: Lookup = (name, tok) => {
      const v = env.get(name);
      if (!v) {
        return this.fail(tok, `inside gate "${def.name}", "${name}" is not one of its parameters (${def.params.join(', ') || 'none'})${suggest(name, def.params)}`);
      }
      return v;
    };
    return def.body.flatMap((call) => {
      const w = call.operands.map((o) => wires[def.qubits.indexOf(o.name)]);
      const dup = w.find((x, k) => w.indexOf(x) !== k);
      if (dup !== undefined) this.fail(call.nameTok, `"${call.name}" uses qubit ${def.qubits[wires.indexOf(dup)]} twice`);
      return this.lowerCall(call, call.args.map((a) => resolve(a, lookup, this.fail)), w);
    });
  }

  // ---- measurement and reset
  private measureOperands(): void {
    for (const o of this.operandList()) {
      for (const w of this.wiresOf(o)) if (!this.measuredAt.has(w)) this.measuredAt.set(w, o.tok);
    }
  }

  private checkBits(o: Operand): void {
    const size = this.cregs.get(o.name);
    if (size === undefined) this.fail(o.tok, `undeclared bit register "${o.name}"${suggest(o.name, this.cregs.keys())}`);
    if (o.index) {
      const k = this.constantInt(o.index, 'a bit index', 0);
      if (k >= size) this.fail(o.index.tok, `bit ${o.name}[${k}] is out of range: register ${o.name} has ${size} bit(s)`);
    }
  }

  private measureStatement(): void {
    // The simulator returns exact expectations and probabilities, so measurements only mark the
    // wires as finished; no gate may follow on them.
    this.next();
    this.measureOperands();
    if (this.accept('->')) this.checkBits(this.operand());
    this.endStatement('measure statement');
  }

  private measureAssignment(): void {
    const target = this.operand();
    this.checkBits(target);
    this.expect('=', 'in the measurement');
    this.expect('measure', 'after "=" (only measurement results can be assigned)');
    this.measureOperands();
    this.endStatement('measurement');
  }

  private resetStatement(): void {
    const kw = this.next();
    for (const o of this.operandList()) {
      for (const w of this.wiresOf(o)) {
        // Every wire starts in |0⟩, so a reset before any gate is a no-op; later it is not unitary.
        if (this.touched.has(w) || this.measuredAt.has(w)) {
          this.fail(kw, `reset of ${this.wireName(w)} after gates or measurement is not supported (it is not a unitary operation); only a reset at the start is accepted`);
        }
      }
    }
    this.endStatement('reset');
  }

  // ---- the circuit
  private build(): QasmImport {
    const eof = this.peek();
    if (this.numQubits === 0) this.fail(eof, 'the program declares no qubits (qubit[n] q; or qreg q[n];)');
    if (this.numQubits > 30) this.fail(eof, `the program uses ${this.numQubits} qubits; circuits have at most 30 wires`);
    const circuit = new Circuit(this.numQubits);
    circuit.declareInputs(this.inputs.size);
    let gphase: Expr = num(0);
    for (const { prim, tok } of this.placed) {
      if (prim.kind === 'phase') {
        gphase = add(gphase, prim.phase);
        continue;
      }
      try {
        circuit.add(prim.gate, prim.wires, prim.params.map(simplifyParam), prim.matrix);
      } catch (e) {
        if (e instanceof CircuitError || e instanceof RangeError) this.fail(tok, e.message);
        throw e;
      }
    }
    const paramNames = [...this.inputs.keys()];
    const globalPhase = this.version >= 3 ? simplifyParam(gphase) : c(0);
    return { circuit, paramNames, globalPhase };
  }
}

function describe(t: Token): string {
  if (t.kind === 'eof') return 'the end of the input';
  return `"${t.text}"`;
}

/**
 * Parse an OpenQASM 2 or 3 program into a circuit. Qubit registers map to consecutive wires in
 * declaration order (`q[0]` of the first register is wire 0, the most significant bit of basis-state
 * indices). `input float[64] name;` declares input feature i (in declaration order); the names are
 * returned as `paramNames`. Errors are `QasmError`s whose message starts with `file:line:column:`.
 */
export function parseQasm(text: string, opts: QasmImportOptions = {}): QasmImport {
  return new QasmProgram(text, opts.fileName ?? '<qasm>').parse();
}
