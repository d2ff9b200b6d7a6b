// The server's errors. A request error carries the HTTP status it is answered with; its `code`
// and message go back to the client as `{"error": {"code", "message"}}`.

import { EntangleError } from '../util/errors.js';

/** A request the server refuses: answered with `status`, never a crash. */
export class ServeRequestError extends EntangleError {
  override name = 'ServeRequestError';
  readonly status: number;
  constructor(status: number, code: string, message: string) {
    super(code, message);
    this.status = status;
  }
}

/** The server cannot start (bad options, port in use, a scorer that breaks its contract). */
export class ServeStartError extends EntangleError {
  override name = 'ServeStartError';
  constructor(message: string, code = 'E_SERVE_START') {
    super(code, message);
  }
}
