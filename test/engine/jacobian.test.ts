// QNode.jacobianOfLastForward: the Jacobian at the last forward, without running that forward
// again (what `entangle simulate --grad` uses), equal to jacobian() and to finite differences.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Circuit } from '../../src/circuit/circuit.js';
import { expval } from '../../src/circuit/measurements.js';
import { parseObservable } from '../../src/circuit/observable-parse.js';
import { w, x } from '../../src/circuit/params.js';
import { QNode } from '../../src/engine/qnode.js';

function circuit(): Circuit {
  const c = new Circuit(3);
  c.ry(0, x(0)).rx(1, x(1)).cnot(0, 2).crz(1, 2, w(0)).ry(2, w(1)).isingZZ(0, 1, x(0));
  return c;
}
const inputs = Float64Array.from([0.4, -1.1, 0.9, 0.3]); // batch 2 × 2 inputs
const weights = Float64Array.from([0.7, -0.2]);

/** Counts the engine's forward evaluations of a QNode (a private method, observed from outside). */
function countEvaluations(q: QNode): { count: number } {
  const counter = { count: 0 };
  const target = q as unknown as { evaluate: (...a: unknown[]) => void };
  const original = target.evaluate.bind(q);
  target.evaluate = (...a: unknown[]) => {
    counter.count++;
    original(...a);
  };
  return counter;
}

test('after a forward, one output: the Jacobian needs no further forward pass', () => {
  const q = new QNode(circuit(), expval([parseObservable('Z2')]));
  const evaluations = countEvaluations(q);
  q.forward(inputs.subarray(0, 2), weights, 1);
  assert.equal(evaluations.count, 1);
  q.jacobianOfLastForward();
  assert.equal(evaluations.count, 1, 'the forward was reused');
  q.jacobian(inputs.subarray(0, 2), weights, 1);
  assert.equal(evaluations.count, 2, 'jacobian() runs its own forward');
});

test('jacobianOfLastForward equals jacobian() and central finite differences', () => {
  const obs = [parseObservable('Z2'), parseObservable('0.5*X0 Y1')];
  const q = new QNode(circuit(), expval(obs));
  q.forward(inputs, weights, 2);
  const a = q.jacobianOfLastForward();
  const b = new QNode(circuit(), expval(obs)).jacobian(inputs, weights, 2);
  assert.deepEqual(Array.from(a.inputs), Array.from(b.inputs));
  assert.deepEqual(Array.from(a.weights), Array.from(b.weights));
  // d out[b][k] / d input[b][j] by central differences on a fresh QNode.
  const ref = new QNode(circuit(), expval(obs));
  const h = 1e-6;
  for (let s = 0; s < 2; s++)
    for (let j = 0; j < 2; j++) {
      const plus = Float64Array.from(inputs);
      const minus = Float64Array.from(inputs);
      plus[s * 2 + j] += h;
      minus[s * 2 + j] -= h;
      const fp = Array.from(ref.forward(plus, weights, 2));
      const fm = Array.from(ref.forward(minus, weights, 2));
      for (let k = 0; k < 2; k++) {
        const want = (fp[s * 2 + k] - fm[s * 2 + k]) / (2 * h);
        const got = a.inputs[(s * 2 + k) * 2 + j];
        assert.ok(Math.abs(got - want) < 1e-7, `d out[${s}][${k}] / d x[${j}]: ${got} vs ${want}`);
      }
    }
});

test('jacobianOfLastForward before any forward is a clear error', () => {
  const q = new QNode(circuit(), expval([parseObservable('Z0')]));
  assert.throws(() => q.jacobianOfLastForward(), /needs a forward call first/);
});
