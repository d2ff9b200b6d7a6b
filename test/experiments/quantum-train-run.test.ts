// Quantum-Train through configs and run folders: validation errors, a short training run that
// lowers the loss and exports the generated network (which scores exactly as the hybrid), and an
// interrupted run resuming to the same bits.

import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { runCli } from '../../src/cli/program.js';
import { ConfigError } from '../../src/config/errors.js';
import { toTensors } from '../../src/data/dataset.js';
import { prepareData } from '../../src/data/load.js';
import { loadMnist } from '../../src/data/mnist.js';
import { loadSavedModel } from '../../src/models/save.js';
import { parseConfigText } from '../../src/config/load.js';
import { runExperiment } from '../../src/experiments/run.js';
import { readMetricsJsonl } from '../../src/train/history.js';
import { writeMnistDir } from '../data/fixtures.js';
import { qtConfig } from './qt-helpers.js';

const load = (text: string, overrides: string[] = []) => parseConfigText(text, 'qt.yaml', { overrides, baseDir: process.cwd() });

function configError(text: string, overrides: string[] = []): string {
  try {
    load(text, overrides);
  } catch (e) {
    assert.ok(e instanceof ConfigError, String(e));
    return e.message;
  }
  assert.fail('expected a ConfigError');
}

test('config errors: model needs exactly one of layers and quantumTrain; bad fields are named', () => {
  const both = qtConfig().replace('model:\n', 'model:\n  layers: [{ dense: { units: 2 } }]\n');
  assert.match(configError(both), /model: give exactly one of model\.layers .* model\.quantumTrain .*, not several \(model\.layers and model\.quantumTrain\)/);
  const neither = qtConfig().replace(/model:\n( {2,}.*\n)+?training:/, 'model: {}\ntraining:');
  assert.match(configError(neither), /model: give exactly one of model\.layers/);
  assert.match(configError(qtConfig(), ['model.quantumTrain.ansatz=ring']), /model\.quantumTrain\.ansatz: must be one of "u3_cu3_ring", "ry_cnot_chain" \(got "ring"\)/);
  assert.match(configError(qtConfig(), ['model.quantumTrain.blocks=0']), /model\.quantumTrain\.blocks: must be >= 1/);
  assert.match(configError(qtConfig(), ['model.quantumTrain.target.preset=lenet']), /model\.quantumTrain\.target\.preset: must be one of "qt_mnist_cnn"/);
  assert.match(configError(qtConfig(), ['model.quantumTrain.mapping.width=3']), /model\.quantumTrain\.mapping\.width: is not a known field \(expected one of: hidden, activation\)/);
});

test('errors found while building (too few qubits, a target that does not fit) name the config field', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'qt-'));
  await assert.rejects(runExperiment(load(qtConfig(), ['model.quantumTrain.qubits=5']), { outDir: dir, report: false }), /model\.quantumTrain\.qubits: 5 qubits give 2\^5 probabilities, but the target has 38 parameters: use an integer from 6/);
  await assert.rejects(runExperiment(load(qtConfig(), ['model.quantumTrain.target={ preset: qt_mnist_cnn }']), { outDir: dir, report: false }), /model\.quantumTrain\.target\.inputShape: the data has samples of shape \[3\]/);
});

test('a short Quantum-Train run lowers the loss, exports the generated network, and reports it beside the hybrid', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'qt-'));
  const { summary } = await runExperiment(load(qtConfig(6)), { outDir: dir, report: false });
  const history = readMetricsJsonl(join(dir, 'metrics.jsonl'));
  assert.equal(history.length, 6);
  assert.ok(history[5].train_loss < 0.9 * history[0].train_loss, `loss ${history[0].train_loss} → ${history[5].train_loss}`);
  assert.ok((history[0].quantum_seconds ?? 0) > 0, 'the circuit layer reports its engine time');
  const qt = summary.quantum_train;
  assert.ok(qt, 'summary.quantum_train');
  // 6 qubits × 6 × 2 blocks = 72 angles; mapping 7→4→8→4→1 = 32 + 40 + 36 + 5 = 113.
  assert.deepEqual({ qubits: qt.qubits, circuit: qt.circuit, mapping: qt.mapping, target: qt.target }, { qubits: 6, circuit: 72, mapping: 113, target: 38 });
  assert.deepEqual(summary.params, { quantum: 72, classical: 113, total: 185 });
  assert.equal(qt.generated_test_accuracy, summary.test_accuracy, 'the generated network alone is the same function as the hybrid');
  for (const f of ['generated/model.json', 'generated/weights.bin', 'model.json', 'checkpoints/last.ckpt']) assert.ok(existsSync(join(dir, f)), f);
  const saved = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
  assert.equal(saved.quantum_train.generated_dir, 'generated');
  const topology = JSON.parse(readFileSync(join(dir, 'generated/model.json'), 'utf8')).modelTopology.config.layers.map((l: { class_name: string }) => l.class_name);
  assert.deepEqual(topology, ['InputLayer', 'Dense', 'Dense'], 'standard tfjs layers only');
});

