// Quantum feature channels: every image of a data set gets two extra channels computed by small
// fixed circuits (circuits.ts) from its downsampled pixels (maps.ts), so an RGB image becomes
// RGB + QE + QT (5 channels) and a grey one 1 + 2. The expectation values are computed once for
// the whole data set, in large batched engine calls, and cached on disk (cache.ts); a later run
// of the same data and circuits reads them back in well under a second.
//
// The run hands over the rows of its split (data/load.ts: train, then val, then test), so the
// cache key, which hashes those rows' pixels and labels in order, is tied to the data and the
// split: the models of one compare (one shared split) read one file.

import { resolve } from 'node:path';
import { createHash } from 'node:crypto';
import { QNode } from '../../engine/qnode.js';
import { EntangleError } from '../../util/errors.js';
import { canonicalJson, sha256Hex } from '../../util/hash.js';
import { channelCircuits, type ChannelCircuit } from './circuits.js';
import { appendMapChannels, cellGrid, cellMeans } from './maps.js';
import { cacheFile, readCache, writeCache } from './cache.js';

export interface QuantumChannelsConfig {
  /** Wires of each circuit = cells of the downsampling grid (default 4: a 2×2 grid). */
  qubits?: number;
  /** Seed of the circuits' fixed weights (default 0: the documented circuits). */
  seed?: number;
  /** Folder of the cache files (default .entangle-cache/quantum-channels, relative to the working directory). */
  cacheDir?: string;
}

export const DEFAULT_CHANNEL_QUBITS = 4;
export const DEFAULT_CHANNEL_CACHE = '.entangle-cache/quantum-channels';
/** Format of the cached values; bump when the circuits or the downsampling change meaning. */
const DEFINITION_VERSION = 1;

export class QuantumChannelsError extends EntangleError {
  override name = 'QuantumChannelsError';
  constructor(message: string) {
    super('E_QUANTUM_CHANNELS', message);
  }
}

/** The part of a data set (data/dataset.ts's Dataset) the channels read; models/ does not import data/. */
export interface ImageRows {
  features: Float32Array;
  labels: Int32Array;
  numSamples: number;
  numFeatures: number;
  featureNames: string[];
  shape?: number[];
}

/** sha256 of the rows' pixels and labels, in order (the data and the split they come from). */
function rowsFingerprint(ds: ImageRows): string {
  const h = createHash('sha256');
  h.update(Buffer.from(ds.features.buffer, ds.features.byteOffset, ds.features.byteLength));
  h.update(Buffer.from(ds.labels.buffer, ds.labels.byteOffset, ds.labels.byteLength));
  return h.digest('hex');
}

/** What adding the channels cost and where the values came from (summary.json's quantum_channels). */
export interface ChannelStats {
  qubits: number;
  grid: [number, number];
  images: number;
  /** hit: read from the cache; computed: no cache file; rebuilt: a damaged or mismatched file was replaced. */
  cache: 'hit' | 'computed' | 'rebuilt';
  /** Why a cache file was rebuilt (absent otherwise). */
  rebuilt_because?: string;
  /** Images run through the engine in this call (0 on a cache hit). */
  engine_images: number;
  /** Seconds of the engine calls (0 on a hit). */
  precompute_seconds: number;
  /** Seconds to read the cache or compute, and to append the channels. */
  total_seconds: number;
  cache_file: string;
}

/** The cache key: everything the expectation values depend on. */
export function channelKey(ds: ImageRows, qubits: number, circuits: readonly ChannelCircuit[]): string {
  return sha256Hex(canonicalJson({
    definition: DEFINITION_VERSION,
    data: rowsFingerprint(ds),
    shape: ds.shape,
    grid: cellGrid(qubits),
    circuits: circuits.map((c) => ({ circuit: c.circuit.toJSON(), measurement: c.measurement, weights: Array.from(c.weights) })),
  })).slice(0, 40);
}

/** Images per engine call: thousands, but at most ~64 MiB of state (16 bytes per amplitude). */
function engineBatch(qubits: number): number {
  return Math.max(64, Math.min(8192, Math.floor(2 ** 22 / 2 ** qubits)));
}

/**
 * Expectation values of both circuits for every image, [images, 2, qubits] row-major: the n cell
 * means of an image are one row of the batch, and each circuit runs on thousands of rows per call.
 */
