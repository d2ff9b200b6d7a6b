// `npm run bench -- small-hybrid` (issue 14 §3): the 50-epoch training loop of the small hybrids
// and their classical twins (models/twin.ts: every quantum layer replaced by a Dense of its
// width, as `entangle compare` builds it) on the cpu backend, CPU seconds of train() alone:
//   - circles: examples/circles/hybrid.yaml (400 training rows, batch 32);
//   - breast-cancer-like: a generated 30-feature table (569 rows: 455 train, 57 val, 57 test,
//     batch 32), the same model shape as circles (Dense 16 relu, Dense 4 tanh, 4 qubits, Dense
//     16 relu, Dense 2). Generated from a seed, so it runs offline and the same every time.
// Each workload runs with the fused small-dense step (train/fused-step) and with the op-by-op
// tfjs path, alternating, best of `ROUNDS`; the table checks the two end with the same weights.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { loadConfigFile, parseConfigText } from '../src/config/load.js';
import type { LoadedConfig } from '../src/config/load.js';
import { toTensors } from '../src/data/dataset.js';
import { prepareData } from '../src/data/load.js';
import { buildModel } from '../src/models/build.js';
import { classicalTwin } from '../src/models/twin.js';
import { setupBackend } from '../src/tf-kernels/backend.js';
import { engineSeconds } from '../src/train/engine-time.js';
import { setFusedSmallDenseStep } from '../src/train/fused-step/index.js';
import { train } from '../src/train/trainer.js';
import { Rng } from '../src/util/random.js';
import { table } from './timing.js';

const ROUNDS = Number(process.env.SMALL_HYBRID_ROUNDS ?? 3);

/**
 * A breast-cancer-like table: 30 log-normal measurements driven by a per-row size and shape
 * factor whose levels depend on the class (37% malignant), as the Wisconsin data's mean / error
 * / worst columns of 10 cell measurements are. Only its shape matters for the timing.
 */
export function breastCancerLikeCsv(seed = 14, rows = 569): string {
  const rng = new Rng(seed);
  const names = Array.from({ length: 30 }, (_, j) => `f${j}`);
  const lines = [[...names, 'diagnosis'].join(',')];
  for (let i = 0; i < rows; i++) {
    const m = rng.next() < 0.37 ? 1 : 0;
    const size = rng.normal(0.4 * m, 0.3);
    const shape = rng.normal(0.8 * m, 0.5);
    const cells = names.map((_, j) => {
      const k = j % 10;
      const level = 1 + 0.2 * k + (k < 4 ? size : shape) * (j < 10 ? 1 : j < 20 ? 0.5 : 1.3);
      return Math.exp(rng.normal(level, 0.2)).toFixed(4);
    });
    lines.push([...cells, m ? 'M' : 'B'].join(','));
  }
  return lines.join('\n') + '\n';
}

function breastCancerConfig(csvPath: string): LoadedConfig {
  return parseConfigText(`
name: breast-cancer-like-hybrid
seed: 5
data: { type: csv, path: ${csvPath}, label: diagnosis, split: { train: 455, val: 57, test: 57 }, standardize: true }
model:
  layers:
    - dense: { units: 16, activation: relu }
    - dense: { units: 4, activation: tanh }
    - quantum: { wires: 4, embedding: { type: angle, rotation: X }, ansatz: { type: strongly_entangling, layers: 2 }, measure: { type: expval } }
    - dense: { units: 16, activation: relu }
    - dense: { units: 2 }
training: { epochs: 50, batchSize: 32, optimizer: { type: adam, lr: 0.01 }, loss: cross_entropy, backend: cpu }
`);
}

interface Workload {
  name: string;
  loaded: LoadedConfig;
  twin: boolean;
}

async function trainOnce(w: Workload): Promise<{ cpuSeconds: number; engineSeconds: number; weights: Float32Array }> {
  await setupBackend('cpu');
  const cfg = w.loaded.config;
  const data = prepareData(cfg.data, cfg.seed, w.loaded.baseDir);
  const layers = w.twin ? classicalTwin(cfg.model.layers ?? []) : (cfg.model.layers ?? []);
  const model = buildModel(layers, { inputShape: [data.train.numFeatures], seed: cfg.seed, numClasses: data.dataset.numClasses });
  const t = toTensors(data.train);
  const v = toTensors(data.val);
  const c0 = process.cpuUsage();
  await train({ model, train: t, val: v, config: { ...cfg.training, backend: 'cpu' } as typeof cfg.training, seed: cfg.seed });
  const c = process.cpuUsage(c0);
  const weights = Float32Array.from(model.getWeights().flatMap((x) => Array.from(x.dataSync() as Float32Array)));
  const engine = engineSeconds(model);
  tf.dispose([t.x, t.y, v.x, v.y]);
  model.dispose();
  return { cpuSeconds: (c.user + c.system) / 1e6, engineSeconds: engine, weights };
}

export async function runSmallHybridBench(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'entangle-small-hybrid-'));
  try {
    const csv = join(dir, 'breast-cancer-like.csv');
    writeFileSync(csv, breastCancerLikeCsv());
    const circles = loadConfigFile(new URL('../examples/circles/hybrid.yaml', import.meta.url).pathname);
    const cancer = breastCancerConfig(csv);
    const workloads: Workload[] = [
      { name: 'circles hybrid', loaded: circles, twin: false },
      { name: 'circles classical twin', loaded: circles, twin: true },
      { name: 'breast-cancer-like hybrid', loaded: cancer, twin: false },
      { name: 'breast-cancer-like classical twin', loaded: cancer, twin: true },
    ];
    const best = workloads.map(() => ({ fused: Infinity, ops: Infinity, engine: Infinity, same: true }));
    for (let round = 0; round < ROUNDS; round++) {
      for (const [i, w] of workloads.entries()) {
        setFusedSmallDenseStep(true);
        const a = await trainOnce(w);
        setFusedSmallDenseStep(false);
        const b = await trainOnce(w);
        setFusedSmallDenseStep(true);
        best[i].fused = Math.min(best[i].fused, a.cpuSeconds);
        best[i].ops = Math.min(best[i].ops, b.cpuSeconds);
        best[i].engine = Math.min(best[i].engine, a.engineSeconds);
        best[i].same &&= a.weights.length === b.weights.length && a.weights.every((x, k) => Object.is(x, b.weights[k]));
      }
    }
    return [
      `## Small hybrids, 50 epochs, cpu backend (training loop CPU s, best of ${ROUNDS} alternating)`,
      '',
      table(
        ['workload', 'op by op (tfjs) CPU s', 'fused step CPU s', 'speed-up', 'engine s (fused run, wall)', 'same weights'],
        workloads.map((w, i) => [w.name, best[i].ops, best[i].fused, `${(best[i].ops / best[i].fused).toFixed(2)}x`, w.twin ? '-' : best[i].engine, best[i].same ? 'yes' : 'NO']),
      ),
    ].join('\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(await runSmallHybridBench());
