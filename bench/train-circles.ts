// Issue 3 benchmark: training throughput of the circles hybrid (examples/circles/hybrid.yaml),
// the quantum layer's share of the time, and QuantumLayer's per-call overhead over the bare engine.
// Run: npm run bench -- circles

import * as tf from '@tensorflow/tfjs';
import { loadConfigFile } from '../src/config/load.js';
import { toTensors } from '../src/data/dataset.js';
import { prepareData } from '../src/data/load.js';
import { buildModel } from '../src/models/build.js';
import { setupBackend, type BackendName } from '../src/tf-kernels/backend.js';
import { QuantumLayer } from '../src/models/quantum-layer.js';
import { quantumOp } from '../src/tf/quantum-op.js';
import { train } from '../src/train/trainer.js';
import { table, time } from './timing.js';

async function trainOnce(backend: BackendName): Promise<{ seconds: number; epochs: number; samples: number; quantumSeconds: number; testAcc: number }> {
  await setupBackend(backend);
  const loaded = loadConfigFile('examples/circles/hybrid.yaml');
  const cfg = loaded.config;
  const data = prepareData(cfg.data, cfg.seed, loaded.baseDir);
  const model = buildModel(cfg.model.layers ?? [], { inputShape: [data.train.numFeatures], seed: cfg.seed, numClasses: data.dataset.numClasses });
  const q = model.layers.find((l): l is QuantumLayer => l instanceof QuantumLayer)!;
  const t = toTensors(data.train);
  const v = toTensors(data.val);
  const t0 = performance.now();
  const result = await train({ model, train: t, val: v, config: { ...cfg.training, backend } as typeof cfg.training, seed: cfg.seed });
  const seconds = (performance.now() - t0) / 1000;
  const test = toTensors(data.test);
  const pred = model.predict(test.x) as tf.Tensor;
  const testAcc = (pred.argMax(-1).equal(test.y).sum().dataSync()[0] as number) / test.y.shape[0];
  tf.dispose([t.x, t.y, v.x, v.y, test.x, test.y, pred]);
  model.dispose();
  return { seconds, epochs: result.epochsCompleted, samples: data.train.numSamples, quantumSeconds: q.timing.forwardSeconds + q.timing.backwardSeconds, testAcc };
}

/** µs per call: QuantumLayer's tfjs op (forward + gradient) vs the bare engine, batch 32 × 4. */
async function overhead(): Promise<{ layer: number; bare: number }> {
  await setupBackend('cpu');
  const q = new QuantumLayer({ spec: { wires: 4, ansatz: { type: 'strongly_entangling', layers: 2 } }, seed: 1 });
  q.apply(tf.zeros([32, 4]));
  const xs = tf.randomUniform([32, 4], -1, 1, 'float32', 2);
  const w = q.getWeights()[0];
  const op = quantumOp(q.qnode);
  const grad = tf.grads((x: tf.Tensor, ww: tf.Tensor) => op(x as tf.Tensor2D, ww as tf.Tensor1D).sum());
  const layer = time(() => tf.dispose(grad([xs, w])), { inner: 200 });
  const xd = Float64Array.from(xs.dataSync());
  const wd = Float64Array.from(w.dataSync());
  const g = new Float64Array(32 * 4).fill(1);
  const bare = time(() => {
    q.qnode.forward(xd, wd, 32);
    q.qnode.vjp(g);
  }, { inner: 200 });
  return { layer: layer.ms * 1000, bare: bare.ms * 1000 };
}

export async function runCirclesBench(): Promise<string> {
  const rows: Array<Array<string | number>> = [];
  const runs: Record<string, Awaited<ReturnType<typeof trainOnce>>> = {};
  for (const backend of ['cpu', 'wasm'] as const) {
    const r = await trainOnce(backend);
    runs[backend] = r;
    rows.push([
      `circles hybrid, 50 epochs, ${backend}`,
      r.seconds,
      (r.epochs * r.samples) / r.seconds,
      `${((100 * r.quantumSeconds) / r.seconds).toFixed(1)}%`,
      r.testAcc,
    ]);
  }
  const o = await overhead();
  await setupBackend('cpu');
  return [
    '## Training: circles hybrid (issue 3)',
    '',
    'Training loop only (no run folder), examples/circles/hybrid.yaml: 400 samples, batch 32, 50 epochs, with a validation pass per epoch.',
    '',
    table(['workload', 'seconds', 'samples/s', 'quantum share', 'test acc'], rows),
    '',
    table(['QuantumLayer call, batch 32 × 4 features, forward + gradient', 'µs'], [
      ['through tfjs (tf.grads over quantumOp)', o.layer],
      ['bare engine (QNode.forward + vjp)', o.bare],
      ['overhead of the tfjs op', o.layer - o.bare],
    ]),
    '',
    `- target: 50 epochs under 3 s; cpu/wasm time ratio ${(runs.cpu.seconds / runs.wasm.seconds).toFixed(2)}`,
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(await runCirclesBench());
