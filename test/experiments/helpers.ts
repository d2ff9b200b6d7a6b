// A tiny experiment config for report and CLI tests: circles, a few epochs, tiny layers.

export function tinyConfigText(options: { name?: string; epochs?: number; quantum?: boolean; samples?: number } = {}): string {
  const quantum = options.quantum
    ? `    - dense: { units: 2, activation: tanh }
    - quantum: { wires: 2, ansatz: { type: basic_entangler, layers: 1 } }
`
    : '';
  return `name: ${options.name ?? 'tiny'}
seed: 5
data:
  type: circles
  samples: ${options.samples ?? 120}
  noise: 0.05
  noiseFeatures: 1
  split: { train: 80, val: 20, test: 20 }
model:
  layers:
${quantum}    - dense: { units: 8, activation: relu }
    - dense: { units: 2 }
training:
  epochs: ${options.epochs ?? 3}
  batchSize: 16
  optimizer: { type: adam, lr: 0.05 }
  paramGroups: { quantum: { lr: 0.1 } }
`;
}
