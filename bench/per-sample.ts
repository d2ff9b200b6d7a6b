// `npm run bench -- per-sample`: per-sample angles (what every hybrid's inputs are) against the
// same circuit with the angles shared by the batch, forward + adjoint VJP (issue 14, part 1).
//
// Circuit: AngleEmbedding (RX per wire) + 2 StronglyEntanglingLayers + <Z> per wire, batch 32 —
// W4 at 4 wires. "per-sample" feeds the embedding from inputs x(i) (a different angle per sample);
// "shared" gives the embedding the same number of weights instead (one angle for the whole batch),
// so the two circuits do the same arithmetic on the same state sizes. The per-sample variant runs
// twice: on the WebAssembly per-sample kernels, and with them off (setWasmPerSampleKernels(false):
// the JavaScript kernels, as before they existed). A fourth column runs the per-sample circuit with
// the <Z> read-out and its co-state in JavaScript (setWasmReadout(false): measure.ts's loops, as
// before the zTermExpval / zTermCostate kernels). CPU time per call, minimum over interleaved
// rounds of short samples (the machine is shared); the load average is printed with the figures.

import { Circuit } from '../src/circuit/circuit.js';
import { expval } from '../src/circuit/measurements.js';
import { zOnEveryWire } from '../src/circuit/observables.js';
import { w, x } from '../src/circuit/params.js';
import { stronglyEntanglingLayers } from '../src/circuit/templates.js';
import { QNode } from '../src/engine/qnode.js';
import { setWasmPerSampleKernels } from '../src/engine/wasm/backend.js';
import { setWasmReadout } from '../src/engine/statevector/measure.js';
import { loadavg } from 'node:os';
import { table } from './timing.js';

const BATCH = 32;

function build(wires: number, perSample: boolean): { q: QNode; inputs: Float64Array; weights: Float64Array; cot: Float64Array } {
  const c = new Circuit(wires);
  if (perSample) c.declareInputs(wires);
  const embedWeights = perSample ? 0 : c.allocWeights(wires);
  for (let q = 0; q < wires; q++) c.rx(q, perSample ? x(q) : w(embedWeights + q));
  stronglyEntanglingLayers(c, { layers: 2 });
  const q = new QNode(c, expval(zOnEveryWire(wires)));
  return {
    q,
    inputs: perSample ? Float64Array.from({ length: BATCH * wires }, (_, i) => Math.sin(i)) : new Float64Array(0),
    weights: Float64Array.from({ length: c.numWeights }, (_, i) => Math.cos(i)),
    cot: new Float64Array(BATCH * wires).fill(1),
  };
}

/**
 * Fewest CPU ms per call over `reps` samples of `inner` calls (after a short warm-up). Samples are
 * short (~1 ms at 4 wires), so that many of them run inside one scheduler slice: on a loaded
 * machine the minimum then approaches the quiet figure, where a median of long samples does not.
 */
function minCpu(fn: () => void, inner: number, reps: number): number {
  for (let i = 0; i < 3; i++) fn();
  let best = Infinity;
  for (let r = 0; r < reps; r++) {
    const c0 = process.cpuUsage();
    for (let i = 0; i < inner; i++) fn();
    const c = process.cpuUsage(c0);
    best = Math.min(best, (c.user + c.system) / 1000 / inner);
  }
  return best;
}

export function runPerSampleBench(): string {
  const load0 = loadavg();
  const rows: Array<Array<string | number>> = [];
  const summary: string[] = [];
  for (const wires of [4, 8, 10]) {
    const per = build(wires, true);
    const shared = build(wires, false);
    const inner = wires <= 4 ? 20 : wires <= 8 ? 4 : 1;
    const reps = wires <= 4 ? 30 : 20;
    const step = (v: ReturnType<typeof build>) => () => {
      v.q.forward(v.inputs, v.weights, BATCH);
      v.q.vjp(v.cot);
    };
    const best = { wasm: Infinity, js: Infinity, shared: Infinity, jsReadout: Infinity };
    const rounds = wires <= 4 ? 9 : 5;
    for (let round = 0; round < rounds; round++) {
      best.wasm = Math.min(best.wasm, minCpu(step(per), inner, reps));
      setWasmPerSampleKernels(false);
      best.js = Math.min(best.js, minCpu(step(per), inner, reps));
      setWasmPerSampleKernels(true);
      best.shared = Math.min(best.shared, minCpu(step(shared), inner, reps));
      setWasmReadout(false);
      best.jsReadout = Math.min(best.jsReadout, minCpu(step(per), inner, reps));
      setWasmReadout(true);
    }
    rows.push([`${wires} wires`, best.shared * 1000, best.wasm * 1000, best.js * 1000, best.jsReadout * 1000,
      (best.wasm / best.shared).toFixed(2) + 'x', (best.js / best.shared).toFixed(2) + 'x', (best.js / best.wasm).toFixed(2) + 'x',
      (best.jsReadout / best.wasm).toFixed(2) + 'x']);
    if (wires === 4) {
      summary.push(`W4 forward + VJP (per-sample inputs, batch ${BATCH}): ${(best.wasm * 1000).toFixed(1)} µs CPU (target: under 60 µs on a quiet core); ${(best.jsReadout * 1000).toFixed(1)} µs with the read-out in JavaScript, ${(best.js * 1000).toFixed(1)} µs without the per-sample kernels`);
      summary.push(`4 wires, per-sample / shared: ${(best.wasm / best.shared).toFixed(2)}x (target: within 1.25x)`);
    }
  }
  const load1 = loadavg();
  return [
    `## Per-sample vs shared angles (forward + adjoint VJP, batch ${BATCH}, CPU µs per call, fewest over 9 (4 wires) or 5 interleaved rounds of short samples)`,
    '',
    `Load average (1/5/15 min): ${load0.map((l) => l.toFixed(2)).join(' / ')} at the start, ${load1.map((l) => l.toFixed(2)).join(' / ')} at the end.`,
    '',
    table(['circuit', 'shared', 'per-sample, wasm', 'per-sample, JS', 'per-sample, JS read-out', 'wasm / shared', 'JS / shared', 'speed-up', 'read-out speed-up'], rows),
    '',
    ...summary.map((s) => `- ${s}`),
  ].join('\n');
}
