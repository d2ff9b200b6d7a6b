// Text observables: `0.5*X0 Z2 + Z1 - 2`. A sum of terms joined by + or -; a term is an optional
// coefficient followed by `*` and Pauli factors (letter + wire), or a bare coefficient (a multiple
// of the identity). Factors may also be joined by `@` (PennyLane's tensor product).

import { ObservableError, type Observable, type PauliLetter, type PauliTerm } from './observables.js';

const NUMBER = /^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/;
const FACTOR = /^([XYZxyz])\s*(\d+)/;

/**
 * Parse an observable. With `numWires`, wires outside 0..numWires-1 are refused.
 * Errors are ObservableErrors (code 'E_OBSERVABLE') naming the character position and what was
 * expected there; nothing else escapes.
 */
export function parseObservable(text: string, numWires?: number): Observable {
  const src = text;
  let pos = 0;
  const fail = (msg: string): never => {
    throw new ObservableError(`observable "${src}": ${msg} at character ${pos + 1}`);
  };
  const skip = (): void => {
    while (pos < src.length && /\s/.test(src[pos])) pos++;
  };
  const terms: PauliTerm[] = [];
  skip();
  if (pos >= src.length) fail('empty observable; expected terms such as "Z0" or "0.5*X0 Z1"');
  let sign = 1;
  if (src[pos] === '+' || src[pos] === '-') {
    sign = src[pos] === '-' ? -1 : 1;
    pos++;
    skip();
  }
  while (true) {
    let coeff = sign;
    let hasCoeff = false;
    const num = NUMBER.exec(src.slice(pos));
    if (num) {
      const value = Number(num[0]);
      // 1e400 reads as Infinity, which would poison every expectation silently.
      if (!Number.isFinite(value)) fail(`coefficient ${num[0]} is not a finite number`);
      coeff *= value;
      pos += num[0].length;
      hasCoeff = true;
      skip();
      if (src[pos] === '*') {
        pos++;
        skip();
      } else if (pos < src.length && src[pos] !== '+' && src[pos] !== '-') {
        fail(`expected "*" between the coefficient and the Pauli factors`);
      }
    }
    const factors: Array<{ pauli: PauliLetter; wire: number }> = [];
    while (pos < src.length) {
      const f = FACTOR.exec(src.slice(pos));
      if (!f) break;
      const wire = Number(f[2]);
      if (!Number.isSafeInteger(wire)) fail(`wire ${f[2]} is not a usable wire index`);
      if (numWires !== undefined && wire >= numWires) fail(`wire ${wire} is out of range (the circuit has wires 0..${numWires - 1})`);
      if (factors.some((g) => g.wire === wire)) fail(`wire ${wire} appears twice in one Pauli word`);
      factors.push({ pauli: f[1].toUpperCase() as PauliLetter, wire });
      pos += f[0].length;
      skip();
      if (src[pos] === '@') {
        pos++;
        skip();
        if (!FACTOR.test(src.slice(pos))) fail('expected a Pauli factor such as X0 after "@"');
      }
    }
    if (!hasCoeff && factors.length === 0) fail('expected a coefficient or a Pauli factor such as X0, Y1, Z2');
    if (hasCoeff && factors.length === 0 && src[pos - 1] === '*') fail('expected Pauli factors after "*"');
    terms.push({ coeff, factors });
    skip();
    if (pos >= src.length) break;
    if (src[pos] !== '+' && src[pos] !== '-') fail(`unexpected "${src[pos]}"; terms are joined by + or -`);
    sign = src[pos] === '-' ? -1 : 1;
    pos++;
    skip();
    if (pos >= src.length) fail('expected a term after the sign');
  }
  return { terms };
}
