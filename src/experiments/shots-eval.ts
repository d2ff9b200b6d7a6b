// A trained run evaluated as a quantum computer would run it: every quantum layer's outputs are
// estimated from a finite number of measurement shots (seeded) instead of computed exactly, and
// the test accuracy is compared with the exact model's. This is what a user should expect from
// the same weights on hardware without noise: shot noise alone, ~1/√shots per expectation value.
//
//   <runDir>/shots.json, shots.md

import { taskKindOf } from '../train/tasks/from-config.js';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { loadConfigFile } from '../config/load.js';
import { sampleShape, subset, toTensors } from '../data/dataset.js';
import { prepareData } from '../data/load.js';
import { loadSplit } from '../data/split.js';
import { buildModel, ModelConfigError } from '../models/build.js';
import { setupBackend } from '../tf-kernels/backend.js';
import { QuantumLayer } from '../models/quantum-layer.js';
import { writeFileAtomic } from '../util/atomic-file.js';
import { classificationLoss } from '../train/losses.js';
import { correctCount } from '../train/metrics.js';
import { restoreWeights, snapshotWeights } from '../train/weights.js';
import { layerList } from './grad-check.js';
import { SPLIT_FILE } from './run.js';
import { loadSavedModel } from '../models/save.js';

export interface ShotsEvalOptions {
  /** Shot counts to evaluate with (besides exact). */
  shots: readonly number[];
  /** Seed of the shot samplers (each quantum layer gets its own stream from it). */
  seed?: number;
  /** Evaluate on the first N test rows only (quick looks); default: the whole test split. */
  limit?: number;
  /** Write shots.json and shots.md into the run folder (default true). */
  write?: boolean;
}

export interface ShotsRow {
  /** null: exact expectation values. */
  shots: number | null;
  test_accuracy: number;
  test_loss: number;
  /** Mean over test samples and outputs of |estimate − exact| of the quantum layers' outputs (0 for exact). */
  mean_abs_output_error: number;
  seconds: number;
}

export interface ShotsEvalResult {
  runDir: string;
  name: string;
  seed: number;
  testSamples: number;
  rows: ShotsRow[];
}

/**
 * Loss, accuracy and the outputs of every quantum layer (concatenated over the test rows) in one
 * pass in evaluation mode: the accuracy and the output errors come from the same shots.
 */
function evaluateCapturing(
  model: tf.LayersModel,
  data: { x: tf.Tensor; y: tf.Tensor1D },
  lossFn: (y: tf.Tensor1D, out: tf.Tensor2D) => tf.Scalar,
  batchSize: number,
): { loss: number; accuracy: number; outputs: Float32Array[] } {
  const layers = model.layers.filter((l) => l.getClassName() !== 'InputLayer');
  const parts: Float32Array[][] = layers.filter((l) => l instanceof QuantumLayer).map(() => []);
  const n = data.x.shape[0];
  let lossSum = 0;
  let correct = 0;
  for (let start = 0; start < n; start += batchSize) {
    const size = Math.min(batchSize, n - start);
    const [lossT, correctT] = tf.tidy(() => {
      let t = data.x.slice(start, size);
      let k = 0;
      for (const layer of layers) {
        t = layer.apply(t, { training: false }) as tf.Tensor;
        if (layer instanceof QuantumLayer) parts[k++].push(Float32Array.from(t.dataSync()));
      }
      const yb = data.y.slice(start, size);
      return [lossFn(yb, t as tf.Tensor2D), correctCount(yb, t as tf.Tensor2D)];
    });
    lossSum += lossT.dataSync()[0] * size;
    correct += correctT.dataSync()[0];
    tf.dispose([lossT, correctT]);
  }
  const outputs = parts.map((p) => {
    const flat = new Float32Array(p.reduce((s, a) => s + a.length, 0));
    let off = 0;
    for (const a of p) {
      flat.set(a, off);
      off += a.length;
    }
    return flat;
  });
  return { loss: lossSum / n, accuracy: correct / n, outputs };
}

