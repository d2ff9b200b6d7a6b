// Templates: the standard embeddings and ansatzes, appended to a circuit. They follow PennyLane's
// definitions (and Qiskit's for ZZFeatureMap / RealAmplitudes) so results can be compared directly.
// Each ansatz allocates its own fresh weights unless `firstWeight` is given, and reports where they
// live: weight (l, i, k) of a template with shape [L, n, K] is firstWeight + (l*n + i)*K + k.

import { Circuit, CircuitError } from './circuit.js';
import { w, x, xx, type InputRef } from './params.js';

export interface TemplateWeights {
  /** Index of the template's first weight in the circuit's weight vector. */
  firstWeight: number;
  /** PennyLane's weight shape, e.g. [layers, wires, 3] for StronglyEntanglingLayers. */
  shape: number[];
}

const allWires = (c: Circuit): number[] => Array.from({ length: c.numWires }, (_, i) => i);

function resolveWires(c: Circuit, wires: readonly number[] | undefined, template: string): number[] {
  const ws = wires ? [...wires] : allWires(c);
  if (ws.length === 0) throw new CircuitError(`${template}: needs at least one wire`);
  return ws;
}

/** Feature i as an input reference, from a first input index or an explicit list. */
function featureRefs(features: number | readonly InputRef[], count: number, scale = 1): InputRef[] {
  if (typeof features === 'number') return Array.from({ length: count }, (_, i) => x(features + i, { scale }));
  return [...features];
}

function takeWeights(c: Circuit, count: number, firstWeight: number | undefined): number {
  if (firstWeight === undefined) return c.allocWeights(count);
  c.declareWeights(firstWeight + count);
  return firstWeight;
}

export interface AngleEmbeddingOptions {
  wires?: readonly number[];
  /** First input index (features are consecutive), or explicit input refs; default 0. */
  features?: number | readonly InputRef[];
  /** Number of features when `features` is an index; default: one per wire. */
  numFeatures?: number;
  rotation?: 'X' | 'Y' | 'Z';
  /** Multiply every feature by this before rotating (e.g. Math.PI). */
  scale?: number;
}

/** Feature i rotates wire i (PennyLane's AngleEmbedding, rotation X by default). */
export function angleEmbedding(c: Circuit, opts: AngleEmbeddingOptions = {}): void {
  const wires = resolveWires(c, opts.wires, 'AngleEmbedding');
  const n = opts.numFeatures ?? wires.length;
  const feats = featureRefs(opts.features ?? 0, n, opts.scale ?? 1);
  if (feats.length > wires.length) {
    throw new CircuitError(`AngleEmbedding: ${feats.length} features but only ${wires.length} wires; use at most one feature per wire`);
  }
  const gate = { X: 'RX', Y: 'RY', Z: 'RZ' }[opts.rotation ?? 'X'];
  if (!gate) throw new CircuitError(`AngleEmbedding: rotation must be X, Y or Z, got ${opts.rotation}`);
  feats.forEach((f, i) => c.add(gate, [wires[i]], [f]));
}

export interface AmplitudeEmbeddingOptions {
  firstInput?: number;
  /** Number of features; default 2^n. */
  numFeatures?: number;
  normalize?: boolean;
  /** Pad value for the amplitudes beyond the features (required when there are fewer than 2^n). */
  pad?: number;
}

/** The initial state is the (padded, optionally normalized) feature vector (PennyLane's AmplitudeEmbedding). */
export function amplitudeEmbedding(c: Circuit, opts: AmplitudeEmbeddingOptions = {}): void {
  const length = opts.numFeatures ?? 2 ** c.numWires;
  c.setAmplitudeInit({ firstInput: opts.firstInput ?? 0, length, normalize: opts.normalize ?? false, pad: opts.pad ?? NaN });
}

export interface IQPEmbeddingOptions {
  wires?: readonly number[];
  firstInput?: number;
  repeats?: number;
  /** Wire-index pairs (positions in `wires`) for the ZZ terms; default: all pairs i < j. */
  pattern?: ReadonlyArray<readonly [number, number]>;
}

