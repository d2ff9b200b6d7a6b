// The pass lists of each target basis. Every pass has one job (files of this folder); a basis is
// the order they run in. Merging runs before and after the two-qubit rewrite, because the rewrite's
// corrections land next to gates they can merge with.

import type { Circuit } from '../circuit.js';
import { expandCircuit, type ExpandOptions } from './expand.js';
import { cancelPairs, mergeRuns, mergeRz } from './merge.js';
import { toOneQubitBasis, type OneQubitBasis } from './one-qubit.js';
import type { LoweredCircuit } from './ops.js';
import { toTwoQubitBasis, type TwoQubitBasis } from './two-qubit.js';
import { virtualZ } from './virtual-z.js';

export interface BasisSpec {
  /** Shown in reports: "IBM {rz, sx, x, cz}". */
  readonly label: string;
  readonly twoQubit: TwoQubitBasis;
  readonly oneQubit: OneQubitBasis;
  /** IonQ native: rz as a frame change folded into the phases of later gates. */
  readonly virtualZ?: boolean;
}

export const BASES = {
  'ibm-cz': { label: '{rz, sx, x, cz}', twoQubit: 'cz', oneQubit: 'zsx' },
  'ibm-cx': { label: '{rz, sx, x, cx}', twoQubit: 'cx', oneQubit: 'zsx' },
  'ibm-ecr': { label: '{rz, sx, x, ecr}', twoQubit: 'ecr', oneQubit: 'zsx' },
  /** Braket's gate names and IonQ's QIS gates: rotations and CNOT, understood by every gate-based device. */
  'rotations-cnot': { label: '{rz, ry, cnot}', twoQubit: 'cx', oneQubit: 'zyz' },
  'ionq-native': { label: '{gpi, gpi2, ms}', twoQubit: 'ms', oneQubit: 'zsx', virtualZ: true },
} as const satisfies Record<string, BasisSpec>;

export type BasisName = keyof typeof BASES;

function optimize(c: LoweredCircuit): LoweredCircuit {
  return mergeRuns(cancelPairs(mergeRuns(c)));
}

/** The circuit lowered to a basis: weights bound, inputs bound when given, else symbolic rz angles. */
export function lowerCircuit(circuit: Circuit, basis: BasisName, opts: ExpandOptions): LoweredCircuit {
  const spec: BasisSpec = BASES[basis];
  let c = optimize(expandCircuit(circuit, opts));
  c = mergeRuns(toTwoQubitBasis(c, spec.twoQubit));
  c = mergeRz(toOneQubitBasis(c, spec.oneQubit));
  return spec.virtualZ ? virtualZ(c) : c;
}
