// `entangle export` end to end on the circles example: the commands of docs/hardware.md, a config
// and a run folder trained here, every target. Each written file is read back here (OpenQASM
// through the importer, IonQ JSON through its reader, Braket's action source) and must give the
// probabilities of the plain OpenQASM 3 export (no lowering), whose <Z_i> must in turn equal what
// the model's own quantum layer outputs in TensorFlow.js for that sample. Then the refusals.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { runCli } from '../../src/cli/program.js';
import { parseQasm } from '../../src/circuit/qasm/import.js';
import { parseConfigText, loadConfigFile } from '../../src/config/load.js';
import { prepareData } from '../../src/data/load.js';
import { loadSplit } from '../../src/data/split.js';
import { sampleShape } from '../../src/data/dataset.js';
import { buildModel } from '../../src/models/build.js';
import { loadSavedModel } from '../../src/models/save.js';
import { runExperiment } from '../../src/experiments/run.js';
import { layerList } from '../../src/experiments/grad-check.js';
import { engineProbs, maxDifference } from '../../src/export/check.js';
import { ionqGatesToCircuit, type IonqGate } from '../../src/export/ionq.js';
import { wordExpectation } from '../../src/circuit/lower/readout.js';

const root = process.cwd();
const CONFIG = 'examples/circles/hybrid.yaml';
let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'entangle-export-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

/**
 * Run the CLI in this process; returns the exit code and what went to stderr. (stdout is left
 * alone: the test runner reports through it. The command's report goes there as diagnostics.)
 */
async function cli(args: string[]): Promise<{ code: number; err: string }> {
  let err = '';
  const w = process.stderr.write.bind(process.stderr);
  process.stderr.write = ((s: string) => ((err += s), true)) as typeof process.stderr.write;
  try {
    const code = await runCli(['node', 'entangle', ...args], { write: (s: string) => (err += s) });
    return { code, err };
  } finally {
    process.stderr.write = w;
  }
}

const none = [new Float64Array(0)];
const probsOfQasm = (text: string): Float64Array => engineProbs(parseQasm(text).circuit, [], none)[0];

/** The probabilities of whatever circuit(s) a written file holds (first circuit). */
function probsOfFile(path: string, target: string): Float64Array {
  const text = readFileSync(path, 'utf8');
  switch (target) {
    case 'openqasm3':
      return probsOfQasm(text);
    case 'ibm':
      return probsOfQasm((JSON.parse(text) as { params: { pubs: [string, unknown, number][] } }).params.pubs[0][0]);
    case 'braket': {
      const source = (JSON.parse(JSON.parse(text).action) as { source: string }).source;
      return probsOfQasm(source.replace('OPENQASM 3.0;\n', 'OPENQASM 3.0;\ninclude "stdgates.inc";\ngate cnot a, b { cx a, b; }\n'));
    }
    case 'ionq': {
      const body = JSON.parse(text) as { input: { qubits: number; circuit: IonqGate[] } };
      return engineProbs(ionqGatesToCircuit(body.input.qubits, body.input.circuit), [], none)[0];
    }
  }
  throw new Error(target);
}

/** The model's quantum-layer output for test sample k, computed by TensorFlow.js (float32). */
async function layerOutput(source: string, k: number, runDir?: string): Promise<Float32Array> {
  const loaded = loadConfigFile(source);
  const data = prepareData(loaded.config.data, loaded.config.seed, loaded.baseDir, runDir ? loadSplit(join(runDir, 'split.json')) : undefined);
  const model = buildModel(layerList(loaded), { inputShape: sampleShape(data.train), seed: loaded.config.seed, numClasses: data.dataset.numClasses });
  if (runDir) {
    const saved = await loadSavedModel(runDir);
    model.setWeights(saved.getWeights());
    saved.dispose();
  }
  const layers = model.layers.filter((l) => l.getClassName() !== 'InputLayer');
  const w = data.test.numFeatures;
  const out = tf.tidy(() => {
    let t: tf.Tensor = tf.tensor2d(Array.from(data.test.features.subarray(k * w, (k + 1) * w)), [1, w]);
    for (let i = 0; i <= 2; i++) t = layers[i].apply(t, { training: false }) as tf.Tensor;
    return t;
  });
  const v = Float32Array.from(out.dataSync());
  out.dispose();
  model.dispose();
  return v;
}

