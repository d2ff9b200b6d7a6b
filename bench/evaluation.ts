// `npm run bench -- evaluation`: what a forward-only evaluation of the MNIST hybrid costs per
// image, against a training step's cost per image (issue 14, part 4: `entangle train` spent
// longer evaluating 70,000 images after training than training on 55,000).
//
// The model is examples/mnist-hybrid/hybrid.yaml's (CNN -> 4 features -> 4-qubit circuit ->
// dense); the images are random (a convolution's cost does not depend on pixel values). The
// evaluation runs as `train` runs it (task.evaluate over one tensor holding the whole set, in
// batches of 256) with tfjs-backend-wasm's shipped Slice kernel and with ours (slice.ts), in
// alternation, at two set sizes: the shipped kernel copies the whole set's tensor per batch, so
// its cost per image grows with the set. CPU time (the machine is shared), minimum of the runs.

import * as tf from '@tensorflow/tfjs';
import { loadConfigFile } from '../src/config/load.js';
import { buildModel } from '../src/models/build.js';
import { setupBackend, DEFAULT_FAST_KERNELS } from '../src/tf-kernels/backend.js';
import { classificationTask } from '../src/train/tasks/classification.js';
import { table } from './timing.js';

const cpuSeconds = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

export async function runEvaluationBench(): Promise<string> {
  await setupBackend('wasm');
  const { config } = loadConfigFile(new URL('../examples/mnist-hybrid/hybrid.yaml', import.meta.url).pathname);
  const model = buildModel(config.model.layers!, { inputShape: [28, 28, 1], seed: 1, numClasses: 10 });
  const task = classificationTask();
  const sizes = [5_000, 20_000];
  const reps = 3;
  const withoutSlice = DEFAULT_FAST_KERNELS.wasm.filter((k) => k !== 'Slice');
  const best = new Map<string, number>();
  const note = (key: string, v: number): void => void best.set(key, Math.min(best.get(key) ?? Infinity, v));

  for (const n of sizes) {
    const x = tf.randomUniform([n, 28, 28, 1], 0, 1, 'float32', 7);
    const y = tf.tensor1d(Array.from({ length: n }, (_, i) => i % 10), 'float32');
    task.evaluate(model, { x: x.slice(0, 512), y: y.slice(0, 512) as tf.Tensor1D }, 256); // warm-up
    for (let r = 0; r < reps; r++) {
      for (const variant of ['shipped', 'ours'] as const) {
        await setupBackend('wasm', { fastKernels: variant === 'ours' ? true : withoutSlice });
        const c0 = cpuSeconds();
        task.evaluate(model, { x, y }, 256);
        note(`${variant}/${n}`, ((cpuSeconds() - c0) / n) * 1e6);
      }
    }
    tf.dispose([x, y]);
  }
  await setupBackend('wasm');

  // A training step of batch 32 (Adam), per image: the reference an evaluation should undercut.
  const n = 1024;
  const x = tf.randomUniform([n, 28, 28, 1], 0, 1, 'float32', 8);
  const y = tf.tensor1d(Array.from({ length: n }, (_, i) => i % 10), 'float32');
  const optimizer = tf.train.adam(0.001);
  const step = (s: number): void => {
    const rows = Int32Array.from({ length: 32 }, (_, i) => (s * 32 + i) % n);
    tf.tidy(() => {
      const batch = task.makeBatch({ x, y }, rows);
      optimizer.minimize(() => task.batchLoss(model, batch).loss);
    });
  };
  for (let s = 0; s < 4; s++) step(s);
  for (let r = 0; r < reps; r++) {
    const c0 = cpuSeconds();
    for (let s = 0; s < 16; s++) step(s);
    note('train', ((cpuSeconds() - c0) / (16 * 32)) * 1e6);
  }
  tf.dispose([x, y]);

  const train = best.get('train')!;
  const rows = sizes.map((size) => {
    const shipped = best.get(`shipped/${size}`)!;
    const ours = best.get(`ours/${size}`)!;
    return [size.toLocaleString('en-US'), shipped.toFixed(0), ours.toFixed(0), (shipped / ours).toFixed(2) + 'x', (ours / train).toFixed(2)];
  });
  return [
    '## Evaluation vs training cost per image (MNIST hybrid, wasm backend)',
    '',
    `Training step (batch 32, Adam): ${train.toFixed(0)} µs CPU per image. Evaluation in batches of 256, µs CPU per image (minimum of ${reps}):`,
    '',
    table(['images in the set', 'shipped Slice', 'our Slice', 'speed-up', 'ours / training step'], rows),
  ].join('\n');
}
