// The `entangle` program loads only the command it runs: the top-level help comes from a table
// in program.ts, which must match what the command modules register; the modules that --help
// and simulate import must not reach the heavy libraries.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { COMMANDS, commandNamedIn, createProgram } from '../../src/cli/program.js';
import { currentBuild } from '../../bin/built-is-current.js';

const root = resolve(import.meta.dirname, '..', '..');

test('the top-level help without loading any command equals the help with every command loaded', async () => {
  const lazy = (await createProgram([])).helpInformation();
  const full = (await createProgram('all')).helpInformation();
  assert.equal(lazy, full);
  for (const c of COMMANDS) assert.ok(lazy.includes(c.term), c.term);
});

test('the table names every registered command with its own summary, in order', async () => {
  const program = await createProgram('all');
  assert.deepEqual(program.commands.map((c) => [c.name(), c.description()]), COMMANDS.map((c) => [c.name, c.summary]));
});

test('commandNamedIn: the first operand, or the one after help', () => {
  assert.equal(commandNamedIn(['node', 'entangle', 'simulate', 'x.qasm']), 'simulate');
  assert.equal(commandNamedIn(['node', 'entangle', '--help']), undefined);
  assert.equal(commandNamedIn(['node', 'entangle', 'help', 'grad-check']), 'grad-check');
  assert.equal(commandNamedIn(['node', 'entangle', 'nonsense']), undefined);
  assert.equal(commandNamedIn(['node', 'entangle']), undefined);
});

test('entangle --version prints the version of package.json; help of one command names its options', () => {
  const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;
  assert.equal(execFileSync(process.execPath, ['bin/entangle.js', '--version'], { cwd: root, encoding: 'utf8' }), `${version}\n`);
  const help = execFileSync(process.execPath, ['bin/entangle.js', 'help', 'train'], { cwd: root, encoding: 'utf8' });
  assert.match(help, /^Usage: entangle train \[options\] <config>/);
  assert.match(help, /--resume/);
});

/** External packages reachable through static (non-type) imports from `file`. */
function staticPackages(file: string, seen = new Set<string>(), found = new Set<string>()): Set<string> {
  if (seen.has(file)) return found;
  seen.add(file);
  const text = readFileSync(file, 'utf8');
  for (const m of text.matchAll(/^\s*(?:import|export)\s+(type\s+)?(?:[^'"]*?\sfrom\s+)?['"]([^'"]+)['"]/gm)) {
    if (m[1]) continue;
    const spec = m[2];
    if (!spec.startsWith('.')) found.add(spec);
    else {
      const target = resolve(dirname(file), spec).replace(/\.js$/, '.ts');
      if (existsSync(target)) staticPackages(target, seen, found);
    }
  }
  return found;
}

test('--help and simulate reach none of TensorFlow.js, vega, resvg, yaml and ajv', () => {
  const heavy = ['@tensorflow/tfjs', '@tensorflow/tfjs-backend-wasm', 'vega', 'vega-lite', '@resvg/resvg-js', 'yaml', 'ajv'];
  for (const file of ['src/cli/main.ts', 'src/cli/simulate.ts']) {
    const packages = staticPackages(join(root, file));
    assert.ok(packages.has('commander') || file.endsWith('simulate.ts'), `the walk found ${[...packages]}`);
    for (const h of heavy) assert.ok(!packages.has(h), `${file} imports ${h} at start-up`);
  }
  // The walk does see a heavy import where there is one.
  assert.ok(staticPackages(join(root, 'src/cli/train.ts')).has('@tensorflow/tfjs'), 'staticPackages(join(root, \'src/cli/train.ts\')).has(\'@tensorflow/tfjs\')');
});

test('the launcher runs dist/ only when no source file is newer than it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'entangle-launcher-'));
  try {
    assert.equal(currentBuild(dir), undefined, 'no dist/');
    mkdirSync(join(dir, 'dist', 'cli'), { recursive: true });
    mkdirSync(join(dir, 'src', 'deep', 'er'), { recursive: true });
    const built = join(dir, 'dist', 'cli', 'main.js');
    const source = join(dir, 'src', 'deep', 'er', 'x.ts');
    writeFileSync(built, '');
    writeFileSync(source, '');
    utimesSync(source, 1000, 1000);
    utimesSync(built, 2000, 2000);
    assert.equal(currentBuild(dir), built);
    utimesSync(built, 1000, 1000); // same mtime, as in a packed npm package
    assert.equal(currentBuild(dir), built);
    utimesSync(source, 3000, 3000); // edited after the build
    assert.equal(currentBuild(dir), undefined);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
