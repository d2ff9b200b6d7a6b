// Lowering of a parsed OpenQASM program to a Circuit: declarations become wires and input features,
// gate calls (built-in, user-defined, with ctrl / negctrl / inv / pow modifiers) become operations
// of our gate table via the primitives of prims.ts, and global phases are summed. Semantic errors
// (undeclared names, sizes, wires after measurement, …) are reported at the statement's token.

import { Circuit, CircuitError } from '../circuit.js';
import type { Expr } from '../expr.js';
import { c, type ParamRef } from '../params.js';
import { add, CONSTANTS, evalNum, num, resolve, simplifyParam, type Lookup } from './expressions.js';
import type { Fail, Token } from './lexer.js';
import type { GateCall, Operand, PExpr, ProgramAst, Statement } from './parser.js';
import { controlPrim, invert, op, phase, primsUnitary, Unsupported, unitaryDistance, type Prim } from './prims.js';
import { BUILTINS } from './stdgates.js';
import { suggest } from './suggest.js';

export interface QasmImport {
  circuit: Circuit;
  /** Name of input i, in declaration order. */
  paramNames: string[];
  /**
   * The global phase γ (radians) the program applies on top of `circuit`: program = e^{iγ}·circuit.
   * Unobservable in any measurement; always 0 for OpenQASM 2.
   */
  globalPhase: ParamRef;
  /**
   * Notes about accepted constructs whose meaning differs from running the program on hardware,
   * each `file:line:column: text` (e.g. terminal measurements). The library never prints them; the
   * CLI writes them to stderr.
   */
  warnings: string[];
}

/** The most wires a circuit may have (checked at each declaration, before anything is allocated). */
export const MAX_WIRES = 30;
/**
 * The most primitive operations one program may expand to. `pow(k) @` and gate definitions that
 * call each other repeatedly grow a program exponentially; past this it is refused with the
 * position of the call that overflowed, rather than exhausting memory or hanging.
 */
export const MAX_OPERATIONS = 100_000;

interface GateDefinition {
  name: string;
  params: string[];
  qubits: string[];
  body: GateCall[];
  /** Set when the body is exactly a built-in gate of the same name (e.g. Qiskit's rzz): use ours. */
  native: boolean;
  /** How many primitives one call expands to (known once the definition is checked). */
  size?: number;
}

interface Register {
  name: string;
  start: number;
  size: number;
}

interface Placed {
  prim: Prim;
  tok: Token;
}

class Lowering {
  private readonly qregs = new Map<string, Register>();
  private numQubits = 0;
  private usesHardware = false;
  private readonly cregs = new Map<string, number>();
  private readonly inputs = new Map<string, number>();
  private readonly gates = new Map<string, GateDefinition>();
  private readonly placed: Placed[] = [];
  private readonly measuredAt = new Map<number, Token>();
  private readonly touched = new Set<number>();
  private readonly warnings: string[] = [];
  private readonly version: number;

  constructor(
    private readonly ast: ProgramAst,
    private readonly fileName: string,
    private readonly fail: Fail,
  ) {
    this.version = ast.version;
  }

  run(eof: Token): QasmImport {
    for (const s of this.ast.statements) this.statement(s);
    return this.build(eof);
  }

  private statement(s: Statement): void {
    switch (s.kind) {
      case 'include':
        return this.include(s.file);
      case 'qubits':
        return this.addQubits(s.name, s.size === undefined ? 1 : this.constantInt(s.size, 'a register size', 1));
      case 'bits': {
        const size = s.size === undefined ? 1 : this.constantInt(s.size, 'a register size', 1);
        this.checkFreshName(s.name);
        this.cregs.set(s.name.text, size);
        if (s.measure) this.measure(s.measure.tok, s.measure.operands);
        return;
      }
      case 'input':
        if (s.width) this.constantInt(s.width, 'a type width', 1);
        this.checkFreshName(s.name);
        if (BUILTINS[s.name.text] || this.gates.has(s.name.text)) this.fail(s.name, `"${s.name.text}" is a gate name`);
        this.inputs.set(s.name.text, this.inputs.size);
        return;
      case 'gate':
        return this.gateDefinition(s);
      case 'measure':
        this.measure(s.tok, s.operands);
        if (s.bits) this.checkBits(s.bits);
        return;
      case 'reset':
        return this.reset(s.tok, s.operands);
      case 'call':
        return this.executeCall(s.call);
    }
  }

