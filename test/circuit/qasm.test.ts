import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { Circuit } from '../../src/circuit/circuit.js';
import type { Expr } from '../../src/circuit/expr.js';
import { GATES, gateMatrices, VARIADIC_GATES } from '../../src/circuit/gates.js';
import { cmat, dagger, kron, type ComplexMatrix } from '../../src/circuit/matrix.js';
import { c, evalParam, expr, w, x, xx, type ParamRef } from '../../src/circuit/params.js';
import { QASM_EXPORTABLE_GATES, QasmExportError, toQasm3, u3Angles } from '../../src/circuit/qasm/export.js';
import { parseQasm, QasmError } from '../../src/circuit/qasm/import.js';
import { amplitudeEmbedding } from '../../src/circuit/templates.js';
import { circuitUnitary, distance, distanceUpToPhase, rng, stepsUnitary, withPhase } from './unitary.js';

const { rx, ry, rz, phase, u3, controlled, X, Y, Z, H } = gateMatrices;
const TOL = 1e-10;
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

/** Unitary of an import, global phase included: e^{iγ}·U(circuit). */
function importedUnitary(src: string, inputs: number[] = []): ComplexMatrix {
  const { circuit, globalPhase } = parseQasm(src);
  return withPhase(circuitUnitary(circuit, [], inputs), evalParam(globalPhase, [], inputs));
}

function randomUnitary2(r: () => number): ComplexMatrix {
  const a = (): number => (r() - 0.5) * 8;
  return withPhase(u3(a(), a(), a()), a());
}

/** Round trip: the imported circuit at inputs [...inputs, ...weights] is e^{-iγ}·original. */
function checkRoundTrip(circuit: Circuit, weights: number[], inputs: number[]): void {
  const qasm = toQasm3(circuit);
  const { circuit: back, paramNames, globalPhase } = parseQasm(qasm);
  assert.equal(paramNames.length, circuit.numInputs + circuit.numWeights, qasm);
  const merged = [...inputs, ...weights];
  const got = withPhase(circuitUnitary(back, [], merged), evalParam(globalPhase, [], merged));
  const want = circuitUnitary(circuit, weights, inputs);
  assert.ok(distance(got, want) < 1e-9, `round trip differs by ${distance(got, want)}\n${qasm}`);
  // Bound export: numbers only, no declarations.
  const bound = toQasm3(circuit, { bind: { weights, inputs } });
  assert.ok(!bound.includes('input float'), bound);
  const b = parseQasm(bound);
  assert.equal(b.circuit.numInputs, 0);
  const gotBound = withPhase(circuitUnitary(b.circuit), evalParam(b.globalPhase, [], []));
  assert.ok(distance(gotBound, want) < 1e-9, `bound round trip differs by ${distance(gotBound, want)}\n${bound}`);
}

