// The playground page: controls, drawing and downloads. All computing happens in the worker
// (worker.ts); this thread only turns controls into settings, sends them, and draws what comes
// back, so clicks are answered while a model trains. Any change of a setting rebuilds both
// models (as TensorFlow Playground does): the curves always belong to the settings shown.

import { makeSynthetic } from '../../src/data/synthetic.js';
import { ACTIVATIONS, type ActivationName } from '../../src/models/activations.js';
import { CLASS_COLORS, drawBoundary, lineChart, type BoundaryImage } from './charts.js';
import type { BoundaryFrame, FromWorker, ModelEpoch, ModelRole, PointSet, ToWorker } from './protocol.js';
import { DEFAULT_SETTINGS, type AnsatzKind, type DatasetKind, type DenseLayerSettings, type EmbeddingKind, type PlaygroundSettings } from './settings.js';

const $ = <T extends HTMLElement = HTMLElement>(id: string): T => {
  const el = document.getElementById(id);
  if (!el) throw new Error(`playground: the page has no #${id}`);
  return el as T;
};

const HYBRID_COLOR = '#7b3fb5';
const TWIN_COLOR = '#2a9d8f';

interface History {
  trainLoss: number[];
  testLoss: number[];
  trainAccuracy: number[];
  testAccuracy: number[];
}

const emptyHistory = (): History => ({ trainLoss: [], testLoss: [], trainAccuracy: [], testAccuracy: [] });

const state = {
  settings: structuredClone(DEFAULT_SETTINGS) as PlaygroundSettings,
  csv: null as { name: string; text: string; columns: string[]; rows: number } | null,
  frame: null as BoundaryFrame | null,
  train: null as PointSet | null,
  test: null as PointSet | null,
  numClasses: 2,
  classNames: [] as string[],
  yaml: '',
  twinYaml: '',
  history: { hybrid: emptyHistory(), twin: emptyHistory() },
  images: { hybrid: null as BoundaryImage | null, twin: null as BoundaryImage | null },
  running: false,
  done: false,
  configured: false,
  epochs: 0,
};

const worker = new Worker('worker.js');
const send = (message: ToWorker): void => worker.postMessage(message);

// ---- controls -------------------------------------------------------------------------------

function field(parent: HTMLElement, label: string, control: HTMLElement, value?: HTMLElement): void {
  const row = document.createElement('div');
  row.className = 'field';
  const l = document.createElement('label');
  l.textContent = label;
  row.append(l);
  if (value) row.append(value);
  row.append(control);
  parent.append(row);
}

function slider(parent: HTMLElement, label: string, opts: { min: number; max: number; step: number; get: () => number; set: (v: number) => void; format?: (v: number) => string; testid?: string }): void {
  const input = document.createElement('input');
  input.type = 'range';
  input.min = String(opts.min);
  input.max = String(opts.max);
  input.step = String(opts.step);
  input.value = String(opts.get());
  if (opts.testid) input.dataset.testid = opts.testid;
  const value = document.createElement('span');
  value.className = 'value';
  const show = () => (value.textContent = (opts.format ?? String)(Number(input.value)));
  show();
  input.addEventListener('input', show);
  input.addEventListener('change', () => {
    opts.set(Number(input.value));
    settingsChanged();
  });
  field(parent, label, input, value);
}

function numberInput(parent: HTMLElement, label: string, opts: { min: number; max?: number; step?: number; get: () => number; set: (v: number) => void; testid?: string }): void {
  const input = document.createElement('input');
  input.type = 'number';
  input.min = String(opts.min);
  if (opts.max !== undefined) input.max = String(opts.max);
  input.step = String(opts.step ?? 1);
  input.value = String(opts.get());
  if (opts.testid) input.dataset.testid = opts.testid;
  input.addEventListener('change', () => {
    const v = Number(input.value);
    if (!Number.isFinite(v) || v < opts.min || (opts.max !== undefined && v > opts.max)) {
      input.value = String(opts.get());
      return;
    }
    opts.set(v);
    settingsChanged();
  });
  field(parent, label, input);
}

