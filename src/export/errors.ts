import { EntangleError } from '../util/errors.js';

/** Bad export request or a failed equivalence check; the message names the option, gate or file. */
export class ExportError extends EntangleError {
  override name = 'ExportError';
  constructor(message: string) {
    super('E_EXPORT', message);
  }
}
