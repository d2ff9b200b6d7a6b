// Orchestration: one run (config → data → model → trainer → run folder), comparisons of several
// configs on one split, sweeps over a field, gradient-method checks and finite-shot evaluation.
export * from './run.js';
export * from './compare.js';
export * from './sweep.js';
export * from './grad-check.js';
export * from './shots-eval.js';
export * from './quantum-train.js';
