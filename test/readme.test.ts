// Every example in the README runs: the TypeScript example is examples/quickstart.ts verbatim and
// runs; each `npx entangle ...` line runs (training shortened, output redirected to a temp folder).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('../', import.meta.url).pathname;
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const blocks = [...readme.matchAll(/```(\w+)\n([\s\S]*?)```/g)].map((m) => ({ lang: m[1], code: m[2] }));

test('the README starts with the install+demo and test commands', () => {
  const first = blocks[0];
  assert.equal(first.lang, 'sh');
  assert.match(first.code, /^npm ci && npm run demo\b/m);
  assert.match(first.code, /^npm test\b/m);
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  assert.match(pkg.scripts.demo, /compare examples\/circles\/hybrid\.yaml examples\/circles\/classical\.yaml/);
});

test('the README TypeScript example is examples/quickstart.ts and it runs', () => {
  const ts = blocks.filter((b) => b.lang === 'ts');
  assert.equal(ts.length, 1);
  assert.equal(ts[0].code, readFileSync(join(root, 'examples/quickstart.ts'), 'utf8'));
  const out = execFileSync(process.execPath, ['--conditions=source', '--import', 'tsx', 'examples/quickstart.ts'], { cwd: root, encoding: 'utf8' });
  assert.match(out, /^expvals( -?\d\.\d{4}){6}\n/);
  assert.match(out, /d\/dweights\[0\.\.3\]( -?\d\.\d{4}){4}/);
});

test('every `npx entangle` command in the README runs', () => {
  const cmds = blocks
    .filter((b) => b.lang === 'sh')
    .flatMap((b) => b.code.replace(/\\\n\s*/g, '').split('\n'))
    .map((l) => l.replace(/#.*$/, '').trim())
    .filter((l) => l.startsWith('npx entangle '));
  assert.ok(cmds.length >= 4, `found ${cmds.length} commands`);
  const out = mkdtempSync(join(tmpdir(), 'entangle-readme-'));
  try {
    for (const cmd of cmds) {
      const args = [...cmd.slice('npx entangle '.length).matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]);
      if (args[0] === 'train' || args[0] === 'compare') args.push('--out', join(out, args[0]), '--set', 'training.epochs=2');
      if (args[0] === 'dataset') args.splice(args.indexOf('--out'), 2, '--out', join(out, 'dataset'), '--max-queries', '30', '--corpus-size', '100');
      const stdout = execFileSync(process.execPath, ['bin/entangle.js', ...args], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
      if (args[0] === 'simulate') {
        const r = JSON.parse(stdout) as { params: string[]; expvals: number[]; probs: number[]; jacobian: { expvals: number[][] } };
        assert.deepEqual(r.params, ['theta', 'phi']);
        // Bell pair, then RY(2θ + π/4) on qubit 1: <Z0 Z1> = cos(2θ + π/4), d/dθ = −2 sin(2θ + π/4).
        assert.ok(Math.abs(r.expvals[0] - Math.cos(0.6 + Math.PI / 4)) < 1e-12, 'Math.abs(r.expvals[0] - Math.cos(0.6 + Math.PI / 4)) < 1e-12');
        assert.ok(Math.abs(r.jacobian.expvals[0][0] + 2 * Math.sin(0.6 + Math.PI / 4)) < 1e-10, 'Math.abs(r.jacobian.expvals[0][0] + 2 * Math.sin(0.6 + Math.PI / 4)) < 1e-10');
        assert.equal(r.probs.length, 4);
      }
      if (args[0] === 'draw') assert.match(stdout, /Rot/);
      if (args[0] === 'dataset') assert.match(stdout, /^wrote .*: 100 documents, 30 queries\n/);
      if (args[0] === '--version') assert.equal(stdout, `${(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version}\n`);
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
