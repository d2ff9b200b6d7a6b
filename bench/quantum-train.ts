// Quantum-Train training-step benchmark: batches per second at batch 64 for N = 13 qubits (the
// paper's MNIST CNN, 6,690 generated weights) and L blocks, both ansatzes, with the split of a
// step between the circuit, the mapping network and the CNN.
//
//   npm run bench -- quantum-train                       (a section of bench/run.ts)
//   node --import tsx bench/quantum-train.ts [--blocks 8] [--steps 20] [--rounds 3] [--backend wasm]
//
// A full step is what the trainer does per batch: forward through circuit → mapping → CNN,
// gradients of the loss for every trainable variable (adjoint VJP into the angles), one Adam
// update. The parts are timed apart, each as forward + gradient:
//   circuit : quantumOp on the QNode (probs of 2^13 states + the adjoint VJP), in the tfjs op
//   mapping : scaling + the (N+1)→4→20→4→1 network on 6,690 rows, gradient for its weights and
//             for the probabilities
//   CNN     : the target run functionally on 6,690 generated values, gradient for them
// The parts add up to a little less than the step: the step also pays Adam, clipping and the
// tfjs bookkeeping between the parts. Configurations are measured in interleaved rounds so that
// load from other processes hits them alike; times are medians over all rounds. Every time is
// taken twice: wall clock, and CPU time of this (single-threaded) process, which leaves out the
// time spent waiting for a core on a loaded machine: batches/s are given for both.

import { cpus, loadavg } from 'node:os';
import * as tf from '@tensorflow/tfjs';
import { buildQuantumTrainModel, quantumTrainParts, type QuantumTrainParts } from '../src/models/quantum-train/model.js';
import { splitGenerated } from '../src/models/quantum-train/layers.js';
import { basisFeatures, mappingForward } from '../src/models/quantum-train/mapping.js';
import { runTarget } from '../src/models/quantum-train/target.js';
import type { QtAnsatz } from '../src/models/quantum-train/spec.js';
import { setupBackend, type BackendName } from '../src/tf-kernels/backend.js';
import { table } from './timing.js';

interface Options {
  blocks: number[];
  ansatzes: QtAnsatz[];
  batch: number;
  steps: number;
  rounds: number;
  backend: BackendName;
}

interface Setup {
  label: string;
  model: tf.LayersModel;
  parts: QuantumTrainParts;
  optimizer: tf.Optimizer;
  vars: tf.Variable[];
  x: tf.Tensor;
  y: tf.Tensor;
  /** The ±1 basis features, for timing the layer-by-layer mapping next to the default one. */
  bits: tf.Tensor2D;
}

type PartName = 'step' | 'circuit' | 'mapping' | 'mappingLayered' | 'cnn' | 'engine';

interface Samples {
  wall: Record<PartName, number[]>;
  cpu: Record<PartName, number[]>;
}

const emptyParts = (): Record<PartName, number[]> => ({ step: [], circuit: [], mapping: [], mappingLayered: [], cnn: [], engine: [] });

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function makeSetup(ansatz: QtAnsatz, blocks: number, batch: number): Setup {
  const model = buildQuantumTrainModel({ ansatz, blocks }, { inputShape: [784], classes: 10, seed: 1 });
  const parts = quantumTrainParts(model) as QuantumTrainParts;
  const x = tf.randomUniform([batch, 784], 0, 1, 'float32', 7);
  const y = tf.oneHot(tf.randomUniform([batch], 0, 10, 'int32', 8), 10);
  const bits = tf.tensor2d(basisFeatures(parts.qt.count, parts.qt.qubits), [parts.qt.count, parts.qt.qubits]);
  return { label: `${ansatz}, L=${blocks}`, model, parts, optimizer: tf.train.adam(1e-3), vars: model.trainableWeights.map((w) => w.read() as tf.Variable), x, y, bits };
}

/** One training step as the trainer runs it (forward, all gradients, Adam). */
function step(s: Setup): void {
  tf.tidy(() => {
    const { value, grads } = tf.variableGrads(() => tf.losses.softmaxCrossEntropy(s.y, s.model.apply(s.x, { training: true }) as tf.Tensor) as tf.Scalar, s.vars);
    s.optimizer.applyGradients(grads);
    value.dataSync();
  });
}

/** Circuit alone: probabilities and the VJP of a fixed cotangent into the angles. */
function circuit(s: Setup): void {
  tf.tidy(() => {
    const { grads } = tf.variableGrads(() => tf.sum(tf.mul(s.parts.circuit.probabilities(), tf.linspace(-1, 1, s.parts.qt.count))) as tf.Scalar, [s.vars[0]]);
    Object.values(grads)[0].dataSync();
  });
}

/** Mapping network alone: fixed probabilities in, gradient for its weights and the probabilities. */
function mapping(s: Setup, probs: tf.Tensor, layered = false): void {
  tf.tidy(() => {
    const mapVars = s.vars.slice(1);
    const { grads } = tf.variableGrads(() => {
      const gen = layered ? mappingForward(s.parts.mapping.mappingShape, s.bits, probs, s.parts.mapping.params, { layered: true }) : (s.parts.mapping.apply(probs) as tf.Tensor);
      return tf.sum(tf.mul(gen, tf.linspace(-1, 1, s.parts.qt.count))) as tf.Scalar;
    }, mapVars);
    Object.values(grads)[0].dataSync();
  });
}

