// The library's base error. Every error that reports bad user input (a circuit, an OpenQASM
// program, an observable, ...) extends it, so callers can catch one type and branch on a stable
// `code` rather than on message text. Imports nothing of ours: anyone may import it.

/** Stable error codes; one per area whose input the library checks. */
export type EntangleErrorCode = 'E_CIRCUIT' | 'E_QASM' | 'E_QASM_EXPORT' | 'E_OBSERVABLE' | (string & {});

export class EntangleError extends Error {
  override name = 'EntangleError';
  readonly code: EntangleErrorCode;
  constructor(code: EntangleErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}
