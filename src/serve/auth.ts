// Bearer-token check. Both sides are hashed to 32 bytes before the constant-time comparison, so
// neither the time taken nor an early length mismatch tells a caller how much of a guess was right
// (timingSafeEqual itself requires equal lengths and would leak the token's length).

import { createHash, timingSafeEqual } from 'node:crypto';
import { ServeStartError } from './errors.js';

const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

/** A checker of `Authorization` headers against `token`. */
export function bearerChecker(token: string): (authorization: string | undefined) => boolean {
  if (!/^[\x21-\x7e]+$/.test(token)) throw new ServeStartError('the bearer token (--token or $ENTANGLE_TOKEN) must be non-empty printable ASCII without spaces: it is sent as "Authorization: Bearer TOKEN"', 'E_SERVE_TOKEN');
  const expected = digest(token);
  return (authorization) => {
    const match = /^Bearer +(\S+) *$/i.exec(authorization ?? '');
    // Hash something even without a token, so a missing header costs the same as a wrong one.
    return timingSafeEqual(digest(match?.[1] ?? ''), expected) && match !== null;
  };
}
