// One state split across threads (issue 14 §2): batch 1, `threads: 1` against `threads: 2` in the
// same run, interleaved (1, 2, 1, 2, ...), minimum of N repetitions each, wall and CPU time
// (process.cpuUsage counts every thread of the process, so 2-thread CPU above 1-thread CPU is
// the cost of the barriers).
//
//   - QT13 forward + VJP: the Quantum-Train circuit of bench/engine.ts (13 qubits, RY + CNOT
//     chain blocks, 8 layers, probs of all 8192 states), one state, shared weights;
//   - `simulate --grad` at 22 qubits: the CLI's own runSimulate in this process (OpenQASM parse,
//     forward, Jacobian by the adjoint), on the program of BENCHMARKS.md's "simulate --grad
//     reuses its forward" (3 layers of per-wire ry(a*k) + a CNOT chain, one input, <Z0>);
//   - the curve: RY + CNOT chain, 2 layers, <Z0>, 8-22 qubits, forward alone and forward + VJP,
//     with the split forced on at every size (setSplitThreshold) to show where it pays;
//   - a control: the batch shards on a workload that scales (10 qubits, batch 64, forward; 1.8x
//     on a quiet machine, BENCHMARKS.md "Engine threads"). If it shows no speed-up, the machine
//     gave this process no second core during the run and no 2-thread figure above means much.
// Run: npm run bench -- state-split   (also part of `npm run bench -- threads`)

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import '../src/node-threads.js';
import { Circuit } from '../src/circuit/circuit.js';
import { expval, probs } from '../src/circuit/measurements.js';
import { pauliWord } from '../src/circuit/observables.js';
import { zOnEveryWire } from '../src/circuit/observables.js';
import { angleEmbedding, ryCnotChainBlocks, stronglyEntanglingLayers } from '../src/circuit/templates.js';
import { runSimulate } from '../src/cli/simulate.js';
import { QNode } from '../src/engine/qnode.js';
import { terminateThreadPool } from '../src/engine/parallel/pool.js';
import { DEFAULT_SPLIT_THRESHOLD, setSplitThreshold, splitJobCount } from '../src/engine/parallel/split-qnode.js';
import { measureWallAndCpu as measure, table, type WallAndCpu as Sample } from './timing.js';


/** Min of `reps` interleaved samples of one and two (each ~`targetMs` long). */
function compare(one: () => void, two: () => void, reps: number, targetMs: number): { a: Sample; b: Sample } {
  one();
  two(); // starts the worker and sizes the shared memory
  const probe = measure(one, 1).wall;
  const inner = Math.max(1, Math.round(targetMs / Math.max(probe, 0.01)));
  let a: Sample = { wall: Infinity, cpu: Infinity };
  let b: Sample = { wall: Infinity, cpu: Infinity };
  for (let r = 0; r < reps; r++) {
    const s1 = measure(one, inner);
    const s2 = measure(two, inner);
    if (s1.wall < a.wall) a = s1;
    if (s2.wall < b.wall) b = s2;
  }
  return { a, b };
}

function row(label: string, r: { a: Sample; b: Sample }): Array<string | number> {
  return [label, r.a.wall * 1000, r.b.wall * 1000, `${(r.a.wall / r.b.wall).toFixed(2)}x`, r.a.cpu * 1000, r.b.cpu * 1000];
}

function qt13(threads: number): () => void {
  const c = new Circuit(13);
  ryCnotChainBlocks(c, { layers: 8 });
  const q = new QNode(c, probs(), { threads });
  const weights = Float64Array.from({ length: c.numWeights }, (_, i) => Math.cos(i));
  const g = new Float64Array(8192).map((_, i) => Math.sin(i));
  return () => {
    q.forward([], weights, 1);
    q.vjp(g);
  };
}

/** The 22-qubit program of the earlier `simulate --grad` measurement, as OpenQASM. */
function simulateProgram(n: number): string {
  const lines = ['OPENQASM 3.0;', 'include "stdgates.inc";', 'input float a;', `qubit[${n}] q;`];
  for (let l = 0; l < 3; l++) {
    for (let k = 0; k < n; k++) lines.push(`ry(a*${l * n + k + 1}) q[${k}];`);
    for (let k = 0; k + 1 < n; k++) lines.push(`cx q[${k}], q[${k + 1}];`);
  }
  return lines.join('\n') + '\n';
}