function select<T extends string>(parent: HTMLElement, label: string, options: Array<[T, string]>, get: () => T, set: (v: T) => void, testid?: string): void {
  const el = document.createElement('select');
  for (const [value, text] of options) el.append(new Option(text, value, false, value === get()));
  if (testid) el.dataset.testid = testid;
  el.addEventListener('change', () => {
    set(el.value as T);
    settingsChanged();
  });
  field(parent, label, el);
}

function layerList(container: HTMLElement, layers: DenseLayerSettings[]): void {
  container.replaceChildren();
  layers.forEach((layer, i) => {
    const row = document.createElement('div');
    row.className = 'layer-row';
    const units = document.createElement('input');
    units.type = 'number';
    units.min = '1';
    units.max = '64';
    units.value = String(layer.units);
    units.title = 'units';
    units.addEventListener('change', () => {
      const v = Math.round(Number(units.value));
      if (v >= 1 && v <= 64) layer.units = v;
      settingsChanged();
    });
    const act = document.createElement('select');
    for (const a of ACTIVATIONS.filter((x) => x !== 'softmax')) act.append(new Option(a, a, false, a === layer.activation));
    act.addEventListener('change', () => {
      layer.activation = act.value as ActivationName;
      settingsChanged();
    });
    const remove = document.createElement('button');
    remove.className = 'small';
    remove.textContent = '−';
    remove.title = 'Remove this layer';
    remove.addEventListener('click', () => {
      layers.splice(i, 1);
      settingsChanged();
    });
    const name = document.createElement('span');
    name.textContent = 'Dense';
    row.append(name, units, act, remove);
    container.append(row);
  });
}

function thumbnail(kind: Exclude<DatasetKind, 'csv'>): HTMLCanvasElement {
  const canvas = document.createElement('canvas');
  canvas.width = 80;
  canvas.height = 80;
  const ctx = canvas.getContext('2d');
  const ds = makeSynthetic(kind, { samples: 160, noise: 0.05, seed: 1 });
  if (ctx) {
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, 80, 80);
    const xs = Array.from({ length: ds.numSamples }, (_, i) => ds.features[2 * i]);
    const ys = Array.from({ length: ds.numSamples }, (_, i) => ds.features[2 * i + 1]);
    const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
    for (let i = 0; i < ds.numSamples; i++) {
      ctx.fillStyle = CLASS_COLORS[ds.labels[i]];
      ctx.beginPath();
      ctx.arc(6 + ((xs[i] - x0) / (x1 - x0)) * 68, 74 - ((ys[i] - y0) / (y1 - y0)) * 68, 2.2, 0, 2 * Math.PI);
      ctx.fill();
    }
  }
  return canvas;
}

