// The `entangle simulate` contract: JSON on stdout with params / expvals / probs / jacobian, the
// three gradient methods agreeing, seeded shots, and bad input exiting non-zero with a message
// naming the line or argument and nothing on stdout.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { runCli } from '../../src/cli/program.js';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('../../', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'entangle-sim-'));

function sim(args: string[]): { code: number; out: string; err: string } {
  const r = spawnSync(process.execPath, ['bin/entangle.js', 'simulate', ...args], { cwd: root, encoding: 'utf8' });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

function file(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

const qasm3 = file(
  'prog.qasm',
  `OPENQASM 3.0;
include "stdgates.inc";
input float[64] a;
input float[64] b;
qubit[3] q;
ry(a) q[0];
cx q[0], q[1];
rx(2 * b - pi / 3) q[2];
crz(a + b) q[1], q[2];
`,
);

test('expvals, probs and the Jacobian, with every gradient method agreeing', () => {
  const base = [qasm3, '--set', 'a=0.7', '--set', 'b=-0.4', '--observable', 'Z0', '--observable', '0.5*Z1 Z2 - X2', '--probs', '--grad'];
  const results = ['adjoint', 'parameter-shift', 'finite-diff'].map((m) => {
    const r = sim([...base, '--diff-method', m]);
    assert.equal(r.code, 0, r.err);
    return JSON.parse(r.out) as { params: string[]; expvals: number[]; probs: number[]; jacobian: { expvals: number[][]; probs: number[][] } };
  });
  const [adj] = results;
  assert.deepEqual(adj.params, ['a', 'b']);
  assert.ok(Math.abs(adj.expvals[0] - Math.cos(0.7)) < 1e-12, '<Z0> = cos a');
  assert.ok(Math.abs(adj.jacobian.expvals[0][0] + Math.sin(0.7)) < 1e-12, 'Math.abs(adj.jacobian.expvals[0][0] + Math.sin(0.7)) < 1e-12');
  assert.equal(adj.jacobian.expvals[0][1], 0);
  assert.equal(adj.probs.length, 8);
  assert.ok(Math.abs(adj.probs.reduce((s, p) => s + p, 0) - 1) < 1e-12, 'Math.abs(adj.probs.reduce((s, p) => s + p, 0) - 1) < 1e-12');
  // qubit 0 is the most significant bit: P(q0 = 1) = sin²(a/2) sums the upper half.
  assert.ok(Math.abs(adj.probs.slice(4).reduce((s, p) => s + p, 0) - Math.sin(0.35) ** 2) < 1e-12, 'Math.abs(adj.probs.slice(4).reduce((s, p) => s + p, 0) - Math.sin(0.35) ** 2) < 1e-12');
  assert.equal(adj.jacobian.probs.length, 8);
  for (const other of results.slice(1)) {
    for (const key of ['expvals', 'probs'] as const)
      adj.jacobian[key].forEach((row, k) => row.forEach((v, j) => assert.ok(Math.abs(v - other.jacobian[key][k][j]) < 1e-6, `${key}[${k}][${j}]`)));
  }
});

test('shots: seeded estimates are reproducible and near the exact values', () => {
  const args = [qasm3, '--set', 'a=0.7', '--set', 'b=-0.4', '--observable', 'Z0', '--shots', '20000', '--seed', '3', '--probs'];
  const one = sim(args);
  const two = sim(args);
  assert.equal(one.code, 0, one.err);
  assert.equal(one.out, two.out);
  const r = JSON.parse(one.out) as { expvals: number[]; probs: number[] };
  assert.ok(Math.abs(r.expvals[0] - Math.cos(0.7)) < 0.03, 'Math.abs(r.expvals[0] - Math.cos(0.7)) < 0.03');
  assert.ok(r.probs.every((p) => Math.abs(p * 20000 - Math.round(p * 20000)) < 1e-9), 'probs are counts / shots');
});

test('OpenQASM 2 programs with qelib1.inc run', () => {
  const p = file('q2.qasm', 'OPENQASM 2.0;\ninclude "qelib1.inc";\nqreg q[2];\nh q[0];\ncx q[0],q[1];\nu1(pi/2) q[1];\n');
  const r = sim([p, '--observable', 'Z0 Z1', '--observable', 'X0 X1']);
  assert.equal(r.code, 0, r.err);
  const { expvals } = JSON.parse(r.out) as { expvals: number[] };
  assert.ok(Math.abs(expvals[0] - 1) < 1e-12, 'Math.abs(expvals[0] - 1) < 1e-12');
  assert.ok(Math.abs(expvals[1]) < 1e-12, 'the phase turns <XX> from 1 to 0');
});

/** In-process run (no process start-up per case): exit code, stdout and stderr. */
async function simInProcess(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const write = process.stdout.write.bind(process.stdout);
  // Only the CLI's text: under `node --test` the runner streams its own (binary) reports through
  // this process's stdout too, and runCli's dynamic import of the command lets them through here.
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: never[]) => {
    if (typeof chunk !== 'string') return write(chunk, ...rest);
    out += chunk;
    return true;
  }) as typeof process.stdout.write;
  try {
    const code = await runCli(['node', 'entangle', 'simulate', ...args], { write: (t: string) => (err += t) });
    return { code, out, err };
  } finally {
    process.stdout.write = write;
  }
}

