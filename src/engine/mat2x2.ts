// 2×2 complex matrices as 8 numbers [r00, i00, r01, i01, r10, i10, r11, i11] in caller-owned
// Float64Arrays (no allocation): products, adjoints, and the matrices of rotation primitives.

import { Axis } from './primitive.js';

/** out = a · b (out must not alias a or b). */
export function mul2(a: Float64Array, b: Float64Array, out: Float64Array): void {
  for (let i = 0; i < 2; i++)
    for (let j = 0; j < 2; j++) {
      let r = 0;
      let m = 0;
      for (let k = 0; k < 2; k++) {
        const ar = a[(2 * i + k) * 2], ai = a[(2 * i + k) * 2 + 1];
        const br = b[(2 * k + j) * 2], bi = b[(2 * k + j) * 2 + 1];
        r += ar * br - ai * bi;
        m += ar * bi + ai * br;
      }
      out[(2 * i + j) * 2] = r;
      out[(2 * i + j) * 2 + 1] = m;
    }
}

/** out = a† (out must not alias a). */
export function dagger2(a: Float64Array, out: Float64Array): void {
  out[0] = a[0]; out[1] = -a[1];
  out[2] = a[4]; out[3] = -a[5];
  out[4] = a[2]; out[5] = -a[3];
  out[6] = a[6]; out[7] = -a[7];
}

export function identity2(out: Float64Array): void {
  out.fill(0, 0, 8);
  out[0] = 1;
  out[6] = 1;
}

/** Matrix of a rotation primitive: exp(−iασ/2) for X, Y, Z; diag(1, e^{iα}) for P. */
export function rotationMatrix(axis: Axis, a: number, out: Float64Array): void {
  if (axis === Axis.P) {
    identity2(out);
    out[6] = Math.cos(a);
    out[7] = Math.sin(a);
    return;
  }
  const c = Math.cos(a / 2);
  const s = Math.sin(a / 2);
  out.fill(0, 0, 8);
  out[0] = c;
  out[6] = c;
  if (axis === Axis.X) {
    out[3] = -s;
    out[5] = -s;
  } else if (axis === Axis.Y) {
    out[2] = -s;
    out[4] = s;
  } else {
    out[1] = -s;
    out[7] = s;
  }
}

/** T = dU/dα · U† of a rotation primitive: −i σ/2 for X, Y, Z; i|1⟩⟨1| for P. */
export function rotationTangent(axis: Axis, out: Float64Array): void {
  out.fill(0, 0, 8);
  switch (axis) {
    case Axis.X: out[3] = -0.5; out[5] = -0.5; break;
    case Axis.Y: out[2] = -0.5; out[4] = 0.5; break;
    case Axis.Z: out[1] = -0.5; out[7] = 0.5; break;
    default: out[7] = 1;
  }
}