describe('OpenQASM 3 export', () => {
  it('knows every gate of the table', () => {
    for (const name of [...Object.keys(GATES), ...VARIADIC_GATES]) assert.ok(QASM_EXPORTABLE_GATES.includes(name), name);
  });

  it('writes a small circuit exactly', () => {
    const circ = new Circuit(2).rx(0, x(0, { scale: Math.PI, offset: 0.5 })).cnot(0, 1).rot(1, w(0), w(1), -Math.PI / 2).isingZZ(0, 1, w(2));
    assert.equal(
      toQasm3(circ),
      [
        'OPENQASM 3.0;',
        'include "stdgates.inc";',
        '// Exported by entangle: 2 wire(s); q[0] is wire 0, the most significant bit of basis-state indices.',
        '// Parameters: 1 input(s) then 3 weight(s), in index order.',
        'input float[64] x0;',
        'input float[64] w0;',
        'input float[64] w1;',
        'input float[64] w2;',
        'gate rzz(theta) a, b { cx a, b; rz(theta) b; cx a, b; }',
        'qubit[2] q;',
        'rx(pi * x0 + 0.5) q[0];',
        'cx q[0], q[1];',
        'rz(w0) q[1];',
        'ry(w1) q[1];',
        'rz(-pi / 2) q[1];',
        'rzz(w2) q[0], q[1];',
        '',
      ].join('\n'),
    );
  });

  it('substitutes bound values and uses custom names', () => {
    const circ = new Circuit(1).rx(0, x(0)).ry(0, w(0, { scale: 2 })).rz(0, expr({ op: '*', a: { op: 'input', index: 0 }, b: { op: 'weight', index: 0 } }));
    const q = toQasm3(circ, { bind: { weights: [0.25] }, inputNames: ['theta'] });
    assert.match(q, /input float\[64\] theta;\n/);
    assert.doesNotMatch(q, /w0/);
    assert.match(q, /rx\(theta\) q\[0\];/);
    assert.match(q, /ry\(0\.5\) q\[0\];/);
    assert.match(q, /rz\(theta \* 0\.25\) q\[0\];/);
  });

  it('refuses what it cannot write exactly, naming the operation', () => {
    const two = new Circuit(2).h(0).unitary([0, 1], kron(H, X));
    assert.throws(() => toQasm3(two), (e: Error) => e instanceof QasmExportError && /operation #1 \(QubitUnitary on wires \[0, 1\]\)/.test(e.message));
    const amp = new Circuit(2);
    amplitudeEmbedding(amp, { normalize: true });
    assert.throws(() => toQasm3(amp), /AmplitudeEmbedding/);
    assert.throws(() => toQasm3(new Circuit(1).rx(0, x(0)), { inputNames: ['q'] }), /reserved/);
    assert.throws(() => toQasm3(new Circuit(1).rx(0, x(0)).ry(0, w(0)), { inputNames: ['a'], weightNames: ['a'] }), /used twice/);
    assert.throws(() => toQasm3(new Circuit(1).rx(0, x(0)), { inputNames: ['2a'] }), /not an OpenQASM identifier/);
    assert.throws(() => toQasm3(new Circuit(1).rx(0, x(1)), { bind: { inputs: [1] } }), /bind.inputs has 1 values/);
  });

  it('decomposes single-qubit unitaries as e^{iα} U(θ, φ, λ)', () => {
    const r = rng(7);
    const cases = [X, Y, Z, H, SXm, phase(0.3), cmat([[0, [0, 1]], [[0, 1], 0]]), ...Array.from({ length: 20 }, () => randomUnitary2(r))];
    for (const m of cases) {
      const { theta, phi, lambda, alpha } = u3Angles(m);
      assert.ok(distance(withPhase(u3(theta, phi, lambda), alpha), m) < 1e-12, `${theta} ${phi} ${lambda} ${alpha}`);
    }
  });
});

describe('export → import round trip', () => {
  it('reproduces every gate exactly, global phase included', () => {
    const r = rng(1);
    const a = () => (r() - 0.5) * 7;
    for (const [name, def] of Object.entries(GATES)) {
      // Wires in descending order on a wider circuit, so wire mapping mistakes show.
      const n = def.numWires + 1;
      const wires = Array.from({ length: def.numWires }, (_, k) => n - 1 - k);
      const consts = new Circuit(n).add(name, wires, Array.from({ length: def.numParams }, a));
      checkRoundTrip(consts, [], []);
      const symbolic = new Circuit(n).add(name, wires, Array.from({ length: def.numParams }, (_, k) => w(k, { scale: 1.5, offset: -0.25 })));
      checkRoundTrip(symbolic, Array.from({ length: def.numParams }, a), []);
    }
    for (let k = 1; k <= 4; k++) {
      const wires = Array.from({ length: k }, (_, i) => (i * 3) % 4);
      checkRoundTrip(new Circuit(4).multiRZ(wires, x(0)), [], [a()]);
    }
    for (let k = 0; k < 5; k++) checkRoundTrip(new Circuit(2).unitary([k % 2], randomUnitary2(r)), [], []);
  });

  it('keeps the gates themselves where OpenQASM has them (IsingZZ stays IsingZZ)', () => {
    const circ = new Circuit(3).isingXX(0, 1, w(0)).isingYY(1, 2, w(1)).isingZZ(2, 0, w(2)).cu3(0, 2, w(3), w(4), w(5)).u3(1, 0.1, 0.2, 0.3).crz(1, 0, x(0)).toffoli(2, 1, 0);
    const back = parseQasm(toQasm3(circ)).circuit;
    assert.deepEqual(
      back.ops.map((o) => [o.gate, o.wires]),
      circ.ops.map((o) => [o.gate, o.wires]),
    );
  });

  it('preserves affine and product parameter references', () => {
    const refs: ParamRef[] = [x(0, { scale: Math.PI, offset: 0.5 }), x(1, { scale: -2 }), xx(0, 1, { scale: 2, offsetA: -Math.PI, offsetB: -Math.PI }), c(-Math.PI / 4), c(1e-7)];
    const circ = new Circuit(1);
    for (const p of refs) circ.rz(0, p);
    const back = parseQasm(toQasm3(circ)).circuit;
    assert.deepEqual(
      back.ops.map((o) => o.params[0]),
      refs,
    );
  });

  // Random circuits over every gate, with every kind of parameter reference.
  const exprArb: fc.Arbitrary<Expr> = fc.letrec<{ e: Expr }>((tie) => ({
    e: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.double({ min: -3, max: 3, noNaN: true }).map((v): Expr => ({ op: 'num', value: v })),
      fc.nat(2).map((i): Expr => ({ op: 'input', index: i })),
      fc.nat(2).map((i): Expr => ({ op: 'weight', index: i })),
      tie('e').map((a): Expr => ({ op: 'neg', a })),
      fc.tuple(fc.constantFrom('sin', 'cos', 'arctan', 'exp') as fc.Arbitrary<'sin' | 'cos' | 'arctan' | 'exp'>, tie('e')).map(([name, a]): Expr => ({ op: 'fn', name, a: { op: 'fn', name: 'sin', a } })),
      fc.tuple(fc.constantFrom('+', '-', '*') as fc.Arbitrary<'+' | '-' | '*'>, tie('e'), tie('e')).map(([op, a, b]): Expr => ({ op, a, b })),
      fc.tuple(tie('e'), fc.constantFrom(2, -4, 0.5)).map(([a, v]): Expr => ({ op: '/', a, b: { op: 'num', value: v } })),
      tie('e').map((a): Expr => ({ op: '**', a: { op: 'fn', name: 'exp', a: { op: 'fn', name: 'sin', a } }, b: { op: 'num', value: 2 } })),
    ),
  })).e;
  const paramArb: fc.Arbitrary<ParamRef> = fc.oneof(
    fc.double({ min: -7, max: 7, noNaN: true }).map((v) => c(v)),
    fc.tuple(fc.nat(2), fc.double({ min: -4, max: 4, noNaN: true }), fc.double({ min: -4, max: 4, noNaN: true })).map(([i, s, o]) => w(i, { scale: s, offset: o })),
    fc.tuple(fc.nat(2), fc.double({ min: -4, max: 4, noNaN: true }), fc.double({ min: -4, max: 4, noNaN: true })).map(([i, s, o]) => x(i, { scale: s, offset: o })),
    fc.tuple(fc.nat(2), fc.nat(2), fc.double({ min: -2, max: 2, noNaN: true }), fc.double({ min: -4, max: 4, noNaN: true })).map(([a, b, s, o]) => xx(a, b, { scale: s, offsetA: o, offsetB: -o })),
    exprArb.map((e) => expr(e)),
  );
  const gateNames = [...Object.keys(GATES), 'MultiRZ', 'QubitUnitary'];
  const opArb = fc.record({
    gate: fc.constantFrom(...gateNames),
    perm: fc.shuffledSubarray([0, 1, 2, 3], { minLength: 4, maxLength: 4 }),
    k: fc.integer({ min: 1, max: 4 }),
    params: fc.array(paramArb, { minLength: 3, maxLength: 3 }),
    angles: fc.array(fc.double({ min: -4, max: 4, noNaN: true }), { minLength: 4, maxLength: 4 }),
  });

  it('reproduces random circuits (property)', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 12 }), fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: 6, maxLength: 6 }), (ops, vals) => {
        const circ = new Circuit(4);
        for (const o of ops) {
          if (o.gate === 'MultiRZ') circ.multiRZ(o.perm.slice(0, o.k), o.params[0]);
          else if (o.gate === 'QubitUnitary') circ.unitary([o.perm[0]], withPhase(u3(o.angles[0], o.angles[1], o.angles[2]), o.angles[3]));
          else circ.add(o.gate, o.perm.slice(0, GATES[o.gate].numWires), o.params.slice(0, GATES[o.gate].numParams));
        }
        checkRoundTrip(circ, vals.slice(0, circ.numWeights), vals.slice(3, 3 + circ.numInputs));
      }),
      { numRuns: 150, seed: 20240601 },
    );
  });
});

