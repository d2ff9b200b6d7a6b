// OpenQASM 3 export. Every operation is written with stdgates.inc gates or the built-in U/gphase,
// so that the program reproduces the circuit's unitary exactly, global phase included: gates with
// no stdgates.inc equivalent get an exact decomposition or a `gate` definition (rxx/ryy/rzz, named
// as in Qiskit so other tools recognise them). Unbound weights and inputs become `input float[64]`
// declarations and gate arguments stay expressions of them, so a trained circuit can be exported
// once and evaluated anywhere with new values.

import type { Circuit, Operation } from '../circuit.js';
import type { Expr } from '../expr.js';
import { GATES, type GateDef } from '../gates.js';
import type { ComplexMatrix } from '../matrix.js';
import { c as constRef, type ParamRef } from '../params.js';
import { EntangleError } from '../../util/errors.js';

export interface QasmBind {
  weights?: ArrayLike<number>;
  inputs?: ArrayLike<number>;
}

export interface QasmExportOptions {
  /** Substitute these values: bound weights/inputs become numbers and are not declared. */
  bind?: QasmBind;
  /** Names of the `input` declarations for inputs (default x0, x1, …). */
  inputNames?: string[];
  /** Names of the `input` declarations for weights (default w0, w1, …). */
  weightNames?: string[];
}

export class QasmExportError extends EntangleError {
  override name = 'QasmExportError';
  constructor(message: string) {
    super('E_QASM_EXPORT', message);
  }
}

// ---------------------------------------------------------------------------------------------
// Expression text. Precedence levels of the OpenQASM 3 expression grammar as our importer reads
// it: unary minus binds tighter than * and /, ** binds tighter than unary minus (-a**b = -(a**b))
// and is right-associative. Every printed text re-parses to the same tree, so values survive a
// round trip bit for bit.

export const PREC = { add: 1, mul: 2, unary: 3, pow: 4, atom: 5 } as const;

export interface Text {
  readonly text: string;
  readonly prec: number;
}

const wrap = (t: Text, min: number): string => (t.prec < min ? `(${t.text})` : t.text);

/** Formats a non-negative finite number; the default is the shortest exact decimal form. */
export type NumberFormat = (v: number) => string;

/** Multiples k·π/m that read better than 1.5707963267948966, used only where they are exact. */
function piText(v: number): string | undefined {
  for (const m of [1, 2, 3, 4, 6, 8]) {
    for (let k = 1; k <= 4 * m; k++) {
      // Evaluate exactly as the importer does: (k * pi) / m, left to right.
      const val = (k === 1 ? Math.PI : k * Math.PI) / (m === 1 ? 1 : m);
      if (val !== v) continue;
      const head = k === 1 ? 'pi' : `${k} * pi`;
      return m === 1 ? head : `${head} / ${m}`;
    }
  }
  return undefined;
}

/** A number as an expression: `0.5`, `pi / 2`, `-1.25` (unary minus), `1e-7`. */
export function numberText(v: number, fmt?: NumberFormat): Text {
  if (!Number.isFinite(v)) throw new QasmExportError(`cannot write the non-finite number ${v}`);
  const a = Math.abs(v);
  const pi = fmt ? undefined : piText(a);
  const body: Text = pi ? { text: pi, prec: pi.includes(' ') ? PREC.mul : PREC.atom } : { text: fmt ? fmt(a) : String(a), prec: PREC.atom };
  if (v >= 0) return body;
  // `-pi / 4` parses as (-pi) / 4: negation is exact, so that is the same double as -(pi / 4).
  if (pi) return { text: `-${pi}`, prec: body.prec === PREC.mul ? PREC.mul : PREC.unary };
  return { text: `-${body.text}`, prec: PREC.unary };
}

export type SourceNames = (kind: 'input' | 'weight', index: number) => string;

