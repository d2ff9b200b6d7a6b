// Engine benchmarks (issue 2): W4, QT13 and L20 workloads, adjoint vs parameter-shift.
// Run: npm run bench -- engine   (or node --import tsx bench/engine.ts)

import { Circuit } from '../src/circuit/circuit.js';
import { expval, probs } from '../src/circuit/measurements.js';
import { zOnEveryWire } from '../src/circuit/observables.js';
import { w } from '../src/circuit/params.js';
import { angleEmbedding, ryCnotChainBlocks, stronglyEntanglingLayers, u3CU3RingBlocks } from '../src/circuit/templates.js';
import { QNode, type DiffMethod } from '../src/engine/qnode.js';
import { setWasmKernels } from '../src/engine/wasm/backend.js';
import { table, time, type Timing } from './timing.js';

function w4(method: DiffMethod = 'adjoint', fuse = true): { q: QNode; inputs: Float64Array; weights: Float64Array } {
  const c = new Circuit(4);
  angleEmbedding(c);
  stronglyEntanglingLayers(c, { layers: 2 });
  const q = new QNode(c, expval(zOnEveryWire(4)), { diffMethod: method, fuse });
  const inputs = Float64Array.from({ length: 32 * 4 }, (_, i) => Math.sin(i));
  const weights = Float64Array.from({ length: c.numWeights }, (_, i) => Math.cos(i));
  return { q, inputs, weights };
}

function qt13(method: DiffMethod = 'adjoint', ansatz: 'ry' | 'u3' = 'ry', fuse = true): { q: QNode; weights: Float64Array } {
  const c = new Circuit(13);
  if (ansatz === 'ry') ryCnotChainBlocks(c, { layers: 8 });
  else u3CU3RingBlocks(c, { layers: 8 });
  const q = new QNode(c, probs(), { diffMethod: method, fuse });
  return { q, weights: Float64Array.from({ length: c.numWeights }, (_, i) => Math.cos(i)) };
}

/** Build with the WebAssembly kernels off (the JavaScript reference kernels), for the side-by-side rows. */
function jsKernels<T>(build: () => T): T {
  setWasmKernels(false);
  try {
    return build();
  } finally {
    setWasmKernels(true);
  }
}

/** A table row in µs: wall median and best, and CPU-time median (robust to other load; see timing.ts). */
function row(label: string, t: Timing, target: number | ''): Array<string | number> {
  return [label, t.ms * 1000, t.min * 1000, t.cpu * 1000, target];
}

