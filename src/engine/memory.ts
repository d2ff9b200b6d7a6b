// How much memory a simulation needs, how much the platform lets us use, and the largest circuit
// that fits: the soft limit on qubits comes from memory, not from a constant (issue 10).
//
// Two kinds of limit, kept apart:
// - hard, structural: MAX_WIRES (basis-state indices are 32-bit integers in the kernels' bit
//   operations, see circuit.ts) and MAX_ARRAY_ELEMENTS (the longest typed array V8 allocates);
// - soft: the bytes a state batch needs against the memory budget. The budget defaults to a
//   conservative 2 GiB, since a browser reports no usable memory size; Node-side entries hand in
//   os.totalmem() (setPlatformMemory, from src/node-memory.ts), and anyone can override it
//   (setMemoryBudget).
//
// Pure functions and one module-level setting; no Node API (the engine runs in browsers).

import { MAX_WIRES } from '../circuit/circuit.js';
import { EngineInputError } from './errors.js';

export { MAX_WIRES };

/** Elements in one typed array: V8 (Node 20, Chromium) refuses Float64Arrays longer than 2^32. */
export const MAX_ARRAY_ELEMENTS = 2 ** 32;

/** The budget where the platform reports none (browsers). */
export const DEFAULT_MEMORY_BUDGET = 2 * 2 ** 30;

/**
 * What one simulation keeps allocated, as a linear function of the state's size:
 * bytes = batch·2^n·perAmplitude + 2^n·perBasisState + batch·perSample + fixed.
 */
export interface Footprint {
  /** Per amplitude of every sample: a state vector's re + im are 16; the adjoint's λ adds 16. */
  readonly perAmplitude: number;
  /** Per basis state, shared by the batch (a sampler's cumulative distribution, a marginal map). */
  readonly perBasisState: number;
  /** Per sample, independent of the state's size (outputs, parameter values). */
  readonly perSample: number;
  /** Independent of both (a sampler's index buffer). */
  readonly fixed: number;
}

export const NO_FOOTPRINT: Footprint = { perAmplitude: 0, perBasisState: 0, perSample: 0, fixed: 0 };

export function addFootprints(a: Footprint, b: Footprint): Footprint {
  return {
    perAmplitude: a.perAmplitude + b.perAmplitude,
    perBasisState: a.perBasisState + b.perBasisState,
    perSample: a.perSample + b.perSample,
    fixed: a.fixed + b.fixed,
  };
}

/** Bytes that `fp` needs for `numWires` qubits at batch `batch`. */
export function footprintBytes(fp: Footprint, numWires: number, batch: number): number {
  const dim = 2 ** numWires;
  return batch * dim * fp.perAmplitude + dim * fp.perBasisState + batch * fp.perSample + fp.fixed;
}

/** Whether `numWires` qubits at `batch` are within both the budget and the structural limits. */
export function fits(fp: Footprint, numWires: number, batch: number, budget: number): boolean {
  return numWires <= MAX_WIRES && batch * 2 ** numWires <= MAX_ARRAY_ELEMENTS && footprintBytes(fp, numWires, batch) <= budget;
}

/** The largest qubit count (at most MAX_WIRES) that fits at `batch`; 0 when not even one qubit does. */
export function maxWiresWithin(fp: Footprint, batch: number, budget: number): number {
  let n = 0;
  while (n < MAX_WIRES && fits(fp, n + 1, batch, budget)) n++;
  return n;
}

/** The largest batch of `numWires`-qubit states that fits; 0 when not even one does. */
export function maxBatchWithin(fp: Footprint, numWires: number, budget: number): number {
  const dim = 2 ** numWires;
  const perSample = dim * fp.perAmplitude + fp.perSample;
  const room = budget - dim * fp.perBasisState - fp.fixed;
  if (numWires > MAX_WIRES || room < perSample) return 0;
  return Math.min(Math.floor(room / perSample), Math.floor(MAX_ARRAY_ELEMENTS / dim));
}

