// The playground's settings <-> config translation: every setting survives the round trip
// through the YAML the page offers (validated by the CLI's own checks), and configs the controls
// cannot show are refused with the field at fault.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { stringify } from 'yaml';
import { validateConfigText } from '../../src/config/parse.js';
import { configToSettings, DEFAULT_SETTINGS, PlaygroundConfigError, settingsToConfig, splitCounts, type PlaygroundSettings } from '../../playground/src/settings.js';

const roundTrip = (s: PlaygroundSettings): PlaygroundSettings => configToSettings(validateConfigText(stringify(settingsToConfig(s)), 'p.yaml').config);

test('settings -> YAML -> validated config -> settings is the identity', () => {
  assert.deepEqual(roundTrip(DEFAULT_SETTINGS), DEFAULT_SETTINGS);
  const other: PlaygroundSettings = {
    ...DEFAULT_SETTINGS,
    seed: 3,
    data: { kind: 'spirals', samples: 400, noise: 0.2, noiseFeatures: 2, trainShare: 0.5 },
    before: [],
    quantum: { wires: 3, embedding: 'zz_feature_map', rotation: 'X', scale: 1, ansatz: 'real_amplitudes', depth: 2, measure: 'probs' },
    after: [{ units: 6, activation: 'tanh' }, { units: 4, activation: 'relu' }],
    training: { epochs: 5, batchSize: 32, lr: 0.01 },
  };
  assert.deepEqual(roundTrip(other), other);
});

test('the split has every row in train or test, at least one in each', () => {
  assert.deepEqual(splitCounts(300, 0.7), { train: 210, val: 0, test: 90 });
  assert.deepEqual(splitCounts(10, 0.99), { train: 9, val: 0, test: 1 });
});

test('configs the controls cannot show are refused, naming the field', () => {
  const config = settingsToConfig(DEFAULT_SETTINGS);
  const layers = config.model.layers!;
  const without = { ...config, model: { layers: layers.filter((l) => !('quantum' in l)) } };
  assert.throws(() => configToSettings(without), (e: Error) => e instanceof PlaygroundConfigError && /exactly one quantum layer/.test(e.message));
  const noProjection = { ...config, model: { layers: layers.filter((_, i) => i !== 1) } };
  assert.throws(() => configToSettings(noProjection), /model\.layers\[0\]: the playground expects dense \{ units: 4, activation: tanh \}/);
});
