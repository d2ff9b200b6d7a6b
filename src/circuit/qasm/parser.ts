// OpenQASM 2 / 3 parser: tokens to a syntax tree of statements. Purely syntactic: names are not
// resolved and sizes not evaluated here (lower.ts does that), except that the parser knows the
// version (gate modifiers need OpenQASM 3) and which gate names the program defines (so a user
// gate may be called like a reserved word).

import { EXPR_FUNCTIONS, type ExprFunction } from '../expr.js';
import { describe, type Fail, type Token } from './lexer.js';
import { suggest } from './suggest.js';

/** A parsed expression; names are resolved later (gate bodies resolve them per call). */
export type PExpr =
  | { k: 'num'; v: number; tok: Token }
  | { k: 'name'; name: string; tok: Token }
  | { k: 'neg'; a: PExpr; tok: Token }
  | { k: 'bin'; op: '+' | '-' | '*' | '/' | '**'; a: PExpr; b: PExpr; tok: Token }
  | { k: 'fn'; name: ExprFunction; a: PExpr; tok: Token };

export interface Operand {
  kind: 'reg' | 'hw';
  name: string;
  index?: PExpr;
  tok: Token;
}

export interface Modifier {
  kind: 'ctrl' | 'negctrl' | 'inv' | 'pow';
  arg?: PExpr;
  tok: Token;
}

export interface GateCall {
  mods: Modifier[];
  name: string;
  nameTok: Token;
  args: PExpr[];
  operands: Operand[];
}

/** One top-level statement. */
export type Statement =
  | { kind: 'include'; file: Token }
  /** `qubit[n] q;` / `qreg q[n];` (size undefined: one qubit). */
  | { kind: 'qubits'; name: Token; size?: PExpr }
  /** `bit[n] c;` / `creg c[n];`, optionally `bit c = measure q;`. */
  | { kind: 'bits'; name: Token; size?: PExpr; measure?: { tok: Token; operands: Operand[] } }
  | { kind: 'input'; type: Token; width?: PExpr; name: Token }
  | { kind: 'gate'; nameTok: Token; params: string[]; qubits: string[]; body: GateCall[] }
  /** `measure q -> c;`, `c = measure q;` */
  | { kind: 'measure'; tok: Token; operands: Operand[]; bits?: Operand }
  | { kind: 'reset'; tok: Token; operands: Operand[] }
  | { kind: 'call'; call: GateCall };

export interface ProgramAst {
  /** 2 or 3 (3 when the program has no version statement). */
  version: number;
  statements: Statement[];
}

/**
 * How deep an expression may nest (parentheses, unary minus, function calls, powers) and how deep
 * its tree may grow (a chain a+a+…+a is as deep as it is long). Parsing, resolving and evaluating
 * are recursive: past a limit, a long or deep expression is refused here, with its position,
 * rather than overflowing the stack.
 */
export const MAX_EXPR_DEPTH = 256;

const FUNCTION_ALIASES: Record<string, ExprFunction> = { log: 'ln' };

const UNSUPPORTED_STATEMENTS = new Set([
  'if', 'else', 'for', 'while', 'def', 'defcal', 'cal', 'defcalgrammar', 'const', 'let', 'int', 'uint', 'float', 'angle',
  'bool', 'complex', 'duration', 'stretch', 'box', 'return', 'extern', 'output', 'switch', 'array', 'opaque',
]);

class Parser {
  private i = 0;
  private version = 3;
  /** Gate names defined so far (a definition may shadow a reserved word). */
  private readonly defined = new Set<string>();
  private readonly statements: Statement[] = [];
  /** Current recursion depth of the expression parser. */
  private nest = 0;
  /** Depth of each composite expression tree built so far. */
  private readonly depths = new WeakMap<PExpr, number>();