export interface MemoryBudget {
  readonly bytes: number;
  /** Where the number comes from, for messages ("this machine's memory (os.totalmem)"). */
  readonly source: string;
}

let platform: MemoryBudget | undefined;
let explicit: MemoryBudget | undefined;

/**
 * The memory the engine may use for one simulation, in bytes; it overrides what the platform
 * reported. `undefined` goes back to the platform's figure (or DEFAULT_MEMORY_BUDGET).
 */
export function setMemoryBudget(bytes: number | undefined): void {
  explicit = bytes === undefined ? undefined : { bytes: checkedBytes(bytes, 'setMemoryBudget'), source: 'set with setMemoryBudget' };
}

/** What the platform reports (Node-side entries hand in os.totalmem(), src/node-memory.ts). */
export function setPlatformMemory(bytes: number, source: string): void {
  platform = { bytes: checkedBytes(bytes, 'setPlatformMemory'), source };
}

export function memoryBudget(): MemoryBudget {
  return explicit ?? platform ?? { bytes: DEFAULT_MEMORY_BUDGET, source: 'the default where the platform reports no memory size' };
}

function checkedBytes(bytes: number, where: string): number {
  if (!(Number.isFinite(bytes) && bytes > 0)) throw new EngineInputError(`${where}: the budget must be a positive number of bytes, got ${bytes}`);
  return bytes;
}

/** "1.5 GiB", "256 MiB", "12 KiB": binary units, three significant digits. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let u = 0;
  let v = bytes;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${u === 0 ? v : Number(v.toPrecision(3))} ${units[u]}`;
}

/**
 * Throw a clear error unless `numWires` qubits at `batch` fit `fp` within the budget and the
 * structural limits. `what` names the work ("the forward pass", "the adjoint gradient").
 */
export function assertFits(fp: Footprint, numWires: number, batch: number, what: string, limit: MemoryBudget = memoryBudget()): void {
  const elements = batch * 2 ** numWires;
  if (elements > MAX_ARRAY_ELEMENTS) {
    const most = Math.floor(MAX_ARRAY_ELEMENTS / 2 ** numWires);
    throw new EngineInputError(
      `a batch of ${batch} states of ${numWires} qubits has ${elements} amplitudes per array, more than the ${MAX_ARRAY_ELEMENTS} a JavaScript typed array can hold; use a batch of at most ${most}`,
      'STATE_ARRAY_TOO_LONG',
    );
  }
  const need = footprintBytes(fp, numWires, batch);
  if (need <= limit.bytes) return;
  throw new EngineInputError(tooLargeMessage(fp, numWires, batch, what, need, limit), 'STATE_TOO_LARGE');
}

function tooLargeMessage(fp: Footprint, numWires: number, batch: number, what: string, need: number, limit: MemoryBudget): string {
  const here = maxWiresWithin(fp, batch, limit.bytes);
  const alone = maxWiresWithin(fp, 1, limit.bytes);
  const fitting = (n: number): string => (n === 0 ? 'no qubit count fits' : `at most ${n} qubits fit`);
  const where = batch === 1 ? `at batch 1 ${fitting(alone)}` : `at batch ${batch} ${fitting(here)}, at batch 1 ${fitting(alone)}`;
  const bigBatch = maxBatchWithin(fp, numWires, limit.bytes);
  const fix = batch > 1 && bigBatch >= 1 ? `use a batch of at most ${bigBatch} or fewer qubits` : 'use fewer qubits';
  return (
    `${what} of ${numWires} qubits at batch ${batch} needs ${formatBytes(need)} ` +
    `(${fp.perAmplitude} B per amplitude × 2^${numWires} amplitudes × ${batch}, plus outputs and tables), ` +
    `more than the memory budget of ${formatBytes(limit.bytes)} (${limit.source}); ${where}. ` +
    `${fix[0].toUpperCase()}${fix.slice(1)}, or raise the budget with setMemoryBudget(bytes) if the machine has more memory.`
  );
}
