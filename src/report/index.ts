// Summaries, markdown reports, plots and decision-boundary grids: what a run folder shows a person.
// Running experiments lives in ../experiments/, saving models beside the models in ../models/.
export * from './summary.js';
export * from './plots.js';
export * from './decision-boundary.js';
export * from './report-md.js';
