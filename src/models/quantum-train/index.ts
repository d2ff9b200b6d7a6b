// Quantum-Train, the model family: a circuit + mapping network that generate every weight of a
// classical target network (see examples/quantum-train/README.md).
//
//   const model = buildQuantumTrainModel({ blocks: 16 }, { inputShape: [28, 28, 1], classes: 10, seed: 0 });
//   // … train it like any tf.LayersModel (the trainer puts the angles in the quantum group) …
//   await exportGeneratedModel(model, 'out/generated');   // the CNN alone, plain tfjs layers
//
// Any tf.Sequential of Conv2D / pooling / Flatten / Dense / Activation layers can be the target:
//   buildQuantumTrainModel({ target: { steps: stepsFromModel(myModel).steps, inputShape } }, …)

export { buildQuantumTrainModel, exportGeneratedModel, generatedModel, generatedWeights, quantumTrainCounts, quantumTrainParts } from './model.js';
export type { QuantumTrainBuildOptions, QuantumTrainCounts, QuantumTrainParts } from './model.js';
export { resolveQuantumTrain, circuitParamCount, mappingParamCount, QT_ANSATZES, QT_DEFAULTS } from './spec.js';
export type { QuantumTrainSpec, ResolvedQuantumTrain, QtAnsatz } from './spec.js';
export { buildTargetModel, runTarget, stepsFromModel, targetParamCount, targetPreset, targetWeights, TARGET_PRESETS } from './target.js';
export type { TargetNet, TargetStep, TargetPreset } from './target.js';
export { QTCircuitLayer, QTMappingLayer, QTTargetLayer, quantumTrainCircuit } from './layers.js';
export { basisFeatures, mappingForward, scaleProbabilities } from './mapping.js';
