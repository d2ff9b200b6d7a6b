// The SVG circuit drawing (src/circuit/draw-svg.ts), used by `entangle draw --svg` and the
// playground: well-formed (an independent XML/SVG parser, resvg's, accepts and renders it), every
// gate drawn once with its label and its angle (the bound weight, computed here from the
// circuit's own parameter references), controls as dots, titles escaped.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import fc from 'fast-check';
import { Circuit } from '../../src/circuit/circuit.js';
import { drawCircuitSvg } from '../../src/circuit/draw-svg.js';
import { GATES } from '../../src/circuit/gates.js';
import { angleEmbedding, stronglyEntanglingLayers } from '../../src/circuit/templates.js';
import { runCli } from '../../src/cli/program.js';

/** Each <g class="gate">'s data-gate and data-params, in drawing order. */
function gatesOf(svg: string): Array<[string, string]> {
  return [...svg.matchAll(/<g class="gate" data-gate="([^"]*)" data-params="([^"]*)"/g)].map((m) => [m[1], m[2]]);
}

/** Renders with resvg: throws on XML that is not well-formed or SVG it cannot read. */
function render(svg: string): { width: number; height: number } {
  const png = new Resvg(svg).render();
  return { width: png.width, height: png.height };
}

test('every gate is drawn once with its label and its bound angle; resvg parses and renders it', () => {
  const c = new Circuit(3);
  angleEmbedding(c, { rotation: 'Y' });
  stronglyEntanglingLayers(c, { layers: 2 });
  c.crx(1, 2, { kind: 'weight', index: c.numWeights, scale: 1, offset: 0 });
  const weights = Float64Array.from({ length: c.numWeights }, (_, i) => Math.sin(i + 1) * 3);
  const svg = drawCircuitSvg(c, { bind: { weights }, title: 'a <title> & more' });
  assert.ok(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"'), 'svg.startsWith(\'<svg xmlns="http://www.w3.org/2000/svg"\')');
  const size = render(svg);
  assert.ok(size.width > 200 && size.height > 100, `rendered ${size.width}x${size.height}`);

  // Expected from the circuit's operations: label, and each parameter as drawn (weights bound to
  // two decimals, inputs as their symbols).
  const expected = c.ops.map((op) => {
    const params = op.params.map((p) => {
      if (p.kind === 'weight') return (weights[p.index] * p.scale + p.offset).toFixed(2);
      if (p.kind === 'input') return `x${p.index}`;
      throw new Error(`unexpected parameter kind ${p.kind}`);
    });
    return [GATES[op.gate as keyof typeof GATES].label, params.join(',')];
  });
  const drawn = gatesOf(svg);
  const key = ([g, p]: string[]) => `${g}(${p})`;
  assert.deepEqual(drawn.map(key).sort(), expected.map(key).sort());
  // The controls: one dot per control wire (CNOTs of the ansatz and the CRX).
  const controls = c.ops.reduce((s, op) => s + GATES[op.gate as keyof typeof GATES].numControls, 0);
  assert.equal([...svg.matchAll(/<circle [^>]*r="4.5"/g)].length, controls);
  assert.ok(svg.includes('a &lt;title&gt; &amp; more'), 'the title is escaped');
});

test('property: random circuits of the table\'s gates give well-formed SVG with one element per gate', () => {
  const names = (['RX', 'RY', 'RZ', 'Hadamard', 'CNOT', 'CZ', 'CRY', 'Rot', 'SWAP', 'Toffoli'] as const).filter((g) => g in GATES);
  fc.assert(
    fc.property(fc.integer({ min: 3, max: 5 }), fc.array(fc.tuple(fc.constantFrom(...names), fc.nat(), fc.double({ min: -10, max: 10, noNaN: true })), { minLength: 1, maxLength: 14 }), (n, specs) => {
      const c = new Circuit(n);
      const weights: number[] = [];
      for (const [name, start, angle] of specs) {
        const def = GATES[name as keyof typeof GATES];
        const wires = Array.from({ length: def.numWires }, (_, k) => (start + k) % n);
        const params = def.paramNames.map(() => {
          weights.push(angle);
          return { kind: 'weight' as const, index: weights.length - 1, scale: 1, offset: 0 };
        });
        c.gate(name, wires, params);
      }
      c.declareWeights(weights.length);
      const svg = drawCircuitSvg(c, { bind: { weights } });
      render(svg);
      assert.equal(gatesOf(svg).length, specs.length);
    }),
    { numRuns: 25, seed: 13 },
  );
});

test('entangle draw CONFIG --svg FILE writes the drawing, and refuses to replace a file without --force', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'entangle-draw-svg-'));
  try {
    const config = new URL('../../examples/circles/hybrid.yaml', import.meta.url).pathname;
    const file = join(dir, 'circuit.svg');
    const err: string[] = [];
    const out = (args: string[]) => runCli(['node', 'entangle', 'draw', config, ...args], { write: (t) => err.push(t) });
    assert.equal(await out(['--svg', file]), 0, err.join(''));
    const svg = readFileSync(file, 'utf8');
    render(svg);
    // 4 wires: 4 RX, then 2 layers of 4 Rot + 4 CNOT.
    const gates = gatesOf(svg);
    assert.equal(gates.filter(([g]) => g === 'RX').length, 4);
    assert.equal(gates.filter(([g]) => g === 'Rot').length, 8);
    assert.equal(gates.filter(([g]) => g === 'X').length, 8);
    assert.ok(svg.includes('model.layers[2]: quantum layer, 4 wires'), 'svg.includes(\'model.layers[2]: quantum layer, 4 wires\')');

    writeFileSync(file, 'mine');
    assert.equal(await out(['--svg', file]), 1);
    assert.match(err.join(''), /exists; pass --force/);
    assert.equal(readFileSync(file, 'utf8'), 'mine', 'the file is left alone');
    assert.equal(await out(['--svg', file, '--force']), 0);
    assert.ok(readFileSync(file, 'utf8').startsWith('<svg'), 'readFileSync(file, \'utf8\').startsWith(\'<svg\')');

    const classical = new URL('../../examples/circles/classical.yaml', import.meta.url).pathname;
    const none = join(dir, 'none.svg');
    assert.equal(await runCli(['node', 'entangle', 'draw', classical, '--svg', none], { write: (t) => err.push(t) }), 1);
    assert.ok(!existsSync(none), '!existsSync(none)');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
