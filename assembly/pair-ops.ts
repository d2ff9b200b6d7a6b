// Inline building blocks shared by the engine's WebAssembly kernels (engine-kernels.ts, one
// thread) and their range versions over a shared memory (split-kernels.ts, one state split
// across threads): the enumeration of amplitude groups and the per-pair rotation and matrix
// steps. Both modules inline these, so one formula serves both and their states agree bit for bit.
//
// Fixed bits: f (1…3) positions f0 < f1 < f2; see engine-kernels.ts for the layout.

@inline
export function groupBase(k: u32, f: i32, low: i32, f1: i32, f2: i32): u32 {
  let x: u32 = k << (<u32>low + 1);
  if (f > 1) x = ((x >>> <u32>f1) << (<u32>f1 + 1)) | (x & ((<u32>1 << <u32>f1) - 1));
  if (f > 2) x = ((x >>> <u32>f2) << (<u32>f2 + 1)) | (x & ((<u32>1 << <u32>f2) - 1));
  return x;
}

// One rotation step on a pair (e, e + tOff), given the loaded values, per axis; s carries the sign
// (the inverse is the same step with −s). `V` versions: two elements per f64x2; `S`: one f64.
// The forward kernel applies them; the adjoint applies them with −s to ψ and to λ.

@inline
export function rotXV(pr: usize, pi: usize, tOff: usize, c: v128, s: v128, r0: v128, i0: v128, r1: v128, i1: v128): void {
  v128.store(pr, f64x2.add(f64x2.mul(c, r0), f64x2.mul(s, i1)));
  v128.store(pi, f64x2.sub(f64x2.mul(c, i0), f64x2.mul(s, r1)));
  v128.store(pr + tOff, f64x2.add(f64x2.mul(c, r1), f64x2.mul(s, i0)));
  v128.store(pi + tOff, f64x2.sub(f64x2.mul(c, i1), f64x2.mul(s, r0)));
}

@inline
export function rotYV(pr: usize, pi: usize, tOff: usize, c: v128, s: v128, r0: v128, i0: v128, r1: v128, i1: v128): void {
  v128.store(pr, f64x2.sub(f64x2.mul(c, r0), f64x2.mul(s, r1)));
  v128.store(pi, f64x2.sub(f64x2.mul(c, i0), f64x2.mul(s, i1)));
  v128.store(pr + tOff, f64x2.add(f64x2.mul(s, r0), f64x2.mul(c, r1)));
  v128.store(pi + tOff, f64x2.add(f64x2.mul(s, i0), f64x2.mul(c, i1)));
}

@inline
export function rotZV(pr: usize, pi: usize, tOff: usize, c: v128, s: v128, r0: v128, i0: v128, r1: v128, i1: v128): void {
  v128.store(pr, f64x2.add(f64x2.mul(c, r0), f64x2.mul(s, i0)));
  v128.store(pi, f64x2.sub(f64x2.mul(c, i0), f64x2.mul(s, r0)));
  v128.store(pr + tOff, f64x2.sub(f64x2.mul(c, r1), f64x2.mul(s, i1)));
  v128.store(pi + tOff, f64x2.add(f64x2.mul(c, i1), f64x2.mul(s, r1)));
}

@inline
export function rotPV(pr: usize, pi: usize, tOff: usize, c: v128, s: v128, r1: v128, i1: v128): void {
  v128.store(pr + tOff, f64x2.sub(f64x2.mul(c, r1), f64x2.mul(s, i1)));
  v128.store(pi + tOff, f64x2.add(f64x2.mul(c, i1), f64x2.mul(s, r1)));
}

@inline
export function rotS(axis: i32, pr: usize, pi: usize, tOff: usize, c: f64, s: f64, r0: f64, i0: f64, r1: f64, i1: f64): void {
  if (axis == 0) {
    store<f64>(pr, c * r0 + s * i1); store<f64>(pi, c * i0 - s * r1);
    store<f64>(pr + tOff, c * r1 + s * i0); store<f64>(pi + tOff, c * i1 - s * r0);
  } else if (axis == 1) {
    store<f64>(pr, c * r0 - s * r1); store<f64>(pi, c * i0 - s * i1);
    store<f64>(pr + tOff, s * r0 + c * r1); store<f64>(pi + tOff, s * i0 + c * i1);
  } else if (axis == 2) {
    store<f64>(pr, c * r0 + s * i0); store<f64>(pi, c * i0 - s * r0);
    store<f64>(pr + tOff, c * r1 - s * i1); store<f64>(pi + tOff, c * i1 + s * r1);
  } else {
    store<f64>(pr + tOff, c * r1 - s * i1); store<f64>(pi + tOff, c * i1 + s * r1);
  }
}

@inline
export function cmulAdd(ar: v128, ai: v128, xr: v128, xi: v128, br: v128, bi: v128, yr: v128, yi: v128, imag: bool): v128 {
  // Real part (imag = false) or imaginary part of a·x + b·y for complex scalars a, b (splatted).
  return imag
    ? f64x2.add(f64x2.add(f64x2.mul(ar, xi), f64x2.mul(ai, xr)), f64x2.add(f64x2.mul(br, yi), f64x2.mul(bi, yr)))
    : f64x2.sub(f64x2.add(f64x2.mul(ar, xr), f64x2.mul(br, yr)), f64x2.add(f64x2.mul(ai, xi), f64x2.mul(bi, yi)));
}
