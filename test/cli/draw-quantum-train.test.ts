// `entangle draw` on a Quantum-Train config draws the generating circuit.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { drawModelCircuits } from '../../src/cli/draw.js';

test('draw shows the Quantum-Train circuit: 13 qubits for the 6,690-weight CNN, U3 and CU3 gates', () => {
  const text = drawModelCircuits(new URL('../../examples/quantum-train/mnist-qt.yaml', import.meta.url).pathname, ['model.quantumTrain.blocks=1']);
  assert.match(text, /^model\.quantumTrain: 13 qubits, 1 block\(s\) of u3_cu3_ring, 78 angles; probabilities of the first 6690 basis states/);
  assert.match(text, /^12: ──U3\(w36,w37,w38\)/m);
  assert.equal((text.match(/U3\(/g) ?? []).length, 13 + 13, '13 U3 and a ring of 13 CU3');
});
