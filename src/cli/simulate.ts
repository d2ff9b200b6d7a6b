// `entangle simulate FILE.qasm`: run an OpenQASM program and print one JSON object.
// This output is a contract (users and checks parse it):
//   params    the program's input parameter names, in declaration order
//   expvals   one number per --observable, in the order given
//   probs     with --probs: 2^n numbers, qubit 0 the most significant bit
//   jacobian  with --grad: { expvals: [[d expval_k / d param_j]], probs: [[d prob_k / d param_j]] }
// Bad input exits non-zero with a message naming the line or the argument; stdout stays empty.

import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { parseQasm } from '../circuit/qasm/import.js';
import { parseObservable } from '../circuit/observable-parse.js';
import { expval, probs } from '../circuit/measurements.js';
import { QNode, type DiffMethod } from '../engine/qnode.js';
import { EntangleError } from '../util/errors.js';

export interface SimulateOptions {
  set?: string[];
  observable?: string[];
  probs?: boolean;
  grad?: boolean;
  diffMethod?: string;
  shots?: string;
  seed?: string;
  threads?: string;
}

export interface SimulateResult {
  params: string[];
  expvals: number[];
  probs?: number[];
  jacobian?: { expvals: number[][]; probs?: number[][] };
}

export class CliInputError extends EntangleError {
  constructor(message: string) {
    super('E_CLI_INPUT', message);
  }
  override name = 'CliInputError';
}

const DIFF_METHODS = ['adjoint', 'parameter-shift', 'finite-diff'];

function parseIntArg(name: string, v: string | undefined, min: number): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new CliInputError(`${name} ${v}: expected an integer >= ${min}`);
  return n;
}

/** Parameter values from `--set NAME=VALUE` (VALUE: a number, or pi-expressions such as pi/2, -2*pi). */
function parseSets(sets: readonly string[], names: readonly string[]): Float64Array {
  const values = new Float64Array(names.length).fill(NaN);
  for (const s of sets) {
    const eq = s.indexOf('=');
    if (eq <= 0) throw new CliInputError(`--set ${s}: expected NAME=VALUE`);
    const name = s.slice(0, eq).trim();
    const idx = names.indexOf(name);
    if (idx < 0) {
      throw new CliInputError(`--set ${s}: the program declares no parameter "${name}" (declared: ${names.length ? names.join(', ') : 'none'})`);
    }
    const v = parseNumber(s.slice(eq + 1).trim());
    if (v === undefined) throw new CliInputError(`--set ${s}: "${s.slice(eq + 1)}" is not a number (e.g. 0.5, -1e-3, pi/2, 2*pi)`);
    values[idx] = v;
  }
  const unset = names.filter((_, i) => Number.isNaN(values[i]));
  if (unset.length) throw new CliInputError(`parameter${unset.length > 1 ? 's' : ''} ${unset.join(', ')} not set; add --set ${unset[0]}=VALUE`);
  return values;
}

function parseNumber(text: string): number | undefined {
  const m = /^([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)?\s*\*?\s*(pi|π)?\s*(?:\/\s*(\d+\.?\d*))?$/.exec(text);
  if (!text || !m || (!m[1] && !m[2])) return undefined;
  let v = m[1] ? Number(m[1]) : 1;
  if (m[1] === '-' || m[1] === '+') v = m[1] === '-' ? -1 : 1;
  if (m[2]) v *= Math.PI;
  if (m[3]) v /= Number(m[3]);
  return Number.isFinite(v) ? v : undefined;
}

/** Matrix rows k of a flat Jacobian [K, P]. */
function rows(flat: Float64Array, K: number, P: number): number[][] {
  return Array.from({ length: K }, (_, k) => Array.from(flat.subarray(k * P, (k + 1) * P)));
}

/** `note` receives the importer's warnings (e.g. that measurements are not sampled); the command prints them on stderr. */
export function runSimulate(file: string, opts: SimulateOptions, note: (text: string) => void = () => {}): SimulateResult {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new CliInputError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
  const { circuit, paramNames, warnings } = parseQasm(text, { fileName: file });
  for (const w of warnings) note(w);
  circuit.declareInputs(paramNames.length);
  const values = parseSets(opts.set ?? [], paramNames);
  const diffMethod = (opts.diffMethod ?? undefined) as DiffMethod | undefined;
  if (diffMethod && !DIFF_METHODS.includes(diffMethod)) {
    throw new CliInputError(`--diff-method ${diffMethod}: expected one of ${DIFF_METHODS.join(', ')}`);
  }
  const shots = parseIntArg('--shots', opts.shots, 1);
  const seed = parseIntArg('--seed', opts.seed, 0);
  if (seed !== undefined && shots === undefined) throw new CliInputError('--seed only applies with --shots N');
  if (shots && diffMethod === 'adjoint') throw new CliInputError('--diff-method adjoint needs the exact state; with --shots use parameter-shift');
  const observables = (opts.observable ?? []).map((o, i) => {
    try {
      return parseObservable(o, circuit.numWires);
    } catch (e) {
      throw new CliInputError(`--observable #${i + 1}: ${(e as Error).message}`);
    }
  });
  const threads = parseIntArg('--threads', opts.threads, 1);
  const qopts = { diffMethod, shots, seed: seed ?? 0, threads };
  const result: SimulateResult = { params: [...paramNames], expvals: [] };
  const jac: { expvals: number[][]; probs?: number[][] } = { expvals: [] };
  const P = paramNames.length;
  const weights = new Float64Array(0);
  if (observables.length) {
    const q = new QNode(circuit, expval(observables), qopts);
    result.expvals = Array.from(q.forward(values, weights, 1));
    if (opts.grad) jac.expvals = rows(q.jacobianOfLastForward().inputs, observables.length, P);
  }
  if (opts.probs) {
    const q = new QNode(circuit, probs(), qopts);
    result.probs = Array.from(q.forward(values, weights, 1));
    if (opts.grad) jac.probs = rows(q.jacobianOfLastForward().inputs, 1 << circuit.numWires, P);
  }
  if (opts.grad) result.jacobian = jac;
  return result;
}

export function registerSimulate(program: Command): void {
  const collect = (v: string, prev: string[] = []): string[] => [...prev, v];
  program
    .command('simulate')
    .description('simulate an OpenQASM 2/3 program and print expectation values, probabilities and gradients as JSON')
    .argument('<file>', 'OpenQASM program (.qasm)')
    .option('--set <name=value>', 'value of an input parameter (repeatable)', collect, [])
    .option('--observable <text>', 'observable such as "0.5*X0 Z2 + Z1" (repeatable)', collect, [])
    .option('--probs', 'print the probabilities of all 2^n basis states (qubit 0 = most significant bit)')
    .option('--grad', 'print the Jacobian with respect to the parameters')
    .option('--diff-method <method>', 'adjoint | parameter-shift | finite-diff')
    .option('--shots <n>', 'estimate from N samples instead of exactly')
    .option('--seed <s>', 'seed of the shot sampler')
    .option('--threads <n>', 'engine threads (default 1): from 14 qubits the one state is split across them gate by gate (the same outputs bit for bit; gradients within rounding, summed in a fixed order)')
    .action((file: string, opts: SimulateOptions) => {
      const result = runSimulate(file, opts, (w) => process.stderr.write(`entangle: ${w}\n`));
      process.stdout.write(`${JSON.stringify(result)}\n`);
    });
}
