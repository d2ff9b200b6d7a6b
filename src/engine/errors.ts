// Errors the engine raises for bad input (shapes, values, circuits too large for memory).

import { EntangleError } from '../util/errors.js';

export class EngineInputError extends EntangleError {
  override name = 'EngineInputError';
  /** `code` defaults to ENGINE_INPUT; sizing failures use STATE_TOO_LARGE and STATE_ARRAY_TOO_LONG. */
  constructor(message: string, code = 'ENGINE_INPUT') {
    super(code, message);
  }
}
