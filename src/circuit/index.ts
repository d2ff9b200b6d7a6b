// The circuit model: gates, parameters, templates, observables and measurements.
export * from './params.js';
export * from './expr.js';
export * from './matrix.js';
export * from './gates.js';
export * from './circuit.js';
export * from './templates.js';
export * from './observables.js';
export * from './observable-parse.js';
export * from './measurements.js';
export { toQasm3, QasmExportError, type QasmExportOptions, type QasmBind } from './qasm/export.js';
export { parseQasm, QasmError, type QasmImport, type QasmImportOptions } from './qasm/import.js';
export { drawCircuit, type DrawOptions } from './draw.js';
export { drawCircuitSvg, type SvgDrawOptions } from './draw-svg.js';
