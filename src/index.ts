// Entangle: hybrid quantum–classical machine learning for TypeScript.
// The engine and circuit model (also at 'entangle/engine' and 'entangle/circuit', which load no
// TensorFlow.js) and everything built on them: the TensorFlow.js layer, models, training, data.
import './node-memory.js'; // the engine's memory budget: this machine's memory
import './node-threads.js'; // worker_threads for QNodes with threads > 1
export * from './circuit/index.js';
export * from './engine/index.js';
export { CircuitLayer, type CircuitLayerArgs, type WeightInit } from './tf/circuit-layer.js';
export { quantumOp, type QuantumTiming } from './tf/quantum-op.js';
export { QuantumLayer, type QuantumLayerArgs } from './models/quantum-layer.js';
export { setupBackend, type BackendName } from './tf-kernels/backend.js';
export { buildCircuit, QUANTUM_LAYER_SCHEMA, type QuantumLayerSpec, type EmbeddingSpec, type AnsatzSpec, type MeasureSpec } from './models/quantum-spec.js';
export { buildModel, countParams, type LayerConfig } from './models/build.js';
export * as quantumTrain from './models/quantum-train/index.js';
export * as resnet from './models/resnet/index.js';
export { loadInitialWeights, readWeightsFile, InitialWeightsError } from './models/initial-weights.js';
export * as training from './train/index.js';
export * as data from './data/index.js';