/** PennyLane's IQPEmbedding: per repeat, H on every wire, RZ(x_i), then MultiRZ(x_i x_j) on each pair. */
export function iqpEmbedding(c: Circuit, opts: IQPEmbeddingOptions = {}): void {
  const wires = resolveWires(c, opts.wires, 'IQPEmbedding');
  const first = opts.firstInput ?? 0;
  const pairs: Array<readonly [number, number]> = opts.pattern ? [...opts.pattern] : [];
  if (!opts.pattern) for (let i = 0; i < wires.length; i++) for (let j = i + 1; j < wires.length; j++) pairs.push([i, j]);
  for (let r = 0; r < (opts.repeats ?? 1); r++) {
    wires.forEach((wire, i) => {
      c.h(wire);
      c.rz(wire, x(first + i));
    });
    for (const [i, j] of pairs) c.multiRZ([wires[i], wires[j]], xx(first + i, first + j));
  }
}

export type Entanglement = 'full' | 'linear' | 'reverse_linear' | 'circular';

function entanglementPairs(n: number, kind: Entanglement): Array<[number, number]> {
  const pairs: Array<[number, number]> = [];
  switch (kind) {
    case 'full':
      for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) pairs.push([i, j]);
      break;
    case 'linear':
      for (let i = 0; i + 1 < n; i++) pairs.push([i, i + 1]);
      break;
    case 'reverse_linear':
      for (let i = n - 2; i >= 0; i--) pairs.push([i, i + 1]);
      break;
    case 'circular':
      if (n > 2) pairs.push([n - 1, 0]);
      for (let i = 0; i + 1 < n; i++) pairs.push([i, i + 1]);
      break;
    default:
      throw new CircuitError(`unknown entanglement "${kind as string}" (full, linear, reverse_linear, circular)`);
  }
  return pairs;
}

export interface ZZFeatureMapOptions {
  wires?: readonly number[];
  firstInput?: number;
  /** Qiskit's default is 2. */
  reps?: number;
  /** Qiskit's default is 'full'. */
  entanglement?: Entanglement;
}

/**
 * Qiskit's ZZFeatureMap: per rep, H on every qubit, P(2 x_i), then for each pair (i, j):
 * CX(i, j) · P(2 (π − x_i)(π − x_j)) on j · CX(i, j).
 */
export function zzFeatureMap(c: Circuit, opts: ZZFeatureMapOptions = {}): void {
  const wires = resolveWires(c, opts.wires, 'ZZFeatureMap');
  const first = opts.firstInput ?? 0;
  const pairs = entanglementPairs(wires.length, opts.entanglement ?? 'full');
  for (let r = 0; r < (opts.reps ?? 2); r++) {
    wires.forEach((wire, i) => {
      c.h(wire);
      c.phase(wire, x(first + i, { scale: 2 }));
    });
    for (const [i, j] of pairs) {
      c.cnot(wires[i], wires[j]);
      c.phase(wires[j], xx(first + i, first + j, { scale: 2, offsetA: -Math.PI, offsetB: -Math.PI }));
      c.cnot(wires[i], wires[j]);
    }
  }
}

export interface LayeredOptions {
  wires?: readonly number[];
  layers: number;
  firstWeight?: number;
}

function checkLayers(template: string, layers: number): void {
  if (!Number.isInteger(layers) || layers < 1) throw new CircuitError(`${template}: layers must be a positive integer, got ${layers}`);
}

/**
 * Qiskit's RealAmplitudes: RY on every qubit, then per rep an entangling CX layer and another RY
 * layer: (reps + 1) * n weights. Qiskit's defaults: reps 3, entanglement 'reverse_linear'.
 */
export function realAmplitudes(
  c: Circuit,
  opts: { wires?: readonly number[]; reps?: number; entanglement?: Entanglement; firstWeight?: number } = {},
): TemplateWeights {
  const wires = resolveWires(c, opts.wires, 'RealAmplitudes');
  const reps = opts.reps ?? 3;
  if (!Number.isInteger(reps) || reps < 0) throw new CircuitError(`RealAmplitudes: reps must be >= 0, got ${reps}`);
  const n = wires.length;
  const first = takeWeights(c, (reps + 1) * n, opts.firstWeight);
  const pairs = entanglementPairs(n, opts.entanglement ?? 'reverse_linear');
  for (let r = 0; r <= reps; r++) {
    if (r > 0) for (const [i, j] of pairs) c.cnot(wires[i], wires[j]);
    wires.forEach((wire, i) => c.ry(wire, w(first + r * n + i)));
  }
  return { firstWeight: first, shape: [reps + 1, n] };
}

