// Saving a trained tf.LayersModel without tfjs-node: model.save through tf.io.withSaveHandler
// hands us the topology and the weight bytes; we write model.json (the tfjs layers-model format,
// weightsManifest pointing at weights.bin) and weights.bin atomically. tf.loadLayersModel with
// tf.io.fromMemory (or any tfjs loader, given both files) reads them back.

import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { decodeConfigHex, encodeConfigHex } from '../tf/config-hex.js';
import { writeFileAtomic } from '../util/atomic-file.js';

export const MODEL_JSON = 'model.json';
export const WEIGHTS_BIN = 'weights.bin';

export async function saveModel(model: tf.LayersModel, dir: string): Promise<void> {
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const weightData = artifacts.weightData ? concatWeightData(artifacts.weightData) : new Uint8Array(0);
      // weights.bin first: model.json names it, so model.json appearing means both are there.
      writeFileAtomic(join(dir, WEIGHTS_BIN), weightData);
      const modelJson = {
        format: artifacts.format ?? 'layers-model',
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy ?? null,
        modelTopology: readableConfigs(artifacts.modelTopology),
        trainingConfig: artifacts.trainingConfig,
        weightsManifest: [{ paths: [`./${WEIGHTS_BIN}`], weights: artifacts.weightSpecs ?? [] }],
      };
      writeFileAtomic(join(dir, MODEL_JSON), JSON.stringify(modelJson));
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON', weightDataBytes: weightData.byteLength } };
    }),
  );
}

/** Load a model saved by saveModel (custom layers must be registered first). */
export async function loadSavedModel(dir: string): Promise<tf.LayersModel> {
  const { readFileSync } = await import('node:fs');
  const json = JSON.parse(readFileSync(join(dir, MODEL_JSON), 'utf8')) as { modelTopology: object; weightsManifest: Array<{ weights: tf.io.WeightsManifestEntry[] }> };
  const bin = readFileSync(join(dir, WEIGHTS_BIN));
  const weightData = bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength);
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
