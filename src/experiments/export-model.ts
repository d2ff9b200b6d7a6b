// `entangle export`: the trained circuit of a config or run folder, lowered for a hardware target
// and written as that provider's job body (export/export.ts does the lowering and the checks).
//
//   CONFIG.yaml  the model as built from the config: circuit weights from its seeded initializer
//   RUN_DIR      a folder written by `entangle train` (config.yaml, model.json, weights.bin,
//                split.json): the trained weights, and its test split for --sample
//
// Inputs of the circuit: --sample K takes test sample K of the data split and runs it through the
// model's layers before the quantum layer (so the circuit gets what it got in training);
// --inputs FILE.csv --row N takes the circuit's input values directly (row N, 0-based, a header
// line allowed); --inputs FILE.csv alone sends every row as IBM PUB parameter values; neither:
// the inputs stay parameters (openqasm3). Files: --out FILE, and FILE.gK.ext for readout groups
// K ≥ 1 of the per-group targets; an existing file is replaced only if this command wrote it
// (its marker) or with --force; nothing is written unless every file passed the checks.

import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { loadConfigFile, type LoadedConfig } from '../config/load.js';
import { sampleShape } from '../data/dataset.js';
import { prepareData } from '../data/load.js';
import { loadSplit } from '../data/split.js';
import { buildModel } from '../models/build.js';
import { QuantumLayer } from '../models/quantum-layer.js';
import { loadSavedModel } from '../models/save.js';
import { setupBackend } from '../tf-kernels/backend.js';
import { restoreWeights, snapshotWeights } from '../train/weights.js';
import { writeFileAtomic } from '../util/atomic-file.js';
import { ExportError } from '../export/errors.js';
import { exportCircuit, GENERATED_TAG, type ExportOutput, type ExportSpec, type ExportTarget, type IbmBasis } from '../export/export.js';
import { GENERATED_MARK } from '../export/qasm3.js';
import type { IonqGateset } from '../export/ionq.js';
import { layerList } from './grad-check.js';
import { SPLIT_FILE } from './run.js';

export interface ExportModelOptions {
  target: ExportTarget;
  out: string;
  /** Index in model.layers of the quantum layer (default: the only one). */
  layer?: number;
  sample?: number;
  inputs?: string;
  row?: number;
  basis?: IbmBasis;
  gateset?: IonqGateset;
  shots?: number;
  backend?: string;
  force?: boolean;
  overrides?: string[];
}

export interface ExportModelResult extends ExportOutput {
  written: string[];
  layerIndex: number;
  source: 'config' | 'run';
}

/** The file for readout group suffix `.gK`: job.json → job.g1.json. */
export function outPath(out: string, suffix: string): string {
  if (!suffix) return out;
  const ext = extname(out);
  return ext ? `${out.slice(0, -ext.length)}${suffix}${ext}` : `${out}${suffix}`;
}

/** Whether an existing file is one this command wrote (so replacing it loses nothing of the user's). */
function writtenByExport(path: string): boolean {
  try {
    const text = readFileSync(path, 'utf8');
    return text.includes(GENERATED_MARK) || text.includes(`"${GENERATED_TAG}"`);
  } catch {
    return false;
  }
}

