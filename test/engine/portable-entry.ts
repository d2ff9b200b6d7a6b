// Entry bundled by portable.test.ts for a bare JavaScript context (what a browser page gets).
import { Circuit, angleEmbedding, stronglyEntanglingLayers, expval, zOnEveryWire } from '../../src/circuit/index.js';
import { QNode, wasmKernelsActive } from '../../src/engine/index.js';

export function runW4(): { out: number[]; gw: number[]; gx: number[]; wasm: boolean } {
  const c = new Circuit(4);
  angleEmbedding(c);
  stronglyEntanglingLayers(c, { layers: 2 });
  const q = new QNode(c, expval(zOnEveryWire(4)));
  const inputs = Float64Array.from({ length: 8 }, (_, i) => Math.sin(i));
  const weights = Float64Array.from({ length: 24 }, (_, i) => Math.cos(i));
  const out = q.forward(inputs, weights);
  const g = q.vjp(new Float64Array(8).fill(1));
  return { out: [...out], gw: [...g.weights], gx: [...g.inputs], wasm: wasmKernelsActive() };
}
