// Run folders, reports and comparisons.
export * from './summary.js';
export * from './plots.js';
export * from './decision-boundary.js';
export * from './report-md.js';
export * from './save-model.js';
export * from './run.js';
export * from './compare.js';
