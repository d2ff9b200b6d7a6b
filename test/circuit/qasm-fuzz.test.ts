// Fuzzing the OpenQASM importer: hundreds of mutations of valid OpenQASM 2 and 3 programs (a token
// deleted, duplicated, swapped or replaced; numbers made huge, negative or empty; indices out of
// range; punctuation dropped; parentheses unbalanced or nested 10,000 deep; long identifiers,
// non-ASCII, NUL bytes, CRLF; characters damaged) go through the importer and, when they import,
// a simulation. Each must either work or fail with one of the project's own errors — a QasmError
// whose message starts with file:line:column:, or an engine error with a clear message — never a
// TypeError or RangeError from deep inside, a stack overflow, a huge allocation or a hang.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { parseQasm, QasmError } from '../../src/circuit/qasm/import.js';
import { probs } from '../../src/circuit/measurements.js';
import { QNode } from '../../src/engine/qnode.js';
import { setMemoryBudget } from '../../src/engine/memory.js';
import { EntangleError } from '../../src/util/errors.js';

const FILE = 'fuzz.qasm';
/** A small budget: a program that declares many qubits must be refused, not allocated. */
const BUDGET = 1 << 24;
const CASE_MS = 2000;

const Q3 = `OPENQASM 3.0;
include "stdgates.inc";
input float[64] theta;
input float[64] phi;
qubit[3] q;
bit[3] c;
gate rot(a, b) x, y {
  ry(a / 2) x;
  cx x, y;
  rz(-b + pi / 4) y;
}
h q[0];
rot(theta * 2, phi - 0.5) q[0], q[1];
ctrl @ rx(sin(theta) + phi ** 2) q[1], q[2];
inv @ s q[2];
pow(2) @ t q[0];
negctrl @ x q[2], q[0];
u(theta, phi, pi / 3) q[1];
c = measure q;
`;

const Q2 = `OPENQASM 2.0;
include "qelib1.inc";
qreg q[3];
creg c[3];
gate maj a, b, cc { cx cc, b; cx cc, a; ccx a, b, cc; }
gate wiggle(t) a { u1(t) a; u2(t, -t) a; }
u3(0.3, pi / 2, -1.2e-1) q[0];
u1(pi) q[1];
cx q[0], q[1];
barrier q;
maj q[0], q[1], q[2];
wiggle(0.25 * pi) q[2];
ccx q[2], q[1], q[0];
measure q -> c;
`;

const BASES: Array<[string, string]> = [
  ['OpenQASM 3 (stdgates.inc, inputs, gate, modifiers)', Q3],
  ['OpenQASM 2 (qelib1.inc, qreg/creg, custom gates, barrier)', Q2],
  ['examples/qasm/bell-rotation.qasm', readFileSync('examples/qasm/bell-rotation.qasm', 'utf8')],
];

/** Pieces of the source: whitespace runs kept as they are, everything else mutable tokens. */
const PIECE = /\s+|[A-Za-z_][A-Za-z0-9_]*|\d+\.?\d*(?:[eE][+-]?\d+)?|"[^"\n]*"|->|\*\*|./gs;
const pieces = (src: string): string[] => src.match(PIECE) ?? [];
const isSpace = (p: string): boolean => /^\s+$/.test(p);