test('an interrupted Quantum-Train run resumes to the same weights as an uninterrupted one', async () => {
  const straight = mkdtempSync(join(tmpdir(), 'qt-'));
  const interrupted = mkdtempSync(join(tmpdir(), 'qt-'));
  await runExperiment(load(qtConfig(3)), { outDir: straight, report: false });
  await runExperiment(load(qtConfig(3)), { outDir: interrupted, report: false, maxEpochsThisCall: 1 });
  const resumed = await runExperiment(load(qtConfig(3)), { outDir: interrupted, report: false, resume: true });
  assert.equal(resumed.summary.resumed_from_epoch, 1);
  assert.deepEqual(readFileSync(join(interrupted, 'weights.bin')), readFileSync(join(straight, 'weights.bin')));
  assert.deepEqual(readFileSync(join(interrupted, 'generated/weights.bin')), readFileSync(join(straight, 'generated/weights.bin')));
});

test('on MNIST-format images the exported CNN has the standardization built in and takes raw pixels', async () => {
  const fixture = writeMnistDir(40, 10);
  const dir = mkdtempSync(join(tmpdir(), 'qt-'));
  const text = `name: qt-images
seed: 1
data: { type: mnist, dir: ${fixture.dir}, split: { train: 30, val: 10, test: 10 } }
model:
  quantumTrain: { target: { preset: qt_mnist_cnn }, blocks: 1 }
training: { epochs: 1, batchSize: 15, optimizer: { type: adam, lr: 0.005 }, clipNorm: 10 }
`;
  const loaded = load(text);
  const { summary } = await runExperiment(loaded, { outDir: dir, report: false });
  assert.equal(summary.quantum_train?.generated_input, 'raw');
  assert.equal(summary.quantum_train?.qubits, 13);
  const exported = await loadSavedModel(join(dir, 'generated'));
  assert.equal(exported.layers[0].getClassName(), 'Rescaling');
  const data = prepareData(loaded.config.data, loaded.config.seed, loaded.baseDir);
  const raw = loadMnist({ dir: fixture.dir });
  const rows = data.split.test.map((r) => r - 40); // test rows come after the 40 training images
  const rawTest = tf.tensor4d(rows.flatMap((r) => Array.from(raw.test.images.subarray(r * 784, (r + 1) * 784))), [rows.length, 28, 28, 1]);
  const standardized = toTensors(data.test).x;
  const hybrid = await loadSavedModel(dir);
  const a = (exported.predict(rawTest) as tf.Tensor).dataSync();
  const b = (hybrid.predict(standardized) as tf.Tensor).dataSync();
  a.forEach((v, i) => assert.ok(Math.abs(v - b[i]) < 1e-4 * Math.max(1, Math.abs(b[i])), `output ${i}: exported(raw) ${v} vs hybrid(standardized) ${b[i]}`));
  tf.dispose([rawTest, standardized]);
  exported.dispose();
  hybrid.dispose();
});

test('entangle train --stop-after time-boxes a run; --resume --stop-after 0 writes the folder from the last checkpoint', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'qt-'));
  const config = join(dir, 'qt.yaml');
  writeFileSync(config, qtConfig(5));
  const quiet = { write: () => true };
  const out = join(dir, 'run');
  assert.equal(await runCli(['node', 'entangle', 'train', config, '--out', out, '--stop-after', '2'], quiet), 0);
  const first = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
  assert.deepEqual([first.epochs, first.epochs_configured], [2, 5]);
  assert.equal(await runCli(['node', 'entangle', 'train', config, '--out', out, '--resume', '--stop-after', '0'], quiet), 0);
  const again = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
  assert.deepEqual([again.epochs, again.resumed_from_epoch, again.test_accuracy], [2, 2, first.test_accuracy]);
  // (commander prints the option error itself)
  assert.notEqual(await runCli(['node', 'entangle', 'train', config, '--stop-after', 'x'], quiet), 0);
});
