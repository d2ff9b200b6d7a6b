// The playground's training worker: everything that computes runs here, so the page stays
// responsive. It validates the config the controls describe with the CLI's own checks
// (validateConfigText), prepares the data as `entangle train` does (synthetic generation or the
// CSV parser, the seeded split, train-row standardization), builds the hybrid and its classical
// twin, and trains both one epoch at a time with EpochStepper — the trainer's epochs — on
// TensorFlow.js's cpu backend, the CLI's default. After every epoch it evaluates both models on
// the test rows, classifies the decision-boundary grid and redraws the circuit with its current
// angles.

import * as tf from '@tensorflow/tfjs';
import { stringify } from 'yaml';
import { drawCircuitSvg } from '../../src/circuit/draw-svg.js';
import { validateConfigText } from '../../src/config/parse.js';
import type { ExperimentConfig } from '../../src/config/types.js';
import { parseCsvDataset } from '../../src/data/csv-parse.js';
import { sampleShape, toTensors, type Dataset } from '../../src/data/dataset.js';
import type { CsvDataConfig } from '../../src/data/load.js';
import { standardizedParts, syntheticDataset, type StandardizedParts, type SyntheticDataConfig } from '../../src/data/prepare.js';
import { drawSplitRows } from '../../src/data/split-rows.js';
import { wasmKernelsActive } from '../../src/engine/wasm/backend.js';
import { buildModel, countParams } from '../../src/models/build.js';
import { modelFiles } from '../../src/models/model-json.js';
import { QuantumLayer } from '../../src/models/quantum-layer.js';
import { classicalTwin } from '../../src/models/twin.js';
import { decisionBoundaryGrid } from '../../src/report/decision-boundary.js';
import { setupBackend } from '../../src/tf-kernels/backend.js';
import { EpochStepper } from '../../src/train/loop.js';
import type { LabeledTensors } from '../../src/train/tasks/classification.js';
import type { BoundaryFrame, FromWorker, ModelEpoch, ModelRole, PointSet, ToWorker } from './protocol.js';
import { configToSettings, settingsToConfig, type PlaygroundSettings } from './settings.js';

/** Cells per side of the decision-boundary grid. */
const RESOLUTION = 48;

interface Trained {
  config: ExperimentConfig;
  model: tf.LayersModel;
  stepper: EpochStepper;
}

interface Session {
  hybrid: Trained;
  twin: Trained;
  dataset: Dataset;
  parts: StandardizedParts;
  rows: { train: number[]; test: number[] };
  tensors: { train: LabeledTensors; test: LabeledTensors };
  features: [number, number];
  running: boolean;
}

let session: Session | null = null;
/** The loop's pending wake-up: messages (pause, step) are handled between epochs. */
let loopScheduled = false;

const post = (message: FromWorker, transfer: Transferable[] = []): void => (self as unknown as Worker).postMessage(message, transfer);

/** A header that says how to run the file, then the config as the CLI resolves it. */
function yamlOf(config: ExperimentConfig, note: string): string {
  return `# ${note}\n# Reproduce it with: entangle train ${config.name}.yaml\n${stringify(config, { lineWidth: 0 })}`;
}

function dispose(s: Session | null): void {
  if (!s) return;
  s.hybrid.stepper.dispose();
  s.twin.stepper.dispose();
  s.hybrid.model.dispose();
  s.twin.model.dispose();
  tf.dispose([s.tensors.train.x, s.tensors.train.y, s.tensors.test.x, s.tensors.test.y]);
}

function loadData(config: ExperimentConfig, csv?: { name: string; text: string }): Dataset {
  const data = config.data;
  if (data.type === 'csv') {
    if (!csv) throw new Error('data.type csv: drop a CSV file on the page first');
    const c = data as CsvDataConfig;
    return parseCsvDataset(csv.text, csv.name, { label: c.label, features: c.features, delimiter: c.delimiter });
  }
  return syntheticDataset(data as SyntheticDataConfig, data.seed ?? config.seed);
}

function points(raw: Dataset, rows: number[], [fx, fy]: [number, number]): PointSet {
  const d = raw.numFeatures;
  return {
    x: Float32Array.from(rows, (i) => raw.features[i * d + fx]),
    y: Float32Array.from(rows, (i) => raw.features[i * d + fy]),
    cls: Int32Array.from(rows, (i) => raw.labels[i]),
  };
}

