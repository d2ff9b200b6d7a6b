// The library's error base: every error we raise on purpose carries a stable `code` that
// programs can branch on, and a message that names the problem and the fix.

export class EntangleError extends Error {
  override name = 'EntangleError';
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}