const zOf = (p: Float64Array, n: number): number[] => Array.from({ length: n }, (_, i) => wordExpectation(p, n, [i]));

test('the commands of docs/hardware.md run, and every target writes what the trained circuit gives', async () => {
  const doc = readFileSync(join(root, 'docs/hardware.md'), 'utf8');
  const first = doc.slice(doc.indexOf('```sh') + 5, doc.indexOf('```', doc.indexOf('```sh') + 5));
  const cmds = first.split('\n').map((l) => l.trim()).filter((l) => l.startsWith('entangle export '));
  assert.equal(cmds.length, 4);
  const files: Record<string, string> = {};
  for (const cmd of cmds) {
    const args = cmd.slice('entangle '.length).split(/\s+/);
    const target = args[args.indexOf('--target') + 1];
    const o = args.indexOf('--out');
    args[o + 1] = files[target] = join(dir, `doc-${args[o + 1]}`);
    const r = await cli(args);
    assert.equal(r.code, 0, r.err);
  }
  // The doc's openqasm3 line keeps the inputs symbolic; bind sample 0 for the reference.
  const ref = join(dir, 'ref.qasm');
  assert.equal((await cli(['export', CONFIG, '--target', 'openqasm3', '--sample', '0', '--out', ref])).code, 0);
  const want = probsOfQasm(readFileSync(ref, 'utf8'));
  for (const target of ['ibm', 'ionq', 'braket']) {
    const d = maxDifference([want], [probsOfFile(files[target], target)]);
    assert.ok(d < 1e-10, `${target}: probabilities differ by ${d}`);
  }
  const symbolic = parseQasm(readFileSync(files.openqasm3, 'utf8'));
  assert.deepEqual(symbolic.paramNames, ['x0', 'x1', 'x2', 'x3']);
  // Independent of export: the model's own quantum layer (tfjs, float32) for the same sample.
  const z = zOf(want, 4);
  const layer = await layerOutput(CONFIG, 0);
  z.forEach((v, i) => assert.ok(Math.abs(v - layer[i]) < 2e-5, `<Z${i}> ${v} vs the layer's ${layer[i]}`));
});

test('a trained run folder: IBM bases and IonQ QIS match the trained layer; CSV rows become PUB parameter values', async () => {
  const run = join(dir, 'run');
  const text = readFileSync(join(root, CONFIG), 'utf8').replace('samples: 600', 'samples: 120').replace('{ train: 400, val: 100, test: 100 }', '{ train: 80, val: 20, test: 20 }').replace('epochs: 50', 'epochs: 2');
  const configPath = join(dir, 'circles-small.yaml');
  writeFileSync(configPath, text);
  await runExperiment(parseConfigText(text, configPath), { outDir: run, report: false });
  const layer = await layerOutput(join(run, 'config.yaml'), 3, run);
  for (const [target, extra] of [['ibm', ['--basis', 'ecr']], ['ibm', ['--basis', 'cx']], ['ionq', ['--gateset', 'qis']]] as const) {
    const out = join(dir, `run-${target}-${extra[1]}.json`);
    const r = await cli(['export', run, '--target', target, ...extra, '--sample', '3', '--out', out]);
    assert.equal(r.code, 0, r.err);
    const z = zOf(probsOfFile(out, target), 4);
    z.forEach((v, i) => assert.ok(Math.abs(v - layer[i]) < 2e-5, `${target} ${extra[1]}: <Z${i}> ${v} vs ${layer[i]}`));
  }
  // Inputs as IBM PUB parameter values: one row per CSV row, bound in the written program's order.
  const csv = join(dir, 'inputs.csv');
  writeFileSync(csv, 'a,b,c,d\n0.1,0.2,0.3,0.4\n-0.5,0.25,1.5,-1\n');
  const out = join(dir, 'pub.json');
  assert.equal((await cli(['export', run, '--target', 'ibm', '--inputs', csv, '--out', out])).code, 0);
  const [[program, values, shots]] = (JSON.parse(readFileSync(out, 'utf8')) as { params: { pubs: [string, number[][], number][] } }).params.pubs;
  assert.deepEqual(values, [[0.1, 0.2, 0.3, 0.4], [-0.5, 0.25, 1.5, -1]]);
  assert.equal(shots, 1000);
  const bound = join(dir, 'row1.qasm');
  assert.equal((await cli(['export', run, '--target', 'openqasm3', '--inputs', csv, '--row', '1', '--out', bound])).code, 0);
  const imported = parseQasm(program);
  const d = maxDifference(engineProbs(imported.circuit.declareInputs(4), [], [Float64Array.from(values[1])]), [probsOfQasm(readFileSync(bound, 'utf8'))]);
  assert.ok(d < 1e-10, `row 1 through the PUB's parameters differs by ${d}`);
});