  constructor(
    private readonly toks: Token[],
    private readonly fail: Fail,
  ) {}

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
  private depthOf(e: PExpr): number {
    return this.depths.get(e) ?? 1;
  }
  /** A composite node, refused when its tree grows deeper than MAX_EXPR_DEPTH. */
  private node<E extends PExpr>(e: E, ...parts: PExpr[]): E {
    const d = 1 + Math.max(...parts.map((p) => this.depthOf(p)));
    if (d > MAX_EXPR_DEPTH) this.fail(e.tok, `this expression is too long or nested too deeply (more than ${MAX_EXPR_DEPTH} levels)`);
    this.depths.set(e, d);
    return e;
  }
  /** Run a nested sub-expression parse, refused past MAX_EXPR_DEPTH levels of recursion. */
  private nested<T>(tok: Token, f: () => T): T {
    if (++this.nest > MAX_EXPR_DEPTH) this.fail(tok, `this expression is nested too deeply (more than ${MAX_EXPR_DEPTH} levels)`);
    try {
      return f();
    } finally {
      this.nest--;
    }
  }
  private expr(): PExpr {
    let a = this.term();
    while (this.is('+') || this.is('-')) {
      const tok = this.next();
      const b = this.term();
      a = this.node({ k: 'bin', op: tok.text as '+' | '-', a, b, tok }, a, b);
    }
    return a;
  }
  private term(): PExpr {
    let a = this.unary();
    while (this.is('*') || this.is('/')) {
      const tok = this.next();
      const b = this.unary();
      a = this.node({ k: 'bin', op: tok.text as '*' | '/', a, b, tok }, a, b);
    }
    return a;
  }
  private unary(): PExpr {
    if (this.is('-')) {
      const tok = this.next();
      const a = this.nested(tok, () => this.unary());
      return this.node({ k: 'neg', a, tok }, a);
    }
    if (this.is('+')) {
      const tok = this.next();
      return this.nested(tok, () => this.unary());
    }
    return this.power();
  }
  private power(): PExpr {
    const a = this.primary();
    if (this.is('**') || this.is('^')) {
      // OpenQASM 2 wrote powers with ^.
      const tok = this.next();
      const b = this.nested(tok, () => this.unary());
      return this.node({ k: 'bin', op: '**', a, b, tok }, a, b);
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
      const e = this.nested(t, () => this.expr());
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
        const a = this.nested(t, () => this.expr());
        this.expect(')', `to close ${t.text}(`);
        return this.node({ k: 'fn', name: fn as ExprFunction, a, tok: t }, a);
      }
      return { k: 'name', name: t.text, tok: t };
    }
    return this.fail(t, `expected a number, a parameter name or "(", found ${describe(t)}`);
  }

  // ---- statements
  parse(): ProgramAst {
    if (this.is('OPENQASM')) this.versionStatement();
    while (this.peek().kind !== 'eof') this.statement();
    return { version: this.version, statements: this.statements };
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
        // A scheduling hint: no effect on the unitary.
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
    if (UNSUPPORTED_STATEMENTS.has(t.text) && !this.defined.has(t.text)) {
      const why = ['if', 'else', 'for', 'while', 'switch'].includes(t.text) ? `classical control flow ("${t.text}") is` : `"${t.text}" statements are`;
      this.fail(t, `${why} not supported: only straight-line gate programs can become a circuit`);
    }
    // `c = measure q;` or `c[0] = measure q[0];`
    if (this.is('=', 1) || (this.is('[', 1) && this.closesThenAssigns())) return this.measureAssignment();
    this.statements.push({ kind: 'call', call: this.gateCall() });
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
    this.statements.push({ kind: 'include', file: f });
    this.endStatement('include');
  }

  private registerSize(): PExpr {
    const e = this.expr();
    this.expect(']', 'after the register size');
    return e;
  }

  private qubitDeclaration(): void {
    const kw = this.next();
    if (kw.text === 'qubit') {
      const size = this.accept('[') ? this.registerSize() : undefined;
      this.statements.push({ kind: 'qubits', name: this.ident('a register name'), size });
    } else {
      const name = this.ident('a register name');
      this.expect('[', 'after the qreg name (qreg q[n];)');
      this.statements.push({ kind: 'qubits', name, size: this.registerSize() });
    }
    this.endStatement('qubit declaration');
  }

  private bitDeclaration(): void {
    const kw = this.next();
    let size: PExpr | undefined;
    let name: Token;
    if (kw.text === 'bit') {
      if (this.accept('[')) size = this.registerSize();
      name = this.ident('a bit register name');
    } else {
      name = this.ident('a register name');
      this.expect('[', 'after the creg name (creg c[n];)');
      size = this.registerSize();
    }
    let measure: { tok: Token; operands: Operand[] } | undefined;
    if (kw.text === 'bit' && this.accept('=')) {
      const tok = this.expect('measure', 'after "=" (bit c = measure q;)');
      measure = { tok, operands: this.operandList() };
    }
    this.statements.push({ kind: 'bits', name, size, measure });
    this.endStatement('bit declaration');
  }

  private inputDeclaration(): void {
    this.next();
    const type = this.ident('a type (float or angle)');
    if (type.text !== 'float' && type.text !== 'angle') {
      this.fail(type, `input parameters must be "float" or "angle", found "${type.text}"`);
    }
    let width: PExpr | undefined;
    if (this.accept('[')) {
      width = this.expr();
      this.expect(']', 'after the type width');
    }
    const name = this.ident('a parameter name');
    this.statements.push({ kind: 'input', type, width, name });
    this.endStatement('input declaration');
  }

  private gateDefinition(): void {
    this.next();
    const nameTok = this.ident('a gate name');
    const name = nameTok.text;
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
      body.push(this.gateCall());
    }
    this.next();
    this.defined.add(name);
    this.statements.push({ kind: 'gate', nameTok, params, qubits, body });
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

  // ---- measurement and reset
  private measureStatement(): void {
    const tok = this.next();
    const operands = this.operandList();
    const bits = this.accept('->') ? this.operand() : undefined;
    this.statements.push({ kind: 'measure', tok, operands, bits });
    this.endStatement('measure statement');
  }

  private measureAssignment(): void {
    const bits = this.operand();
    this.expect('=', 'in the measurement');
    const tok = this.expect('measure', 'after "=" (only measurement results can be assigned)');
    this.statements.push({ kind: 'measure', tok, operands: this.operandList(), bits });
    this.endStatement('measurement');
  }

  private resetStatement(): void {
    const tok = this.next();
    this.statements.push({ kind: 'reset', tok, operands: this.operandList() });
    this.endStatement('reset');
  }
}

/** Parse tokens into the statements of one program; `fail` reports syntax errors at a token. */
export function parseProgram(toks: Token[], fail: Fail): ProgramAst {
  return new Parser(toks, fail).parse();
}
