// Random unitaries for tests, built independently of the engine: Gram–Schmidt orthonormalization
// of a matrix of seeded Gaussian entries (the Q of its QR decomposition, Haar-like up to phases).

import type { ComplexMatrix } from '../../src/circuit/index.js';
import { Rng } from '../../src/engine/index.js';

/** A random dim×dim unitary from `seed` (row-major, split real/imaginary parts). */
export function randomUnitary(dim: number, seed: number): ComplexMatrix {
  const rng = new Rng(seed);
  // Columns as complex vectors; made orthonormal one after another.
  const cols: Array<{ re: number[]; im: number[] }> = [];
  for (let j = 0; j < dim; j++) {
    const v = { re: Array.from({ length: dim }, () => rng.normal()), im: Array.from({ length: dim }, () => rng.normal()) };
    for (const u of cols) {
      // v -= <u, v> u, with <u, v> = Σ conj(u_i) v_i.
      let pr = 0;
      let pi = 0;
      for (let i = 0; i < dim; i++) {
        pr += u.re[i] * v.re[i] + u.im[i] * v.im[i];
        pi += u.re[i] * v.im[i] - u.im[i] * v.re[i];
      }
      for (let i = 0; i < dim; i++) {
        v.re[i] -= pr * u.re[i] - pi * u.im[i];
        v.im[i] -= pr * u.im[i] + pi * u.re[i];
      }
    }
    const norm = Math.sqrt(v.re.reduce((s, r, i) => s + r * r + v.im[i] * v.im[i], 0));
    // A Gaussian column almost never lies in the span of the others; fail loudly if it does.
    if (!(norm > 1e-6)) throw new Error(`randomUnitary(${dim}, ${seed}): degenerate draw, pick another seed`);
    cols.push({ re: v.re.map((r) => r / norm), im: v.im.map((m) => m / norm) });
  }
  const re = new Float64Array(dim * dim);
  const im = new Float64Array(dim * dim);
  for (let i = 0; i < dim; i++)
    for (let j = 0; j < dim; j++) {
      re[i * dim + j] = cols[j].re[i];
      im[i * dim + j] = cols[j].im[i];
    }
  return { dim, re, im };
}