/** An Expr as OpenQASM 3 text with the fewest parentheses that keep its exact tree. */
export function exprText(e: Expr, names: SourceNames, fmt?: NumberFormat): Text {
  switch (e.op) {
    case 'num':
      return numberText(e.value, fmt);
    case 'input':
    case 'weight':
      return { text: names(e.op, e.index), prec: PREC.atom };
    case 'neg':
      return { text: `-${wrap(exprText(e.a, names, fmt), PREC.unary)}`, prec: PREC.unary };
    case 'fn':
      // OpenQASM 3 spells the natural logarithm `log`; OpenQASM 2 spelled it `ln`.
      return { text: `${e.name === 'ln' ? 'log' : e.name}(${exprText(e.a, names, fmt).text})`, prec: PREC.atom };
    case '+':
    case '-':
      // Left-associative: the right operand needs parentheses at equal precedence.
      return { text: `${wrap(exprText(e.a, names, fmt), PREC.add)} ${e.op} ${wrap(exprText(e.b, names, fmt), PREC.mul)}`, prec: PREC.add };
    case '*':
    case '/':
      return { text: `${wrap(exprText(e.a, names, fmt), PREC.mul)} ${e.op} ${wrap(exprText(e.b, names, fmt), PREC.unary)}`, prec: PREC.mul };
    case '**':
      return { text: `${wrap(exprText(e.a, names, fmt), PREC.atom)} ** ${wrap(exprText(e.b, names, fmt), PREC.unary)}`, prec: PREC.pow };
  }
}

