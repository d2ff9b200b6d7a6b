// A saved reranker: reranker.json (the manifest) beside reranker-weights.bin (float32, little
// endian, the tensors of manifest.weights.tensors in order). The manifest is versioned and ties
// the weights to what they were trained with — the config hash, the embedder, the data's
// fingerprint — and carries the weights' SHA-256, so a damaged or foreign file is refused with
// the reason instead of scoring nonsense.
//
// The format is our own rather than tfjs's model.json so that loading (for `entangle rerank` and
// `entangle serve`) needs no TensorFlow.js: scoring runs in plain JS (scorer.ts).

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import { writeFileAtomic } from '../../util/atomic-file.js';
import { EntangleError } from '../../util/errors.js';
import { createHash } from 'node:crypto';
import { resolveRerankerConfig, SIMILARITIES, SIMILARITY_LAYER, type ResolvedRerankerConfig } from './config.js';
import type { DenseWeights, ScorerWeights } from './scorer.js';

export const MANIFEST_FILE = 'reranker.json';
export const RERANKER_WEIGHTS_FILE = 'reranker-weights.bin';
export const RERANKER_FORMAT = 'entangle-reranker';
export const RERANKER_FORMAT_VERSION = 1;

/** Where the run's embeddings came from: the built-in embedder (by id), or files (no text embedding possible). */
export type EmbedderSource = { kind: 'builtin'; id: string } | { kind: 'file'; id: string; path: string };

export interface RerankerManifest {
  format: typeof RERANKER_FORMAT;
  version: number;
  /** Hash of the run's computational config (the run folder's marker carries the same). */
  configHash: string;
  name: string;
  embedder: EmbedderSource;
  embeddingDim: number;
  /** The training data: its folder as configured and the BEIR loader's fingerprint. */
  data: { dir: string; fingerprint: string };
  reranker: ResolvedRerankerConfig;
  weights: { file: string; sha256: string; tensors: Array<{ name: string; shape: number[] }> };
}

export class RerankerLoadError extends EntangleError {
  override name = 'RerankerLoadError';
  constructor(
    readonly problem: 'missing' | 'foreign' | 'damaged',
    readonly file: string,
    reason: string,
  ) {
    super('E_RERANKER_LOAD', `cannot load the reranker from ${file}: ${reason}`);
  }
}

/** The weights the scorer needs, in manifest order: every dense layer's kernel and bias, then the similarity's parameter. */
function namedWeights(model: tf.LayersModel): Array<{ name: string; tensor: tf.Tensor }> {
  const out: Array<{ name: string; tensor: tf.Tensor }> = [];
  for (const layer of model.layers) {
    if (layer.getClassName() === 'Dense') {
      const [kernel, bias] = layer.getWeights();
      out.push({ name: `${layer.name}/kernel`, tensor: kernel }, { name: `${layer.name}/bias`, tensor: bias });
    } else if (layer.name === SIMILARITY_LAYER) {
      for (const w of layer.getWeights()) out.push({ name: `${layer.name}/param`, tensor: w });
    }
  }
  return out;
}

export function saveReranker(model: tf.LayersModel, dir: string, meta: Omit<RerankerManifest, 'format' | 'version' | 'weights'>): RerankerManifest {
  const weights = namedWeights(model);
  const parts = weights.map((w) => w.tensor.dataSync() as Float32Array);
  const total = parts.reduce((s, p) => s + p.length, 0);
  const bytes = new Uint8Array(total * 4);
  const view = new DataView(bytes.buffer);
  let offset = 0;
  for (const p of parts) for (let i = 0; i < p.length; i++, offset += 4) view.setFloat32(offset, p[i], true);
  const manifest: RerankerManifest = {
    format: RERANKER_FORMAT,
    version: RERANKER_FORMAT_VERSION,
    ...meta,
    weights: { file: RERANKER_WEIGHTS_FILE, sha256: createHash('sha256').update(bytes).digest('hex'), tensors: weights.map((w) => ({ name: w.name, shape: [...w.tensor.shape] })) },
  };
  // The weights first: the manifest names them, so a manifest on disk means both are complete.
  writeFileAtomic(join(dir, RERANKER_WEIGHTS_FILE), bytes);
  writeFileAtomic(join(dir, MANIFEST_FILE), JSON.stringify(manifest, null, 2) + '\n');
  return manifest;
}

