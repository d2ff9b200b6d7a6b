// The library's own errors: every circuit, OpenQASM and observable error is an EntangleError with a
// stable code (and keeps its class name and message); malformed QubitUnitary matrices and odd
// observables get messages that say what is wrong instead of leaking a RangeError or "undefined".

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Circuit, CircuitError } from '../../src/circuit/circuit.js';
import { cmat, type ComplexMatrix } from '../../src/circuit/matrix.js';
import { parseObservable } from '../../src/circuit/observable-parse.js';
import { ObservableError } from '../../src/circuit/observables.js';
import { w } from '../../src/circuit/params.js';
import { parseQasm, QasmError } from '../../src/circuit/qasm/import.js';
import { QasmExportError, toQasm3 } from '../../src/circuit/qasm/export.js';
import { EntangleError } from '../../src/util/errors.js';

function throwsCoded(fn: () => unknown, cls: new (...a: never[]) => Error, code: string, message: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof cls, `expected ${cls.name}, got ${(e as Error)?.constructor?.name}: ${(e as Error)?.message}`);
    assert.ok(e instanceof EntangleError, 'extends EntangleError');
    assert.equal(e.code, code);
    assert.equal(e.name, cls.name);
    assert.match(e.message, message);
    return true;
  });
}

test('circuit, QASM, export and observable errors carry their codes and keep their names and messages', () => {
  throwsCoded(() => new Circuit(2).cnot(0, 2), CircuitError, 'E_CIRCUIT', /^operation #0 \(CNOT\): wire 1 is 2, outside 0\.\.1/);
  throwsCoded(() => parseQasm('OPENQASM 3.0;\nqubit q;\nfoo q;\n', { fileName: 'p.qasm' }), QasmError, 'E_QASM', /^p\.qasm:3:1: unknown gate "foo"/);
  const amp = new Circuit(1).setAmplitudeInit({ firstInput: 0, length: 2, normalize: true, pad: 0 });
  throwsCoded(() => toQasm3(amp), QasmExportError, 'E_QASM_EXPORT', /cannot export AmplitudeEmbedding/);
  throwsCoded(() => parseObservable('Z0 +'), ObservableError, 'E_OBSERVABLE', /expected a term after the sign/);
});

test('a QubitUnitary without dim, with too few entries, or of the wrong size says so', () => {
  const c = new Circuit(2);
  const noDim = { re: Float64Array.from([1, 0, 0, 1]), im: new Float64Array(4) } as unknown as ComplexMatrix;
  throwsCoded(() => c.unitary([0], noDim), CircuitError, 'E_CIRCUIT', /QubitUnitary\): the matrix has no "dim"; expected \{ dim: 2, re, im \}/);
  const short = { dim: 2, re: Float64Array.from([1, 0, 0]), im: new Float64Array(3) };
  throwsCoded(() => c.unitary([0], short), CircuitError, 'E_CIRCUIT', /the matrix says dim 2 but has 3 real and 3 imaginary entries/);
  throwsCoded(() => c.unitary([0, 1], cmat([[1, 0], [0, 1]])), CircuitError, 'E_CIRCUIT', /matrix is 2x2, expected 4x4 for 2 wire\(s\)/);
  throwsCoded(() => c.unitary([0], [[1, 0], [0, 1]] as unknown as ComplexMatrix), CircuitError, 'E_CIRCUIT', /the matrix has no "dim"/);
  throwsCoded(() => c.unitary([0], undefined as unknown as ComplexMatrix), CircuitError, 'E_CIRCUIT', /QubitUnitary needs a matrix/);
});

test('parseObservable throws only ObservableErrors: infinite coefficients and absurd wires are refused', () => {
  throwsCoded(() => parseObservable('1e400*Z0'), ObservableError, 'E_OBSERVABLE', /coefficient 1e400 is not a finite number at character 1/);
  throwsCoded(() => parseObservable('Z' + '9'.repeat(30)), ObservableError, 'E_OBSERVABLE', /is not a usable wire index/);
  for (const bad of ['', '+', '*Z0', 'Z0 Z0', 'Q0', '0.5 Z0', 'Z0 +', '2*', 'Z0 @', '1e999']) {
    assert.throws(() => parseObservable(bad, 2), ObservableError, `"${bad}" should be refused with an ObservableError`);
  }
});

test('the generic builder method appends any table gate by name', () => {
  const a = new Circuit(2).gate('CRX', [0, 1], [w(0)]).gate('Hadamard', [1]);
  const b = new Circuit(2).crx(0, 1, w(0)).h(1);
  assert.deepEqual(a.toJSON(), b.toJSON());
  throwsCoded(() => new Circuit(1).gate('Nope', [0]), CircuitError, 'E_CIRCUIT', /unknown gate "Nope"/);
});