function chain(n: number, threads: number, withGrad: boolean): () => void {
  const c = new Circuit(n);
  ryCnotChainBlocks(c, { layers: 2 });
  const q = new QNode(c, expval([pauliWord([['Z', 0]])]), { threads });
  const weights = Float64Array.from({ length: c.numWeights }, (_, i) => Math.cos(i));
  const g = Float64Array.of(1);
  return withGrad
    ? () => {
      q.forward([], weights, 1);
      q.vjp(g);
    }
    : () => void q.forward([], weights, 1);
}

function shards(threads: number): () => void {
  const n = 10;
  const B = 64;
  const c = new Circuit(n);
  angleEmbedding(c);
  stronglyEntanglingLayers(c, { layers: 2 });
  const q = new QNode(c, expval(zOnEveryWire(n)), { threads });
  const inputs = Float64Array.from({ length: B * n }, (_, i) => Math.sin(i));
  const weights = Float64Array.from({ length: c.numWeights }, (_, i) => Math.cos(i));
  return () => void q.forward(inputs, weights);
}

export function runStateSplitBench(): string {
  const load0 = loadavg();
  const jobs0 = splitJobCount();
  const rows: Array<Array<string | number>> = [];
  rows.push(row('QT13 forward + VJP (13 qubits, probs)', compare(qt13(1), qt13(2), 9, 60)));

  const dir = mkdtempSync(join(tmpdir(), 'entangle-split-bench-'));
  try {
    const file = join(dir, 'q22.qasm');
    writeFileSync(file, simulateProgram(22));
    const sim = (threads: number) => () => void runSimulate(file, { set: ['a=0.3'], observable: ['Z0'], grad: true, threads: String(threads) });
    rows.push(row('simulate --grad, 22 qubits (in process)', compare(sim(1), sim(2), 3, 1)));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  rows.push(row('control: batch shards, 10 qubits, batch 64, forward', compare(shards(1), shards(2), 9, 40)));

  const curve: Array<Array<string | number>> = [];
  const before = setSplitThreshold({ minQubits: 1 });
  try {
    for (const n of [8, 10, 12, 14, 16, 18, 20, 22]) {
      const reps = n >= 20 ? 3 : 7;
      const f = compare(chain(n, 1, false), chain(n, 2, false), reps, 40);
      const fg = compare(chain(n, 1, true), chain(n, 2, true), reps, 40);
      curve.push([String(n), f.a.wall * 1000, f.b.wall * 1000, `${(f.a.wall / f.b.wall).toFixed(2)}x`,
        fg.a.wall * 1000, fg.b.wall * 1000, `${(fg.a.wall / fg.b.wall).toFixed(2)}x`, `${(fg.b.cpu / fg.a.cpu).toFixed(2)}x`]);
    }
  } finally {
    setSplitThreshold(before);
  }
  const splitJobs = splitJobCount() - jobs0;
  terminateThreadPool();
  const load1 = loadavg();
  return [
    '## One state split across threads: batch 1, 1 vs 2 threads',
    '',
    `Load average (1/5/15 min): ${load0.map((l) => l.toFixed(2)).join(' / ')} at the start, ${load1.map((l) => l.toFixed(2)).join(' / ')} at the end. ` +
      `Minimum of interleaved repetitions; µs per call; CPU counts both threads; ${splitJobs} split jobs ran. ` +
      `Default threshold: split from ${DEFAULT_SPLIT_THRESHOLD.minQubits} qubits.`,
    '',
    table(['workload', '1 thread wall', '2 threads wall', 'speed-up (wall)', '1 thread CPU', '2 threads CPU'], rows),
    '',
    'Scaling by qubits (RY + CNOT chain, 2 layers, <Z0>; split forced on at every size):',
    '',
    table(['qubits', 'forward 1T', 'forward 2T', 'speed-up', 'fwd+VJP 1T', 'fwd+VJP 2T', 'speed-up', 'CPU 2T / 1T (fwd+VJP)'], curve),
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(runStateSplitBench());
