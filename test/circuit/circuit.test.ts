// Circuit construction: shape errors name the operation, the wire and the parameter; the JSON form
// round-trips; observables parse with precise errors.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Circuit, CircuitError } from '../../src/circuit/circuit.js';
import { parseObservable } from '../../src/circuit/observable-parse.js';
import { formatObservable } from '../../src/circuit/observables.js';
import { w, x, xx } from '../../src/circuit/params.js';
import { expval, state } from '../../src/circuit/measurements.js';
import { QNode } from '../../src/engine/qnode.js';
import { stronglyEntanglingLayers, angleEmbedding, amplitudeEmbedding } from '../../src/circuit/templates.js';

test('build-time errors name the operation, gate, wire and parameter', () => {
  const c = new Circuit(3).h(0);
  assert.throws(() => c.cnot(0, 3), (e: Error) => e instanceof CircuitError && /operation #1 \(CNOT\): wire 1 is 3, outside 0\.\.2/.test(e.message));
  assert.throws(() => c.cnot(1, 1), /repeat a wire/);
  assert.throws(() => c.add('RX', [0], []), /operation #1 \(RX\): needs 1 parameter\(s\), got 0/);
  assert.throws(() => c.add('Foo', [0]), /unknown gate "Foo"; known gates: Identity/);
  assert.throws(() => c.add('RX', [0], [NaN]), /parameter 0: constant parameter must be a finite number/);
  assert.throws(() => w(-1), /weight index must be a non-negative integer/);
  assert.throws(() => new Circuit(0), /1 to 30 wires/);
  assert.throws(() => c.unitary([0], { dim: 2, re: Float64Array.from([1, 1, 0, 1]), im: new Float64Array(4) }), /not unitary/);
  const a = new Circuit(2).rx(0, 0.1);
  assert.throws(() => amplitudeEmbedding(a), /must come before every gate/);
});

test('run-time errors name the array and the expected shape', () => {
  const c = new Circuit(2);
  angleEmbedding(c);
  stronglyEntanglingLayers(c, { layers: 1 });
  const q = new QNode(c, expval([parseObservable('Z0')]));
  assert.throws(() => q.forward([0.1, 0.2, 0.3], new Float64Array(6)), /inputs has 3 values, not a multiple of the circuit's 2 input features/);
  assert.throws(() => q.forward([0.1, 0.2], new Float64Array(5)), /weights has 5 values, the circuit has 6 weights/);
  assert.throws(() => q.forward([0.1, NaN], new Float64Array(6)), /operation #1 \(RX on wires 1\), parameter 0: value is NaN for sample 0/);
  assert.throws(() => new QNode(c, expval([parseObservable('Z4')])), /observable 0: Z4 acts on wire 4, outside 0\.\.1/);
  q.forward([0.1, 0.2], new Float64Array(6));
  assert.throws(() => q.vjp([1, 2]), /cotangent has 2 values, expected batch 1 × 1 outputs/);
});

test('a circuit round-trips through JSON to the same state', () => {
  const c = new Circuit(3);
  angleEmbedding(c, { scale: Math.PI });
  stronglyEntanglingLayers(c, { layers: 2 });
  c.multiRZ([0, 2], xx(0, 1, { scale: 0.5 })).crx(2, 0, w(3, { scale: 2, offset: 0.1 })).ry(1, x(2, { offset: 1 }));
  const back = Circuit.fromJSON(JSON.parse(JSON.stringify(c.toJSON())));
  assert.equal(back.numWeights, c.numWeights);
  assert.equal(back.numInputs, c.numInputs);
  const inputs = [0.1, -0.5, 0.9];
  const wts = Array.from({ length: c.numWeights }, (_, i) => Math.sin(i));
  assert.deepEqual([...new QNode(back, state()).forward(inputs, wts)], [...new QNode(c, state()).forward(inputs, wts)]);
});

test('observables: sums of Pauli words with coefficients, identity terms, and precise errors', () => {
  const o = parseObservable('0.5*X0 Z2 + Z1 - 2 - 1e-1*Y3@X1');
  assert.deepEqual(o.terms.map((t) => t.coeff), [0.5, 1, -2, -0.1]);
  assert.deepEqual(o.terms[0].factors, [{ pauli: 'X', wire: 0 }, { pauli: 'Z', wire: 2 }]);
  assert.deepEqual(o.terms[2].factors, []);
  assert.equal(formatObservable(o), '0.5*X0 Z2 + Z1 - 2 - 0.1*Y3 X1');
  assert.throws(() => parseObservable(''), /empty observable/);
  assert.throws(() => parseObservable('Z0 +'), /expected a term after the sign/);
  assert.throws(() => parseObservable('Q1'), /expected a coefficient or a Pauli factor.*character 1/);
  assert.throws(() => parseObservable('Z0 Z0'), /wire 0 appears twice/);
  assert.throws(() => parseObservable('Z0 + X9', 3), /wire 9 is out of range \(the circuit has wires 0\.\.2\) at character 6/);
  assert.throws(() => parseObservable('2 X0'), /expected "\*" between the coefficient/);
});