export function runEngineBench(): string {
  const rows: Array<Array<string | number>> = [];
  const lines: string[] = [];

  // W4
  const a = w4();
  const g4 = new Float64Array(32 * 4).fill(1);
  const fwd = time(() => a.q.forward(a.inputs, a.weights), { inner: 200 });
  const both = time(() => {
    a.q.forward(a.inputs, a.weights);
    a.q.vjp(g4);
  }, { inner: 100 });
  const un = w4('adjoint', false);
  const bothUnfused = time(() => {
    un.q.forward(un.inputs, un.weights);
    un.q.vjp(g4);
  }, { inner: 100 });
  const w4js = jsKernels(() => w4());
  const bothJs = time(() => {
    w4js.q.forward(w4js.inputs, w4js.weights);
    w4js.q.vjp(g4);
  }, { inner: 100 });
  const ps = w4('parameter-shift');
  const bothPs = time(() => {
    ps.q.forward(ps.inputs, ps.weights);
    ps.q.vjp(g4);
  }, { inner: 5 });
  rows.push(row('W4 forward (B=32)', fwd, ''));
  rows.push(row('W4 forward + VJP, adjoint', both, 300));
  rows.push(row('W4 forward + VJP, adjoint, gate fusion off', bothUnfused, ''));
  rows.push(row('W4 forward + VJP, adjoint, JavaScript kernels', bothJs, ''));
  rows.push(row('W4 forward + VJP, parameter-shift', bothPs, ''));
  // No ratio against peers here: their figures were measured on other days and machines (BENCHMARKS.md
  // states them with date, machine and command); a ratio is printed only between numbers this run measured.
  lines.push(`W4: parameter-shift / adjoint = ${(bothPs.ms / both.ms).toFixed(1)}x`);

  // QT13
  const b = qt13();
  const gq = new Float64Array(8192).map((_, i) => Math.sin(i));
  const qfwd = time(() => b.q.forward([], b.weights, 1), { inner: 5 });
  const qboth = time(() => {
    b.q.forward([], b.weights, 1);
    b.q.vjp(gq);
  }, { inner: 3 });
  const bjs = jsKernels(() => qt13());
  const qbothJs = time(() => {
    bjs.q.forward([], bjs.weights, 1);
    bjs.q.vjp(gq);
  }, { inner: 3 });
  const bps = qt13('parameter-shift');
  const qps = time(() => {
    bps.q.forward([], bps.weights, 1);
    bps.q.vjp(gq);
  }, { reps: 3, inner: 1, warmup: 1 });
  rows.push(row('QT13 forward (probs, 8192)', qfwd, ''));
  rows.push(row('QT13 forward + VJP, adjoint', qboth, 10000));
  rows.push(row('QT13 forward + VJP, adjoint, JavaScript kernels', qbothJs, ''));
  rows.push(row('QT13 forward + VJP, parameter-shift', qps, ''));
  const u3 = qt13('adjoint', 'u3');
  const u3un = qt13('adjoint', 'u3', false);
  const u3js = jsKernels(() => qt13('adjoint', 'u3'));
  const gU3 = (q: QNode, wts: Float64Array) => () => {
    q.forward([], wts, 1);
    q.vjp(gq);
  };
  const u3t = time(gU3(u3.q, u3.weights), { inner: 2 });
  const u3unT = time(gU3(u3un.q, u3un.weights), { inner: 2 });
  const u3jsT = time(gU3(u3js.q, u3js.weights), { inner: 2 });
  rows.push(row('QT13 U3+CU3 ring (624 weights) forward + VJP', u3t, ''));
  rows.push(row('QT13 U3+CU3 ring, gate fusion off', u3unT, ''));
  rows.push(row('QT13 U3+CU3 ring, JavaScript kernels', u3jsT, ''));
  lines.push(`gate fusion speed-up: W4 ${(bothUnfused.ms / both.ms).toFixed(2)}x, QT13 U3+CU3 ${(u3unT.ms / u3t.ms).toFixed(2)}x`);
  lines.push(`QT13: parameter-shift / adjoint = ${(qps.ms / qboth.ms).toFixed(1)}x`);

  // L20: per-gate time against one plain copy of the state's two arrays.
  const n = 20;
  const c = new Circuit(n);
  for (let q = 0; q < n; q++) c.ry(q, w(q));
  for (let q = 0; q + 1 < n; q++) c.cnot(q, q + 1);
  const ql = new QNode(c, probs([0]));
  const qlJs = jsKernels(() => new QNode(c, probs([0])));
  const wl = Float64Array.from({ length: n }, (_, i) => 0.1 * i);
  const lfwd = time(() => ql.forward([], wl, 1), { reps: 5, inner: 1, warmup: 1 });
  const lfwdJs = time(() => qlJs.forward([], wl, 1), { reps: 5, inner: 1, warmup: 1 });
  const re = new Float64Array(1 << n);
  const im = new Float64Array(1 << n);
  const re2 = new Float64Array(1 << n);
  const im2 = new Float64Array(1 << n);
  const copy = time(() => {
    re2.set(re);
    im2.set(im);
  }, { reps: 9, inner: 5 });
  const perGate = lfwd.ms / (2 * n - 1);
  rows.push(row('L20 forward (39 gates + probs)', lfwd, ''));
  rows.push(['L20 per gate (average)', perGate * 1000, (lfwd.min / (2 * n - 1)) * 1000, (lfwd.cpu / (2 * n - 1)) * 1000, '']);
  rows.push(['L20 per gate, JavaScript kernels', (lfwdJs.ms / (2 * n - 1)) * 1000, (lfwdJs.min / (2 * n - 1)) * 1000, (lfwdJs.cpu / (2 * n - 1)) * 1000, '']);
  rows.push(row('L20 plain copy of re+im (16 MiB)', copy, ''));
  lines.push(`WebAssembly SIMD kernels / JavaScript kernels (CPU time): W4 ${(bothJs.cpu / both.cpu).toFixed(2)}x, QT13 ${(qbothJs.cpu / qboth.cpu).toFixed(2)}x, QT13 U3+CU3 ${(u3jsT.cpu / u3t.cpu).toFixed(2)}x, L20 ${(lfwdJs.cpu / lfwd.cpu).toFixed(2)}x faster`);
  lines.push(`L20: per gate / copy = ${(perGate / copy.ms).toFixed(2)}x (wall median), ${(lfwd.min / (2 * n - 1) / copy.min).toFixed(2)}x (wall best), ${(lfwd.cpu / (2 * n - 1) / copy.cpu).toFixed(2)}x (CPU) (target ≤ 3x)`);

  return ['## Engine', '', table(['workload', 'wall median µs', 'wall best µs', 'CPU median µs', 'target µs'], rows), '', ...lines.map((l) => `- ${l}`)].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(runEngineBench());