/** PennyLane's BasicEntanglerLayers: a rotation per wire, then a ring of CNOTs (one CNOT for 2 wires). */
export function basicEntanglerLayers(c: Circuit, opts: LayeredOptions & { rotation?: 'X' | 'Y' | 'Z' }): TemplateWeights {
  checkLayers('BasicEntanglerLayers', opts.layers);
  const wires = resolveWires(c, opts.wires, 'BasicEntanglerLayers');
  const n = wires.length;
  const gate = { X: 'RX', Y: 'RY', Z: 'RZ' }[opts.rotation ?? 'X'];
  const first = takeWeights(c, opts.layers * n, opts.firstWeight);
  for (let l = 0; l < opts.layers; l++) {
    wires.forEach((wire, i) => c.add(gate, [wire], [w(first + l * n + i)]));
    if (n === 2) c.cnot(wires[0], wires[1]);
    else if (n > 2) for (let i = 0; i < n; i++) c.cnot(wires[i], wires[(i + 1) % n]);
  }
  return { firstWeight: first, shape: [opts.layers, n] };
}

/**
 * PennyLane's StronglyEntanglingLayers: Rot(φ, θ, ω) per wire, then CNOT(i, (i + r) mod n) for every
 * wire, with range r = ranges[l] or by default (l mod (n − 1)) + 1. Weight shape [L, n, 3].
 */
export function stronglyEntanglingLayers(c: Circuit, opts: LayeredOptions & { ranges?: readonly number[] }): TemplateWeights {
  checkLayers('StronglyEntanglingLayers', opts.layers);
  const wires = resolveWires(c, opts.wires, 'StronglyEntanglingLayers');
  const n = wires.length;
  if (opts.ranges && opts.ranges.length !== opts.layers) {
    throw new CircuitError(`StronglyEntanglingLayers: ${opts.ranges.length} ranges for ${opts.layers} layers`);
  }
  const first = takeWeights(c, opts.layers * n * 3, opts.firstWeight);
  for (let l = 0; l < opts.layers; l++) {
    for (let i = 0; i < n; i++) {
      const k = first + (l * n + i) * 3;
      c.rot(wires[i], w(k), w(k + 1), w(k + 2));
    }
    if (n > 1) {
      const r = opts.ranges ? opts.ranges[l] : (l % (n - 1)) + 1;
      if (!Number.isInteger(r) || r % n === 0) throw new CircuitError(`StronglyEntanglingLayers: range ${r} in layer ${l} would make a CNOT act on one wire`);
      for (let i = 0; i < n; i++) c.cnot(wires[i], wires[(i + r) % n]);
    }
  }
  return { firstWeight: first, shape: [opts.layers, n, 3] };
}

/** Quantum-Train's lighter ansatz: per block, RY on every wire then a CNOT chain (i → i+1). */
export function ryCnotChainBlocks(c: Circuit, opts: LayeredOptions): TemplateWeights {
  checkLayers('RYCNOTChain', opts.layers);
  const wires = resolveWires(c, opts.wires, 'RYCNOTChain');
  const n = wires.length;
  const first = takeWeights(c, opts.layers * n, opts.firstWeight);
  for (let l = 0; l < opts.layers; l++) {
    wires.forEach((wire, i) => c.ry(wire, w(first + l * n + i)));
    for (let i = 0; i + 1 < n; i++) c.cnot(wires[i], wires[i + 1]);
  }
  return { firstWeight: first, shape: [opts.layers, n] };
}

/**
 * Quantum-Train's paper ansatz: per block, U3 on every wire then a ring of CU3(i → i+1 mod n):
 * 6n weights per block, ordered [U3 of wire 0..n−1 (θ, φ, λ)], then [CU3 of pair 0..n−1 (θ, φ, λ)].
 */
export function u3CU3RingBlocks(c: Circuit, opts: LayeredOptions): TemplateWeights {
  checkLayers('U3CU3Ring', opts.layers);
  const wires = resolveWires(c, opts.wires, 'U3CU3Ring');
  const n = wires.length;
  const first = takeWeights(c, opts.layers * 6 * n, opts.firstWeight);
  for (let l = 0; l < opts.layers; l++) {
    const base = first + l * 6 * n;
    wires.forEach((wire, i) => c.u3(wire, w(base + 3 * i), w(base + 3 * i + 1), w(base + 3 * i + 2)));
    if (n > 1) {
      const ring = n === 2 ? 1 : n;
      for (let i = 0; i < ring; i++) {
        const k = base + 3 * n + 3 * i;
        c.cu3(wires[i], wires[(i + 1) % n], w(k), w(k + 1), w(k + 2));
      }
    }
  }
  return { firstWeight: first, shape: [opts.layers, 6 * n] };
}
