// Fuzzing configs: hundreds of mutations of the shipped example configs (a field removed,
// renamed, retyped or set to an extreme; YAML text damaged) go through everything `entangle
// train` checks before it trains — YAML, schema, data, the model built against the data. Each
// must either pass or fail with one of the project's own errors carrying a user-facing message
// (file and line, or field path) — never a TypeError from deep inside, a tfjs assertion, or a hang.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import fc from 'fast-check';
import * as tf from '@tensorflow/tfjs';
import { stringify } from 'yaml';
import { parseConfigText } from '../../src/config/load.js';
import { ConfigError } from '../../src/config/errors.js';
import { EntangleError } from '../../src/util/errors.js';
import { prepareExperiment } from '../../src/experiments/run.js';

await tf.setBackend('cpu');


type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Every path to a member of a JSON tree (object keys and array indices). */
function pathsOf(value: Json, prefix: Array<string | number> = []): Array<Array<string | number>> {
  if (value === null || typeof value !== 'object') return [];
  const entries: Array<[string | number, Json]> = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
  return entries.flatMap(([k, v]) => [[...prefix, k], ...pathsOf(v, [...prefix, k])]);
}

const weirdValue = fc.oneof(
  fc.constantFrom<Json>(0, -1, 1, 2, 0.5, -0.5, 1e9, -1e9, 1e-12, 3.7, 24, 25, 64, 100000, '', 'x', 'relu', 'Z0', 'abc def', true, false, null, [], {}, [1, 2], { a: 1 }),
  fc.integer({ min: -1000, max: 1000 }),
  fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }),
  fc.string({ maxLength: 6 }),
);

type Mutation =
  | { kind: 'delete'; pick: number }
  | { kind: 'set'; pick: number; value: Json }
  | { kind: 'rename'; pick: number; suffix: string }
  | { kind: 'add'; pick: number; key: string; value: Json };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('delete' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('set' as const), pick: fc.nat(), value: weirdValue }),
  fc.record({ kind: fc.constant('rename' as const), pick: fc.nat(), suffix: fc.constantFrom('s', 'x', '_', 'S') }),
  fc.record({ kind: fc.constant('add' as const), pick: fc.nat(), key: fc.constantFrom('extra', 'units', 'type', 'lr', 'wires', 'layers'), value: weirdValue }),
);

function apply(doc: Json, m: Mutation): Json {
  const copy = structuredClone(doc) as Json;
  const paths = pathsOf(copy);
  const path = paths[m.pick % paths.length];
  let parent = copy as Record<string | number, Json>;
  for (const p of path.slice(0, -1)) parent = parent[p] as Record<string | number, Json>;
  const key = path[path.length - 1];
  if (m.kind === 'delete') {
    if (Array.isArray(parent)) parent.splice(key as number, 1);
    else delete parent[key];
  } else if (m.kind === 'set') parent[key] = m.value;
  else if (m.kind === 'rename' && !Array.isArray(parent)) {
    parent[`${key}${m.suffix}`] = parent[key];
    delete parent[key];
  } else if (m.kind === 'add') {
    const target = parent[key];
    if (target !== null && typeof target === 'object' && !Array.isArray(target)) (target as Record<string, Json>)[m.key] = m.value;
  }
  return copy;
}

/** Text damage: a character deleted, inserted or the file cut short (YAML syntax errors). */
const textDamage = fc.record({ at: fc.nat(), kind: fc.constantFrom('delete', 'insert', 'cut'), char: fc.constantFrom(':', '-', '{', '}', '[', ' ', '\t', '"', "'", '#', '\n', 'x', '&', '*', '!') });

async function outcome(text: string, file: string): Promise<string> {
  try {
    const loaded = parseConfigText(text, file, { baseDir: dirname(resolve(file)) });
    // Everything `entangle train` checks before it creates the run folder (nothing is written).
    const prepared = prepareExperiment(loaded, '/nonexistent/entangle-fuzz', {});
    prepared.model.dispose();
    return 'ok';
  } catch (e) {
    const err = e as Error;
    assert.ok(err instanceof EntangleError, `not one of the project's errors (${err?.name}: ${err?.message})\n--- config ---\n${text}`);
    assert.ok(err.message.length > 0 && !/\n\s+at /.test(err.message), `message is empty or holds a stack trace: ${err.message}`);
    assert.ok(!/undefined|NaN|\[object Object\]/.test(err.message), `message leaks an internal value: ${err.message}`);
    if (err instanceof ConfigError) assert.ok(err.issues.every((i) => i.path !== '' || i.file !== undefined || i.source !== undefined), `an issue names neither field nor place: ${err.message}`);
    return err.name;
  }
}

const EXAMPLES = ['examples/circles/hybrid.yaml', 'examples/circles/classical.yaml', 'examples/mnist-hybrid/hybrid.yaml', 'examples/quantum-train/mnist-qt.yaml'];

for (const file of EXAMPLES) {
  const text = readFileSync(file, 'utf8');
  const base = parseConfigText(text, file).config as unknown as Json;
  test(`fuzz: mutated fields of ${file} pass or fail with the project's own error`, async () => {
    const seen = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 3 }), async (ms) => {
        const mutated = ms.reduce(apply, base);
        const kind = await outcome(stringify(mutated), file);
        seen.set(kind, (seen.get(kind) ?? 0) + 1);
      }),
      { seed: 20261201, numRuns: file.includes('circles') ? 150 : 25 },
    );
    assert.ok((seen.get('ConfigError') ?? 0) > 0, `some mutations must be refused: ${JSON.stringify([...seen])}`);
  });
  test(`fuzz: damaged YAML text of ${file} fails with file:line, or parses`, async () => {
    await fc.assert(
      fc.asyncProperty(textDamage, async (d) => {
        const at = d.at % text.length;
        const damaged = d.kind === 'delete' ? text.slice(0, at) + text.slice(at + 1) : d.kind === 'insert' ? text.slice(0, at) + d.char + text.slice(at) : text.slice(0, at);
        await outcome(damaged, file);
      }),
      { seed: 7, numRuns: file.includes('circles') ? 100 : 25 },
    );
  });
}
