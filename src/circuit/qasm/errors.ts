// The importer's error: every message starts with `file:line:column:`.

import { EntangleError } from '../../util/errors.js';

export class QasmError extends EntangleError {
  override name = 'QasmError';
  constructor(
    readonly fileName: string,
    readonly line: number,
    readonly column: number,
    readonly detail: string,
  ) {
    super('E_QASM', `${fileName}:${line}:${column}: ${detail}`);
  }
}