describe('OpenQASM 3 import', () => {
  it('reads a Qiskit-style program with inputs and expressions', () => {
    const src = `OPENQASM 3.0;
include "stdgates.inc";
input float[64] theta;
input float[64] a;
input float[64] b;
input float[64] c;
bit[2] meas;
qubit[2] q;
h q[0];
rz(2*theta + pi/2) q[0];
u3(a, b + pi, -c/2) q[1];
cx q[0], q[1];
barrier q[0], q[1];
meas[0] = measure q[0];
meas[1] = measure q[1];
`;
    const { circuit, paramNames, globalPhase } = parseQasm(src);
    assert.deepEqual(paramNames, ['theta', 'a', 'b', 'c']);
    assert.equal(circuit.numInputs, 4);
    assert.deepEqual(circuit.ops[1].params[0], x(0, { scale: 2, offset: Math.PI / 2 }));
    assert.deepEqual(circuit.ops[2].params, [x(1), x(2, { offset: Math.PI }), x(3, { scale: -0.5 })]);
    const v = [0.7, -1.2, 0.4, 2.1];
    const [t, A, B, C] = v;
    // stdgates.inc: u3(θ,φ,λ) = e^{−i(φ+λ)/2} U(θ,φ,λ).
    const want = stepsUnitary(2, [
      [H, [0]],
      [rz(2 * t + Math.PI / 2), [0]],
      [withPhase(u3(A, B + Math.PI, -C / 2), -(B + Math.PI - C / 2) / 2), [1]],
      [controlled(X), [0, 1]],
    ]);
    const got = withPhase(circuitUnitary(circuit, [], v), evalParam(globalPhase, [], v));
    assert.ok(distance(got, want) < TOL, String(distance(got, want)));
  });

  it('reads the OpenQASM 3 forms of declarations, comments and constants', () => {
    const src = `/* a block
  comment */ OPENQASM 3;
include "stdgates.inc";
input angle[32] φ;   // unicode names
input float sc;
qubit a;
qubit[2] b;
bit c;
reset b;
delay[100ns] a;
U(π/2, 0, τ/2) a;
rx(sin(pi/6) * 2) b[0];
ry(sc ** 2) b[1];
rz(arctan(1) * 4 + log(euler)) a;
p(-φ) b[1];
gphase(pi/3);
c = measure a;
`;
    const { circuit, paramNames, globalPhase } = parseQasm(src);
    assert.deepEqual(paramNames, ['φ', 'sc']);
    assert.equal(circuit.numWires, 3);
    assert.deepEqual(
      circuit.ops.map((o) => [o.gate, o.wires]),
      [
        ['U3', [0]],
        ['RX', [1]],
        ['RY', [2]],
        ['RZ', [0]],
        ['PhaseShift', [2]],
      ],
    );
    assert.ok(Math.abs(evalParam(circuit.ops[1].params[0], [], []) - 1) < 1e-15, 'Math.abs(evalParam(circuit.ops[1].params[0], [], []) - 1) < 1e-15');
    assert.equal(circuit.ops[2].params[0].kind, 'expr');
    assert.ok(Math.abs(evalParam(circuit.ops[3].params[0], [], []) - (Math.PI + 1)) < 1e-15, 'Math.abs(evalParam(circuit.ops[3].params[0], [], []) - (Math.PI + 1)) < 1e-15');
    assert.deepEqual(circuit.ops[4].params[0], x(0, { scale: -1 }));
    assert.deepEqual(globalPhase, c(Math.PI / 3));
  });

  it('maps several registers to consecutive wires and broadcasts whole registers', () => {
    const { circuit } = parseQasm('OPENQASM 3.0; include "stdgates.inc"; qubit[2] a; qubit[2] b; h a; cx a, b; cz a[1], b; x b[1];');
    assert.deepEqual(
      circuit.ops.map((o) => [o.gate, o.wires]),
      [
        ['Hadamard', [0]],
        ['Hadamard', [1]],
        ['CNOT', [0, 2]],
        ['CNOT', [1, 3]],
        ['CZ', [1, 2]],
        ['CZ', [1, 3]],
        ['PauliX', [3]],
      ],
    );
    const hw = parseQasm('OPENQASM 3.0; include "stdgates.inc"; h $0; cx $0, $2;').circuit;
    assert.equal(hw.numWires, 3);
  });

  it('gives every standard gate its stdgates.inc matrix', () => {
    const t = 0.37;
    const p = 1.21;
    const l = -0.83;
    const g = 0.5;
    const sdg = phase(-Math.PI / 2);
    const cases: Array<[string, number, ComplexMatrix]> = [
      ['id', 1, cmat([[1, 0], [0, 1]])],
      ['x', 1, X],
      ['y', 1, Y],
      ['z', 1, Z],
      ['h', 1, H],
      ['s', 1, phase(Math.PI / 2)],
      ['sdg', 1, sdg],
      ['t', 1, phase(Math.PI / 4)],
      ['tdg', 1, phase(-Math.PI / 4)],
      ['sx', 1, SXm],
      ['sxdg', 1, dagger(SXm)],
      [`rx(${t})`, 1, rx(t)],
      [`ry(${t})`, 1, ry(t)],
      [`rz(${t})`, 1, rz(t)],
      [`p(${t})`, 1, phase(t)],
      [`phase(${t})`, 1, phase(t)],
      [`u1(${t})`, 1, phase(t)],
      [`U(${t}, ${p}, ${l})`, 1, u3(t, p, l)],
      [`u3(${t}, ${p}, ${l})`, 1, withPhase(u3(t, p, l), -(p + l) / 2)],
      [`u2(${p}, ${l})`, 1, withPhase(u3(Math.PI / 2, p, l), -(p + l) / 2)],
      ['cx', 2, controlled(X)],
      ['CX', 2, controlled(X)],
      ['cy', 2, controlled(Y)],
      ['cz', 2, controlled(Z)],
      ['ch', 2, controlled(H)],
      ['csx', 2, controlled(SXm)],
      [`crx(${t})`, 2, controlled(rx(t))],
      [`cry(${t})`, 2, controlled(ry(t))],
      [`crz(${t})`, 2, controlled(rz(t))],
      [`cp(${t})`, 2, controlled(phase(t))],
      [`cphase(${t})`, 2, controlled(phase(t))],
      [`cu1(${t})`, 2, controlled(phase(t))],
      [`cu(${t}, ${p}, ${l}, ${g})`, 2, controlled(withPhase(u3(t, p, l), g))],
      [`cu3(${t}, ${p}, ${l})`, 2, controlled(u3(t, p, l))],
      ['swap', 2, GATES.SWAP.matrix([])],
      [`rxx(${t})`, 2, GATES.IsingXX.matrix([t])],
      [`ryy(${t})`, 2, GATES.IsingYY.matrix([t])],
      [`rzz(${t})`, 2, GATES.IsingZZ.matrix([t])],
      ['ccx', 3, controlled(controlled(X))],
      ['cswap', 3, controlled(GATES.SWAP.matrix([]))],
    ];
    for (const [call, n, want] of cases) {
      const wires = Array.from({ length: n }, (_, k) => `q[${k}]`).join(', ');
      const got = importedUnitary(`OPENQASM 3.0;\ninclude "stdgates.inc";\nqubit[${n}] q;\n${call} ${wires};\n`);
      assert.ok(distance(got, want) < TOL, `${call}: ${distance(got, want)}`);
    }
    // Qiskit's relative-phase Toffoli: a Toffoli up to a diagonal of phases, equal to its published decomposition.
    const q = Math.PI / 4;
    const rccx = stepsUnitary(3, [
      [H, [2]],
      [phase(q), [2]],
      [controlled(X), [1, 2]],
      [phase(-q), [2]],
      [controlled(X), [0, 2]],
      [phase(q), [2]],
      [controlled(X), [1, 2]],
      [phase(-q), [2]],
      [H, [2]],
    ]);
    assert.ok(distance(importedUnitary('OPENQASM 3.0; qubit[3] q; rccx q[0], q[1], q[2];'), rccx) < TOL, 'distance(importedUnitary(\'OPENQASM 3.0; qubit[3] q; rccx q[0], q[1], q[2];\'), rccx) < TOL');
  });

  it('applies ctrl, negctrl, inv and pow modifiers exactly', () => {
    const t = 0.61;
    const head = 'OPENQASM 3.0;\ninclude "stdgates.inc";\n';
    const cases: Array<[string, number, ComplexMatrix]> = [
      [`ctrl @ rx(${t}) q[0], q[1];`, 2, controlled(rx(t))],
      [`ctrl @ gphase(${t}) q[0];`, 1, phase(t)],
      ['negctrl @ x q[0], q[1];', 2, stepsUnitary(2, [[X, [0]], [controlled(X), [0, 1]], [X, [0]]])],
      [`inv @ u3(${t}, 0.2, -0.9) q[0];`, 1, dagger(withPhase(u3(t, 0.2, -0.9), -(0.2 - 0.9) / 2))],
      ['inv @ sx q[0];', 1, dagger(SXm)],
      ['pow(2) @ s q[0];', 1, Z],
      ['pow(-1) @ t q[0];', 1, phase(-Math.PI / 4)],
      ['ctrl(2) @ x q[0], q[1], q[2];', 3, controlled(controlled(X))],
      ['ctrl @ cx q[0], q[1], q[2];', 3, controlled(controlled(X))],
      [`ctrl @ ctrl @ p(${t}) q[0], q[1], q[2];`, 3, controlled(controlled(phase(t)))],
      [`ctrl @ crx(${t}) q[0], q[1], q[2];`, 3, controlled(controlled(rx(t)))],
      [`ctrl @ cry(${t}) q[2], q[0], q[1];`, 3, stepsUnitary(3, [[controlled(controlled(ry(t))), [2, 0, 1]]])],
      ['ctrl @ swap q[0], q[1], q[2];', 3, controlled(GATES.SWAP.matrix([]))],
      ['ctrl @ cz q[0], q[1], q[2];', 3, controlled(controlled(Z))],
      ['ctrl @ cy q[0], q[1], q[2];', 3, controlled(controlled(Y))],
      ['ctrl @ h q[0], q[1];', 2, controlled(H)],
      ['ctrl @ sx q[0], q[1];', 2, controlled(SXm)],
      [`ctrl @ u3(${t}, 0.2, 0.3) q[0], q[1];`, 2, controlled(withPhase(u3(t, 0.2, 0.3), -0.25))],
      [`ctrl @ rzz(${t}) q[0], q[1], q[2];`, 3, controlled(GATES.IsingZZ.matrix([t]))],
      [`ctrl @ rxx(${t}) q[0], q[1], q[2];`, 3, controlled(GATES.IsingXX.matrix([t]))],
      [`ctrl @ ryy(${t}) q[0], q[1], q[2];`, 3, controlled(GATES.IsingYY.matrix([t]))],
      [`inv @ ctrl @ rz(${t}) q[0], q[1];`, 2, controlled(rz(-t))],
      [`ctrl @ inv @ s q[1], q[0];`, 2, stepsUnitary(2, [[controlled(phase(-Math.PI / 2)), [1, 0]]])],
    ];
    for (const [stmt, n, want] of cases) {
      const got = importedUnitary(`${head}qubit[${n}] q;\n${stmt}\n`);
      assert.ok(distance(got, want) < TOL, `${stmt}: ${distance(got, want)}`);
    }
  });

  it('expands gate definitions with parameters, exactly (OpenQASM 3)', () => {
    const src = `OPENQASM 3.0;
include "stdgates.inc";
input float[64] theta;
qubit[3] q;
// a phase inside a gate becomes relative once the gate is controlled
gate mine(a, b) x, y { gphase(a / 2); ry(a) x; cx x, y; rz(-b * 2) y; }
gate rzz(t) a, b { cx a, b; rz(t) b; cx a, b; }
mine(theta, 0.3) q[1], q[2];
ctrl @ mine(theta + 1, -0.2) q[0], q[2], q[1];
inv @ mine(0.4, 0.1) q[0], q[1];
rzz(theta) q[0], q[2];
`;
    const th = 0.83;
    const mine = (a: number, b: number): ComplexMatrix => withPhase(stepsUnitary(2, [[ry(a), [0]], [controlled(X), [0, 1]], [rz(-b * 2), [1]]]), a / 2);
    const want = stepsUnitary(3, [
      [mine(th, 0.3), [1, 2]],
      [controlled(mine(th + 1, -0.2)), [0, 2, 1]],
      [dagger(mine(0.4, 0.1)), [0, 1]],
      [GATES.IsingZZ.matrix([th]), [0, 2]],
    ]);
    const { circuit, globalPhase } = parseQasm(src);
    // The definition of rzz is exactly our IsingZZ, so the gate is kept.
    assert.equal(circuit.ops[circuit.ops.length - 1].gate, 'IsingZZ');
    const got = withPhase(circuitUnitary(circuit, [], [th]), evalParam(globalPhase, [], [th]));
    assert.ok(distance(got, want) < TOL, String(distance(got, want)));
  });

  it("recognises Qiskit's qelib1.inc definitions as our gates (OpenQASM 2, up to phase)", () => {
    const src = `OPENQASM 2.0;
include "qelib1.inc";
qreg q[2];
gate cu3(theta,phi,lambda) c, t { u1((lambda+phi)/2) c; u1((lambda-phi)/2) t; cx c,t; u3(-theta/2,0,-(phi+lambda)/2) t; cx c,t; u3(theta/2,phi,0) t; }
gate cu1(lambda) a,b { u1(lambda/2) a; cx a,b; u1(-lambda/2) b; cx a,b; u1(lambda/2) b; }
gate crz(lambda) a,b { u1(lambda/2) b; cx a,b; u1(-lambda/2) b; cx a,b; }
gate rxx(theta) a,b { u3(pi/2, theta, 0) a; h b; cx a,b; u1(-theta) b; cx a,b; h b; u2(-pi, pi-theta) a; }
cu3(0.3, 0.5, -0.4) q[1], q[0];
cu1(0.3) q[0], q[1];
crz(0.2) q[0], q[1];
rxx(0.3) q[0], q[1];
`;
    assert.deepEqual(
      parseQasm(src).circuit.ops.map((o) => o.gate),
      ['CU3', 'ControlledPhaseShift', 'CRZ', 'IsingXX'],
    );
    // The original qelib1.inc cu3 body (no phase on the control) is a different gate: it is expanded,
    // and it controls e^{−i(φ+λ)/2}·U3.
    const orig = `OPENQASM 2.0;
qreg q[2];
gate cu3(theta,phi,lambda) c, t { u1((lambda-phi)/2) t; cx c,t; u3(-theta/2,0,-(phi+lambda)/2) t; cx c,t; u3(theta/2,phi,0) t; }
cu3(0.3, 0.5, -0.4) q[1], q[0];
`;
    const { circuit } = parseQasm(orig);
    assert.notDeepEqual(
      circuit.ops.map((o) => o.gate),
      ['CU3'],
    );
    const want = stepsUnitary(2, [[controlled(withPhase(u3(0.3, 0.5, -0.4), -(0.5 - 0.4) / 2)), [1, 0]]]);
    assert.ok(distanceUpToPhase(circuitUnitary(circuit), want) < TOL, 'distanceUpToPhase(circuitUnitary(circuit), want) < TOL');
  });

  it('keeps a definition whose phase differs from the built-in (OpenQASM 3 is exact)', () => {
    const src = 'OPENQASM 3.0; include "stdgates.inc"; qubit[2] q; gate rzz(t) a, b { cx a, b; p(t) b; cx a, b; } rzz(0.3) q[0], q[1];';
    assert.deepEqual(
      parseQasm(src).circuit.ops.map((o) => o.gate),
      ['CNOT', 'PhaseShift', 'CNOT'],
    );
    // OpenQASM 2 gates are defined up to a global phase, so Qiskit's qasm2 rzz (with u1) is our IsingZZ.
    const src2 = 'OPENQASM 2.0; include "qelib1.inc"; qreg q[2]; gate rzz(param0) q0,q1 { cx q0,q1; u1(param0) q1; cx q0,q1; } rzz(0.3) q[0],q[1];';
    assert.deepEqual(
      parseQasm(src2).circuit.ops.map((o) => o.gate),
      ['IsingZZ'],
    );
  });

  it('ignores measurements and accepts a reset at the start', () => {
    const { circuit } = parseQasm('OPENQASM 3.0; include "stdgates.inc"; qubit[2] q; bit[2] c; reset q; h q[0]; measure q[0] -> c[0]; x q[1]; c = measure q;');
    assert.deepEqual(
      circuit.ops.map((o) => o.gate),
      ['Hadamard', 'PauliX'],
    );
  });
});

