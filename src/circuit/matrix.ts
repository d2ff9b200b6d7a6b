// Small dense complex matrices (row-major, split real/imaginary parts). Used to declare gates,
// to validate user unitaries, and by tests as the reference the fast kernels are checked against.

export interface ComplexMatrix {
  readonly dim: number;
  readonly re: Float64Array;
  readonly im: Float64Array;
}

/** Build from rows of [re, im] pairs or plain real numbers. */
export function cmat(rows: ReadonlyArray<ReadonlyArray<number | readonly [number, number]>>): ComplexMatrix {
  const dim = rows.length;
  const re = new Float64Array(dim * dim);
  const im = new Float64Array(dim * dim);
  rows.forEach((row, i) => {
    if (row.length !== dim) throw new RangeError(`matrix row ${i} has ${row.length} entries, expected ${dim}`);
    row.forEach((v, j) => {
      if (typeof v === 'number') re[i * dim + j] = v;
      else {
        re[i * dim + j] = v[0];
        im[i * dim + j] = v[1];
      }
    });
  });
  return { dim, re, im };
}

export function identity(dim: number): ComplexMatrix {
  const re = new Float64Array(dim * dim);
  for (let i = 0; i < dim; i++) re[i * dim + i] = 1;
  return { dim, re, im: new Float64Array(dim * dim) };
}

export function matmul(a: ComplexMatrix, b: ComplexMatrix): ComplexMatrix {
  const n = a.dim;
  if (b.dim !== n) throw new RangeError(`matmul: dimensions ${n} and ${b.dim} differ`);
  const re = new Float64Array(n * n);
  const im = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < n; k++) {
      const ar = a.re[i * n + k];
      const ai = a.im[i * n + k];
      if (ar === 0 && ai === 0) continue;
      for (let j = 0; j < n; j++) {
        const br = b.re[k * n + j];
        const bi = b.im[k * n + j];
        re[i * n + j] += ar * br - ai * bi;
        im[i * n + j] += ar * bi + ai * br;
      }
    }
  }
  return { dim: n, re, im };
}

export function kron(a: ComplexMatrix, b: ComplexMatrix): ComplexMatrix {
  const n = a.dim * b.dim;
  const re = new Float64Array(n * n);
  const im = new Float64Array(n * n);
  for (let i = 0; i < a.dim; i++)
    for (let j = 0; j < a.dim; j++) {
      const ar = a.re[i * a.dim + j];
      const ai = a.im[i * a.dim + j];
      for (let k = 0; k < b.dim; k++)
        for (let l = 0; l < b.dim; l++) {
          const br = b.re[k * b.dim + l];
          const bi = b.im[k * b.dim + l];
          const r = i * b.dim + k;
          const col = j * b.dim + l;
          re[r * n + col] = ar * br - ai * bi;
          im[r * n + col] = ar * bi + ai * br;
        }
    }
  return { dim: n, re, im };
}

export function dagger(a: ComplexMatrix): ComplexMatrix {
  const n = a.dim;
  const re = new Float64Array(n * n);
  const im = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      re[j * n + i] = a.re[i * n + j];
      im[j * n + i] = -a.im[i * n + j];
    }
  return { dim: n, re, im };
}

/** Largest entry-wise modulus of a - b. */
export function maxAbsDiff(a: ComplexMatrix, b: ComplexMatrix): number {
  let m = 0;
  for (let i = 0; i < a.re.length; i++) m = Math.max(m, Math.hypot(a.re[i] - b.re[i], a.im[i] - b.im[i]));
  return m;
}

/** Distance of U†U from the identity (0 for a unitary). */
export function unitarityError(a: ComplexMatrix): number {
  return maxAbsDiff(matmul(dagger(a), a), identity(a.dim));
}

/** Embed a k-wire gate matrix (wire order as listed) into the full n-wire space, wire 0 = MSB. */
export function embed(gate: ComplexMatrix, gateWires: readonly number[], numWires: number): ComplexMatrix {
  const d = 1 << numWires;
  const k = gateWires.length;
  const re = new Float64Array(d * d);
  const im = new Float64Array(d * d);
  const sub = (i: number): number => {
    let s = 0;
    for (let q = 0; q < k; q++) s = (s << 1) | ((i >> (numWires - 1 - gateWires[q])) & 1);
    return s;
  };
  let mask = 0;
  for (const wire of gateWires) mask |= 1 << (numWires - 1 - wire);
  for (let r = 0; r < d; r++)
    for (let col = 0; col < d; col++) {
      if ((r & ~mask) !== (col & ~mask)) continue;
      const g = sub(r) * gate.dim + sub(col);
      re[r * d + col] = gate.re[g];
      im[r * d + col] = gate.im[g];
    }
  return { dim: d, re, im };
}