const NAMES = ['h', 'cx', 'ccx', 'rx', 'u3', 'u1', 'gphase', 'ctrl', 'inv', 'pow', 'measure', 'qubit', 'qreg', 'input', 'gate', 'rot', 'maj', 'pi', 'theta', 'q', 'c', 'OPENQASM', 'include', 'if', 'for', 'sin', 'xyz', '_', 'float', 'angle', 'reset', 'barrier', 'bit', 'U', 'negctrl', 'π'];
const NUMBERS = ['1e999', '-1', '-0', '0', '1e308', '99999999999', '1000000000', '0.5', '', '.', '1e', 'NaN', 'Infinity', '1e-400', '31', '3', '40', '$0', '$99'];
/** Values that stress sizes, indices and exponents. */
const HUGE = ['1000000000', '99999999999', '1e999', '1e308', '-1000000000', '31', '1000000'];
/** Valid but extreme expressions around a token x: 10,000-deep parentheses, unary minus, long chains. */
const DEEP: Array<(x: string) => string> = [
  (x) => `${'('.repeat(10_000)}${x}${')'.repeat(10_000)}`,
  (x) => `${'-'.repeat(10_000)}${x}`,
  (x) => `${'-('.repeat(3_000)}${x}${')'.repeat(3_000)}`,
  (x) => `${'sin('.repeat(3_000)}${x}${')'.repeat(3_000)}`,
  (x) => Array(10_000).fill(x).join(' + '),
  (x) => Array(5_000).fill(x).join(' * '),
  (x) => Array(3_000).fill(x).join(' ** '),
  (x) => `${x}${'+1'.repeat(300)}`,
  (x) => `${'('.repeat(300)}${x}${')'.repeat(300)}`,
];
const GARBAGE = [
  '(',
  ')',
  '[',
  ']',
  '{',
  '}',
  ';',
  ',',
  '@',
  '->',
  '==',
  '"',
  '/*',
  '*/',
  '//',
  '\0',
  '\r\n',
  '\u00e9',
  '\u{1F600}',
  '\ud800',
  '\u200b',
  'λ',
  '#pragma x',
  '(' .repeat(10_000) + '1' + ')'.repeat(10_000),
  '(' .repeat(10_000),
  '-'.repeat(5_000) + '1',
  Array(5_000).fill('1').join('+'),
  'x'.repeat(100_000),
  'ctrl @ '.repeat(50),
  'inv @ '.repeat(500),
  'pow(1000000) @ ',
];

type Mutation =
  | { kind: 'delete' | 'duplicate' | 'dropPunct' | 'indexOut'; pick: number }
  | { kind: 'swap'; pick: number; other: number }
  | { kind: 'ident'; pick: number; to: string }
  | { kind: 'number'; pick: number; to: string }
  | { kind: 'deep'; pick: number; how: number }
  | { kind: 'size'; pick: number; to: string }
  | { kind: 'insert'; pick: number; text: string }
  | { kind: 'char'; at: number; op: 'delete' | 'insert' | 'cut' | 'crlf'; ch: string };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constantFrom('delete' as const, 'duplicate' as const, 'dropPunct' as const, 'indexOut' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('swap' as const), pick: fc.nat(), other: fc.nat() }),
  fc.record({ kind: fc.constant('ident' as const), pick: fc.nat(), to: fc.oneof(fc.constantFrom(...NAMES), fc.string({ minLength: 1, maxLength: 4 })) }),
  fc.record({ kind: fc.constant('number' as const), pick: fc.nat(), to: fc.oneof(fc.constantFrom(...NUMBERS), fc.constantFrom(...HUGE), fc.integer({ min: -100, max: 100 }).map(String)) }),
  fc.record({ kind: fc.constant('deep' as const), pick: fc.nat(), how: fc.nat({ max: DEEP.length - 1 }) }),
  fc.record({ kind: fc.constant('size' as const), pick: fc.nat(), to: fc.constantFrom(...HUGE) }),
  fc.record({ kind: fc.constant('insert' as const), pick: fc.nat(), text: fc.oneof(fc.constantFrom(...GARBAGE), fc.string({ maxLength: 3 })) }),
  fc.record({
    kind: fc.constant('char' as const),
    at: fc.nat(),
    op: fc.constantFrom('delete' as const, 'insert' as const, 'cut' as const, 'crlf' as const),
    ch: fc.constantFrom('(', ')', '[', ']', '{', '}', ';', ',', '"', '\0', '\n', '-', '*', '.', 'e', '9', 'é', '$', '@', ' '),
  }),
);

