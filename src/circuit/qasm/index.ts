// OpenQASM 2 / 3: import (lexer → parser → lowering, with the standard-gate library derived from
// the gate table) and OpenQASM 3 export.
export { parseQasm, QasmError, type QasmImport, type QasmImportOptions } from './import.js';
export { toQasm3, QasmExportError, u3Angles, QASM_EXPORTABLE_GATES, type QasmExportOptions, type QasmBind } from './export.js';
export { BUILTINS as QASM_BUILTIN_GATES, type Builtin as QasmBuiltinGate } from './stdgates.js';
