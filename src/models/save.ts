// Saving a trained tf.LayersModel without tfjs-node: the two files of model-json.ts (model.json,
// weights.bin), written atomically. tf.loadLayersModel with tf.io.fromMemory (or any tfjs loader,
// given both files) reads them back.

import { join } from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import { writeFileAtomic } from '../util/atomic-file.js';
import { MODEL_JSON, modelFiles, modelFromFiles, WEIGHTS_BIN } from './model-json.js';

export { filesOfArtifacts, hexConfigs, MODEL_JSON, modelFiles, modelFromFiles, readableConfigs, WEIGHTS_BIN, type ModelFiles } from './model-json.js';

export async function saveModel(model: tf.LayersModel, dir: string): Promise<void> {
  const files = await modelFiles(model);
  // weights.bin first: model.json names it, so model.json appearing means both are there.
  writeFileAtomic(join(dir, WEIGHTS_BIN), files.weights);
  writeFileAtomic(join(dir, MODEL_JSON), files.modelJson);
}

/** Load a model saved by saveModel (custom layers must be registered first). */
export async function loadSavedModel(dir: string): Promise<tf.LayersModel> {
  const { readFileSync } = await import('node:fs');
  return modelFromFiles(readFileSync(join(dir, MODEL_JSON), 'utf8'), readFileSync(join(dir, WEIGHTS_BIN)));
}
