// A tiny Quantum-Train config for run, sweep and CLI tests.

/** Circles (2 + 1 noise features) with a generated Dense(3→6, tanh) → Dense(6→2): 38 weights, 6 qubits. */
export function qtConfig(epochs = 4, name = 'qt-tiny'): string {
  return `name: ${name}
seed: 3
data:
  type: circles
  samples: 160
  noise: 0.05
  noiseFeatures: 1
  split: { train: 100, val: 30, test: 30 }
model:
  quantumTrain:
    target:
      layers:
        - dense: { units: 6, activation: tanh }
        - dense: { units: 2 }
    blocks: 2
    mapping: { hidden: [4, 8, 4] }
training:
  epochs: ${epochs}
  batchSize: 20
  optimizer: { type: adam, lr: 0.02, weightDecay: 1.0e-5, epsilon: 1.0e-6 }
  clipNorm: 10
  schedule: { type: reduce_on_plateau, factor: 0.5, patience: 2 }
`;
}