  private include(f: Token): void {
    const name = f.text.slice(1, -1);
    // Both standard libraries are built in; any other file would need a file system.
    if (name !== 'stdgates.inc' && name !== 'qelib1.inc') {
      this.fail(f, `cannot include "${name}": only "stdgates.inc" and "qelib1.inc" are available (they are built in); paste other definitions into the program`);
    }
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

  private addQubits(name: Token, size: number): void {
    if (this.usesHardware) this.fail(name, 'cannot declare qubit registers in a program that uses hardware qubits ($0, $1, …)');
    this.checkFreshName(name);
    this.checkWires(name, this.numQubits + size);
    this.qregs.set(name.text, { name: name.text, start: this.numQubits, size });
    this.numQubits += size;
  }

  private checkWires(tok: Token, n: number): void {
    if (n > MAX_WIRES) this.fail(tok, `the program uses ${n} qubits; circuits have at most ${MAX_WIRES} wires`);
  }

  /** `prims`, refused when it has grown past MAX_OPERATIONS (reported at `tok`). */
  private capped(prims: Prim[], tok: Token, what: string): Prim[] {
    if (prims.length > MAX_OPERATIONS) this.fail(tok, `${what} expands to more than ${MAX_OPERATIONS} operations`);
    return prims;
  }

  private checkFreshName(name: Token): void {
    if (this.qregs.has(name.text) || this.cregs.has(name.text) || this.inputs.has(name.text)) this.fail(name, `"${name.text}" is already declared`);
    if (name.text in CONSTANTS) this.fail(name, `"${name.text}" is a built-in constant`);
  }

  private gateDefinition(s: Extract<Statement, { kind: 'gate' }>): void {
    const { nameTok, params, qubits, body } = s;
    const name = nameTok.text;
    if (this.gates.has(name)) this.fail(nameTok, `gate "${name}" is already defined`);
    if (name === 'gphase') this.fail(nameTok, '"gphase" is built in');
    const twice = [...params, ...qubits].find((a, k, all) => all.indexOf(a) !== k);
    if (twice !== undefined) this.fail(nameTok, `gate "${name}": the argument name "${twice}" is used twice`);
    for (const call of body) {
      for (const o of call.operands) {
        if (o.kind !== 'reg' || o.index || !qubits.includes(o.name)) {
          this.fail(o.tok, `inside gate "${name}", operands must be its qubit arguments (${qubits.join(', ')}); found "${o.name}"`);
        }
      }
    }
    const def: GateDefinition = { name, params, qubits, body, native: false };
    // Lowering once with sample angles checks the body now, where its errors are, not at each use.
    const samples = [
      [0.3, 1.1, -0.7, 2.3],
      [1.9, -0.4, 0.8, -2.6],
    ].map((v) => params.map((_, k) => num(v[k % 4])));
    const wires = qubits.map((_, k) => k);
    const first = this.expandDefinition(def, samples[0], wires);
    def.size = first.length;
    // A definition that is exactly one of our built-ins (Qiskit writes rzz, cu3, … this way) keeps
    // the built-in gate, so a round trip through Qiskit returns IsingZZ rather than CNOT·RZ·CNOT.
    // (The second sample is lowered only then: expansion can be large.)
    const b = BUILTINS[name];
    if (b && b.params === params.length && b.qubits === qubits.length && qubits.length <= 4) {
      const exact = this.version >= 3;
      def.native = samples.every((args, k) => unitaryDistance(primsUnitary(k === 0 ? first : this.expandDefinition(def, args, wires), wires.length), primsUnitary(b.lower(args, wires, this.version), wires.length), exact) < 1e-9);
    }
    this.gates.set(name, def);
  }

  /** Wires of one operand at the top level. */
  private wiresOf(o: Operand): number[] {
    if (o.kind === 'hw') {
      if (this.qregs.size) this.fail(o.tok, `hardware qubit ${o.name} in a program that declares qubit registers`);
      this.usesHardware = true;
      const k = Number(o.name.slice(1));
      this.checkWires(o.tok, k + 1);
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
      if (this.placed.length > MAX_OPERATIONS) this.fail(call.nameTok, `the program expands to more than ${MAX_OPERATIONS} operations`);
    }
  }

  /** A call with resolved arguments on concrete wires (controls first), to primitives. */
  private lowerCall(call: GateCall, args: Expr[], wires: number[]): Prim[] {
    const counts = call.mods.map((m) => (m.kind === 'ctrl' || m.kind === 'negctrl' ? (m.arg ? this.constantInt(m.arg, `the number of ${m.kind} qubits`, 1) : 1) : 0));
    const nCtl = counts.reduce((a, b) => a + b, 0);
    if (nCtl > wires.length) this.fail(call.nameTok, `gate "${call.name}" has ${nCtl} control qubit(s) but is given only ${wires.length} qubit(s)`);
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
          if (unit.length * Math.abs(e) > MAX_OPERATIONS) this.fail(m.arg!.tok, `pow(${e}) @ ${call.name} expands to more than ${MAX_OPERATIONS} operations`);
          prims = Array.from({ length: Math.abs(e) }, () => unit).flat();
        } else {
          const ctl = wires.slice(end - counts[k], end);
          end -= counts[k];
          for (const cw of [...ctl].reverse()) prims = prims.flatMap((p) => controlPrim(cw, p));
          if (m.kind === 'negctrl') {
            const flips = ctl.map((cw) => op('PauliX', [cw]));
            prims = [...flips, ...prims, ...flips];
          }
          this.capped(prims, m.tok, `${m.kind} @ ${call.name}`);
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
    const out: Prim[] = [];
    for (const call of def.body) {
      const w = call.operands.map((o) => wires[def.qubits.indexOf(o.name)]);
      const dup = w.find((x, k) => w.indexOf(x) !== k);
      if (dup !== undefined) this.fail(call.nameTok, `"${call.name}" uses qubit ${def.qubits[wires.indexOf(dup)]} twice`);
      // Refuse before expanding a callee whose size is known to overflow (nested definitions double fast).
      const callee = call.mods.length === 0 ? this.gates.get(call.name) : undefined;
      if (callee?.size !== undefined && !callee.native && out.length + callee.size > MAX_OPERATIONS) this.capped({ length: out.length + callee.size } as Prim[], call.nameTok, `gate "${def.name}"`);
      for (const p of this.lowerCall(call, call.args.map((a) => resolve(a, lookup, this.fail)), w)) out.push(p);
      this.capped(out, call.nameTok, `gate "${def.name}"`);
    }
    return out;
  }

  // ---- measurement and reset
  private measure(tok: Token, operands: Operand[]): void {
    // The simulator returns exact expectations and probabilities, so measurements only mark the
    // wires as finished; no gate may follow on them (executeCall refuses one).
    if (this.measuredAt.size === 0) {
      this.warnings.push(
        `${this.fileName}:${tok.line}:${tok.col}: note: measurements are not sampled; the state before them is simulated exactly ` +
          '(expectation values and probabilities are those of the pre-measurement state)',
      );
    }
    for (const o of operands) {
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

  private reset(kw: Token, operands: Operand[]): void {
    for (const o of operands) {
      for (const w of this.wiresOf(o)) {
        // Every wire starts in |0⟩, so a reset before any gate is a no-op; later it is not unitary.
        if (this.touched.has(w) || this.measuredAt.has(w)) {
          this.fail(kw, `reset of ${this.wireName(w)} after gates or measurement is not supported (it is not a unitary operation); only a reset at the start is accepted`);
        }
      }
    }
  }

  // ---- the circuit
  private build(eof: Token): QasmImport {
    if (this.numQubits === 0) this.fail(eof, 'the program declares no qubits (qubit[n] q; or qreg q[n];)');
    this.checkWires(eof, this.numQubits);
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
    return { circuit, paramNames, globalPhase, warnings: [...this.warnings] };
  }
}

/** Lower a parsed program; `eof` is where program-level errors (no qubits, …) point. */
export function lowerProgram(ast: ProgramAst, fileName: string, fail: Fail, eof: Token): QasmImport {
  return new Lowering(ast, fileName, fail).run(eof);
}
