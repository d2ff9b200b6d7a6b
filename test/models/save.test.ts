// Saved models: model.json shows quantum layer specs readable (not hex), loads back to identical
// predictions, still loads files written before (hex configs), and the model fingerprint that
// ties checkpoints to runs is unchanged by how the layer classes are organized.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { buildModel, type LayerConfig } from '../../src/models/build.js';
import { hexConfigs, loadSavedModel, MODEL_JSON, saveModel } from '../../src/models/save.js';
import { modelFingerprint } from '../../src/train/fingerprint.js';

await tf.setBackend('cpu');

const layers: LayerConfig[] = [
  { dense: { units: 3, activation: 'tanh' } },
  { quantum: { wires: 3, embedding: { type: 'angle', rotation: 'Y' }, ansatz: { type: 'strongly_entangling', layers: 2 }, measure: { type: 'expval', observables: ['Z0', 'X1 Z2'] } } },
  { dense: { units: 2 } },
] as LayerConfig[];
const build = (): tf.Sequential => buildModel(layers, { inputShape: [4], seed: 3, numClasses: 2 });

test('the fingerprint of a hybrid model is the one earlier versions computed (their checkpoints still resume)', () => {
  // Computed with the QuantumLayer of 2026-12-01 (before the bridge/model split); any change to
  // the layer's config or weight names changes it and would refuse every earlier checkpoint.
  assert.equal(modelFingerprint(build()), '455f54c6f46737e78f664447ed598700db2d630e53a8872eafb0e28f25bd07ab');
});

test('model.json holds the quantum spec as readable JSON, and loads back to identical predictions', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'entangle-save-'));
  const model = build();
  await saveModel(model, dir);
  const text = readFileSync(join(dir, MODEL_JSON), 'utf8');
  assert.ok(!/_hex"/.test(text), 'no hex-encoded configs on disk');
  const json = JSON.parse(text) as { modelTopology: { config: { layers: Array<{ class_name: string; config: Record<string, unknown> }> } } };
  const q = json.modelTopology.config.layers.find((l) => l.class_name === 'QuantumLayer');
  assert.ok(q, 'a QuantumLayer in the topology');
  assert.deepEqual((q.config.spec_readable as { ansatz: unknown }).ansatz, { type: 'strongly_entangling', layers: 2 });
  const loaded = await loadSavedModel(dir);
  const x = tf.randomUniform([6, 4], -1, 1, 'float32', 5);
  assert.deepEqual(Array.from((loaded.predict(x) as tf.Tensor).dataSync()), Array.from((model.predict(x) as tf.Tensor).dataSync()));
  assert.equal(modelFingerprint(loaded), modelFingerprint(model));
});

test('a model.json written with hex configs (earlier versions) still loads', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'entangle-save-legacy-'));
  const model = build();
  await saveModel(model, dir);
  const path = join(dir, MODEL_JSON);
  const json = JSON.parse(readFileSync(path, 'utf8')) as { modelTopology: unknown };
  json.modelTopology = hexConfigs(json.modelTopology);
  const legacy = JSON.stringify(json);
  assert.match(legacy, /"spec_hex":"[0-9a-f]+"/);
  writeFileSync(path, legacy);
  const loaded = await loadSavedModel(dir);
  const x = tf.randomUniform([3, 4], -1, 1, 'float32', 6);
  assert.deepEqual(Array.from((loaded.predict(x) as tf.Tensor).dataSync()), Array.from((model.predict(x) as tf.Tensor).dataSync()));
});