describe('OpenQASM 2 import', () => {
  it('reads a qelib1.inc program (Qiskit style) up to global phase', () => {
    const src = `OPENQASM 2.0;
include "qelib1.inc";
qreg q[3];
creg c[3];
U(0.2,0.1,0.6) q[0];
CX q[0], q[1];
u3(0.2,0.1,0.6) q[0];
u2(0.1,0.6) q[1];
u1(0.6) q[2];
u(0.2, 0.1, 0.6) q[0];
id q[1];
sdg q[0];
tdg q[1];
sx q[2];
sxdg q[0];
rx(0.1) q[0];
ry(0.1) q[1];
rz(0.1) q[2];
barrier q;
swap q[0], q[1];
cswap q[0], q[1], q[2];
cy q[0], q[1];
cz q[1], q[2];
ch q[0], q[2];
csx q[2], q[1];
cu1(0.6) q[0], q[1];
cu3(0.2,0.1,0.6) q[1], q[2];
cp(0.6) q[2], q[0];
cu(0.2,0.1,0.6,0.3) q[0], q[1];
crx(0.6) q[0], q[1];
cry(0.6) q[1], q[2];
crz(0.6) q[2], q[0];
rxx(0.2) q[0], q[1];
rzz(0.2) q[1], q[2];
ccx q[0], q[1], q[2];
measure q -> c;
`;
    const U = (a: number, b: number, d: number): ComplexMatrix => u3(a, b, d);
    const want = stepsUnitary(3, [
      [U(0.2, 0.1, 0.6), [0]],
      [controlled(X), [0, 1]],
      [U(0.2, 0.1, 0.6), [0]],
      [U(Math.PI / 2, 0.1, 0.6), [1]],
      [phase(0.6), [2]],
      [U(0.2, 0.1, 0.6), [0]],
      [phase(-Math.PI / 2), [0]],
      [phase(-Math.PI / 4), [1]],
      [SXm, [2]],
      [dagger(SXm), [0]],
      [rx(0.1), [0]],
      [ry(0.1), [1]],
      [rz(0.1), [2]],
      [GATES.SWAP.matrix([]), [0, 1]],
      [controlled(GATES.SWAP.matrix([])), [0, 1, 2]],
      [controlled(Y), [0, 1]],
      [controlled(Z), [1, 2]],
      [controlled(H), [0, 2]],
      [controlled(SXm), [2, 1]],
      [controlled(phase(0.6)), [0, 1]],
      [controlled(U(0.2, 0.1, 0.6)), [1, 2]],
      [controlled(phase(0.6)), [2, 0]],
      [controlled(withPhase(U(0.2, 0.1, 0.6), 0.3)), [0, 1]],
      [controlled(rx(0.6)), [0, 1]],
      [controlled(ry(0.6)), [1, 2]],
      [controlled(rz(0.6)), [2, 0]],
      [GATES.IsingXX.matrix([0.2]), [0, 1]],
      [GATES.IsingZZ.matrix([0.2]), [1, 2]],
      [controlled(controlled(X)), [0, 1, 2]],
    ]);
    const { circuit, globalPhase } = parseQasm(src);
    assert.deepEqual(globalPhase, c(0));
    const got = circuitUnitary(circuit);
    assert.ok(distanceUpToPhase(got, want) < TOL, String(distanceUpToPhase(got, want)));
  });
});

