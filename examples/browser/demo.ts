// The engine in a web page (examples/browser/index.html): the same code as in Node, bundled for
// the browser by build.ts. It uses the WebAssembly SIMD kernels where the browser has them.
import { Circuit, angleEmbedding, expval, stronglyEntanglingLayers, zOnEveryWire } from 'entangle/circuit';
import { QNode, wasmKernelsActive } from 'entangle/engine';

export interface DemoResult {
  kernels: 'WebAssembly SIMD' | 'JavaScript';
  /** <Z_i> of sample 0. */
  expvals: number[];
  /** d(sum of all outputs)/d(first four weights). */
  gradients: number[];
  microsecondsPerCall: number;
}

export function runDemo(batch = 32, calls = 500): DemoResult {
  const circuit = new Circuit(4);
  angleEmbedding(circuit);
  stronglyEntanglingLayers(circuit, { layers: 2 });
  const qnode = new QNode(circuit, expval(zOnEveryWire(4)));
  const inputs = Float64Array.from({ length: batch * 4 }, (_, i) => Math.sin(i));
  const weights = Float64Array.from({ length: circuit.numWeights }, (_, i) => 0.1 * i);
  const ones = new Float64Array(batch * 4).fill(1);
  const out = qnode.forward(inputs, weights).slice();
  const grads = qnode.vjp(ones);
  // Warm-up first: browsers run new WebAssembly and JavaScript in baseline tiers until they are hot.
  for (let i = 0; i < calls; i++) {
    qnode.forward(inputs, weights);
    qnode.vjp(ones);
  }
  const t0 = performance.now();
  for (let i = 0; i < calls; i++) {
    qnode.forward(inputs, weights);
    qnode.vjp(ones);
  }
  return {
    kernels: wasmKernelsActive() && qnode.usesWasmKernels ? 'WebAssembly SIMD' : 'JavaScript',
    expvals: Array.from(out.subarray(0, 4)),
    gradients: Array.from(grads.weights.subarray(0, 4)),
    microsecondsPerCall: ((performance.now() - t0) * 1000) / calls,
  };
}

if (typeof document !== 'undefined') {
  const el = document.getElementById('out');
  try {
    const r = runDemo();
    const f = (xs: number[]) => xs.map((v) => v.toFixed(6)).join(' ');
    if (el) {
      el.textContent = [
        `kernels: ${r.kernels}`,
        `expvals (sample 0): ${f(r.expvals)}`,
        `d/dweights[0..3]: ${f(r.gradients)}`,
        `forward + gradient, batch 32: ${r.microsecondsPerCall.toFixed(0)} µs per call`,
      ].join('\n');
    }
  } catch (e) {
    if (el) el.textContent = `ERROR ${String(e)}`;
  }
}