function apply(src: string, m: Mutation): string {
  if (m.kind === 'char') {
    const at = src.length ? m.at % (src.length + 1) : 0;
    if (m.op === 'delete') return src.slice(0, at) + src.slice(at + 1);
    if (m.op === 'insert') return src.slice(0, at) + m.ch + src.slice(at);
    if (m.op === 'cut') return src.slice(0, at);
    return src.replace(/\n/g, '\r\n');
  }
  const ps = pieces(src);
  const idx = ps.map((p, k) => k).filter((k) => !isSpace(ps[k]));
  if (idx.length === 0) return src;
  const choose = (pred: (p: string) => boolean, pick: number): number | undefined => {
    const ks = idx.filter((k) => pred(ps[k]));
    return ks.length ? ks[pick % ks.length] : undefined;
  };
  const k = idx[m.pick % idx.length];
  switch (m.kind) {
    case 'delete':
      ps[k] = '';
      break;
    case 'duplicate':
      ps[k] = `${ps[k]} ${ps[k]}`;
      break;
    case 'swap': {
      const j = idx[m.other % idx.length];
      [ps[k], ps[j]] = [ps[j], ps[k]];
      break;
    }
    case 'dropPunct': {
      const j = choose((p) => /^[;{}[\]()]$/.test(p), m.pick);
      if (j !== undefined) ps[j] = '';
      break;
    }
    case 'indexOut': {
      const j = choose((p) => /^\d+$/.test(p), m.pick);
      if (j !== undefined) ps[j] = String(Number(ps[j]) + 3 + (m.pick % 40));
      break;
    }
    case 'ident': {
      const j = choose((p) => /^[A-Za-z_]/.test(p), m.pick);
      if (j !== undefined) ps[j] = m.to;
      break;
    }
    case 'number': {
      const j = choose((p) => /^\d/.test(p), m.pick);
      if (j !== undefined) ps[j] = m.to;
      break;
    }
    case 'deep': {
      // A number or a name inside an argument list: where an expression is parsed.
      const j = choose((p) => /^[\w.]/.test(p), m.pick);
      if (j !== undefined) ps[j] = DEEP[m.how](ps[j]);
      break;
    }
    case 'size': {
      // A register size, type width or modifier argument: qubit[n], qreg q[n], float[n], pow(k), ctrl(n).
      const ks = idx.filter((j, t) => /^\d/.test(ps[j]) && t >= 2 && /^[[(]$/.test(ps[idx[t - 1]]) && /^(qubit|qreg|creg|bit|float|pow|ctrl|negctrl|q|c)$/.test(ps[idx[t - 2]]));
      if (ks.length) ps[ks[m.pick % ks.length]] = m.to;
      break;
    }
    case 'insert':
      ps[k] = `${ps[k]}${m.text}`;
      break;
  }
  return ps.join('');
}

/** Import, then simulate what imports; the outcome's kind ('ok', or the error's name). */
function outcome(text: string, file = FILE): string {
  const start = performance.now();
  try {
    const { circuit, paramNames } = parseQasm(text, { fileName: file });
    const values = Float64Array.from(paramNames, (_, k) => 0.3 + 0.7 * k);
    const p = new QNode(circuit, probs()).forward(values, new Float64Array(0), 1);
    let sum = 0;
    for (const v of p) sum += v;
    assert.ok(Math.abs(sum - 1) < 1e-6, `probabilities sum to ${sum}\n--- program ---\n${text.slice(0, 2000)}`);
    return 'ok';
  } catch (e) {
    const err = e as Error;
    const where = `\n--- program ---\n${text.slice(0, 2000)}`;
    assert.ok(err instanceof EntangleError, `not one of the project's errors (${err?.name}: ${err?.message?.slice(0, 300)})${where}`);
    assert.ok(err.message.length > 0 && !/\n\s+at /.test(err.message), `message is empty or holds a stack trace: ${err.message.slice(0, 300)}`);
    assert.ok(!/undefined|\[object Object\]/.test(err.message), `message leaks an internal value: ${err.message.slice(0, 300)}`);
    if (err instanceof QasmError) {
      assert.ok(err.message.startsWith(`${file}:`) && /^.+:\d+:\d+: /.test(err.message), `not file:line:column: ${err.message.slice(0, 300)}`);
    }
    return err.name;
  } finally {
    const ms = performance.now() - start;
    assert.ok(ms < CASE_MS, `one case took ${ms.toFixed(0)} ms${`\n--- program ---\n${text.slice(0, 500)}`}`);
  }
}

for (const [name, text] of BASES) {
  test(`fuzz: mutated tokens of ${name} import and simulate, or fail with file:line:column`, { timeout: 120_000 }, () => {
    setMemoryBudget(BUDGET);
    try {
      assert.equal(outcome(text), 'ok', 'the base program works');
      const seen = new Map<string, number>();
      fc.assert(
        fc.property(fc.array(mutation, { minLength: 1, maxLength: 3 }), (ms) => {
          const kind = outcome(ms.reduce(apply, text));
          seen.set(kind, (seen.get(kind) ?? 0) + 1);
        }),
        { seed: 20261202, numRuns: 400 },
      );
      if (process.env.QASM_FUZZ_STATS) console.log(name, JSON.stringify([...seen]));
      assert.ok((seen.get('QasmError') ?? 0) > 50 && (seen.get('ok') ?? 0) > 5, `both outcomes must occur: ${JSON.stringify([...seen])}`);
    } finally {
      setMemoryBudget(undefined);
    }
  });
}

test('fuzz: random bytes and random token soup fail with file:line:column, never crash', { timeout: 120_000 }, () => {
  setMemoryBudget(BUDGET);
  try {
    const tokenSoup = fc.array(fc.constantFrom(...NAMES, ...NUMBERS, ...GARBAGE.slice(0, 23), ' ', '\n', 'q[0]', '(', ')', ';'), { maxLength: 40 }).map((ts) => ts.join(' '));
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 60, unit: 'binary' }), tokenSoup), (s) => {
        outcome(s);
        outcome(`OPENQASM 3.0;\ninclude "stdgates.inc";\nqubit[2] q;\n${s}`);
      }),
      { seed: 99, numRuns: 300 },
    );
  } finally {
    setMemoryBudget(undefined);
  }
});

