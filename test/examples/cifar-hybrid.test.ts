// examples/cifar-hybrid: the three configs of the comparison validate, differ from the baseline
// only by their quantum field, and a tiny-budget `compare` of the three trains each on one shared
// split and writes what others rely on: alpha in every metrics.jsonl line and final_alpha of the
// quantum head, precompute_seconds of the channels, test_accuracy of all three, and the table.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadConfigFile } from '../../src/config/load.js';
import { compareExperiments } from '../../src/experiments/compare.js';
import { readMetricsJsonl } from '../../src/train/history.js';
import type { RunSummary } from '../../src/report/summary.js';

const root = resolve(import.meta.dirname, '..', '..');
const NAMES = ['baseline', 'channels', 'qhead'] as const;
const file = (name: string) => join(root, 'examples', 'cifar-hybrid', `${name}.yaml`);

test('the three configs validate and differ from the baseline only in name, output and their quantum field', () => {
  const [base, channels, qhead] = NAMES.map((n) => loadConfigFile(file(n)).config);
  const strip = (c: typeof base) => ({ ...c, name: '', output: {}, model: { ...c.model, quantumChannels: undefined, quantumHead: undefined } });
  assert.deepEqual(strip(channels), strip(base));
  assert.deepEqual(strip(qhead), strip(base));
  assert.ok(channels.model.quantumChannels && !base.model.quantumChannels && !base.model.quantumHead, 'channels.model.quantumChannels && !base.model.quantumChannels && !base.model.quantumHead');
  assert.ok(qhead.model.quantumHead, 'qhead.model.quantumHead');
  assert.equal(qhead.model.quantumHead.alphaInit, -6);
});

test('a tiny-budget compare of the three configs trains all three on one split', async () => {
  const out = mkdtempSync(join(tmpdir(), 'entangle-cifar-hybrid-'));
  try {
    const overrides = [
      // The generated colour set (32x32 RGB: 3 + 2 = 5 channels with the quantum channels), one field away.
      'data={type: colour-shapes, samples: 96, split: {train: 48, val: 16, test: 32}, standardize: false}',
      'model.resnet.width=0.25',
      'training.epochs=2',
      'training.batchSize=24',
      `model.quantumChannels.cacheDir=${join(out, 'cache')}`,
    ];
    // Each override only where the config has the section it extends.
    const loaded = NAMES.map((n) => loadConfigFile(file(n), { overrides: overrides.filter((o) => n === 'channels' || !o.startsWith('model.quantumChannels')) }));
    const result = await compareExperiments(loaded, { outDir: join(out, 'cmp'), report: false });
    assert.deepEqual(result.rows.map((r) => r.name), [...NAMES]);
    const summaries = NAMES.map((n) => JSON.parse(readFileSync(join(out, 'cmp', n, 'summary.json'), 'utf8')) as RunSummary);
    for (const s of summaries) assert.equal(typeof s.test_accuracy, 'number');
    const [base, channels, qhead] = summaries;
    assert.equal(base.final_alpha, undefined);
    assert.equal(typeof qhead.final_alpha, 'number');
    const metrics = readMetricsJsonl(join(out, 'cmp', 'qhead', 'metrics.jsonl'));
    assert.equal(metrics.length, 2);
    assert.ok(metrics.every((r) => typeof r.alpha === 'number'), 'metrics.every((r) => typeof r.alpha === \'number\')');
    assert.equal(metrics[1].alpha, qhead.final_alpha);
    assert.equal(channels.quantum_channels?.images, 96, 'channels computed for the split rows only');
    assert.equal(channels.quantum_channels?.cache, 'computed');
    assert.equal(typeof channels.precompute_seconds, 'number');
    assert.equal(qhead.params.quantum, 24, 'the head circuit: 2 layers × 4 wires × 3 angles');
    // The first convolution (3x3, 4 filters at width 0.25) takes the two extra channels: 2·9·4 more kernel weights.
    assert.equal(channels.params.classical - base.params.classical, 2 * 9 * 4);
    assert.match(result.table, /final alpha/);
    assert.match(result.table, /precompute s/);
    const shared = JSON.parse(readFileSync(join(out, 'cmp', 'split.json'), 'utf8')) as { train: number[] };
    for (const n of NAMES) assert.deepEqual((JSON.parse(readFileSync(join(out, 'cmp', n, 'split.json'), 'utf8')) as { train: number[] }).train, shared.train);
    assert.ok(existsSync(join(out, 'cmp', 'comparison.md')), 'existsSync(join(out, \'cmp\', \'comparison.md\'))');
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

test('every `npx entangle` command of examples/cifar-hybrid/README.md names existing configs whose overrides validate', () => {
  // The commands themselves train for minutes to days; the tiny compare above runs the same code.
  const readme = readFileSync(join(root, 'examples', 'cifar-hybrid', 'README.md'), 'utf8');
  const cmds = [...readme.matchAll(/```sh\n([\s\S]*?)```/g)]
    .flatMap((m) => m[1].replace(/\\\n\s*/g, ' ').split('\n'))
    .map((l) => l.replace(/#.*$/, '').trim())
    .filter((l) => l.startsWith('npx entangle '));
  assert.ok(cmds.length >= 6, 'cmds.length >= 6');
  for (const cmd of cmds) {
    const args = [...cmd.slice('npx entangle '.length).matchAll(/'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2]);
    const sets = args.flatMap((a, i) => (args[i - 1] === '--set' ? [a.replace('=DIR', `=${root}`)] : []));
    const configs = args.filter((a) => a.endsWith('.yaml'));
    assert.ok(configs.length > 0, cmd);
    // compare applies every --set to every config: the baseline must stay free of quantum fields.
    const loaded = configs.map((c) => loadConfigFile(join(root, c), { overrides: sets }).config);
    for (const base of loaded.filter((c) => c.name === 'baseline')) assert.ok(!base.model.quantumChannels && !base.model.quantumHead, `${cmd}: the baseline stays classical`);
  }
});