/** CNN alone: forward on the batch with fixed generated values, gradient for those values. */
function cnn(s: Setup, gen: tf.Tensor): void {
  tf.tidy(() => {
    const g = tf.grad((w: tf.Tensor) => tf.losses.softmaxCrossEntropy(s.y, runTarget(s.parts.qt.net, s.x, splitGenerated(w, s.parts.qt))) as tf.Scalar)(gen);
    g.dataSync();
  });
}

export async function runQuantumTrainBench(opts: Partial<Options> = {}): Promise<string> {
  const o: Options = { blocks: [8], ansatzes: ['u3_cu3_ring', 'ry_cnot_chain'], batch: 64, steps: 20, rounds: 3, backend: 'wasm', ...Object.fromEntries(Object.entries(opts).filter(([, v]) => v !== undefined)) };
  await setupBackend(o.backend);
  const setups = o.ansatzes.flatMap((a) => o.blocks.map((b) => makeSetup(a, b, o.batch)));
  const samples: Samples[] = setups.map(() => ({ wall: emptyParts(), cpu: emptyParts() }));
  const fixed = setups.map((s) => {
    const probs = tf.keep(s.parts.circuit.probabilities());
    const gen = tf.keep(s.parts.mapping.apply(probs) as tf.Tensor);
    return { probs, gen };
  });
  const timeIt = (fn: () => void, into: Samples | null, part: PartName, n: number) => {
    for (let i = 0; i < n; i++) {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      fn();
      const wall = performance.now() - t0;
      const c = process.cpuUsage(c0);
      into?.wall[part].push(wall);
      into?.cpu[part].push((c.user + c.system) / 1000);
    }
  };
  for (let round = 0; round < o.rounds; round++) {
    setups.forEach((s, i) => {
      const warm = round === 0 ? 3 : 1;
      timeIt(() => step(s), null, 'step', warm);
      const before = { ...s.parts.circuit.timing };
      timeIt(() => step(s), samples[i], 'step', o.steps);
      // The engine's own share inside the steps (forward + adjoint, without tfjs overhead; wall clock).
      const t = s.parts.circuit.timing;
      samples[i].wall.engine.push((1000 * (t.forwardSeconds - before.forwardSeconds + t.backwardSeconds - before.backwardSeconds)) / o.steps);
      const n = Math.max(5, o.steps >> 1);
      timeIt(() => circuit(s), samples[i], 'circuit', n);
      timeIt(() => mapping(s, fixed[i].probs), samples[i], 'mapping', n);
      timeIt(() => mapping(s, fixed[i].probs, true), samples[i], 'mappingLayered', n);
      timeIt(() => cnn(s, fixed[i].gen), samples[i], 'cnn', n);
      process.stderr.write(`.. round ${round + 1}: ${s.label}: step ${median(samples[i].wall.step).toFixed(1)} ms wall, ${median(samples[i].cpu.step).toFixed(1)} ms CPU\n`);
    });
  }
  const rows = setups.map((s, i) => {
    const wall = (k: PartName) => median(samples[i].wall[k]);
    const cpu = (k: PartName) => median(samples[i].cpu[k]);
    const step = cpu('step');
    const share = (k: PartName) => `${cpu(k).toFixed(1)} (${((100 * cpu(k)) / step).toFixed(0)}%)`;
    return [
      s.label,
      String(s.parts.circuit.numAngles + s.parts.mapping.countParams()),
      (1000 / step).toFixed(1),
      (1000 / wall('step')).toFixed(1),
      step.toFixed(1),
      share('circuit'),
      share('mapping'),
      share('cnn'),
      Math.max(0, step - cpu('circuit') - cpu('mapping') - cpu('cnn')).toFixed(1),
      wall('engine').toFixed(1),
      cpu('mappingLayered').toFixed(1),
    ];
  });
  for (const s of setups) {
    s.optimizer.dispose();
    s.model.dispose();
    tf.dispose([s.x, s.y, s.bits]);
  }
  fixed.forEach((f) => tf.dispose([f.probs, f.gen]));
  return [
    `## Quantum-Train step (13 qubits, MNIST CNN target with 6,690 generated weights, batch ${o.batch}, Adam, ${o.backend})`,
    '',
    `Medians of ${o.rounds} interleaved rounds × ${o.steps} steps; ${cpus()[0]?.model ?? 'unknown CPU'} × ${cpus().length}, load average ${loadavg()[0].toFixed(1)}. ` +
      'CPU ms = CPU time of the process (what a free core would take); parts are timed apart (forward + gradient each) and shown as CPU ms (share of the step); ' +
      '"other" = step − parts (Adam, tfjs bookkeeping between the parts); "engine wall ms" = the simulator\'s own time inside the steps; ' +
      '"mapping layer by layer" = the mapping network evaluated as four matmuls instead of the default product of its small matrices (CPU ms).',
    '',
    table(['configuration', 'trainable', 'batches/s (CPU)', 'batches/s (wall)', 'step CPU ms', 'circuit', 'mapping', 'CNN', 'other', 'engine wall ms', 'mapping layer by layer'], rows),
  ].join('\n');
}

function argList(name: string): string[] | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1].split(',') : undefined;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const blocks = argList('--blocks')?.map(Number);
  const ansatzes = argList('--ansatz') as QtAnsatz[] | undefined;
  const num = (n: string) => (argList(n) ? Number(argList(n)?.[0]) : undefined);
  console.log(await runQuantumTrainBench({ blocks, ansatzes, steps: num('--steps'), rounds: num('--rounds'), batch: num('--batch'), backend: argList('--backend')?.[0] as BackendName | undefined }));
}