export function computeChannelValues(ds: ImageRows, qubits: number, circuits: readonly ChannelCircuit[]): Float64Array {
  const shape = ds.shape as number[];
  const grid = cellGrid(qubits);
  const count = ds.numSamples;
  const out = new Float64Array(count * 2 * qubits);
  const nodes = circuits.map((c) => new QNode(c.circuit, c.measurement));
  const chunk = engineBatch(qubits);
  const inputs = new Float64Array(chunk * qubits);
  for (let start = 0; start < count; start += chunk) {
    const b = Math.min(chunk, count - start);
    for (let i = 0; i < b; i++) cellMeans(ds.features, (start + i) * ds.numFeatures, shape, grid, inputs, i * qubits);
    nodes.forEach((node, m) => {
      const values = node.forward(inputs.subarray(0, b * qubits), circuits[m].weights);
      for (let i = 0; i < b; i++) out.set(values.subarray(i * qubits, (i + 1) * qubits), ((start + i) * 2 + m) * qubits);
    });
  }
  return out;
}

/**
 * The data set with the two quantum channels appended (a new Dataset; `ds` is not modified).
 * Values come from the cache when it holds this key, else they are computed and cached.
 */
export function withQuantumChannels<D extends ImageRows>(ds: D, config: QuantumChannelsConfig = {}, onMessage?: (m: string) => void): { dataset: D; stats: ChannelStats } {
  const started = performance.now();
  const qubits = config.qubits ?? DEFAULT_CHANNEL_QUBITS;
  const shape = ds.shape;
  if (!shape || shape.length !== 3) {
    throw new QuantumChannelsError(`model.quantumChannels needs image data (samples [height, width, channels]), but the data has samples of shape [${(shape ?? [ds.numFeatures]).join(', ')}]; remove model.quantumChannels or use an image data set`);
  }
  const grid = cellGrid(qubits);
  if (grid.rows > shape[0] || grid.cols > shape[1]) {
    throw new QuantumChannelsError(`model.quantumChannels.qubits: ${qubits} cells make a ${grid.rows}×${grid.cols} grid, which does not fit ${shape[0]}×${shape[1]} images; choose fewer qubits`);
  }
  const circuits = channelCircuits(qubits, config.seed ?? 0);
  const dir = resolve(config.cacheDir ?? DEFAULT_CHANNEL_CACHE);
  const key = channelKey(ds, qubits, circuits);
  const cached = readCache(dir, key, ds.numSamples, qubits);
  let values: Float64Array;
  let precompute = 0;
  let cache: ChannelStats['cache'] = 'hit';
  let reason: string | undefined;
  if (cached.status === 'hit') values = cached.values;
  else {
    if (cached.status === 'invalid') {
      reason = cached.reason;
      onMessage?.(`quantum channels: the cache file ${cacheFile(dir, key)} is unusable (${reason}); recomputing it`);
    }
    const t0 = performance.now();
    values = computeChannelValues(ds, qubits, circuits);
    precompute = (performance.now() - t0) / 1000;
    writeCache(dir, key, ds.numSamples, qubits, values);
    cache = cached.status === 'invalid' ? 'rebuilt' : 'computed';
    onMessage?.(`quantum channels: ${ds.numSamples} images × 2 circuits of ${qubits} qubits in ${precompute.toFixed(2)} s, cached in ${cacheFile(dir, key)}`);
  }
  // Split [images, 2, n] into one n-vector per image for each circuit, then append both maps.
  const maps = [0, 1].map((m) => {
    const v = new Float64Array(ds.numSamples * qubits);
    for (let b = 0; b < ds.numSamples; b++) v.set(values.subarray((b * 2 + m) * qubits, (b * 2 + m + 1) * qubits), b * qubits);
    return v;
  });
  const features = appendMapChannels(ds.features, ds.numSamples, shape, maps, grid);
  const outShape = [shape[0], shape[1], shape[2] + 2];
  const dataset: D = { ...ds, features, numFeatures: outShape[0] * outShape[1] * outShape[2], featureNames: [], shape: outShape };
  const stats: ChannelStats = {
    qubits,
    grid: [grid.rows, grid.cols],
    images: ds.numSamples,
    cache,
    ...(reason ? { rebuilt_because: reason } : {}),
    engine_images: cache === 'hit' ? 0 : ds.numSamples,
    precompute_seconds: precompute,
    total_seconds: (performance.now() - started) / 1000,
    cache_file: cacheFile(dir, key),
  };
  return { dataset, stats };
}
