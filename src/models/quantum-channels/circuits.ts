// The two fixed circuits that turn an image's n downsampled values into quantum feature maps.
// Their weights are drawn once from a seed and never trained: the channels are a precomputed
// input transform, not part of the model's parameters.
//
//   edge (n wires):     RY(π·x_i) on every wire, a ring of CNOTs i → i+1 (mod n), RY(w_i)
//                       → <Z_i>. The ring mixes each cell with its neighbour, so a wire's value
//                       depends on how its cell differs from the next one (an edge response).
//   texture (n wires):  H on every wire, RZ(π·x_i), then a star around hub wire 0: for every
//                       other wire k an IsingZZ(v_k) and a controlled phase of π·x_0·x_k, then
//                       RX(u_i) → <Z_i>. The phase terms couple the hub cell with every other
//                       cell (a second-order, texture-like statistic); RX turns phases into
//                       populations so <Z> sees them.
//
// Inputs x_i are pixel means in [0, 1] (so angles lie in [0, π]); weights are uniform in [0, 2π).
// With n = 1 the edge circuit is RY(π·x) RY(w): <Z> = cos(π·x + w) (the tests' closed form).

import { Circuit } from '../../circuit/circuit.js';
import { expval, type ExpvalMeasurement } from '../../circuit/measurements.js';
import { zOnEveryWire } from '../../circuit/observables.js';
import { w, x, xx } from '../../circuit/params.js';
import { deriveSeed, Rng } from '../../util/random.js';

export interface ChannelCircuit {
  name: 'edge' | 'texture';
  circuit: Circuit;
  measurement: ExpvalMeasurement;
  /** The fixed weights, [circuit.numWeights]. */
  weights: Float64Array;
}

/** Seeded uniform weights in [0, 2π); each circuit has its own stream under the seed. */
function fixedWeights(count: number, seed: number, name: string): Float64Array {
  const rng = new Rng(deriveSeed(seed, 'quantum-channels', name));
  return Float64Array.from({ length: count }, () => 2 * Math.PI * rng.next());
}

export function edgeCircuit(qubits: number, seed: number): ChannelCircuit {
  const c = new Circuit(qubits);
  c.declareInputs(qubits);
  for (let i = 0; i < qubits; i++) c.add('RY', [i], [x(i, { scale: Math.PI })]);
  // A ring needs 3 wires; with 2 a single CNOT, with 1 none.
  const pairs = qubits >= 3 ? qubits : qubits - 1;
  for (let i = 0; i < pairs; i++) c.add('CNOT', [i, (i + 1) % qubits]);
  const first = c.allocWeights(qubits);
  for (let i = 0; i < qubits; i++) c.add('RY', [i], [w(first + i)]);
  return { name: 'edge', circuit: c, measurement: expval(zOnEveryWire(qubits)), weights: fixedWeights(c.numWeights, seed, 'edge') };
}

export function textureCircuit(qubits: number, seed: number): ChannelCircuit {
  const c = new Circuit(qubits);
  c.declareInputs(qubits);
  for (let i = 0; i < qubits; i++) c.add('Hadamard', [i]);
  for (let i = 0; i < qubits; i++) c.add('RZ', [i], [x(i, { scale: Math.PI })]);
  const zz = c.allocWeights(Math.max(qubits - 1, 0));
  for (let k = 1; k < qubits; k++) {
    c.add('IsingZZ', [0, k], [w(zz + k - 1)]);
    c.add('ControlledPhaseShift', [0, k], [xx(0, k, { scale: Math.PI })]);
  }
  const rx = c.allocWeights(qubits);
  for (let i = 0; i < qubits; i++) c.add('RX', [i], [w(rx + i)]);
  return { name: 'texture', circuit: c, measurement: expval(zOnEveryWire(qubits)), weights: fixedWeights(c.numWeights, seed, 'texture') };
}

/** Both circuits, in channel order (edge first). */
export function channelCircuits(qubits: number, seed: number): [ChannelCircuit, ChannelCircuit] {
  return [edgeCircuit(qubits, seed), textureCircuit(qubits, seed)];
}