export async function evaluateWithShots(runDir: string, options: ShotsEvalOptions): Promise<ShotsEvalResult> {
  for (const s of options.shots) if (!(Number.isInteger(s) && s >= 1)) throw new Error(`shots must be positive integers, got ${s}`);
  const loaded = loadConfigFile(join(runDir, 'config.yaml'));
  const config = loaded.config;
  // Scored by accuracy and the classification loss; other tasks would need their own evaluation here.
  if (taskKindOf(config.training) !== 'classification') throw new Error(`${runDir}: shots evaluation scores classifiers; this run's training.task is ${config.training.task}`);
  await setupBackend(config.training.backend);
  const data = prepareData(config.data, config.seed, loaded.baseDir, loadSplit(join(runDir, SPLIT_FILE)));
  const testSet = options.limit !== undefined && options.limit < data.test.numSamples ? subset(data.test, Array.from({ length: options.limit }, (_, i) => i)) : data.test;
  if (testSet.numSamples === 0) throw new Error(`${runDir}: the run has no test split to evaluate on`);
  const test = toTensors(testSet);
  const saved = await loadSavedModel(runDir);
  const weights = snapshotWeights(saved);
  saved.dispose();
  const lossFn = classificationLoss(config.training.loss ?? 'cross_entropy', config.training.labelSmoothing ?? 0);
  const evalBatch = config.training.evalBatchSize ?? 256;
  const seed = options.seed ?? 0;
  const rows: ShotsRow[] = [];
  let exactOutputs: Float32Array[] = [];
  try {
    for (const shots of [null, ...options.shots]) {
      const model = buildModel(layerList(loaded), {
        inputShape: sampleShape(data.train),
        seed: config.seed,
        numClasses: data.dataset.numClasses,
        quantum: shots === null ? undefined : { shots, seed },
      });
      try {
        if (!model.layers.some((l) => l instanceof QuantumLayer)) throw new ModelConfigError('model.layers', `the model of ${runDir} has no quantum layer, so shots do not apply`);
        restoreWeights(model, weights);
        const t0 = performance.now();
        const { outputs, ...r } = evaluateCapturing(model, test, lossFn, evalBatch);
        const seconds = (performance.now() - t0) / 1000;
        if (shots === null) exactOutputs = outputs;
        let err = 0;
        let count = 0;
        outputs.forEach((o, k) => {
          for (let i = 0; i < o.length; i++) err += Math.abs(o[i] - exactOutputs[k][i]);
          count += o.length;
        });
        rows.push({ shots, test_accuracy: r.accuracy, test_loss: r.loss, mean_abs_output_error: count > 0 ? err / count : 0, seconds });
      } finally {
        model.dispose();
      }
    }
  } finally {
    tf.dispose([test.x, test.y]);
  }
  const result: ShotsEvalResult = { runDir, name: config.name, seed, testSamples: testSet.numSamples, rows };
  if (options.write !== false) {
    writeFileAtomic(join(runDir, 'shots.json'), JSON.stringify(result, null, 2) + '\n');
    writeFileAtomic(join(runDir, 'shots.md'), shotsMarkdown(result));
  }
  return result;
}

/** Fixed-width text (what the CLI prints) or markdown table of a shots evaluation. */
export function shotsTable(r: ShotsEvalResult, markdown = false): string {
  const exact = r.rows.find((row) => row.shots === null);
  const header = ['shots', 'test acc', 'vs exact', 'test loss', 'output MAE', 'eval s'];
  const cells = r.rows.map((row) => [
    row.shots === null ? 'exact' : row.shots.toLocaleString('en-US'),
    `${(100 * row.test_accuracy).toFixed(2)}%`,
    row.shots === null || !exact ? '-' : `${(100 * (row.test_accuracy - exact.test_accuracy)).toFixed(2)} pp`,
    row.test_loss.toFixed(4),
    row.shots === null ? '0' : row.mean_abs_output_error.toFixed(4),
    row.seconds.toFixed(1),
  ]);
  if (markdown) {
    return [`| ${header.join(' | ')} |`, `|${header.map((_, j) => (j === 0 ? '---' : '---:')).join('|')}|`, ...cells.map((c) => `| ${c.join(' | ')} |`)].join('\n');
  }
  const widths = header.map((h, j) => Math.max(h.length, ...cells.map((c) => c[j].length)));
  const line = (cols: string[]) => cols.map((c, j) => c.padStart(widths[j])).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line)].join('\n');
}

function shotsMarkdown(r: ShotsEvalResult): string {
  return [
    `# ${r.name}: test accuracy with finite shots`,
    '',
    `Every quantum layer's outputs estimated from N measurement shots per sample (seed ${r.seed}) instead of exactly, ` +
      `on ${r.testSamples} test samples with the trained weights. "output MAE" is the mean absolute error of the quantum layers' outputs against their exact values ` +
      '(shot noise of an expectation value E from N shots has standard deviation √((1 − E²)/N)).',
    '',
    shotsTable(r, true),
    '',
  ].join('\n');
}
