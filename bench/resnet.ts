// ResNet backbone throughput on 32x32x3 images: images per second of a training step (forward,
// softmax cross-entropy, gradients of every trainable weight, an Adam update) and of inference
// (training: false, moving BatchNorm statistics), for ResNet-8/20 (CIFAR family) and ResNet-18/34
// (CIFAR stem), on the wasm backend with our gradient kernels (setupBackend's defaults).
//
//   npm run bench -- resnet            (or: node --import tsx bench/resnet.ts [--batch 64] [--quick])
//
// Big models get few steps: one ResNet-34 training step at batch 64 takes many seconds on this
// machine. Times are medians after one warm-up step; CPU time is reported beside wall time
// because the machine is shared.

import * as tf from '@tensorflow/tfjs';
import { buildResNet } from '../src/models/resnet/build.js';
import type { ResNetDepth } from '../src/models/resnet/spec.js';
import { setupBackend } from '../src/tf-kernels/backend.js';
import { softmaxCrossEntropy } from '../src/train/losses.js';
import { table, time } from './timing.js';

interface Case {
  depth: ResNetDepth;
  width: number;
  /** Timed repetitions of a training step / of inference. */
  trainReps: number;
  inferReps: number;
}

const CASES: Case[] = [
  { depth: 8, width: 1, trainReps: 5, inferReps: 5 },
  { depth: 20, width: 1, trainReps: 3, inferReps: 3 },
  { depth: 18, width: 1, trainReps: 1, inferReps: 2 },
  { depth: 34, width: 1, trainReps: 1, inferReps: 1 },
];

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

/** One Adam step on a fixed batch; returns nothing (the loss is read back to end the step). */
export function makeTrainStep(model: tf.LayersModel, x: tf.Tensor, y: tf.Tensor1D): () => void {
  const optimizer = tf.train.adam(1e-3);
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  return () => {
    const loss = optimizer.minimize(() => softmaxCrossEntropy(y, model.apply(x, { training: true }) as tf.Tensor2D), true, vars) as tf.Scalar;
    loss.dataSync();
    loss.dispose();
  };
}

export function makeInference(model: tf.LayersModel, x: tf.Tensor): () => void {
  return () => {
    const out = model.apply(x, { training: false }) as tf.Tensor;
    out.dataSync();
    out.dispose();
  };
}

export async function runResNetBench(options: { batch?: number; quick?: boolean } = {}): Promise<string> {
  await setupBackend('wasm');
  const batch = options.batch ?? arg('--batch', 64);
  const quick = options.quick ?? process.argv.includes('--quick');
  const rows: Array<Array<string | number>> = [];
  for (const c of quick ? CASES.slice(0, 2) : CASES) {
    const model = buildResNet({ depth: c.depth, width: c.width }, { inputShape: [32, 32, 3], classes: 10, seed: 1 });
    const x = tf.randomNormal([batch, 32, 32, 3], 0, 1, 'float32', 1);
    const y = tf.tensor1d(Array.from({ length: batch }, (_, i) => i % 10), 'int32');
    const step = time(makeTrainStep(model, x, y), { reps: c.trainReps, warmup: 1 });
    const infer = time(makeInference(model, x), { reps: c.inferReps, warmup: 1 });
    const params = model.countParams();
    rows.push([`ResNet-${c.depth}`, params.toLocaleString('en-US'), step.ms / 1000, step.cpu / 1000, Math.round((batch * 1000) / step.ms), infer.ms / 1000, Math.round((batch * 1000) / infer.ms)]);
    tf.dispose([x, y]);
    model.dispose();
  }
  return [
    `## ResNet backbones, 32x32x3, batch ${batch}, wasm backend + our gradient kernels`,
    '',
    table(['model', 'weights', 'train step s (wall)', 'train step s (cpu)', 'train img/s', 'inference s', 'inference img/s'], rows),
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(await runResNetBench());
