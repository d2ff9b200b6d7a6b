// The files of a saved model, made in memory: model.json (the tfjs layers-model format, with
// weightsManifest pointing at weights.bin) and weights.bin. No file access here: save.ts writes
// them atomically; the browser playground offers them as downloads, so a model trained in a page
// is the same pair of files `entangle train` writes and loads with the same code.

import * as tf from '@tensorflow/tfjs';
import { decodeConfigHex, encodeConfigHex } from '../tf/config-hex.js';

export const MODEL_JSON = 'model.json';
export const WEIGHTS_BIN = 'weights.bin';

export interface ModelFiles {
  /** The text of model.json. */
  modelJson: string;
  /** The bytes of weights.bin. */
  weights: Uint8Array;
}

/** model.json and weights.bin of a model, as saveModel writes them. */
export async function modelFiles(model: tf.LayersModel): Promise<ModelFiles> {
  let files: ModelFiles | undefined;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      files = filesOfArtifacts(artifacts);
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON', weightDataBytes: files.weights.byteLength } };
    }),
  );
  if (!files) throw new Error('modelFiles: TensorFlow.js saved nothing');
  return files;
}

/** The two files of tfjs's save artifacts, layer configs written readable. */
export function filesOfArtifacts(artifacts: tf.io.ModelArtifacts): ModelFiles {
  const weights = artifacts.weightData ? concatWeightData(artifacts.weightData) : new Uint8Array(0);
  const modelJson = {
    format: artifacts.format ?? 'layers-model',
    generatedBy: artifacts.generatedBy,
    convertedBy: artifacts.convertedBy ?? null,
    modelTopology: readableConfigs(artifacts.modelTopology),
    trainingConfig: artifacts.trainingConfig,
    weightsManifest: [{ paths: [`./${WEIGHTS_BIN}`], weights: artifacts.weightSpecs ?? [] }],
  };
  return { modelJson: JSON.stringify(modelJson), weights };
}

/** A model from the two files' contents (custom layers must be registered first). */
export async function modelFromFiles(modelJson: string, weights: Uint8Array): Promise<tf.LayersModel> {
  const json = JSON.parse(modelJson) as { modelTopology: object; weightsManifest: Array<{ weights: tf.io.WeightsManifestEntry[] }> };
  const weightData = weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength) as ArrayBuffer;
  return tf.loadLayersModel(tf.io.fromMemory({ modelTopology: hexConfigs(json.modelTopology) as object, weightSpecs: json.weightsManifest[0].weights, weightData }));
}

function concatWeightData(data: ArrayBuffer | ArrayBuffer[]): Uint8Array {
  const buffers = Array.isArray(data) ? data : [data];
  const total = buffers.reduce((s, b) => s + b.byteLength, 0);
  const out = new Uint8Array(total);
  let offset = 0;
  for (const b of buffers) {
    out.set(new Uint8Array(b), offset);
    offset += b.byteLength;
  }
  return out;
}

// Layer configs that tfjs would mangle (it rewrites every string between camelCase and
// snake_case) travel through tfjs as hex of their JSON (tf/config-hex.ts). On disk they are
// written readable: a key `x_hex` holding hex becomes `x_readable` holding the JSON itself, and
// loading turns it back before tfjs sees it. The round trip is exact (JSON.stringify of the
// parsed value is the original text), and files written with `x_hex` still load unchanged.
const HEX = '_hex';
const READABLE = '_readable';

/** The topology with every `*_hex` layer-config value decoded into `*_readable` JSON. */
export function readableConfigs(value: unknown): unknown {
  return mapConfigKeys(value, (key, v) =>
    key.endsWith(HEX) && typeof v === 'string' ? [key.slice(0, -HEX.length) + READABLE, decodeConfigHex(v, `model.json: ${key}`)] : null,
  );
}

/** The inverse of readableConfigs: `*_readable` values back into the hex tfjs expects. */
export function hexConfigs(value: unknown): unknown {
  return mapConfigKeys(value, (key, v) => (key.endsWith(READABLE) ? [key.slice(0, -READABLE.length) + HEX, encodeConfigHex(v)] : null));
}

/** Copy of a JSON tree where `rewrite` may replace an object member (key and value) at any depth. */
function mapConfigKeys(value: unknown, rewrite: (key: string, v: unknown) => [string, unknown] | null): unknown {
  if (Array.isArray(value)) return value.map((v) => mapConfigKeys(v, rewrite));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    const replaced = rewrite(key, v);
    if (replaced) out[replaced[0]] = replaced[1];
    else out[key] = mapConfigKeys(v, rewrite);
  }
  return out;
}