describe('OpenQASM errors', () => {
  const head = 'OPENQASM 3.0;\ninclude "stdgates.inc";\nqubit[2] q;\n';
  const cases: Array<[string, string, number, number, RegExp]> = [
    ['unknown gate', `${head}cxx q[0], q[1];\n`, 4, 1, /unknown gate "cxx" \(did you mean .*\bcx\b.*\)/],
    ['undeclared parameter', `OPENQASM 3.0;\ninput float[64] theta;\nqubit q;\nrx(2 * thetaa) q;\n`, 4, 8, /undeclared parameter "thetaa" \(did you mean theta\?\)/],
    ['too many arguments', `${head}rx(0.1, 0.2) q[0];\n`, 4, 1, /gate "rx" takes 1 parameter\(s\), got 2/],
    ['too few qubits', `${head}h q[0];\ncx q[0];\n`, 5, 1, /gate "cx" acts on 2 qubit\(s\), got 1/],
    ['qubit out of range', `${head}h q[0];\n  h q[5];\n`, 5, 7, /qubit q\[5\] is out of range: register q has 2 qubit\(s\), indices 0\.\.1/],
    ['missing semicolon', `${head}h q[0]\nx q[1];\n`, 5, 1, /expected ";" to end the "h" statement, found "x"/],
    ['unclosed argument list', `${head}rx(0.1 q[0];\n`, 4, 8, /expected "\)" to close the argument list, found "q"/],
    ['bad character', `${head}h q[0]; ?\n`, 4, 9, /unexpected character "\?"/],
    ['unterminated comment', `${head}/* never closed\nh q[0];\n`, 4, 1, /unterminated \/\* comment/],
    ['gate after measurement', `${head}bit[2] c;\nh q[0];\nc[0] = measure q[0];\nx q[1];\nx q[0];\n`, 8, 1, /gate "x" acts on q\[0\] after it was measured \(line 6\)/],
    ['undeclared register', `${head}h r[0];\n`, 4, 3, /undeclared qubit register "r"/],
    ['classical control', `${head}bit c;\nif (c == 1) x q[0];\n`, 5, 1, /classical control flow \("if"\) is not supported/],
    ['other include', 'OPENQASM 3.0;\ninclude "mygates.inc";\n', 2, 9, /cannot include "mygates.inc"/],
    ['non-float input', 'OPENQASM 3.0;\ninput int n;\n', 2, 7, /must be "float" or "angle"/],
    ['non-integer pow', `${head}pow(0.5) @ x q[0];\n`, 4, 5, /only integer powers/],
    ['modifier in OpenQASM 2', 'OPENQASM 2.0;\ninclude "qelib1.inc";\nqreg q[2];\nctrl @ x q[0], q[1];\n', 4, 1, /need OpenQASM 3/],
    ['broadcast mismatch', `${head}qubit[3] r;\ncx q, r;\n`, 5, 7, /register r has 3 qubits but an earlier register operand has 2/],
    ['repeated qubit', `${head}cx q[1], q[1];\n`, 4, 1, /qubit q\[1\] appears twice/],
    ['no qubits', 'OPENQASM 3.0;\ninclude "stdgates.inc";\n', 3, 1, /declares no qubits/],
    ['error inside a gate body', `${head}gate g(a) x {\n  rx(b) x;\n}\n`, 5, 6, /inside gate "g", "b" is not one of its parameters \(a\)/],
    ['unsupported control', `${head}qubit[2] r;\nctrl @ cu3(0.1, 0.2, 0.3) q[0], q[1], r[0];\n`, 5, 1, /ctrl @ cu3: a further control on CU3 is not supported/],
    ['unknown function', `${head}rx(sinh(1)) q[0];\n`, 4, 4, /unknown function "sinh".*did you mean sin/],
    ['reset after gates', `${head}h q[0];\nreset q[0];\n`, 5, 1, /reset of q\[0\] after gates/],
    ['version not first', 'qubit q;\nOPENQASM 3.0;\n', 2, 1, /must come first/],
  ];
  for (const [what, src, line, col, msg] of cases) {
    it(`${what}: names line ${line}, column ${col}`, () => {
      assert.throws(
        () => parseQasm(src, { fileName: 'prog.qasm' }),
        (e: unknown) => {
          assert.ok(e instanceof QasmError, String(e));
          assert.ok(e.message.startsWith(`prog.qasm:${line}:${col}: `), e.message);
          assert.match(e.message, msg);
          assert.equal(e.line, line);
          assert.equal(e.column, col);
          return true;
        },
      );
    });
  }
});