/** Read and check a saved reranker's manifest and weights; every refusal names the file and the reason. */
export function readSavedReranker(dir: string): { manifest: RerankerManifest; weights: ScorerWeights } {
  const manifestPath = join(dir, MANIFEST_FILE);
  if (!existsSync(manifestPath)) {
    throw new RerankerLoadError('missing', manifestPath, `there is no ${MANIFEST_FILE}: ${dir} is not a trained reranker run (train one with \`entangle train\` on a config with model.reranker)`);
  }
  let manifest: RerankerManifest;
  try {
    manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as RerankerManifest;
  } catch (e) {
    throw new RerankerLoadError('damaged', manifestPath, `it is not valid JSON (${(e as Error).message})`);
  }
  if (manifest?.format !== RERANKER_FORMAT) throw new RerankerLoadError('foreign', manifestPath, `its format is ${JSON.stringify(manifest?.format)}, not "${RERANKER_FORMAT}"`);
  if (manifest.version !== RERANKER_FORMAT_VERSION) {
    throw new RerankerLoadError('foreign', manifestPath, `it is format version ${manifest.version}; this Entangle reads version ${RERANKER_FORMAT_VERSION} (retrain, or use the Entangle that wrote it)`);
  }
  if (!manifest.reranker || !(SIMILARITIES as readonly string[]).includes(manifest.reranker.similarity) || !manifest.weights?.tensors || !manifest.embedder) {
    throw new RerankerLoadError('damaged', manifestPath, 'it lacks the reranker, weights or embedder fields');
  }
  const config = resolveRerankerConfig(manifest.reranker);
  const weightsPath = join(dir, manifest.weights.file);
  if (!existsSync(weightsPath)) throw new RerankerLoadError('missing', weightsPath, `the weights file ${manifest.weights.file} that ${MANIFEST_FILE} names is missing`);
  const bytes = readFileSync(weightsPath);
  const expected = manifest.weights.tensors.reduce((s, t) => s + t.shape.reduce((a, b) => a * b, 1), 0) * 4;
  if (bytes.length !== expected) throw new RerankerLoadError('damaged', weightsPath, `it has ${bytes.length} bytes, the manifest's tensors need ${expected}`);
  const sha = createHash('sha256').update(bytes).digest('hex');
  if (sha !== manifest.weights.sha256) throw new RerankerLoadError('damaged', weightsPath, `its SHA-256 is ${sha.slice(0, 12)}…, the manifest recorded ${manifest.weights.sha256.slice(0, 12)}… (the file was changed or truncated after training)`);
  const floats = new Float32Array(bytes.length / 4);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < floats.length; i++) floats[i] = view.getFloat32(4 * i, true);
  const dense: DenseWeights[] = [];
  let similarity: Float32Array | null = null;
  let offset = 0;
  const tensors = manifest.weights.tensors;
  for (let t = 0; t < tensors.length; t++) {
    const size = tensors[t].shape.reduce((a, b) => a * b, 1);
    const data = floats.subarray(offset, offset + size);
    offset += size;
    if (tensors[t].name.endsWith('/kernel')) {
      const [inputs, units] = tensors[t].shape;
      const biasSize = tensors[t + 1]?.shape.reduce((a, b) => a * b, 1);
      if (biasSize !== units) throw new RerankerLoadError('damaged', manifestPath, `tensor ${tensors[t].name} is not followed by its bias of ${units} values`);
      dense.push({ kernel: data, bias: floats.subarray(offset, offset + units), inputs, units });
      offset += units;
      t++;
    } else if (tensors[t].name === `${SIMILARITY_LAYER}/param`) similarity = data;
  }
  const outDim = dense.at(-1)?.units;
  if (dense.length !== config.hidden.length + 1 || outDim !== config.outputDim || dense[0].inputs !== manifest.embeddingDim) {
    throw new RerankerLoadError('damaged', manifestPath, `its layers [${dense.map((d) => `${d.inputs}→${d.units}`).join(', ')}] do not match its config (hidden [${config.hidden.join(', ')}], ${config.outputDim} outputs, ${manifest.embeddingDim}-dim embeddings)`);
  }
  return { manifest: { ...manifest, reranker: config }, weights: { dense, similarity } };
}