test('a failing run exits with status 1 and writes only to stderr (real process)', () => {
  const r = sim([file('bad0.qasm', 'OPENQASM 3.0;\nqubit q;\nbar q;\n')]);
  assert.equal(r.code, 1);
  assert.equal(r.out, '');
  assert.match(r.err, /^entangle: .*bad0\.qasm:3:1: unknown gate "bar"/);
});

test('bad input exits non-zero, names the line or argument, and prints nothing on stdout', async () => {
  const cases: Array<[string[], RegExp]> = [
    [[file('bad.qasm', 'OPENQASM 3.0;\nqubit[2] q;\nfoo q[0];\n')], /bad\.qasm:3:1: unknown gate "foo"/],
    [[file('undecl.qasm', 'OPENQASM 3.0;\ninclude "stdgates.inc";\nqubit q;\nrx(theta) q;\n')], /undecl\.qasm:4:\d+: .*theta/],
    [[qasm3, '--set', 'a=1'], /parameter b not set; add --set b=VALUE/],
    [[qasm3, '--set', 'a=1', '--set', 'b=2', '--set', 'c=3'], /--set c=3: the program declares no parameter "c"/],
    [[qasm3, '--set', 'a=1', '--set', 'b=x'], /--set b=x: "x" is not a number/],
    [[qasm3, '--set', 'a=1', '--set', 'b=2', '--observable', 'Z0 +'], /--observable #1: .*expected a term after the sign/],
    [[qasm3, '--set', 'a=1', '--set', 'b=2', '--observable', 'Z7'], /--observable #1: .*wire 7 is out of range/],
    [[file('range.qasm', 'OPENQASM 3.0;\ninclude "stdgates.inc";\nqubit[2] q;\nh q[2];\n')], /range\.qasm:4:\d+: .*out of range/],
    [[join(dir, 'missing.qasm')], /cannot read .*missing\.qasm: no such file/],
    [[qasm3, '--set', 'a=1', '--set', 'b=2', '--diff-method', 'magic'], /--diff-method magic: expected one of adjoint, parameter-shift, finite-diff/],
    [[qasm3, '--set', 'a=1', '--set', 'b=2', '--shots', '0'], /--shots 0: expected an integer >= 1/],
  ];
  for (const [args, message] of cases) {
    const r = await simInProcess(args);
    assert.notEqual(r.code, 0, `${args.join(' ')} should fail`);
    assert.equal(r.out, '', `${args.join(' ')} printed to stdout`);
    assert.match(r.err, message);
  }
});

test('a terminal measurement is accepted with a note on stderr; stdout keeps the pre-measurement results', () => {
  const p = file('measured.qasm', 'OPENQASM 3.0;\ninclude "stdgates.inc";\nqubit[2] q;\nbit[2] c;\nh q[0];\ncx q[0], q[1];\nc = measure q;\n');
  const r = sim([p, '--probs']);
  assert.equal(r.code, 0, r.err);
  assert.match(r.err, /measured\.qasm:7:5: note: measurements are not sampled/);
  const probs = (JSON.parse(r.out) as { probs: number[] }).probs;
  assert.ok(Math.abs(probs[0] - 0.5) < 1e-12 && Math.abs(probs[3] - 0.5) < 1e-12, `Bell state probabilities: ${probs}`);
  const plain = sim([file('unmeasured.qasm', 'OPENQASM 3.0;\ninclude "stdgates.inc";\nqubit q;\nh q;\n'), '--probs']);
  assert.equal(plain.err, '', 'no note without a measurement');
});

test('simulate --threads N gives the one-thread result; a bad count is refused with the flag named', () => {
  const args = [qasm3, '--set', 'a=0.4', '--set', 'b=-0.2', '--observable', 'Z0 Z2', '--probs', '--grad'];
  const one = sim(args);
  const two = sim([...args, '--threads', '2']);
  assert.equal(two.code, 0, two.err);
  assert.deepEqual(JSON.parse(two.out), JSON.parse(one.out));
  const bad = sim([...args, '--threads', '0']);
  assert.notEqual(bad.code, 0);
  assert.match(bad.err, /--threads 0: expected an integer >= 1/);
  assert.equal(bad.out, '');
});