/** Circuit input rows from a CSV file of numbers (a non-numeric first line is a header). */
export function readInputRows(file: string, width: number): Float64Array[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new ExportError(`--inputs ${file}: cannot read it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  const lines = text.split(/\r?\n/);
  const rows: Float64Array[] = [];
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    const cells = line.split(',').map((c) => c.trim());
    const values = cells.map(Number);
    if (cells.some((c, j) => c === '' || !Number.isFinite(values[j]))) {
      if (rows.length === 0 && i === lines.findIndex((l) => l.trim() !== '')) return; // header
      throw new ExportError(`${file}:${i + 1}: expected ${width} numbers separated by commas, got "${line.slice(0, 60)}"`);
    }
    if (values.length !== width) throw new ExportError(`${file}:${i + 1}: ${values.length} values, but the circuit reads ${width} inputs`);
    rows.push(Float64Array.from(values));
  });
  if (rows.length === 0) throw new ExportError(`${file}: no rows of numbers`);
  return rows;
}

/** The quantum layer to export: index in model.layers, checked against the config. */
function pickLayer(loaded: LoadedConfig, wanted: number | undefined): number {
  const layers = layerList(loaded);
  const quantum = layers.flatMap((l, i) => ('quantum' in l ? [i] : []));
  if (quantum.length === 0) throw new ExportError(`${loaded.file}: the model has no quantum layer to export`);
  if (wanted === undefined) {
    if (quantum.length > 1) throw new ExportError(`${loaded.file}: the model has quantum layers at model.layers[${quantum.join('], [')}]; choose one with --layer`);
    return quantum[0];
  }
  if (!quantum.includes(wanted)) throw new ExportError(`--layer ${wanted}: model.layers[${wanted}] is not a quantum layer (quantum layers: ${quantum.join(', ')})`);
  return wanted;
}

export async function exportModel(source: string, opts: ExportModelOptions): Promise<ExportModelResult> {
  if (opts.sample !== undefined && opts.inputs !== undefined) throw new ExportError('give --sample K or --inputs FILE, not both');
  if (opts.row !== undefined && opts.inputs === undefined) throw new ExportError('--row N needs --inputs FILE.csv');
  const isRun = existsSync(source) && statSync(source).isDirectory();
  const loaded = loadConfigFile(isRun ? join(source, 'config.yaml') : source, { overrides: opts.overrides ?? [] });
  const config = loaded.config;
  const layerIndex = pickLayer(loaded, opts.layer);
  await setupBackend(config.training.backend);
  const data = prepareData(config.data, config.seed, loaded.baseDir, isRun && existsSync(join(source, SPLIT_FILE)) ? loadSplit(join(source, SPLIT_FILE)) : undefined);
  const model = buildModel(layerList(loaded), { inputShape: sampleShape(data.train), seed: config.seed, numClasses: data.dataset.numClasses });
  try {
    if (isRun) {
      const saved = await loadSavedModel(source);
      restoreWeights(model, snapshotWeights(saved));
      saved.dispose();
    }
    const layers = model.layers.filter((l) => l.getClassName() !== 'InputLayer');
    const qlayer = layers[layerIndex];
    if (!(qlayer instanceof QuantumLayer)) throw new ExportError(`model.layers[${layerIndex}] did not build as a quantum layer`);
    const weights = Float64Array.from(qlayer.getWeights()[0].dataSync());
    const circuit = qlayer.circuit;

    let inputs: Float64Array | undefined;
    let parameterRows: Float64Array[] | undefined;
    if (opts.sample !== undefined) {
      const n = data.test.numSamples;
      if (!(Number.isInteger(opts.sample) && opts.sample >= 0 && opts.sample < n)) throw new ExportError(`--sample ${opts.sample}: the test split has samples 0..${n - 1}`);
      const width = data.test.numFeatures;
      const row = data.test.features.subarray(opts.sample * width, (opts.sample + 1) * width);
      // What the quantum layer received for this sample: the layers before it, in evaluation mode.
      const out = tf.tidy(() => {
        let t: tf.Tensor = tf.tensor(Array.from(row), [1, ...sampleShape(data.test)]);
        for (let i = 0; i < layerIndex; i++) t = layers[i].apply(t, { training: false }) as tf.Tensor;
        return t;
      });
      inputs = Float64Array.from(out.dataSync());
      out.dispose();
    } else if (opts.inputs !== undefined) {
      const rows = readInputRows(opts.inputs, circuit.numInputs);
      if (opts.row !== undefined) {
        if (!(Number.isInteger(opts.row) && opts.row >= 0 && opts.row < rows.length)) throw new ExportError(`--row ${opts.row}: ${opts.inputs} has rows 0..${rows.length - 1}`);
        inputs = rows[opts.row];
      } else parameterRows = rows;
    }

    const spec: ExportSpec = {
      circuit,
      weights,
      measurement: qlayer.measurement,
      target: opts.target,
      inputs,
      parameterRows,
      basis: opts.basis,
      gateset: opts.gateset,
      shots: opts.shots ?? 1000,
      backend: opts.backend,
      name: config.name,
      seed: config.seed,
    };
    const result = exportCircuit(spec);
    const paths = result.files.map((f) => outPath(opts.out, f.suffix));
    // Every file is checked before any is written, so a refusal leaves nothing half-made.
    for (const p of paths) {
      if (existsSync(p) && !opts.force && !writtenByExport(p)) {
        throw new ExportError(`${p} exists and was not written by entangle export; choose another --out or pass --force to replace it`);
      }
    }
    result.files.forEach((f, i) => writeFileAtomic(paths[i], f.text));
    return { ...result, written: paths, layerIndex, source: isRun ? 'run' : 'config' };
  } finally {
    model.dispose();
  }
}
