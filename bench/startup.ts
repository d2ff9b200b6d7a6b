// `npm run bench -- startup`: CPU time (user + system of the child process) of starting the
// `entangle` command, against `node -e 0`. Each command runs `runs` times, interleaved with the
// others so that load changes hit all of them alike; the minimum per command is the figure (start-up
// has no useful variance to average: everything above the minimum is interference). Ratios are
// between numbers measured in this run only.
//
// The child's CPU time comes from bash's `times` builtin (getrusage of the children, millisecond
// resolution): Node exposes no rusage of a child process.

import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { currentBuild } from '../bin/built-is-current.js';
import { table } from './timing.js';

const root = join(fileURLToPath(new URL('.', import.meta.url)), '..');

/** Shell-quoted command lines, run from the repository root. */
export const STARTUP_COMMANDS: ReadonlyArray<{ label: string; argv: string[] }> = [
  { label: 'node -e 0', argv: [process.execPath, '-e', '0'] },
  { label: 'entangle --help', argv: [process.execPath, 'bin/entangle.js', '--help'] },
  {
    label: 'entangle simulate (2 qubits, --grad)',
    argv: [process.execPath, 'bin/entangle.js', 'simulate', 'examples/qasm/bell-rotation.qasm', '--set', 'theta=0.3', '--set', 'phi=1', '--observable', 'Z0 Z1', '--grad'],
  },
];

const quote = (a: string): string => `'${a.replace(/'/g, `'\\''`)}'`;

/** CPU milliseconds (user + system) that one run of `argv` took, read from bash's `times`. */
export function childCpuMs(argv: readonly string[]): number {
  const r = spawnSync('bash', ['-c', `${argv.map(quote).join(' ')} >/dev/null 2>&1 || exit 97; times`], { cwd: root, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`startup bench: \`${argv.join(' ')}\` failed (exit ${r.status}): ${r.stderr}`);
  // `times` prints the shell's own times, then its children's: "0m0.181s 0m0.007s".
  const children = r.stdout.trim().split('\n').at(-1)!;
  const [user, sys] = children.split(' ').map((t) => {
    const m = /^(\d+)m([\d.]+)s$/.exec(t);
    if (!m) throw new Error(`startup bench: cannot read bash's times output ${JSON.stringify(children)}`);
    return (Number(m[1]) * 60 + Number(m[2])) * 1000;
  });
  return user + sys;
}

export function runStartupBench(runs = 10): string {
  if (!currentBuild(root)) {
    throw new Error('startup bench: dist/ is missing or older than src/, so `entangle` would compile the sources through tsx; run `npm run build` first');
  }
  const samples = STARTUP_COMMANDS.map(() => [] as number[]);
  for (let r = 0; r < runs; r++) STARTUP_COMMANDS.forEach((c, i) => samples[i].push(childCpuMs(c.argv)));
  const min = samples.map((s) => Math.min(...s));
  const median = samples.map((s) => [...s].sort((a, b) => a - b)[Math.floor(s.length / 2)]);
  const rows = STARTUP_COMMANDS.map((c, i) => [c.label, min[i], median[i], `${(min[i] / min[0]).toFixed(2)}x`]);
  const worst = Math.max(...min.slice(1)) / min[0];
  return [
    `## Start-up: CPU time of the child, ${runs} interleaved runs each, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`,
    '',
    table(['command', 'CPU min ms', 'CPU median ms', 'min / node -e 0'], rows),
    '',
    `- target: every entangle command within 6x of \`node -e 0\`: ${worst <= 6 ? 'met' : 'NOT met'} (worst ${worst.toFixed(2)}x)`,
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(runStartupBench());