test('export refuses to replace a file it did not write (unless --force), and replaces its own', async () => {
  const out = join(dir, 'mine.json');
  writeFileSync(out, '{"my": "notes"}\n');
  const r = await cli(['export', CONFIG, '--target', 'braket', '--sample', '0', '--out', out]);
  assert.equal(r.code, 1);
  assert.match(r.err, /mine\.json exists and was not written by entangle export; choose another --out or pass --force/);
  assert.equal(readFileSync(out, 'utf8'), '{"my": "notes"}\n', 'the file is untouched');
  assert.equal((await cli(['export', CONFIG, '--target', 'braket', '--sample', '0', '--out', out, '--force'])).code, 0);
  assert.match(readFileSync(out, 'utf8'), /braket\.ir\.openqasm\.program/);
  assert.equal((await cli(['export', CONFIG, '--target', 'braket', '--sample', '1', '--out', out])).code, 0, 'its own file is replaced');
});

test('bad requests get clear errors and write nothing', async () => {
  const out = join(dir, 'never.json');
  const bad = await cli(['export', CONFIG, '--target', 'rigetti', '--out', out]);
  assert.notEqual(bad.code, 0);
  assert.match(bad.err, /--target rigetti: expected one of openqasm3, ibm, ionq, braket/);
  const unbound = await cli(['export', CONFIG, '--target', 'ionq', '--out', out]);
  assert.equal(unbound.code, 1);
  assert.match(unbound.err, /the ionq target needs every input bound: the circuit reads 4 inputs; pass --sample K/);
  const range = await cli(['export', CONFIG, '--target', 'ibm', '--sample', '100', '--out', out]);
  assert.match(range.err, /--sample 100: the test split has samples 0\.\.99/);
  assert.ok(!existsSync(out), '!existsSync(out)');
});

test('readout groups after the first go to FILE.gK.EXT; CSV inputs: header allowed, bad cells named by line', async () => {
  const { outPath, readInputRows } = await import('../../src/experiments/export-model.js');
  assert.equal(outPath('job.json', ''), 'job.json');
  assert.equal(outPath('out/job.json', '.g2'), 'out/job.g2.json');
  assert.equal(outPath('circuit', '.g1'), 'circuit.g1');
  const csv = join(dir, 'rows.csv');
  writeFileSync(csv, 'x0,x1\n1,2\n\n3.5,-4e-1\n');
  assert.deepEqual(readInputRows(csv, 2).map((r) => Array.from(r)), [[1, 2], [3.5, -0.4]]);
  writeFileSync(csv, '1,2\n3,oops\n');
  assert.throws(() => readInputRows(csv, 2), /rows\.csv:2: expected 2 numbers separated by commas, got "3,oops"/);
  writeFileSync(csv, '1,2,3\n');
  assert.throws(() => readInputRows(csv, 2), /rows\.csv:1: 3 values, but the circuit reads 2 inputs/);
});
