// Lowering: a circuit of the gate table, its weights bound, as a sequence of a hardware target's
// basis gates, by small passes (expand → merge → two-qubit basis → merge → one-qubit basis →
// merge rz [→ virtual Z]). Pure functions of circuits and matrices: browser-safe like circuit/.
export * from './angle.js';
export * from './ops.js';
export { expandCircuit, expandOperation, boundAngles, describeOp, LoweringError, type ExpandOptions } from './expand.js';
export { mergeRuns, mergeRz, cancelPairs, isIdentityUpToPhase, isZeroRotation, wrapAngle, IDENTITY_TOLERANCE } from './merge.js';
export { toOneQubitBasis, zsx, zyz, type OneQubitBasis } from './one-qubit.js';
export { toTwoQubitBasis, type TwoQubitBasis } from './two-qubit.js';
export { virtualZ } from './virtual-z.js';
export { BASES, lowerCircuit, type BasisName, type BasisSpec } from './pipeline.js';
export { circuitCounts, loweredCounts, withoutFinalRz, type GateCounts } from './stats.js';
export { planReadout, withReadoutRotations, wordExpectation, expvalsFromProbs, type Readout, type ReadoutTerm } from './readout.js';
