// The quantum engine: batched exact statevector simulation with adjoint gradients.
// No Node-only API is used here, so it runs unchanged in browsers.
export { QNode, type QNodeOptions, type DiffMethod, type Vjp, type Jacobian } from './qnode.js';
export type { KernelReport } from './simulator.js';
export { Fidelity, type FidelityGrads } from './fidelity.js';
export { EngineInputError } from './errors.js';
export { compile, type Program } from './program.js';
export { Rng } from '../util/random.js';
export { setWasmKernels, wasmKernelsActive } from './wasm/backend.js';
export { terminateThreadPool } from './parallel/pool.js';
export { setThreadRuntime, availableCores, type ThreadRuntime } from './parallel/runtime.js';
export {
  setMemoryBudget, memoryBudget, footprintBytes, maxWiresWithin, maxBatchWithin, formatBytes,
  MAX_WIRES, MAX_ARRAY_ELEMENTS, DEFAULT_MEMORY_BUDGET, type Footprint, type MemoryBudget,
} from './memory.js';
export { stateVectorFootprint, type StateVectorBatch } from './statevector/state.js';