async function configure(settings: PlaygroundSettings, csv?: { name: string; text: string }): Promise<void> {
  await setupBackend('cpu');
  // A CSV's row and class counts decide the split's counts and the last layer's width.
  let probe: Dataset | undefined;
  if (settings.data.kind === 'csv') {
    if (!csv) throw new Error('data: drop a CSV file on the page first (or choose a synthetic set)');
    probe = parseCsvDataset(csv.text, csv.name, { label: settings.data.csvLabel ?? '' });
  }
  const draft = settingsToConfig(settings, probe?.numSamples ?? settings.data.samples, probe?.numClasses ?? 2);
  // Validate the YAML text itself: what trains here is what the download says, defaults included.
  const yaml = yamlOf(draft, 'Hybrid model from the Entangle playground.');
  const config = validateConfigText(yaml, `${draft.name}.yaml`).config;
  const dataset = loadData(config, csv);
  const split = config.data.split;
  const drawn = drawSplitRows(dataset, split, split.seed ?? config.data.seed ?? config.seed);
  const parts = standardizedParts(dataset, drawn, config.data.standardize !== false);
  const twinDraft: ExperimentConfig = { ...config, name: `${config.name}-twin`, model: { layers: classicalTwin(config.model.layers ?? []) }, output: { dir: `runs/${config.name}-twin` } };
  const twinYaml = yamlOf(twinDraft, 'Classical twin from the Entangle playground: the hybrid with its quantum layer replaced by a dense layer of the same width.');
  const twinConfig = validateConfigText(twinYaml, `${twinDraft.name}.yaml`).config;
  const tensors = { train: toTensors(parts.train), test: toTensors(parts.test) };
  const build = (c: ExperimentConfig): Trained => {
    const model = buildModel(c.model.layers ?? [], { inputShape: sampleShape(parts.train), seed: c.seed, name: c.name, numClasses: dataset.numClasses });
    const stepper = new EpochStepper({ model, train: tensors.train, config: c.training, seed: c.seed });
    return { config: c, model, stepper };
  };
  const features: [number, number] = dataset.informative?.length === 2 ? [dataset.informative[0], dataset.informative[1]] : [0, Math.min(1, dataset.numFeatures - 1)];
  dispose(session);
  session = { hybrid: build(config), twin: build(twinConfig), dataset, parts, rows: { train: drawn.train, test: drawn.test }, tensors, features, running: false };
  const grid = boundary(session, session.hybrid.model);
  const frame: BoundaryFrame = { resolution: RESOLUTION, x0: grid.cells[0].x, y0: grid.cells[0].y, stepX: grid.step.x, stepY: grid.step.y, xName: grid.xName, yName: grid.yName };
  post({
    type: 'configured',
    yaml,
    twinYaml,
    hybrid: { params: countParams(session.hybrid.model) },
    twin: { params: countParams(session.twin.model) },
    numClasses: dataset.numClasses,
    classNames: dataset.classNames,
    frame,
    train: points(dataset, drawn.train, features),
    test: points(dataset, drawn.test, features),
    circuitSvg: circuitSvg(session),
    epochs: config.training.epochs,
    backend: tf.getBackend(),
    kernels: wasmKernelsActive() ? 'WebAssembly SIMD' : 'JavaScript',
  });
  post({ type: 'state', running: false, done: false });
}

function boundary(s: Session, model: tf.LayersModel) {
  return decisionBoundaryGrid({ model, raw: s.dataset, meanRows: s.rows.train, shownRows: [], standardizer: s.parts.standardizer, features: s.features, resolution: RESOLUTION });
}

function circuitSvg(s: Session): string {
  const layer = s.hybrid.model.layers.find((l): l is QuantumLayer => l instanceof QuantumLayer);
  if (!layer) return '';
  const weights = layer.getWeights()[0]?.dataSync() ?? new Float32Array(0);
  return drawCircuitSvg(layer.circuit, { bind: { weights }, decimals: 2 });
}

function epochOf(s: Session, t: Trained, seconds: number, trainLoss: number, trainAccuracy: number): ModelEpoch {
  const test = t.stepper.task.evaluate(t.model, s.tensors.test, t.config.training.evalBatchSize ?? 256);
  const grid = boundary(s, t.model);
  return {
    trainLoss,
    trainAccuracy,
    testLoss: test.loss,
    testAccuracy: test.accuracy,
    seconds,
    boundaryClass: Int32Array.from(grid.cells, (c) => c.cls),
    boundaryProb: Float32Array.from(grid.cells, (c) => c.p),
  };
}

/** One epoch of both models; false when both are done. */
function stepBoth(s: Session): boolean {
  const h = s.hybrid.stepper.step();
  const t = s.twin.stepper.step();
  if (!h || !t) return false;
  const hybrid = epochOf(s, s.hybrid, h.seconds, h.totals.loss, h.totals.metrics.accuracy);
  const twin = epochOf(s, s.twin, t.seconds, t.totals.loss, t.totals.metrics.accuracy);
  post({ type: 'epoch', epoch: h.epoch, hybrid, twin, circuitSvg: circuitSvg(s) }, [hybrid.boundaryClass.buffer, hybrid.boundaryProb.buffer, twin.boundaryClass.buffer, twin.boundaryProb.buffer]);
  return true;
}

function postState(s: Session): void {
  post({ type: 'state', running: s.running, done: s.hybrid.stepper.done });
}

/** Train while running, one epoch per task, so that pause and step messages get in between. */
function scheduleLoop(): void {
  if (loopScheduled) return;
  loopScheduled = true;
  setTimeout(() => {
    loopScheduled = false;
    const s = session;
    if (!s || !s.running) return;
    try {
      if (!stepBoth(s)) s.running = false;
    } catch (e) {
      s.running = false;
      post({ type: 'error', message: (e as Error).message });
    }
    if (s.running) scheduleLoop();
    else postState(s);
  }, 0);
}

async function exportModel(role: ModelRole): Promise<void> {
  if (!session) throw new Error('nothing to export yet: configure a model first');
  const t = session[role];
  const files = await modelFiles(t.model);
  post({ type: 'exported', role, name: t.config.name, modelJson: files.modelJson, weights: files.weights }, [files.weights.buffer]);
}

async function handle(message: ToWorker): Promise<void> {
  switch (message.type) {
    case 'configure':
      await configure(message.settings, message.csv);
      return;
    case 'open': {
      const { config } = validateConfigText(message.text, message.name);
      post({ type: 'opened', settings: configToSettings(config) });
      return;
    }
    case 'run':
      if (!session) return;
      session.running = !session.hybrid.stepper.done;
      postState(session);
      scheduleLoop();
      return;
    case 'pause':
      if (!session) return;
      session.running = false;
      postState(session);
      return;
    case 'step':
      if (!session || session.running) return;
      stepBoth(session);
      postState(session);
      return;
    case 'export':
      await exportModel(message.role);
      return;
  }
}

self.onmessage = (event: MessageEvent<ToWorker>) => {
  handle(event.data).catch((e: unknown) => post({ type: 'error', message: (e as Error).message }));
};
