// Engine threads (issue 14 §2): a W4-like hybrid circuit (angle embedding, two strongly
// entangling layers, <Z> on every wire) at 4/8/10/13 qubits and batches 32/256/1024, forward +
// adjoint VJP, on 1 thread and on 2 threads (QNodeOptions.threads) in the same run. The two are
// interleaved (1, 2, 1, 2, ...) and each keeps its minimum, because the machine is shared and a
// minimum is the figure least disturbed by other processes. Wall time is what scaling is about;
// CPU time (process.cpuUsage, which counts every thread of the process) shows the total work, so
// 2-thread CPU above 1-thread CPU is the cost of splitting.
// Run: npm run bench -- threads

import { loadavg } from 'node:os';
import '../src/node-threads.js';
import { Circuit } from '../src/circuit/circuit.js';
import { expval } from '../src/circuit/measurements.js';
import { zOnEveryWire } from '../src/circuit/observables.js';
import { angleEmbedding, stronglyEntanglingLayers } from '../src/circuit/templates.js';
import { QNode } from '../src/engine/qnode.js';
import { terminateThreadPool } from '../src/engine/parallel/pool.js';
import { measureWallAndCpu as measure, table, type WallAndCpu as Sample } from './timing.js';

interface Case {
  n: number;
  B: number;
}

// 13 qubits stops at batch 32 and 10 at 256: larger ones take seconds per call and would push
// the section past the two minutes it is meant to take.
const CASES: Case[] = [
  ...[32, 256, 1024].flatMap((B) => [{ n: 4, B }, { n: 8, B }]),
  { n: 10, B: 32 }, { n: 10, B: 256 },
  { n: 13, B: 32 },
];


function workload(n: number, B: number, threads: number): () => void {
  const c = new Circuit(n);
  angleEmbedding(c);
  stronglyEntanglingLayers(c, { layers: 2 });
  const q = new QNode(c, expval(zOnEveryWire(n)), { threads });
  const inputs = Float64Array.from({ length: B * n }, (_, i) => Math.sin(i));
  const weights = Float64Array.from({ length: c.numWeights }, (_, i) => Math.cos(i));
  const g = Float64Array.from({ length: B * n }, (_, i) => Math.cos(0.5 * i));
  return () => {
    q.forward(inputs, weights);
    q.vjp(g);
  };
}

export function runThreadsBench(): string {
  const load0 = loadavg();
  const rows: Array<Array<string | number>> = [];
  for (const { n, B } of CASES) {
    const one = workload(n, B, 1);
    const two = workload(n, B, 2);
    one();
    two(); // starts the pool's worker (once per process) and sizes the shards' buffers
    const probe = measure(one, 1).wall;
    const inner = Math.max(1, Math.round(40 / Math.max(probe, 0.01))); // ~40 ms per sample
    const reps = 9;
    let best1: Sample = { wall: Infinity, cpu: Infinity };
    let best2: Sample = { wall: Infinity, cpu: Infinity };
    for (let r = 0; r < reps; r++) {
      const s1 = measure(one, inner);
      const s2 = measure(two, inner);
      if (s1.wall < best1.wall) best1 = s1;
      if (s2.wall < best2.wall) best2 = s2;
    }
    rows.push([`${n} qubits, batch ${B}`, best1.wall * 1000, best2.wall * 1000, `${(best1.wall / best2.wall).toFixed(2)}x`, best1.cpu * 1000, best2.cpu * 1000]);
  }
  terminateThreadPool();
  const load1 = loadavg();
  const head = [
    '## Engine threads: forward + adjoint VJP, 1 vs 2 threads (W4-like: angle embedding, 2 strongly entangling layers, <Z> per wire)',
    '',
    `Load average (1/5/15 min): ${load0.map((l) => l.toFixed(2)).join(' / ')} at the start, ${load1.map((l) => l.toFixed(2)).join(' / ')} at the end. ` +
      'Minimum of 9 interleaved repetitions; per call in µs; CPU counts both threads.',
    '',
  ];
  return [...head, table(['workload', '1 thread wall', '2 threads wall', 'speed-up (wall)', '1 thread CPU', '2 threads CPU'], rows)].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(runThreadsBench());