function buildControls(): void {
  const s = state.settings;
  const picker = $('dataset-picker');
  picker.replaceChildren();
  for (const kind of ['circles', 'moons', 'spirals', 'xor'] as const) {
    const b = document.createElement('button');
    b.dataset.testid = `dataset-${kind}`;
    b.className = s.data.kind === kind ? 'selected' : '';
    b.append(thumbnail(kind), kind);
    b.title = kind;
    b.addEventListener('click', () => {
      s.data.kind = kind;
      settingsChanged();
    });
    picker.append(b);
  }
  $('csv-drop').className = `drop-zone${s.data.kind === 'csv' ? ' selected' : ''}`;
  const csvOptions = $('csv-options');
  csvOptions.hidden = !(s.data.kind === 'csv' && state.csv);
  if (state.csv) {
    const label = $<HTMLSelectElement>('csv-label');
    label.replaceChildren(...state.csv.columns.map((c) => new Option(c, c, false, c === s.data.csvLabel)));
    $('csv-info').textContent = `${state.csv.name}: ${state.csv.rows} rows, ${state.csv.columns.length - 1} features`;
  }

  const data = $('data-fields');
  data.replaceChildren();
  if (s.data.kind !== 'csv') {
    slider(data, 'Samples', { min: 50, max: 1000, step: 50, get: () => s.data.samples, set: (v) => (s.data.samples = v) });
    slider(data, 'Noise', { min: 0, max: 0.5, step: 0.05, get: () => s.data.noise, set: (v) => (s.data.noise = v), format: (v) => v.toFixed(2) });
    slider(data, 'Extra noise features', { min: 0, max: 6, step: 1, get: () => s.data.noiseFeatures, set: (v) => (s.data.noiseFeatures = v) });
  }
  slider(data, 'Training share', { min: 0.3, max: 0.9, step: 0.05, get: () => s.data.trainShare, set: (v) => (s.data.trainShare = v), format: (v) => `${Math.round(v * 100)}%` });
  numberInput(data, 'Seed', { min: 0, max: 2 ** 31 - 1, get: () => s.seed, set: (v) => (s.seed = Math.round(v)), testid: 'seed' });

  layerList($('before-layers'), s.before);
  layerList($('after-layers'), s.after);
  $('proj-layer').textContent = `then Dense(${s.quantum.wires}) · tanh: one angle per wire`;
  $('logits-layer').textContent = `then Dense(${state.numClasses}): the logits`;

  const q = $('quantum-fields');
  q.replaceChildren();
  slider(q, 'Wires (qubits)', { min: 1, max: 8, step: 1, get: () => s.quantum.wires, set: (v) => (s.quantum.wires = v) });
  select<EmbeddingKind>(q, 'Embedding', [['angle', 'Angle'], ['iqp', 'IQP'], ['zz_feature_map', 'ZZ feature map']], () => s.quantum.embedding, (v) => (s.quantum.embedding = v));
  if (s.quantum.embedding === 'angle') {
    select<'X' | 'Y' | 'Z'>(q, 'Rotation', [['X', 'RX'], ['Y', 'RY'], ['Z', 'RZ']], () => s.quantum.rotation, (v) => (s.quantum.rotation = v));
    slider(q, 'Angle scale', { min: 0.25, max: 3, step: 0.25, get: () => s.quantum.scale, set: (v) => (s.quantum.scale = v), format: (v) => v.toFixed(2) });
  }
  select<AnsatzKind>(
    q,
    'Ansatz',
    [['strongly_entangling', 'Strongly entangling'], ['basic_entangler', 'Basic entangler'], ['real_amplitudes', 'Real amplitudes'], ['ry_cnot_chain', 'RY + CNOT chain'], ['u3_cu3_ring', 'U3 + CU3 ring']],
    () => s.quantum.ansatz,
    (v) => (s.quantum.ansatz = v),
  );
  slider(q, 'Depth', { min: 1, max: 6, step: 1, get: () => s.quantum.depth, set: (v) => (s.quantum.depth = v) });
  select<'expval' | 'probs'>(q, 'Measurement', [['expval', '⟨Z⟩ on every wire'], ['probs', 'Probabilities']], () => s.quantum.measure, (v) => (s.quantum.measure = v));

  const t = $('training-fields');
  t.replaceChildren();
  numberInput(t, 'Epochs', { min: 1, max: 500, get: () => s.training.epochs, set: (v) => (s.training.epochs = Math.round(v)), testid: 'epochs-input' });
  select<string>(t, 'Batch size', ['8', '16', '32', '64'].map((v) => [v, v] as [string, string]), () => String(s.training.batchSize), (v) => (s.training.batchSize = Number(v)));
  select<string>(t, 'Learning rate (Adam)', ['0.001', '0.003', '0.01', '0.02', '0.03', '0.1'].map((v) => [v, v] as [string, string]), () => String(s.training.lr), (v) => (s.training.lr = Number(v)));
}

// ---- configuring and training ---------------------------------------------------------------

let pending: ReturnType<typeof setTimeout> | undefined;

function settingsChanged(): void {
  buildControls();
  clearTimeout(pending);
  pending = setTimeout(configure, 120);
}

function configure(): void {
  state.configured = false;
  state.running = false;
  state.history = { hybrid: emptyHistory(), twin: emptyHistory() };
  state.images = { hybrid: null, twin: null };
  showError('');
  setStatus('building the models…');
  updateButtons();
  const csv = state.settings.data.kind === 'csv' && state.csv ? { name: state.csv.name, text: state.csv.text } : undefined;
  send({ type: 'configure', settings: structuredClone(state.settings), csv });
}

function setStatus(text: string): void {
  $('status').textContent = text;
}

function showError(message: string): void {
  const el = $('error');
  el.hidden = message === '';
  el.textContent = message;
}

