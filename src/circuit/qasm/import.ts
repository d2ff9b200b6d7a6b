// OpenQASM 2 and 3 import. A straight-line program of gates becomes a Circuit: each `input float`
// (or `input angle`) becomes an input feature, in declaration order, and gate arguments become
// parameter references, simplified to the cheapest form the engine knows (constant, affine in one
// input, product of two affine inputs, else an expression).
//
// The pipeline: lexer.ts (text → tokens) → parser.ts (tokens → syntax tree) → lower.ts (tree →
// Circuit), with the standard-gate libraries in stdgates.ts (derived from the gate table) and the
// exact rewrites behind the gate modifiers in prims.ts. Gates are lowered to "primitives"
// (operations of our gate table, plus global phases), so gate definitions, `ctrl @`, `negctrl @`,
// `inv @` and `pow(k) @` all work on one small vocabulary. Global phases that end at the top level
// are unobservable; they are summed into `globalPhase` rather than dropped silently, so tests (and
// users) can check the unitary exactly.

import { lex } from './lexer.js';
import { lowerProgram, type QasmImport } from './lower.js';
import { parseProgram } from './parser.js';
import { QasmError } from './errors.js';

export type { QasmImport } from './lower.js';
export { QasmError } from './errors.js';
export { simplifyParam } from './expressions.js';

export interface QasmImportOptions {
  /** Used in error messages (default `<qasm>`). */
  fileName?: string;
}

/**
 * Parse an OpenQASM 2 or 3 program into a circuit. Qubit registers map to consecutive wires in
 * declaration order (`q[0]` of the first register is wire 0, the most significant bit of basis-state
 * indices). `input float[64] name;` declares input feature i (in declaration order); the names are
 * returned as `paramNames`. Errors are `QasmError`s whose message starts with `file:line:column:`.
 * Notes (e.g. that measurements are not sampled) come back in `warnings`, never printed.
 */
export function parseQasm(text: string, opts: QasmImportOptions = {}): QasmImport {
  const fileName = opts.fileName ?? '<qasm>';
  const fail = (tok: { line: number; col: number }, msg: string): never => {
    throw new QasmError(fileName, tok.line, tok.col, msg);
  };
  const toks = lex(text, fail);
  const ast = parseProgram(toks, fail);
  return lowerProgram(ast, fileName, fail, toks[toks.length - 1]);
}
