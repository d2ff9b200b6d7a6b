import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ConfigError } from '../../src/config/errors.js';
import { loadConfigFile, parseConfigText } from '../../src/config/load.js';
import { parseOverride } from '../../src/config/overrides.js';
import { computationalConfig, configToYaml } from '../../src/config/save.js';

const VALID = `name: demo
seed: 3
data:
  type: circles
  samples: 200
  noise: 0.1
  split: { train: 100, val: 50, test: 50 }
model:
  layers:
    - dense: { units: 8, activation: relu }
    - dropout: 0.1
    - batchnorm: {}
    - quantum:
        wires: 2
        ansatz: { type: strongly_entangling, layers: 1 }
    - dense: { units: 2 }
training:
  epochs: 5
  batchSize: 16
  optimizer:
    type: adam
    lr: 0.01
  paramGroups:
    quantum: { lr: 0.05 }
`;

function issues(text: string, overrides: string[] = []): string[] {
  try {
    parseConfigText(text, 'exp.yaml', { overrides });
  } catch (e) {
    assert.ok(e instanceof ConfigError, String(e));
    return e.message.split('\n');
  }
  assert.fail('the config was accepted');
}

test('a valid config loads with defaults filled in', () => {
  const { config } = parseConfigText(VALID, 'exp.yaml');
  assert.equal(config.name, 'demo');
  assert.equal(config.training.loss, 'cross_entropy');
  assert.equal(config.training.labelSmoothing, 0);
  assert.equal(config.training.backend, 'cpu');
  assert.deepEqual(config.training.schedule, { type: 'constant' });
  assert.equal(config.data.standardize, true);
  assert.equal(config.output.dir, 'runs/demo');
  assert.deepEqual(config.model.layers?.[3], { quantum: { wires: 2, ansatz: { type: 'strongly_entangling', layers: 1 } } });
});

test('errors name the file line, the field path and what was expected', () => {
  const bad = VALID.replace('lr: 0.01', 'lr: -1').replace('batchSize: 16', 'batchSize: many').replace('type: adam', 'type: adamm');
  assert.deepEqual(issues(bad), [
    'exp.yaml:19: training.batchSize: must be an integer (got "many")',
    'exp.yaml:21: training.optimizer.type: must be one of "adam", "adamw", "sgd" (got "adamm")',
    'exp.yaml:22: training.optimizer.lr: must be > 0 (got -1)',
  ]);
});