function updateButtons(): void {
  const trainBtn = $<HTMLButtonElement>('train');
  trainBtn.disabled = !state.configured || state.running || state.done;
  trainBtn.classList.toggle('running', state.running);
  $<HTMLButtonElement>('pause').disabled = !state.running;
  $<HTMLButtonElement>('step').disabled = !state.configured || state.running || state.done;
  for (const id of ['export-yaml', 'export-model', 'export-twin']) $<HTMLButtonElement>(id).disabled = !state.configured;
}

const fmt = (v: number, digits = 3) => (Number.isFinite(v) ? v.toFixed(digits) : '–');

function showParams(id: 'h' | 't', p: { quantum: number; classical: number; total: number }): void {
  $(`p-${id}-q`).textContent = String(p.quantum);
  $(`p-${id}-c`).textContent = String(p.classical);
  $(`p-${id}-t`).textContent = String(p.total);
}

function redraw(): void {
  if (!state.frame || !state.train || !state.test) return;
  drawBoundary($<HTMLCanvasElement>('boundary'), state.images.hybrid, state.frame, state.train, state.test);
  drawBoundary($<HTMLCanvasElement>('twin-boundary'), state.images.twin, state.frame, state.train, state.test);
  const h = state.history.hybrid;
  const t = state.history.twin;
  $('loss-chart').innerHTML = lineChart(
    'Loss',
    [
      { name: 'hybrid train', color: HYBRID_COLOR, dashed: true, values: h.trainLoss },
      { name: 'hybrid test', color: HYBRID_COLOR, values: h.testLoss },
      { name: 'twin train', color: TWIN_COLOR, dashed: true, values: t.trainLoss },
      { name: 'twin test', color: TWIN_COLOR, values: t.testLoss },
    ],
    { width: 300, height: 150 },
  );
  $('accuracy-chart').innerHTML = lineChart(
    'Accuracy',
    [
      { name: 'hybrid train', color: HYBRID_COLOR, dashed: true, values: h.trainAccuracy },
      { name: 'hybrid test', color: HYBRID_COLOR, values: h.testAccuracy },
      { name: 'twin train', color: TWIN_COLOR, dashed: true, values: t.trainAccuracy },
      { name: 'twin test', color: TWIN_COLOR, values: t.testAccuracy },
    ],
    { width: 300, height: 150, yMin: 0.4, yMax: 1 },
  );
}

function showLegend(): void {
  const names = state.classNames.map((c, k) => `<span><i style="background:${CLASS_COLORS[k % CLASS_COLORS.length]}"></i>class ${c}</span>`).join('');
  $('legend').innerHTML = `${names}<span>filled: training points</span><span><i class="test" style="border-color:#6b7785"></i>hollow: test points</span><span>shade: the model's confidence</span>`;
}

function record(role: ModelRole, e: ModelEpoch): void {
  const h = state.history[role];
  h.trainLoss.push(e.trainLoss);
  h.testLoss.push(e.testLoss);
  h.trainAccuracy.push(e.trainAccuracy);
  h.testAccuracy.push(e.testAccuracy);
  if (state.frame) state.images[role] = { frame: state.frame, cls: e.boundaryClass, prob: e.boundaryProb, numClasses: state.numClasses };
  const prefix = role === 'hybrid' ? '' : 'twin-';
  const acc = $(`${prefix}test-accuracy`);
  acc.textContent = fmt(e.testAccuracy);
  acc.dataset.value = String(e.testAccuracy);
  acc.dataset.loss = String(e.testLoss);
  $(`${role}-loss`).textContent = `test loss ${fmt(e.testLoss)}`;
  $(`${role}-time`).textContent = `${(e.seconds * 1000).toFixed(0)} ms / epoch`;
}

