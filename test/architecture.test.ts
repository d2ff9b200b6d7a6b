// The import graph runs one way (README, "Architecture"): cli -> distributed -> experiments -> (report, models,
// train, data, config) -> tf bridge / tf-kernels / export -> engine -> circuit, with util/ importable by
// all and importing nothing of ours; no file-level import cycles; the engine and the circuit model
// load neither TensorFlow.js nor a Node-only API (they run in browsers). Read from the sources, so
// a new import that breaks a layer fails here with the file and the import named.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const SRC = resolve('src');

/** For each top-level folder of src/, the folders of ours it may import (besides itself). */
const MAY_IMPORT: Record<string, readonly string[]> = {
  util: [],
  circuit: ['util'],
  engine: ['circuit', 'util'],
  tf: ['engine', 'circuit', 'util'],
  'tf-kernels': ['engine', 'util'],
  // Lowering checks and provider job bodies (export): pure, above the engine it checks on.
  export: ['engine', 'circuit', 'util'],
  train: ['util'],
  data: ['util'],
  // retrieval: BEIR data, embeddings, first stages and ranking metrics (issue 15); data-level.
  retrieval: ['util'],
  models: ['retrieval', 'tf', 'tf-kernels', 'engine', 'circuit', 'train', 'util'],
  config: ['models', 'data', 'train', 'tf-kernels', 'tf', 'engine', 'circuit', 'util'],
  report: ['retrieval', 'models', 'train', 'data', 'util'],
  // serve/: the HTTP server over a structural scorer type; it knows no model family.
  serve: ['util'],
  experiments: ['retrieval', 'export', 'config', 'report', 'models', 'train', 'data', 'tf', 'tf-kernels', 'engine', 'circuit', 'util'],
  // Distributed sweeps: experiments' trials as BullMQ jobs (coordinator and worker).
  distributed: ['experiments', 'retrieval', 'export', 'config', 'report', 'models', 'train', 'data', 'tf', 'tf-kernels', 'engine', 'circuit', 'util'],
  // node-memory.ts: the Node-side entry that hands the engine this machine's memory (a side effect).
  cli: ['node-memory.ts', 'node-threads.ts', 'distributed', 'retrieval', 'experiments', 'serve', 'export', 'config', 'report', 'models', 'train', 'data', 'tf', 'tf-kernels', 'engine', 'circuit', 'util'],
};
const BROWSER_SAFE = ['circuit', 'engine'];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

interface Import { from: string; spec: string; target: string | null }

function importsOf(file: string): Import[] {
  const text = readFileSync(file, 'utf8');
  const out: Import[] = [];
  for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)\s(?:[^'"]*?from\s*)?['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)) {
    const spec = m[1] ?? m[2];
    const target = spec.startsWith('.') ? resolve(dirname(file), spec).replace(/\.js$/, '.ts') : null;
    out.push({ from: file, spec, target });
  }
  return out;
}

const folderOf = (file: string): string => relative(SRC, file).split('/')[0];
const files = sourceFiles(SRC);
const graph = new Map(files.map((f) => [f, importsOf(f)]));

test('every import between src/ folders follows the one-way layering', () => {
  const bad: string[] = [];
  for (const [file, imports] of graph) {
    const from = folderOf(file);
    if (!(from in MAY_IMPORT)) continue; // src/index.ts re-exports everything
    for (const imp of imports) {
      if (!imp.target) continue;
      const to = folderOf(imp.target);
      if (to !== from && !MAY_IMPORT[from].includes(to)) bad.push(`${relative(SRC, file)} imports ${imp.spec} (${from} may not import ${to})`);
    }
  }
  assert.deepEqual(bad, []);
});

test('every folder of src/ has its place in the layering', () => {
  const folders = readdirSync(SRC).filter((n) => statSync(join(SRC, n)).isDirectory());
  assert.deepEqual(folders.filter((f) => !(f in MAY_IMPORT)), []);
});

test('no file-level import cycles in src/', () => {
  const state = new Map<string, 'open' | 'done'>();
  const cycles: string[] = [];
  const visit = (file: string, path: string[]): void => {
    if (state.get(file) === 'done') return;
    if (state.get(file) === 'open') {
      cycles.push([...path.slice(path.indexOf(file)), file].map((f) => relative(SRC, f)).join(' -> '));
      return;
    }
    state.set(file, 'open');
    for (const imp of graph.get(file) ?? []) if (imp.target && graph.has(imp.target)) visit(imp.target, [...path, file]);
    state.set(file, 'done');
  };
  for (const f of files) visit(f, []);
  assert.deepEqual(cycles, []);
});

test('the engine and the circuit model, and all they import, load neither TensorFlow.js nor Node-only modules', () => {
  const reached = new Set<string>();
  const walk = (file: string): void => {
    if (reached.has(file)) return;
    reached.add(file);
    for (const imp of graph.get(file) ?? []) if (imp.target && graph.has(imp.target)) walk(imp.target);
  };
  files.filter((f) => BROWSER_SAFE.includes(folderOf(f))).forEach(walk);
  const bad = [...reached].flatMap((f) => (graph.get(f) ?? []).filter((imp) => /^node:|^@tensorflow|^(fs|path|os|crypto|child_process|worker_threads)$/.test(imp.spec)));
  assert.deepEqual(bad.map((i) => `${relative(SRC, i.from)}: ${i.spec}`), []);
});
