// Entangle: hybrid quantum–classical machine learning for TypeScript.
export * from './circuit/index.js';
export * from './engine/index.js';
