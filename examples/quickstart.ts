import { Circuit, QNode, angleEmbedding, expval, parseObservable, stronglyEntanglingLayers, w } from 'entangle';

// 4 qubits: feature i rotates wire i, then 2 strongly entangling layers of trainable Rot gates.
const circuit = new Circuit(4);
angleEmbedding(circuit, { rotation: 'X' });
stronglyEntanglingLayers(circuit, { layers: 2 }); // 2 × 4 × 3 = 24 weights
circuit.crz(0, 3, w(24)); // any gate can use a weight w(i), an input x(i) or a constant

const qnode = new QNode(circuit, expval([parseObservable('Z0'), parseObservable('0.5*X1 Z2 + Z3')]));
const batch = 3;
const inputs = Float64Array.from({ length: batch * 4 }, (_, i) => Math.sin(i)); // [batch, features]
const weights = Float64Array.from({ length: circuit.numWeights }, (_, i) => 0.1 * i);

const out = qnode.forward(inputs, weights); // [batch, 2] expectation values
const grads = qnode.vjp(new Float64Array(out.length).fill(1)); // adjoint: d(sum of outputs)/d(weights, inputs)
console.log('expvals', Array.from(out, (v) => v.toFixed(4)).join(' '));
console.log('d/dweights[0..3]', Array.from(grads.weights.subarray(0, 4), (v) => v.toFixed(4)).join(' '));