test('regressions (found by the fuzzer and while writing it): each fails with file:line:column, fast', () => {
  const head = 'OPENQASM 3.0;\ninclude "stdgates.inc";\ninput float[64] a;\nqubit[2] q;\n';
  const cases: Array<[string, string, RegExp]> = [
    // Parser recursion overflowed the stack (RangeError) on deep nesting and long chains.
    ['10,000 parentheses', `${head}rx(${'('.repeat(10_000)}a${')'.repeat(10_000)}) q[0];\n`, /^fuzz\.qasm:5:\d+: this expression is nested too deeply/],
    ['10,000 unary minus', `${head}rx(${'-'.repeat(10_000)}a) q[0];\n`, /^fuzz\.qasm:5:\d+: this expression is nested too deeply/],
    ['a chain of 20,000 terms', `${head}rx(${Array(20_000).fill('a').join('+')}) q[0];\n`, /^fuzz\.qasm:5:\d+: this expression is too long or nested too deeply/],
    // A huge register was expanded (h q;) before the wire limit was checked: out of memory.
    ['qubit[1000000000]', 'OPENQASM 3.0;\ninclude "stdgates.inc";\nqubit[1000000000] q;\nh q;\n', /^fuzz\.qasm:3:19: the program uses 1000000000 qubits; circuits have at most 30 wires/],
    ['hardware qubit $99999999999', 'OPENQASM 3.0;\ninclude "stdgates.inc";\nh $99999999999;\n', /^fuzz\.qasm:3:3: the program uses 100000000000 qubits/],
    // pow(k) @ and nested definitions grew without bound (hang, then out of memory).
    ['pow(1000000000) @', `${head}pow(1000000000) @ x q[0];\n`, /^fuzz\.qasm:5:5: pow\(1000000000\) @ x expands to more than 100000 operations/],
    ['nested pow in definitions', `${head}gate g1 r { pow(1000) @ x r; }\ngate g2 r { pow(1000) @ g1 r; }\ng2 q[0];\n`, /^fuzz\.qasm:6:\d+: pow\(1000\) @ g1 expands to more than 100000 operations/],
    ['definitions doubling 40 times', `${head}gate g0 r { x r; }\n${Array.from({ length: 40 }, (_, i) => `gate g${i + 1} r { g${i} r; g${i} r; }`).join('\n')}\n`, /^fuzz\.qasm:\d+:\d+: gate "g\d+" expands to more than 100000 operations/],
    // A literal past the double range became an Infinity angle.
    ['1e999', `${head}rx(1e999) q[0];\n`, /^fuzz\.qasm:5:4: this expression evaluates to Infinity/],
    // NUL and invisible characters were printed raw inside the quotes.
    ['NUL byte', `${head}h q[0];\0\n`, /^fuzz\.qasm:5:8: unexpected character U\+0000$/],
    ['zero-width space', `${head}h\u200b q[0];\n`, /^fuzz\.qasm:5:2: unexpected character U\+200B$/],
    // More controls than qubits reported a negative qubit count ("got -999999998").
    ['ctrl(1000000000) @', `${head}ctrl(1000000000) @ x q[0], q[1];\n`, /^fuzz\.qasm:5:20: gate "x" has 1000000000 control qubit\(s\) but is given only 2 qubit\(s\)$/],
    // A definition with one name twice was accepted (gate g a, a { h a; }).
    ['repeated gate argument', `${head}gate g r, r { h r; }\ng q[0], q[1];\n`, /^fuzz\.qasm:5:6: gate "g": the argument name "r" is used twice/],
  ];
  for (const [what, src, want] of cases) {
    const t = performance.now();
    assert.throws(() => parseQasm(src, { fileName: FILE }), (e: Error) => e instanceof QasmError && want.test(e.message), what);
    // Forty doubling definitions expand the first sixteen in full (131,072 operations) before the refusal.
    assert.ok(performance.now() - t < (what.startsWith('definitions') ? 10 : 1) * CASE_MS, `${what}: too slow`);
  }
  // A line indented by 100,000 spaces lexes in linear time: the pragma check trimmed the line so
  // far on every token (12.7 s here before the fix, 0.2 s after).
  const t = performance.now();
  assert.equal(parseQasm(`${head}${' '.repeat(100_000)}${'h q[0];'.repeat(5_000)}\n`).circuit.numWires, 2);
  assert.ok(performance.now() - t < CASE_MS, 'a long indented line is slow');
});