function download(name: string, data: BlobPart, type: string): void {
  const url = URL.createObjectURL(new Blob([data], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

worker.onmessage = (event: MessageEvent<FromWorker>) => {
  const m = event.data;
  switch (m.type) {
    case 'configured':
      state.configured = true;
      state.done = false;
      state.yaml = m.yaml;
      state.twinYaml = m.twinYaml;
      state.frame = m.frame;
      state.train = m.train;
      state.test = m.test;
      state.numClasses = m.numClasses;
      state.classNames = m.classNames;
      state.epochs = m.epochs;
      $('epoch').textContent = '0';
      $('epochs-total').textContent = String(m.epochs);
      $('circuit').innerHTML = m.circuitSvg;
      $('test-accuracy').textContent = '–';
      $('twin-test-accuracy').textContent = '–';
      showParams('h', m.hybrid.params);
      showParams('t', m.twin.params);
      $('engine-info').textContent = `TensorFlow.js backend: ${m.backend} · circuit kernels: ${m.kernels}`;
      $('logits-layer').textContent = `then Dense(${m.numClasses}): the logits`;
      showLegend();
      setStatus('ready');
      redraw();
      break;
    case 'opened':
      state.settings = m.settings;
      if (m.settings.data.kind === 'csv' && !state.csv) showError(`this config trains on ${m.settings.data.csvName ?? 'a CSV file'}: drop that file on the page`);
      settingsChanged();
      break;
    case 'epoch':
      $('epoch').textContent = String(m.epoch);
      record('hybrid', m.hybrid);
      record('twin', m.twin);
      $('circuit').innerHTML = m.circuitSvg;
      redraw();
      break;
    case 'state':
      state.running = m.running;
      state.done = m.done;
      setStatus(m.done ? 'done' : m.running ? 'training…' : state.history.hybrid.trainLoss.length ? 'paused' : 'ready');
      updateButtons();
      break;
    case 'exported':
      download('model.json', m.modelJson, 'application/json');
      download('weights.bin', m.weights as Uint8Array<ArrayBuffer>, 'application/octet-stream');
      setStatus(`downloaded ${m.name}: model.json + weights.bin`);
      break;
    case 'error':
      state.running = false;
      showError(m.message);
      setStatus('error');
      updateButtons();
      break;
  }
};
worker.onerror = (e) => showError(`the training worker failed: ${e.message}`);

$('train').addEventListener('click', () => {
  state.running = true;
  updateButtons();
  setStatus('training…');
  send({ type: 'run' });
});
$('pause').addEventListener('click', () => {
  // Answered here at once; the worker stops after the epoch under way.
  state.running = false;
  updateButtons();
  setStatus('pausing…');
  send({ type: 'pause' });
});
$('step').addEventListener('click', () => send({ type: 'step' }));
$('reset').addEventListener('click', () => configure());
$('export-yaml').addEventListener('click', () => download(`${state.settings.name}.yaml`, state.yaml, 'text/yaml'));
$('export-model').addEventListener('click', () => send({ type: 'export', role: 'hybrid' }));
$('export-twin').addEventListener('click', () => send({ type: 'export', role: 'twin' }));

$<HTMLInputElement>('open-config').addEventListener('change', async (event) => {
  const file = (event.target as HTMLInputElement).files?.[0];
  if (!file) return;
  send({ type: 'open', name: file.name, text: await file.text() });
  (event.target as HTMLInputElement).value = '';
});

async function useCsv(file: File): Promise<void> {
  const text = await file.text();
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  const columns = (lines[0] ?? '').split(',').map((c) => c.trim().replace(/^"|"$/g, ''));
  state.csv = { name: file.name, text, columns, rows: Math.max(0, lines.length - 1) };
  state.settings.data.kind = 'csv';
  state.settings.data.csvName = file.name;
  // The label is most often the last column.
  state.settings.data.csvLabel = columns[columns.length - 1];
  settingsChanged();
}

const drop = $('csv-drop');
drop.addEventListener('dragover', (e) => {
  e.preventDefault();
  drop.classList.add('over');
});
drop.addEventListener('dragleave', () => drop.classList.remove('over'));
drop.addEventListener('drop', (e) => {
  e.preventDefault();
  drop.classList.remove('over');
  const file = e.dataTransfer?.files[0];
  if (file) void useCsv(file);
});
drop.addEventListener('click', () => $<HTMLInputElement>('csv-file').click());
$<HTMLInputElement>('csv-file').addEventListener('change', (e) => {
  const file = (e.target as HTMLInputElement).files?.[0];
  if (file) void useCsv(file);
  (e.target as HTMLInputElement).value = '';
});
$<HTMLSelectElement>('csv-label').addEventListener('change', (e) => {
  state.settings.data.csvLabel = (e.target as HTMLSelectElement).value;
  settingsChanged();
});

buildControls();
configure();
