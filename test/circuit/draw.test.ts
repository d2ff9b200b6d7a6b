import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Circuit } from '../../src/circuit/circuit.js';
import { drawCircuit } from '../../src/circuit/draw.js';
import { gateMatrices } from '../../src/circuit/gates.js';
import { expr, w, x, xx } from '../../src/circuit/params.js';
import { amplitudeEmbedding, angleEmbedding } from '../../src/circuit/templates.js';

describe('drawCircuit', () => {
  it('draws a small circuit exactly', () => {
    const c = new Circuit(2).rx(0, x(0)).ry(1, x(1)).cnot(0, 1).rot(0, w(0), w(1), w(2));
    assert.equal(drawCircuit(c), ['0: ──RX(x0)─╭●─Rot(w0,w1,w2)─┤', '1: ──RY(x1)─╰X───────────────┤'].join('\n'));
  });

  it('shows bound values with the requested decimals', () => {
    const c = new Circuit(2).rx(0, x(0)).crz(1, 0, w(0, { scale: 2 }));
    assert.equal(
      drawCircuit(c, { bind: { weights: [0.25], inputs: [1] }, decimals: 3 }),
      ['0: ──RX(1.000)─╭RZ(0.500)─┤', '1: ────────────╰●─────────┤'].join('\n'),
    );
  });

  it('packs gates left, blocks crossed wires, and labels every kind of gate', () => {
    const c = new Circuit(4)
      .h(0)
      .h(1)
      .toffoli(0, 3, 2)
      .x(1) // wire 1 is crossed by the Toffoli's connector, so X goes in the next column
      .swap(0, 1)
      .multiRZ([1, 2, 3], xx(0, 1, { scale: 2 }))
      .phase(0, expr({ op: '*', a: { op: 'weight', index: 0 }, b: { op: 'fn', name: 'sin', a: { op: 'input', index: 0 } } }))
      .unitary([2], gateMatrices.H);
    assert.equal(
      drawCircuit(c),
      [
        '0: ──H─╭●───╭SWAP─P(w0*sin(x0))───────┤',
        '1: ──H─│──X─╰SWAP─╭MultiRZ(2*x0*x1)───┤',
        '2: ────├X─────────├MultiRZ(2*x0*x1)─U─┤',
        '3: ────╰●─────────╰MultiRZ(2*x0*x1)───┤',
      ].join('\n'),
    );
  });

  it('shows the amplitude-embedded initial state first', () => {
    const c = new Circuit(2);
    amplitudeEmbedding(c, { normalize: true });
    c.cnot(1, 0);
    assert.equal(drawCircuit(c), ['0: ──╭|x0..x3⟩─╭X─┤', '1: ──╰|x0..x3⟩─╰●─┤'].join('\n'));
  });

  it('wraps a wide circuit into blocks no wider than maxWidth', () => {
    const c = new Circuit(3);
    for (let layer = 0; layer < 12; layer++) {
      angleEmbedding(c, { features: 3 * layer, rotation: 'Y' });
      c.cnot(0, 1).cnot(1, 2);
    }
    const text = drawCircuit(c, { maxWidth: 60 });
    const blocks = text.split('\n\n');
    assert.ok(blocks.length > 2, text);
    for (const [b, block] of blocks.entries()) {
      const lines = block.split('\n');
      assert.equal(lines.length, 3);
      lines.forEach((line, wire) => {
        assert.ok([...line].length <= 60, `${[...line].length}: ${line}`);
        assert.ok(line.startsWith(`${wire}: ─`), line);
        assert.equal(line.endsWith('┤'), b === blocks.length - 1, line);
      });
      // Lines of one block have one length, so columns line up.
      assert.equal(new Set(lines.map((l) => [...l].length)).size, 1);
    }
    // Nothing is lost: every rotation appears once, in order.
    const labels = [...text.matchAll(/RY\(x(\d+)\)/g)].map((m) => Number(m[1]));
    assert.equal(labels.length, 36);
    assert.deepEqual(
      [...new Set(labels)].sort((a, b) => a - b),
      Array.from({ length: 36 }, (_, i) => i),
    );
    // The default width (100) also holds.
    for (const line of drawCircuit(c).split('\n')) assert.ok([...line].length <= 100, '[...line].length <= 100');
  });

  it('aligns wire labels of ten or more wires', () => {
    const c = new Circuit(11).cnot(0, 10);
    const lines = drawCircuit(c).split('\n');
    assert.equal(lines[0], ' 0: ──╭●─┤');
    assert.equal(lines[5], ' 5: ──│──┤');
    assert.equal(lines[10], '10: ──╰X─┤');
  });
});
