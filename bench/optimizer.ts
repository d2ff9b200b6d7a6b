// `npm run bench -- optimizer`: the circles hybrid's 50-epoch training loop (cpu backend) with
// Adam's update fused into one loop per variable (optimizers.ts fusedUpdate) and op by op
// (setFusedCpuOptimizer(false)), alternating, CPU time of the loop, best of 3 each (issue 14,
// part 3: for small hybrids the classical side's per-op overhead is most of the time). The two
// runs end with the same weights, bit for bit; the table checks it.

import * as tf from '@tensorflow/tfjs';
import { loadConfigFile } from '../src/config/load.js';
import { toTensors } from '../src/data/dataset.js';
import { prepareData } from '../src/data/load.js';
import { buildModel } from '../src/models/build.js';
import { setupBackend } from '../src/tf-kernels/backend.js';
import { setFusedCpuOptimizer } from '../src/train/optimizers.js';
import { train } from '../src/train/trainer.js';
import { table } from './timing.js';

async function trainCircles(): Promise<{ cpuSeconds: number; weights: Float32Array }> {
  await setupBackend('cpu');
  const loaded = loadConfigFile(new URL('../examples/circles/hybrid.yaml', import.meta.url).pathname);
  const cfg = loaded.config;
  const data = prepareData(cfg.data, cfg.seed, loaded.baseDir);
  const model = buildModel(cfg.model.layers ?? [], { inputShape: [data.train.numFeatures], seed: cfg.seed, numClasses: data.dataset.numClasses });
  const t = toTensors(data.train);
  const v = toTensors(data.val);
  const c0 = process.cpuUsage();
  await train({ model, train: t, val: v, config: { ...cfg.training, backend: 'cpu' } as typeof cfg.training, seed: cfg.seed });
  const c = process.cpuUsage(c0);
  const weights = Float32Array.from(model.getWeights().flatMap((w) => Array.from(w.dataSync() as Float32Array)));
  tf.dispose([t.x, t.y, v.x, v.y]);
  model.dispose();
  return { cpuSeconds: (c.user + c.system) / 1e6, weights };
}

export async function runOptimizerBench(): Promise<string> {
  const best = { fused: Infinity, ops: Infinity };
  let same = true;
  for (let round = 0; round < 3; round++) {
    setFusedCpuOptimizer(true);
    const a = await trainCircles();
    setFusedCpuOptimizer(false);
    const b = await trainCircles();
    setFusedCpuOptimizer(true);
    best.fused = Math.min(best.fused, a.cpuSeconds);
    best.ops = Math.min(best.ops, b.cpuSeconds);
    same &&= a.weights.length === b.weights.length && a.weights.every((x, i) => Object.is(x, b.weights[i]));
  }
  return [
    '## Adam fused on the cpu backend (circles hybrid, 50 epochs, training loop CPU seconds, best of 3 alternating)',
    '',
    table(['Adam update', 'CPU s'], [['op by op (13 tfjs ops per variable)', best.ops], ['fused (one loop per variable)', best.fused]]),
    '',
    `- speed-up ${(best.ops / best.fused).toFixed(2)}x; final weights identical: ${same ? 'yes' : 'NO'}`,
  ].join('\n');
}
