// CNN training-step benchmark: cpu vs wasm, shipped kernels vs the replacements in src/tf.
//
//   node --import tsx bench/cnn-step.ts [--batch 64] [--steps 10] [--rounds 3] [--quick]
//
// Two models on 28x28x1 inputs, batch 64, softmax cross-entropy, Adam:
//   mnist-q : conv(1->8,5x5,relu)-maxpool2-conv(8->16,5x5,relu)-maxpool2-dense(256->4)
//             (the feature extractor in front of a 4-qubit circuit; its 4 outputs stand in
//             for the logits here)
//   qt      : the Quantum-Train target, conv(1->8,5x5,relu)-maxpool2-conv(8->12,5x5,relu)-
//             maxpool2-dense(192->20,relu)-dense(20->10): 28->24->12->8->4, 4*4*12 = 192,
//             6,690 parameters (checked below).
// Each configuration is measured in this one process, in interleaved rounds (config A, B, ...,
// then again), so load from other processes on the machine hits all of them alike and the
// ratios compare like with like. Times are medians over all timed steps, after warm-up; the
// shipped cpu kernels (seconds per step) get 2 steps in the first round only.

import * as tf from '@tensorflow/tfjs';
import {
  setupBackend, type BackendName, type FastKernelName,
} from '../src/tf-kernels/backend.js';
import { setCnnSimdKernels } from '../src/tf-kernels/wasm/cnn-kernels.js';

interface Config {
  label: string;
  backend: BackendName;
  kernels: readonly FastKernelName[];
  /** Steps to time; the shipped cpu kernels take seconds per step, so fewer there. */
  steps?: number;
  /** Our WebAssembly SIMD kernels for the first layer's gradients (default on). */
  simd?: boolean;
}

const ALL: readonly FastKernelName[] = ['Conv2DBackpropFilter', 'Conv2DBackpropInput', 'MaxPoolGrad'];

const CONFIGS: Config[] = [
  { label: 'cpu, shipped kernels', backend: 'cpu', kernels: [], steps: 2 },
  { label: 'cpu + filter-grad kernel', backend: 'cpu', kernels: ['Conv2DBackpropFilter'] },
  { label: 'cpu + filter + maxpool-grad (default)', backend: 'cpu', kernels: ['Conv2DBackpropFilter', 'MaxPoolGrad'] },
  { label: 'cpu + all replacements', backend: 'cpu', kernels: ALL },
  { label: 'wasm + filter-grad only (before)', backend: 'wasm', kernels: ['Conv2DBackpropFilter'] },
  { label: 'wasm + filter + input-grad', backend: 'wasm', kernels: ['Conv2DBackpropFilter', 'Conv2DBackpropInput'] },
  { label: 'wasm + filter + maxpool-grad', backend: 'wasm', kernels: ['Conv2DBackpropFilter', 'MaxPoolGrad'] },
  { label: 'wasm + all replacements, no SIMD first-layer kernels', backend: 'wasm', kernels: ALL, simd: false },
  { label: 'wasm + all replacements (default)', backend: 'wasm', kernels: ALL },
];

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

const BATCH = arg('--batch', 64);
const STEPS = arg('--steps', 10);
const ROUNDS = arg('--rounds', 3);
const QUICK = process.argv.includes('--quick');

function mnistQ(): tf.Sequential {
  return tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 8, kernelSize: 5, activation: 'relu' }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.conv2d({ filters: 16, kernelSize: 5, activation: 'relu' }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 4 }),
    ],
  });
}

function quantumTrainTarget(): tf.Sequential {
  return tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 8, kernelSize: 5, activation: 'relu' }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.conv2d({ filters: 12, kernelSize: 5, activation: 'relu' }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 20, activation: 'relu' }),
      tf.layers.dense({ units: 10 }),
    ],
  });
}

const MODELS: { name: string; build: () => tf.Sequential; classes: number; params?: number }[] = [
  { name: 'mnist-q', build: mnistQ, classes: 4 },
  { name: 'qt', build: quantumTrainTarget, classes: 10, params: 6690 },
];

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

