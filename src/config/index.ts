// Experiment configs: YAML in, validated and resolved ExperimentConfig out.
export * from './types.js';
export * from './errors.js';
export * from './overrides.js';
export * from './schema.js';
export * from './load.js';
export * from './save.js';