/** A parameter reference as text: `x0`, `pi * x0 + 0.5`, `2 * (x0 - pi) * (x1 - pi)`, expressions. */
export function paramText(p: ParamRef, names: SourceNames, fmt?: NumberFormat): Text {
  switch (p.kind) {
    case 'const':
      return numberText(p.value, fmt);
    case 'expr':
      return exprText(p.expr, names, fmt);
    case 'weight':
    case 'input': {
      const name = names(p.kind, p.index);
      let head: Text;
      if (p.scale === 1) head = { text: name, prec: PREC.atom };
      else if (p.scale === -1) head = { text: `-${name}`, prec: PREC.unary };
      else head = { text: `${wrap(numberText(p.scale, fmt), PREC.mul)} * ${name}`, prec: PREC.mul };
      if (p.offset === 0) return head;
      const off = numberText(Math.abs(p.offset), fmt);
      return { text: `${head.text} ${p.offset > 0 ? '+' : '-'} ${wrap(off, PREC.mul)}`, prec: PREC.add };
    }
    case 'inputProduct': {
      const factor = (i: number, o: number): string => {
        const n = names('input', i);
        return o === 0 ? n : `(${n} ${o > 0 ? '+' : '-'} ${wrap(numberText(Math.abs(o), fmt), PREC.mul)})`;
      };
      const body = `${factor(p.a, p.offsetA)} * ${factor(p.b, p.offsetB)}`;
      return p.scale === 1 ? { text: body, prec: PREC.mul } : { text: `${wrap(numberText(p.scale, fmt), PREC.mul)} * ${body}`, prec: PREC.mul };
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Binding: replace bound sources by numbers, keeping the unbound ones symbolic.

function substituteExpr(e: Expr, bind: QasmBind): Expr {
  switch (e.op) {
    case 'num':
      return e;
    case 'input':
      return bind.inputs ? { op: 'num', value: bind.inputs[e.index] } : e;
    case 'weight':
      return bind.weights ? { op: 'num', value: bind.weights[e.index] } : e;
    case 'neg': {
      const a = substituteExpr(e.a, bind);
      return a.op === 'num' ? { op: 'num', value: -a.value } : { op: 'neg', a };
    }
    case 'fn': {
      const a = substituteExpr(e.a, bind);
      return a.op === 'num' ? { op: 'num', value: evalConst({ op: 'fn', name: e.name, a }) } : { op: 'fn', name: e.name, a };
    }
    default: {
      const a = substituteExpr(e.a, bind);
      const b = substituteExpr(e.b, bind);
      const r: Expr = { op: e.op, a, b };
      return a.op === 'num' && b.op === 'num' ? { op: 'num', value: evalConst(r) } : r;
    }
  }
}

function evalConst(e: Expr): number {
  // Same arithmetic as evalExprDual, for a tree of constants.
  switch (e.op) {
    case 'num':
      return e.value;
    case 'neg':
      return -evalConst(e.a);
    case 'fn': {
      const v = evalConst(e.a);
      const f = { sin: Math.sin, cos: Math.cos, tan: Math.tan, exp: Math.exp, ln: Math.log, sqrt: Math.sqrt, arcsin: Math.asin, arccos: Math.acos, arctan: Math.atan }[e.name];
      return f(v);
    }
    case '+':
      return evalConst(e.a) + evalConst(e.b);
    case '-':
      return evalConst(e.a) - evalConst(e.b);
    case '*':
      return evalConst(e.a) * evalConst(e.b);
    case '/':
      return evalConst(e.a) / evalConst(e.b);
    case '**':
      return evalConst(e.a) ** evalConst(e.b);
    default:
      throw new QasmExportError(`expression still reads ${e.op} ${e.index}`);
  }
}

/** The parameter with bound weights/inputs replaced by their values. */
export function bindParam(p: ParamRef, bind: QasmBind): ParamRef {
  const num = (v: number): ParamRef => {
    if (!Number.isFinite(v)) throw new QasmExportError(`a bound parameter evaluates to ${v}`);
    return constRef(v);
  };
  switch (p.kind) {
    case 'const':
      return p;
    case 'weight':
      return bind.weights ? num(p.scale * bind.weights[p.index] + p.offset) : p;
    case 'input':
      return bind.inputs ? num(p.scale * bind.inputs[p.index] + p.offset) : p;
    case 'inputProduct':
      return bind.inputs ? num(p.scale * (bind.inputs[p.a] + p.offsetA) * (bind.inputs[p.b] + p.offsetB)) : p;
    case 'expr': {
      const e = substituteExpr(p.expr, bind);
      return e.op === 'num' ? num(e.value) : { kind: 'expr', expr: e };
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Names.

const KEYWORDS = new Set(
  ('OPENQASM include input output qubit qreg bit creg float angle int uint bool complex duration stretch ' +
    'gate def defcal cal defcalgrammar const let measure reset barrier delay box if else for while in return ' +
    'break continue end switch case default extern opaque ctrl negctrl inv pow gphase U CX pi tau euler ' +
    'true false array void mutable readonly sin cos tan exp ln log sqrt arcsin arccos arctan ceiling floor mod ' +
    'popcount rotl rotr sizeof real imag q ' +
    'id x y z h s sdg t tdg sx rx ry rz p cx cy cz cp crx cry crz ch cu swap ccx cswap phase cphase u1 u2 u3 rxx ryy rzz').split(' '),
);

function checkNames(kind: string, names: readonly string[], count: number, taken: Set<string>): string[] {
  if (names.length < count) throw new QasmExportError(`${kind}: ${names.length} names for ${count} parameters`);
  const out = names.slice(0, count);
  for (const n of out) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(n)) throw new QasmExportError(`${kind}: "${n}" is not an OpenQASM identifier`);
    if (KEYWORDS.has(n)) throw new QasmExportError(`${kind}: "${n}" is reserved in OpenQASM or used by the exported program`);
    if (taken.has(n)) throw new QasmExportError(`${kind}: the name "${n}" is used twice`);
    taken.add(n);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Gates.

/**
 * Gates whose first OpenQASM 3 name (the table's qasmNames.v3[0]) has exactly our matrix, with the
 * declared argument order; for names stdgates.inc lacks (Qiskit's rxx, ryy, rzz) the table also
 * gives the `gate` definition the program must carry.
 */
const DIRECT: Readonly<Record<string, { name: string; args?: readonly number[]; definition?: string }>> = Object.fromEntries(
  (Object.values(GATES) as GateDef[])
    .filter((d) => d.qasmNames !== undefined && d.qasmNames.v3.length > 0)
    .map((d) => [d.name, { name: d.qasmNames!.v3[0], args: d.qasmNames!.args, definition: d.qasmNames!.definition }]),
);

/** name → definition, in table order (the order definitions appear in an exported program). */
const DEFINITIONS: ReadonlyArray<readonly [string, string]> = Object.values(DIRECT)
  .filter((d) => d.definition !== undefined)
  .map((d) => [d.name, d.definition!] as const);

/** Gate names the exporter knows how to write (the test checks this covers every gate). */
export const QASM_EXPORTABLE_GATES: readonly string[] = [...Object.keys(DIRECT), 'Rot', 'CRot', 'CU3', 'MultiRZ', 'QubitUnitary'];

/**
 * A single-qubit unitary as e^{iα} U3(θ, φ, λ). Divide by √det to land in SU(2), V = [[a, −b*], [b, a*]]
 * with a = e^{−i(φ+λ)/2} cos(θ/2), b = e^{i(φ−λ)/2} sin(θ/2) (the ZYZ angles), and U3 = e^{i(φ+λ)/2} V.
 */
export function u3Angles(m: ComplexMatrix): { theta: number; phi: number; lambda: number; alpha: number } {
  const [ar, br, cr, dr] = [m.re[0], m.re[1], m.re[2], m.re[3]];
  const [ai, bi, ci, di] = [m.im[0], m.im[1], m.im[2], m.im[3]];
  const detRe = ar * dr - ai * di - (br * cr - bi * ci);
  const detIm = ar * di + ai * dr - (br * ci + bi * cr);
  const half = Math.atan2(detIm, detRe) / 2; // arg √det
  const rot = (re: number, im: number): [number, number] => [re * Math.cos(half) + im * Math.sin(half), im * Math.cos(half) - re * Math.sin(half)];
  const a = rot(ar, ai);
  const b = rot(cr, ci);
  const theta = 2 * Math.atan2(Math.hypot(b[0], b[1]), Math.hypot(a[0], a[1]));
  const argA = Math.hypot(a[0], a[1]) > 1e-12 ? Math.atan2(a[1], a[0]) : 0;
  const argB = Math.hypot(b[0], b[1]) > 1e-12 ? Math.atan2(b[1], b[0]) : 0;
  const sum = -2 * argA; // φ + λ
  const diff = 2 * argB; // φ − λ
  const phi = (sum + diff) / 2;
  const lambda = (sum - diff) / 2;
  return { theta, phi, lambda, alpha: half - sum / 2 };
}

function where(op: Operation, i: number): string {
  return `operation #${i} (${op.gate} on wires [${op.wires.join(', ')}])`;
}

/** Lines of OpenQASM for one operation; `defs` collects the gate definitions it needs. */
function emitOp(op: Operation, index: number, args: string[], defs: Set<string>): string[] {
  const q = op.wires.map((w) => `q[${w}]`);
  const call = (name: string, a: string[], wires: string[]): string => `${name}${a.length ? `(${a.join(', ')})` : ''} ${wires.join(', ')};`;
  const direct = DIRECT[op.gate];
  if (direct) {
    if (direct.definition) defs.add(direct.name);
    return [call(direct.name, direct.args ? direct.args.map((k) => args[k]) : args, q)];
  }
  switch (op.gate) {
    case 'Rot':
      // Rot(φ,θ,ω) = RZ(ω)·RY(θ)·RZ(φ): apply rz(φ) first.
      return [call('rz', [args[0]], q), call('ry', [args[1]], q), call('rz', [args[2]], q)];
    case 'CRot':
      // Controlling a product controls each factor.
      return [call('crz', [args[0]], q), call('cry', [args[1]], q), call('crz', [args[2]], q)];
    case 'CU3':
      // stdgates' cu(θ,φ,λ,γ) = |0⟩⟨0|⊗I + e^{iγ}|1⟩⟨1|⊗U(θ,φ,λ); γ = 0 is exactly our CU3.
      return [call('cu', [...args, '0'], q)];
    case 'MultiRZ': {
      if (q.length === 1) return [call('rz', args, q)];
      if (q.length === 2) {
        defs.add('rzz');
        return [call('rzz', args, q)];
      }
      // exp(-iθ/2 Z…Z): a CNOT ladder folds the parity of all wires into the last, rz, then unfold.
      const ladder = q.slice(0, -1).map((w, i) => call('cx', [], [w, q[i + 1]]));
      return [...ladder, call('rz', args, [q[q.length - 1]]), ...[...ladder].reverse()];
    }
    case 'QubitUnitary': {
      if (!op.matrix || op.matrix.dim !== 2) {
        throw new QasmExportError(
          `${where(op, index)}: a two-wire QubitUnitary has no exact OpenQASM form here; decompose it into gates before exporting`,
        );
      }
      const { theta, phi, lambda, alpha } = u3Angles(op.matrix);
      const n = (v: number): string => numberText(v).text;
      return [`// QubitUnitary = e^{i·${n(alpha)}} U(θ, φ, λ)`, call('U', [n(theta), n(phi), n(lambda)], q), `gphase(${n(alpha)});`];
    }
  }
  throw new QasmExportError(`${where(op, index)}: no OpenQASM 3 form for gate ${op.gate}`);
}

/**
 * The circuit as an OpenQASM 3 program. Wire i is `q[i]`; wire 0 is the most significant bit of
 * basis-state indices (PennyLane's order; Qiskit prints bitstrings the other way round).
 * Unbound inputs are declared before unbound weights, each in index order, so `parseQasm` reads them
 * back as inputs [...inputs, ...weights]. No global phase is dropped: the only gate that needs one,
 * a one-wire QubitUnitary, gets an explicit `gphase`.
 */
export function toQasm3(circuit: Circuit, opts: QasmExportOptions = {}): string {
  if (circuit.amplitudeInit) {
    throw new QasmExportError(
      'cannot export AmplitudeEmbedding: OpenQASM 3 has no instruction that prepares an arbitrary input-dependent state; ' +
        'export the circuit without it and prepare the state separately',
    );
  }
  const bind = opts.bind ?? {};
  if (bind.inputs && bind.inputs.length < circuit.numInputs) {
    throw new QasmExportError(`bind.inputs has ${bind.inputs.length} values; the circuit reads ${circuit.numInputs} inputs`);
  }
  if (bind.weights && bind.weights.length < circuit.numWeights) {
    throw new QasmExportError(`bind.weights has ${bind.weights.length} values; the circuit has ${circuit.numWeights} weights`);
  }
  const taken = new Set<string>();
  const nIn = bind.inputs ? 0 : circuit.numInputs;
  const nW = bind.weights ? 0 : circuit.numWeights;
  const inputNames = checkNames('inputNames', opts.inputNames ?? Array.from({ length: nIn }, (_, i) => `x${i}`), nIn, taken);
  const weightNames = checkNames('weightNames', opts.weightNames ?? Array.from({ length: nW }, (_, i) => `w${i}`), nW, taken);
  const names: SourceNames = (kind, i) => (kind === 'input' ? inputNames[i] : weightNames[i]);

  const defs = new Set<string>();
  const body: string[] = [];
  circuit.ops.forEach((op, i) => {
    const args = op.params.map((p) => paramText(bindParam(p, bind), names).text);
    body.push(...emitOp(op, i, args, defs));
  });

  const lines = [
    'OPENQASM 3.0;',
    'include "stdgates.inc";',
    `// Exported by entangle: ${circuit.numWires} wire(s); q[0] is wire 0, the most significant bit of basis-state indices.`,
  ];
  if (nIn + nW > 0) lines.push(`// Parameters: ${nIn} input(s) then ${nW} weight(s), in index order.`);
  for (const n of [...inputNames, ...weightNames]) lines.push(`input float[64] ${n};`);
  for (const [name, definition] of DEFINITIONS) if (defs.has(name)) lines.push(definition);
  lines.push(`qubit[${circuit.numWires}] q;`, ...body);
  return lines.join('\n') + '\n';
}