interface Timing { train: number; forward: number }
interface Samples { train: number[]; forward: number[] }

function measure(build: () => tf.Sequential, classes: number, steps: number): Samples {
  const model = build();
  const optimizer = tf.train.adam(1e-3);
  const x = tf.randomUniform([BATCH, 28, 28, 1]);
  const labels = tf.oneHot(tf.randomUniform([BATCH], 0, classes, 'int32'), classes);
  const step = () => {
    const loss = optimizer.minimize(
      () => tf.losses.softmaxCrossEntropy(labels, model.apply(x, { training: true }) as tf.Tensor),
      true,
    );
    loss?.dataSync();
    loss?.dispose();
  };
  const forward = () => tf.tidy(() => (model.apply(x) as tf.Tensor).dataSync());
  const time = (fn: () => void, n: number) => {
    const ts: number[] = [];
    for (let i = 0; i < n; i++) {
      const t0 = performance.now();
      fn();
      ts.push(performance.now() - t0);
    }
    return ts;
  };
  const warm = steps <= 2 ? 1 : 3;
  time(step, warm);
  const train = time(step, steps);
  time(forward, 3);
  const fwd = time(forward, Math.max(steps, 5));
  x.dispose();
  labels.dispose();
  optimizer.dispose();
  model.dispose();
  return { train, forward: fwd };
}

function paramCount(model: tf.Sequential): number {
  return model.countParams();
}

async function main(): Promise<void> {
  const configs = QUICK ? CONFIGS.filter((c) => c.steps === undefined) : CONFIGS;
  const samples: Samples[][] = configs.map(() => MODELS.map(() => ({ train: [], forward: [] })));
  for (let round = 0; round < ROUNDS; round++) {
    for (const [ci, cfg] of configs.entries()) {
      if (cfg.steps !== undefined && round > 0) continue;
      await setupBackend(cfg.backend, { fastKernels: cfg.kernels });
      setCnnSimdKernels(cfg.simd ?? true);
      MODELS.forEach((m, mi) => {
        const s = measure(m.build, m.classes, cfg.steps ?? STEPS);
        samples[ci][mi].train.push(...s.train);
        samples[ci][mi].forward.push(...s.forward);
      });
      const now = samples[ci].map((s) => median(s.train).toFixed(1)).join(' / ');
      process.stderr.write(`.. round ${round + 1}: ${cfg.label}: ${now} ms\n`);
    }
  }
  const rows: { label: string; times: Timing[] }[] = configs.map((cfg, ci) => ({
    label: cfg.label,
    times: samples[ci].map((s) => ({ train: median(s.train), forward: median(s.forward) })),
  }));

  await setupBackend('cpu', { fastKernels: false });
  for (const m of MODELS) {
    const model = m.build();
    const n = paramCount(model);
    const note = m.params === undefined ? '' : n === m.params ? ' (as required)' : ` (EXPECTED ${m.params})`;
    console.log(`${m.name}: ${n} parameters${note}`);
    model.dispose();
  }
  const ref = rows[rows.length - 1].times;
  const head = ['configuration', ...MODELS.flatMap((m) => [`${m.name} step ms`, `${m.name} fwd ms`, `${m.name} step vs best`])];
  const body = rows.map((r) => [
    r.label,
    ...r.times.flatMap((t, i) => [t.train.toFixed(1), t.forward.toFixed(1), `${(t.train / ref[i].train).toFixed(1)}x`]),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ');
  console.log(`\nbatch ${BATCH}, Adam; median of ${ROUNDS} rounds x ${STEPS} steps (shipped cpu: 2 steps); node ${process.version}`);
  console.log(line(head));
  console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
  for (const b of body) console.log(line(b));
  const best = rows[rows.length - 1].times;
  for (let i = 0; i < MODELS.length; i++) {
    const perSec = 1000 / best[i].train;
    console.log(`${MODELS[i].name}: ${perSec.toFixed(1)} batches/s; a 60,000-image epoch ≈ ${((60000 / BATCH) * best[i].train / 1000).toFixed(0)} s of CNN steps`);
  }
}

await main();