test('unknown fields, missing fields and unknown layer kinds are named', () => {
  const text = VALID.replace('    - dropout: 0.1\n', '    - dropuot: 0.1\n').replace('  samples: 200\n', '').replace('seed: 3', 'seed: 3\nepochs: 4');
  const got = issues(text);
  assert.ok(got.includes('exp.yaml:3: epochs: is not a known field (expected one of: name, seed, data, model, training, output)'), got.join('\n'));
  // A missing field points at the line naming its parent section.
  assert.ok(got.includes('exp.yaml:4: data.samples: is required but missing'), got.join('\n'));
  // The list of kinds grows with new layers; it must at least name these.
  assert.ok(got.some((l) => /^exp\.yaml:11: model\.layers\[1\]\.dropuot: is not a layer kind \(expected one of: dense, activation, dropout, batchnorm, .*quantum/.test(l)), got.join('\n'));
});

test('the quantum layer body is checked against the QuantumLayerSpec schema', () => {
  const got = issues(VALID.replace('wires: 2', 'wires: 0').replace('type: strongly_entangling', 'type: strong'));
  assert.ok(got.includes('exp.yaml:14: model.layers[3].quantum.wires: must be >= 1 (got 0)'), got.join('\n'));
  assert.ok(got.some((l) => l.startsWith('exp.yaml:15: model.layers[3].quantum.ansatz.type: must be one of "strongly_entangling"')), got.join('\n'));
});

test('cross-field checks: split sizes against samples, val monitor without a validation set', () => {
  assert.deepEqual(issues(VALID.replace('train: 100', 'train: 190')), ['exp.yaml:7: data.split: train + val + test = 290 rows, more than data.samples = 200']);
  const noVal = VALID.replace('val: 50', 'val: 0').replace('  paramGroups:', '  earlyStopping: { patience: 3 }\n  paramGroups:');
  assert.deepEqual(issues(noVal), ['exp.yaml:23: training.earlyStopping.monitor: monitors val_loss but data.split.val is 0 (no validation set)']);
});

test('--set overrides parse YAML values, index lists, and are validated like the file', () => {
  const { config } = parseConfigText(VALID, 'exp.yaml', {
    overrides: ['training.optimizer.lr=0.005', 'model.layers[0].dense.units=32', 'model.layers.4.dense.activation=linear', 'training.schedule={type: cosine, warmupEpochs: 1}', 'name=other', 'training.clipNorm=1e-1'],
  });
  assert.equal(config.training.optimizer.lr, 0.005);
  assert.deepEqual(config.model.layers?.[0], { dense: { units: 32, activation: 'relu' } });
  assert.deepEqual(config.model.layers?.[4], { dense: { units: 2, activation: 'linear' } });
  assert.deepEqual(config.training.schedule, { type: 'cosine', warmupEpochs: 1 });
  assert.equal(config.name, 'other');
  assert.equal(config.training.clipNorm, 0.1);
  assert.deepEqual(issues(VALID, ['training.optimizer.lr=-2']), ['--set training.optimizer.lr=-2: training.optimizer.lr: must be > 0 (got -2)']);
  const misspelt = issues(VALID, ['training.optimizr.lr=1']);
  assert.equal(misspelt.length, 1);
  assert.match(misspelt[0], /^--set training\.optimizr\.lr=1: training\.optimizr: is not a known field \(expected one of: epochs, batchSize, .*optimizer, .*backend\)$/);
  assert.match(issues(VALID, ['model.layers[9].dense.units=3'])[0], /^--set model\.layers\[9\]\.dense\.units=3: model\.layers\[9\]: the list has 5 items/);
  assert.match(issues(VALID, ['seed'])[0], /expected path\.to\.field=VALUE/);
  assert.match(issues(VALID, ['seed.x=1'])[0], /seed is a single value/);
});

test('parseOverride: path syntax and YAML scalar values', () => {
  assert.deepEqual(parseOverride('a.b[2].c=true'), { path: ['a', 'b', 2, 'c'], value: true });
  assert.deepEqual(parseOverride('a.0=hello world'), { path: ['a', 0], value: 'hello world' });
  assert.deepEqual(parseOverride('x="007"'), { path: ['x'], value: '007' });
  assert.deepEqual(parseOverride('x='), { path: ['x'], value: null });
  assert.throws(() => parseOverride('a..b=1'), /not a field path/);
});

test('YAML syntax errors name the line; files load with paths resolved against their folder', () => {
  const got = issues('data:\n  type: circles\n  samples: [1, 2\n');
  assert.match(got[0], /^exp\.yaml:\d+: YAML syntax: /);
  assert.match(issues('data: {}\ndata: {}\n')[0], /^exp\.yaml:2: YAML syntax: .*unique/i);
  const dir = mkdtempSync(join(tmpdir(), 'cfg-'));
  const path = join(dir, 'csv.yaml');
  writeFileSync(path, VALID.replace(/data:\n(?: {2}.*\n)+/, 'data:\n  type: csv\n  path: rows.csv\n  label: y\n  split: { train: 0.8, val: 0.1, test: 0.1 }\n'));
  const loaded = loadConfigFile(path);
  assert.equal(loaded.config.data.type === 'csv' && loaded.config.data.path, join(dir, 'rows.csv'));
  assert.equal(loaded.locate(['training', 'optimizer', 'lr']), `${path}:22`);
  assert.throws(() => loadConfigFile(join(dir, 'missing.yaml')), /cannot read the config file/);
});

test('the resolved config round-trips through YAML; the fingerprinted part leaves out output', () => {
  const { config } = parseConfigText(VALID, 'exp.yaml');
  const again = parseConfigText(configToYaml(config), 'config.yaml').config;
  assert.deepEqual(again, config);
  assert.equal('output' in computationalConfig(config), false);
  const dir = mkdtempSync(join(tmpdir(), 'cfg-'));
  writeFileSync(join(dir, 'x.yaml'), configToYaml(config));
  assert.match(readFileSync(join(dir, 'x.yaml'), 'utf8'), /^# Resolved config/);
});

test('--set fills an empty section and creates missing ones', () => {
  const { config } = parseConfigText(`${VALID}output:\n`, 'exp.yaml', { overrides: ['output.dir=elsewhere', 'training.earlyStopping.patience=4'] });
  assert.equal(config.output.dir, 'elsewhere');
  assert.equal(config.training.earlyStopping?.patience, 4);
});