test('fuzz: damaged programs through `entangle simulate` exit 1 with file:line:col and no stack trace', async () => {
  const root = new URL('../../', import.meta.url).pathname;
  const dir = mkdtempSync(join(tmpdir(), 'entangle-qfuzz-'));
  const damaged = fc.sample(fc.array(mutation, { minLength: 1, maxLength: 2 }), { seed: 5, numRuns: 400 })
    .map((ms) => ms.reduce(apply, Q3))
    .filter((src) => {
      try {
        parseQasm(src, { fileName: FILE });
        return false;
      } catch {
        return true;
      }
    });
  const programs = [...damaged.slice(0, 8), `${Q3}rx(${'('.repeat(10_000)}1${')'.repeat(10_000)}) q[0];\n`, 'OPENQASM 3.0;\nqubit[1000000000] q;\nh q;\n'];
  assert.equal(programs.length, 10);
  // Three processes at a time: each start loads the whole CLI.
  const run = async (k: number): Promise<void> => {
    const src = programs[k];
    const p = join(dir, `bad${k}.qasm`);
    writeFileSync(p, src);
    const r = await promisify(execFile)(process.execPath, ['bin/entangle.js', 'simulate', p, '--set', 'theta=0.1', '--set', 'phi=0.2', '--probs'], { cwd: root, encoding: 'utf8', timeout: 60_000 }).then(
      ({ stdout, stderr }) => ({ status: 0, stdout, stderr }),
      (e: { code?: number; stdout: string; stderr: string }) => ({ status: e.code, stdout: e.stdout, stderr: e.stderr }),
    );
    assert.equal(r.status, 1, `bad${k}: exit ${r.status}\n${r.stderr}\n--- program ---\n${src.slice(0, 500)}`);
    assert.equal(r.stdout, '', `bad${k}: stdout`);
    assert.ok(new RegExp(`^entangle: ${p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+: `, 'm').test(r.stderr), `bad${k}: no file:line:col:\n${r.stderr}`);
    assert.ok(!/\n\s+at |TypeError|RangeError|ENTANGLE_DEBUG/.test(r.stderr), `bad${k}: stack trace or an unexpected error\n${r.stderr}`);
  };
  const queue = programs.map((_, k) => k);
  await Promise.all([0, 1, 2].map(async () => {
    for (let k = queue.shift(); k !== undefined; k = queue.shift()) await run(k);
  }));
});
