// The grad-check and evaluate commands: they write their reports where asked, and bad arguments
// are refused with a message naming the option.

import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli } from '../../src/cli/program.js';
import { tinyConfigText } from '../experiments/helpers.js';

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  // Only the commands' text is captured: the test runner reports this file's results over the same
  // stdout as serialized bytes, which must pass through (swallowing them lost this file's first test
  // from the run's report).
  process.stdout.write = ((t: string | Uint8Array, ...rest: unknown[]) => {
    if (typeof t !== 'string') return (write as (...a: unknown[]) => boolean)(t, ...rest);
    out.push(t);
    return true;
  }) as typeof process.stdout.write;
  try {
    const code = await runCli(['node', 'entangle', ...args], { write: (t) => err.push(t) });
    return { code, out: out.join(''), err: err.join('') };
  } finally {
    process.stdout.write = write;
  }
}

test('entangle grad-check writes grad-check.md/json; entangle evaluate writes shots.md/json', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gce-'));
  const config = join(dir, 'tiny.yaml');
  writeFileSync(config, tinyConfigText({ quantum: true, epochs: 2 }));
  const gc = await cli(['grad-check', config, '--batches', '1', '--out', join(dir, 'gc')]);
  assert.equal(gc.code, 0, gc.err);
  assert.match(gc.out, /\| parameter-shift \| float64 \| layer1_quantum: 2 weight gradients \|/);
  const json = JSON.parse(readFileSync(join(dir, 'gc', 'grad-check.json'), 'utf8'));
  assert.match(json.command, /^entangle grad-check .*tiny\.yaml --batches 1/);
  assert.deepEqual(json.timing.map((t: { method: string }) => t.method), ['adjoint', 'parameter-shift']);
  assert.ok(json.agreement[0].float32.maxAbsDiff < 1e-6, 'json.agreement[0].float32.maxAbsDiff < 1e-6');

  assert.equal((await cli(['train', config, '--out', join(dir, 'run')])).code, 0);
  const ev = await cli(['evaluate', join(dir, 'run'), '--shots', '10,1_000', '--seed', '2']);
  assert.equal(ev.code, 0, ev.err);
  assert.match(ev.out, /shot seed 2/);
  assert.match(ev.out, /\n *1,000 +\d+\.\d\d% +-?\d+\.\d\d pp/);
  assert.ok(existsSync(join(dir, 'run', 'shots.md')), 'existsSync(join(dir, \'run\', \'shots.md\'))');
});

test('bad grad-check and evaluate arguments name the option', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gce-'));
  const config = join(dir, 'tiny.yaml');
  writeFileSync(config, tinyConfigText({ quantum: true }));
  let r = await cli(['grad-check', config, '--methods', 'adjoint,backprop']);
  assert.equal(r.code, 1);
  assert.match(r.err, /--methods: "backprop" is not one of adjoint, parameter-shift, finite-diff/);
  r = await cli(['evaluate', dir, '--shots', '100,lots']);
  assert.equal(r.code, 1);
  assert.match(r.err, /--shots: "lots" is not a positive integer/);
  writeFileSync(join(dir, 'classical.yaml'), tinyConfigText());
  r = await cli(['grad-check', join(dir, 'classical.yaml'), '--no-timing']);
  assert.equal(r.code, 1);
  assert.match(r.err, /^entangle: model\.layers: .*classical\.yaml has no quantum layer, so there are no gradient methods to compare\n$/);
});
