// WebAssembly SIMD kernels for the engine's hot paths: rotations, 2×2 matrices and X permutations,
// with angles shared by the batch or per sample (AssemblyScript source).
//
// Built by `npm run build:wasm` into src/engine/wasm/kernels-binary.ts (base64, committed), and
// used by src/engine/wasm/backend.ts when the state arrays live in a kernel instance's memory.
// Each function mirrors a JavaScript kernel of src/engine (same layout, same enumeration, same
// formulas); the JavaScript versions stay the reference and the fallback, and a test checks that
// both give the same states and gradients on random circuits.
//
// Layout (see src/engine/kernels.ts): element e of a state is re[e] + i·im[e], e = amplitude·B + b.
// Arguments are byte addresses into memory for arrays and element counts otherwise. A gate pairs
// elements e and e + tOff inside runs of runE = 2^low·B consecutive elements; when runE is even,
// the inner loop handles two consecutive elements per f64x2 lane pair (the pairs stay independent).
//
// Fixed bits: f (1…3) positions f0 < f1 < f2, as in groupBase; callers fall back to JavaScript
// when a primitive has more fixed bits.

// Axis codes (src/engine/program.ts): X = 0, Y = 1, Z = 2, P = 3.
//
// No static data and no allocation here (stub runtime, no strings, abort off): the whole memory
// belongs to the caller, which keeps scratch at byte 0 and the arrays from 64 KiB on. A change
// that adds data segments must move those (src/engine/wasm/backend.ts).

import { cmulAdd, groupBase, rotPV, rotS, rotXV, rotYV, rotZV } from './pair-ops';

/** Rotation about `axis` with coefficients c, s (s carries the sign of the inverse). */
export function rotShared(
  re: usize, im: usize, B: i32, dim: i32, axis: i32, tbit: i32, mask: i32,
  f: i32, f0: i32, f1: i32, f2: i32, c: f64, s: f64,
): void {
  const runE = (<u32>1 << <u32>f0) * <u32>B;
  const outer = <u32>dim >>> (<u32>f + <u32>f0);
  const tOff = <usize>((<u32>1 << <u32>tbit) * <u32>B) << 3;
  const vc = f64x2.splat(c);
  const vs = f64x2.splat(s);
  const bytes = <usize>runE << 3;
  for (let k: u32 = 0; k < outer; k++) {
    const a0 = <usize>((groupBase(k, f, f0, f1, f2) | <u32>mask) * <u32>B) << 3;
    let pr = re + a0;
    let pi = im + a0;
    const end = pr + bytes;
    if ((runE & 1) == 0) {
      // One loop per axis, so the inner loops carry no branch.
      if (axis == 0) {
        for (; pr < end; pr += 16, pi += 16) rotXV(pr, pi, tOff, vc, vs, v128.load(pr), v128.load(pi), v128.load(pr + tOff), v128.load(pi + tOff));
      } else if (axis == 1) {
        for (; pr < end; pr += 16, pi += 16) rotYV(pr, pi, tOff, vc, vs, v128.load(pr), v128.load(pi), v128.load(pr + tOff), v128.load(pi + tOff));
      } else if (axis == 2) {
        for (; pr < end; pr += 16, pi += 16) rotZV(pr, pi, tOff, vc, vs, v128.load(pr), v128.load(pi), v128.load(pr + tOff), v128.load(pi + tOff));
      } else {
        for (; pr < end; pr += 16, pi += 16) rotPV(pr, pi, tOff, vc, vs, v128.load(pr + tOff), v128.load(pi + tOff));
      }
      continue;
    }
    for (; pr < end; pr += 8, pi += 8) {
      rotS(axis, pr, pi, tOff, c, s, load<f64>(pr), load<f64>(pi), load<f64>(pr + tOff), load<f64>(pi + tOff));
    }
  }
}

/**
 * adjRotShared's SIMD loop over one run of `bytes` bytes (two elements per step): adds the
 * generator overlap Im⟨λ|G|ψ⟩ into vacc and un-applies the rotation to ψ and λ. Inlined with a
 * constant axis, each copy keeps only its own branch.
 */
@inline
function adjRotRun(
  axis: i32, pre: usize, pim: usize, lre: usize, lim: usize, bytes: usize, tOff: usize, vc: v128, vn: v128, vacc: v128,
): v128 {
  for (let o: usize = 0; o < bytes; o += 16) {
    const pr0 = v128.load(pre + o), pi0 = v128.load(pim + o), pr1 = v128.load(pre + o + tOff), pi1 = v128.load(pim + o + tOff);
    const lr0 = v128.load(lre + o), li0 = v128.load(lim + o), lr1 = v128.load(lre + o + tOff), li1 = v128.load(lim + o + tOff);
    if (axis == 0) {
      vacc = f64x2.add(vacc, f64x2.sub(f64x2.add(f64x2.mul(lr0, pi1), f64x2.mul(lr1, pi0)), f64x2.add(f64x2.mul(li0, pr1), f64x2.mul(li1, pr0))));
      rotXV(pre + o, pim + o, tOff, vc, vn, pr0, pi0, pr1, pi1);
      rotXV(lre + o, lim + o, tOff, vc, vn, lr0, li0, lr1, li1);
    } else if (axis == 1) {
      vacc = f64x2.add(vacc, f64x2.sub(f64x2.add(f64x2.mul(lr1, pr0), f64x2.mul(li1, pi0)), f64x2.add(f64x2.mul(lr0, pr1), f64x2.mul(li0, pi1))));
      rotYV(pre + o, pim + o, tOff, vc, vn, pr0, pi0, pr1, pi1);
      rotYV(lre + o, lim + o, tOff, vc, vn, lr0, li0, lr1, li1);
    } else if (axis == 2) {
      vacc = f64x2.add(vacc, f64x2.sub(f64x2.add(f64x2.mul(lr0, pi0), f64x2.mul(li1, pr1)), f64x2.add(f64x2.mul(li0, pr0), f64x2.mul(lr1, pi1))));
      rotZV(pre + o, pim + o, tOff, vc, vn, pr0, pi0, pr1, pi1);
      rotZV(lre + o, lim + o, tOff, vc, vn, lr0, li0, lr1, li1);
    } else {
      vacc = f64x2.add(vacc, f64x2.sub(f64x2.mul(lr1, pi1), f64x2.mul(li1, pr1)));
      rotPV(pre + o, pim + o, tOff, vc, vn, pr1, pi1);
      rotPV(lre + o, lim + o, tOff, vc, vn, lr1, li1);
    }
  }
  return vacc;
}

/**
 * Adjoint step of a shared-angle rotation (rotation-kernels.ts adjointRotate, n = 1): returns the
 * generator overlap summed over the batch, and un-applies the gate (c, s: the forward's) to ψ and λ.
 */
export function adjRotShared(
  pre: usize, pim: usize, lre: usize, lim: usize, B: i32, dim: i32, axis: i32, tbit: i32, mask: i32,
  f: i32, f0: i32, f1: i32, f2: i32, c: f64, s: f64,
): f64 {
  const runE = (<u32>1 << <u32>f0) * <u32>B;
  const outer = <u32>dim >>> (<u32>f + <u32>f0);
  const tOff = <usize>((<u32>1 << <u32>tbit) * <u32>B) << 3;
  const vc = f64x2.splat(c);
  const vn = f64x2.splat(-s); // un-applying: the forward step with −s
  const bytes = <usize>runE << 3;
  let vacc = f64x2.splat(0);
  let acc: f64 = 0;
  for (let k: u32 = 0; k < outer; k++) {
    const a0 = <usize>((groupBase(k, f, f0, f1, f2) | <u32>mask) * <u32>B) << 3;
    let o: usize = 0;
    if ((runE & 1) == 0) {
      // One loop per axis (adjRotRun inlined with a constant axis), so the inner loops carry no branch.
      if (axis == 0) vacc = adjRotRun(0, pre + a0, pim + a0, lre + a0, lim + a0, bytes, tOff, vc, vn, vacc);
      else if (axis == 1) vacc = adjRotRun(1, pre + a0, pim + a0, lre + a0, lim + a0, bytes, tOff, vc, vn, vacc);
      else if (axis == 2) vacc = adjRotRun(2, pre + a0, pim + a0, lre + a0, lim + a0, bytes, tOff, vc, vn, vacc);
      else vacc = adjRotRun(3, pre + a0, pim + a0, lre + a0, lim + a0, bytes, tOff, vc, vn, vacc);
      continue;
    }
    for (; o < bytes; o += 8) {
      const e = a0 + o;
      const e1 = e + tOff;
      const pr0 = load<f64>(pre + e), pi0 = load<f64>(pim + e), pr1 = load<f64>(pre + e1), pi1 = load<f64>(pim + e1);
      const lr0 = load<f64>(lre + e), li0 = load<f64>(lim + e), lr1 = load<f64>(lre + e1), li1 = load<f64>(lim + e1);
      if (axis == 0) acc += lr0 * pi1 - li0 * pr1 + lr1 * pi0 - li1 * pr0;
      else if (axis == 1) acc += lr1 * pr0 + li1 * pi0 - lr0 * pr1 - li0 * pi1;
      else if (axis == 2) acc += lr0 * pi0 - li0 * pr0 - lr1 * pi1 + li1 * pr1;
      else acc += lr1 * pi1 - li1 * pr1;
      rotS(axis, pre + e, pim + e, tOff, c, -s, pr0, pi0, pr1, pi1);
      rotS(axis, lre + e, lim + e, tOff, c, -s, lr0, li0, lr1, li1);
    }
  }
  return acc + f64x2.extract_lane(vacc, 0) + f64x2.extract_lane(vacc, 1);
}

/** X on the target where the mask bits are set (X, CNOT, Toffoli), on one state (re2 = 0) or two. */
export function xpermPair(
  re: usize, im: usize, re2: usize, im2: usize, B: i32, dim: i32, tbit: i32, mask: i32,
  f: i32, f0: i32, f1: i32, f2: i32,
): void {
  const runE = (<u32>1 << <u32>f0) * <u32>B;
  const outer = <u32>dim >>> (<u32>f + <u32>f0);
  const tOff = <usize>((<u32>1 << <u32>tbit) * <u32>B) << 3;
  const bytes = <usize>runE << 3;
  const two = re2 != 0;
  for (let k: u32 = 0; k < outer; k++) {
    const a0 = <usize>((groupBase(k, f, f0, f1, f2) | <u32>mask) * <u32>B) << 3;
    // Two runs of `bytes` bytes swap places: a block move (memory.copy through a scratch run would
    // cost a third pass, so swap lanes directly).
    let o: usize = 0;
    if ((runE & 1) == 0) {
      for (; o < bytes; o += 16) {
        const e = a0 + o;
        const e1 = e + tOff;
        let t = v128.load(re + e); v128.store(re + e, v128.load(re + e1)); v128.store(re + e1, t);
        t = v128.load(im + e); v128.store(im + e, v128.load(im + e1)); v128.store(im + e1, t);
        if (two) {
          t = v128.load(re2 + e); v128.store(re2 + e, v128.load(re2 + e1)); v128.store(re2 + e1, t);
          t = v128.load(im2 + e); v128.store(im2 + e, v128.load(im2 + e1)); v128.store(im2 + e1, t);
        }
      }
      continue;
    }
    for (; o < bytes; o += 8) {
      const e = a0 + o;
      const e1 = e + tOff;
      let t = load<f64>(re + e); store<f64>(re + e, load<f64>(re + e1)); store<f64>(re + e1, t);
      t = load<f64>(im + e); store<f64>(im + e, load<f64>(im + e1)); store<f64>(im + e1, t);
      if (two) {
        t = load<f64>(re2 + e); store<f64>(re2 + e, load<f64>(re2 + e1)); store<f64>(re2 + e1, t);
        t = load<f64>(im2 + e); store<f64>(im2 + e, load<f64>(im2 + e1)); store<f64>(im2 + e1, t);
      }
    }
  }
}


/** A 2×2 complex matrix [[a, b], [c, d]], the same for every sample, on the target (kernels.ts mat1Shared). */
export function mat1Shared(
  re: usize, im: usize, B: i32, dim: i32, tbit: i32, mask: i32, f: i32, f0: i32, f1: i32, f2: i32,
  ar: f64, ai: f64, br: f64, bi: f64, cr: f64, ci: f64, dr: f64, di: f64,
): void {
  const runE = (<u32>1 << <u32>f0) * <u32>B;
  const outer = <u32>dim >>> (<u32>f + <u32>f0);
  const tOff = <usize>((<u32>1 << <u32>tbit) * <u32>B) << 3;
  const bytes = <usize>runE << 3;
  const var_ = f64x2.splat(ar), vai = f64x2.splat(ai), vbr = f64x2.splat(br), vbi = f64x2.splat(bi);
  const vcr = f64x2.splat(cr), vci = f64x2.splat(ci), vdr = f64x2.splat(dr), vdi = f64x2.splat(di);
  for (let k: u32 = 0; k < outer; k++) {
    const a0 = <usize>((groupBase(k, f, f0, f1, f2) | <u32>mask) * <u32>B) << 3;
    let o: usize = 0;
    if ((runE & 1) == 0) {
      for (; o < bytes; o += 16) {
        const e = a0 + o;
        const e1 = e + tOff;
        const r0 = v128.load(re + e), i0 = v128.load(im + e), r1 = v128.load(re + e1), i1 = v128.load(im + e1);
        v128.store(re + e, cmulAdd(var_, vai, r0, i0, vbr, vbi, r1, i1, false));
        v128.store(im + e, cmulAdd(var_, vai, r0, i0, vbr, vbi, r1, i1, true));
        v128.store(re + e1, cmulAdd(vcr, vci, r0, i0, vdr, vdi, r1, i1, false));
        v128.store(im + e1, cmulAdd(vcr, vci, r0, i0, vdr, vdi, r1, i1, true));
      }
      continue;
    }
    for (; o < bytes; o += 8) {
      const e = a0 + o;
      const e1 = e + tOff;
      const r0 = load<f64>(re + e), i0 = load<f64>(im + e), r1 = load<f64>(re + e1), i1 = load<f64>(im + e1);
      store<f64>(re + e, ar * r0 - ai * i0 + br * r1 - bi * i1);
      store<f64>(im + e, ar * i0 + ai * r0 + br * i1 + bi * r1);
      store<f64>(re + e1, cr * r0 - ci * i0 + dr * r1 - di * i1);
      store<f64>(im + e1, cr * i0 + ci * r0 + dr * i1 + di * r1);
    }
  }
}

/**
 * Adjoint step of a shared 2×2 matrix (fused-kernels.ts adjointMat1, n = 1): writes the overlap
 * S_ba = Σ ψ_b conj(λ_a) (8 numbers: 00, 01, 10, 11 as (b, a), re/im) at `sOut`, then applies the
 * inverse matrix [[a, b], [c, d]] to ψ and λ.
 */
export function adjMat1Shared(
  pre: usize, pim: usize, lre: usize, lim: usize, B: i32, dim: i32, tbit: i32, mask: i32,
  f: i32, f0: i32, f1: i32, f2: i32,
  ar: f64, ai: f64, br: f64, bi: f64, cr: f64, ci: f64, dr: f64, di: f64, sOut: usize,
): void {
  const runE = (<u32>1 << <u32>f0) * <u32>B;
  const outer = <u32>dim >>> (<u32>f + <u32>f0);
  const tOff = <usize>((<u32>1 << <u32>tbit) * <u32>B) << 3;
  const bytes = <usize>runE << 3;
  const var_ = f64x2.splat(ar), vai = f64x2.splat(ai), vbr = f64x2.splat(br), vbi = f64x2.splat(bi);
  const vcr = f64x2.splat(cr), vci = f64x2.splat(ci), vdr = f64x2.splat(dr), vdi = f64x2.splat(di);
  let s0r = f64x2.splat(0), s0i = f64x2.splat(0), s1r = f64x2.splat(0), s1i = f64x2.splat(0);
  let s2r = f64x2.splat(0), s2i = f64x2.splat(0), s3r = f64x2.splat(0), s3i = f64x2.splat(0);
  let t0r: f64 = 0, t0i: f64 = 0, t1r: f64 = 0, t1i: f64 = 0, t2r: f64 = 0, t2i: f64 = 0, t3r: f64 = 0, t3i: f64 = 0;
  for (let k: u32 = 0; k < outer; k++) {
    const a0 = <usize>((groupBase(k, f, f0, f1, f2) | <u32>mask) * <u32>B) << 3;
    let o: usize = 0;
    if ((runE & 1) == 0) {
      for (; o < bytes; o += 16) {
        const e = a0 + o;
        const e1 = e + tOff;
        const p0r = v128.load(pre + e), p0i = v128.load(pim + e), p1r = v128.load(pre + e1), p1i = v128.load(pim + e1);
        const l0r = v128.load(lre + e), l0i = v128.load(lim + e), l1r = v128.load(lre + e1), l1i = v128.load(lim + e1);
        s0r = f64x2.add(s0r, f64x2.add(f64x2.mul(p0r, l0r), f64x2.mul(p0i, l0i)));
        s0i = f64x2.add(s0i, f64x2.sub(f64x2.mul(p0i, l0r), f64x2.mul(p0r, l0i)));
        s1r = f64x2.add(s1r, f64x2.add(f64x2.mul(p0r, l1r), f64x2.mul(p0i, l1i)));
        s1i = f64x2.add(s1i, f64x2.sub(f64x2.mul(p0i, l1r), f64x2.mul(p0r, l1i)));
        s2r = f64x2.add(s2r, f64x2.add(f64x2.mul(p1r, l0r), f64x2.mul(p1i, l0i)));
        s2i = f64x2.add(s2i, f64x2.sub(f64x2.mul(p1i, l0r), f64x2.mul(p1r, l0i)));
        s3r = f64x2.add(s3r, f64x2.add(f64x2.mul(p1r, l1r), f64x2.mul(p1i, l1i)));
        s3i = f64x2.add(s3i, f64x2.sub(f64x2.mul(p1i, l1r), f64x2.mul(p1r, l1i)));
        v128.store(pre + e, cmulAdd(var_, vai, p0r, p0i, vbr, vbi, p1r, p1i, false));
        v128.store(pim + e, cmulAdd(var_, vai, p0r, p0i, vbr, vbi, p1r, p1i, true));
        v128.store(pre + e1, cmulAdd(vcr, vci, p0r, p0i, vdr, vdi, p1r, p1i, false));
        v128.store(pim + e1, cmulAdd(vcr, vci, p0r, p0i, vdr, vdi, p1r, p1i, true));
        v128.store(lre + e, cmulAdd(var_, vai, l0r, l0i, vbr, vbi, l1r, l1i, false));
        v128.store(lim + e, cmulAdd(var_, vai, l0r, l0i, vbr, vbi, l1r, l1i, true));
        v128.store(lre + e1, cmulAdd(vcr, vci, l0r, l0i, vdr, vdi, l1r, l1i, false));
        v128.store(lim + e1, cmulAdd(vcr, vci, l0r, l0i, vdr, vdi, l1r, l1i, true));
      }
      continue;
    }
    for (; o < bytes; o += 8) {
      const e = a0 + o;
      const e1 = e + tOff;
      const p0r = load<f64>(pre + e), p0i = load<f64>(pim + e), p1r = load<f64>(pre + e1), p1i = load<f64>(pim + e1);
      const l0r = load<f64>(lre + e), l0i = load<f64>(lim + e), l1r = load<f64>(lre + e1), l1i = load<f64>(lim + e1);
      t0r += p0r * l0r + p0i * l0i; t0i += p0i * l0r - p0r * l0i;
      t1r += p0r * l1r + p0i * l1i; t1i += p0i * l1r - p0r * l1i;
      t2r += p1r * l0r + p1i * l0i; t2i += p1i * l0r - p1r * l0i;
      t3r += p1r * l1r + p1i * l1i; t3i += p1i * l1r - p1r * l1i;
      store<f64>(pre + e, ar * p0r - ai * p0i + br * p1r - bi * p1i);
      store<f64>(pim + e, ar * p0i + ai * p0r + br * p1i + bi * p1r);
      store<f64>(pre + e1, cr * p0r - ci * p0i + dr * p1r - di * p1i);
      store<f64>(pim + e1, cr * p0i + ci * p0r + dr * p1i + di * p1r);
      store<f64>(lre + e, ar * l0r - ai * l0i + br * l1r - bi * l1i);
      store<f64>(lim + e, ar * l0i + ai * l0r + br * l1i + bi * l1r);
      store<f64>(lre + e1, cr * l0r - ci * l0i + dr * l1r - di * l1i);
      store<f64>(lim + e1, cr * l0i + ci * l0r + dr * l1i + di * l1r);
    }
  }
  store<f64>(sOut, t0r + f64x2.extract_lane(s0r, 0) + f64x2.extract_lane(s0r, 1));
  store<f64>(sOut + 8, t0i + f64x2.extract_lane(s0i, 0) + f64x2.extract_lane(s0i, 1));
  store<f64>(sOut + 16, t1r + f64x2.extract_lane(s1r, 0) + f64x2.extract_lane(s1r, 1));
  store<f64>(sOut + 24, t1i + f64x2.extract_lane(s1i, 0) + f64x2.extract_lane(s1i, 1));
  store<f64>(sOut + 32, t2r + f64x2.extract_lane(s2r, 0) + f64x2.extract_lane(s2r, 1));
  store<f64>(sOut + 40, t2i + f64x2.extract_lane(s2i, 0) + f64x2.extract_lane(s2i, 1));
  store<f64>(sOut + 48, t3r + f64x2.extract_lane(s3r, 0) + f64x2.extract_lane(s3r, 1));
  store<f64>(sOut + 56, t3i + f64x2.extract_lane(s3i, 0) + f64x2.extract_lane(s3i, 1));
}

// ---- Per-sample coefficients ---------------------------------------------------------------
// Angles that differ per sample (inputs: AngleEmbedding, IQP, ZZ maps, OpenQASM `input`s) and
// FUSED matrices that contain such an angle. The coefficients are B-long arrays in this memory
// (the caller copies them into KernelMemory.coefs), read two samples at a time: in the state's
// layout (e = amplitude·B + b) samples b and b + 1 of one amplitude are adjacent, so one f64x2
// lane pair is one amplitude of two samples, each with its own coefficients.
//
// Unlike the shared-angle kernels above, these evaluate every expression in the same order as
// the JavaScript kernels (rotation-kernels.ts rotate / adjointRotate with n = B, fused-kernels.ts
// mat1Batch / adjointMat1) and accumulate each sample in its own lane in the same order, so their
// results are the same bits as JavaScript's (no fused multiply-add in WebAssembly SIMD).

/** Rotation with per-sample c = cs[b], s = sign·cs[B + b] (cs: byte address of 2B float64s). */
export function rotBatch(
  re: usize, im: usize, B: i32, dim: i32, axis: i32, tbit: i32, mask: i32,
  f: i32, f0: i32, f1: i32, f2: i32, cs: usize, sign: f64,
): void {
  const rows = <u32>1 << <u32>f0;
  const outer = <u32>dim >>> (<u32>f + <u32>f0);
  const tOff = <usize>((<u32>1 << <u32>tbit) * <u32>B) << 3;
  const rowBytes = <usize>B << 3;
  const pairBytes = rowBytes & ~(<usize>15); // whole f64x2 lanes; an odd B leaves one sample
  const vsign = f64x2.splat(sign);
  const sAt = cs + rowBytes;
  for (let k: u32 = 0; k < outer; k++) {
    let row = <usize>((groupBase(k, f, f0, f1, f2) | <u32>mask) * <u32>B) << 3;
    for (let r: u32 = 0; r < rows; r++, row += rowBytes) {
      const pr = re + row, pi = im + row;
      let o: usize = 0;
      if (axis == 0) {
        for (; o < pairBytes; o += 16) rotXV(pr + o, pi + o, tOff, v128.load(cs + o), f64x2.mul(vsign, v128.load(sAt + o)), v128.load(pr + o), v128.load(pi + o), v128.load(pr + o + tOff), v128.load(pi + o + tOff));
      } else if (axis == 1) {
        for (; o < pairBytes; o += 16) rotYV(pr + o, pi + o, tOff, v128.load(cs + o), f64x2.mul(vsign, v128.load(sAt + o)), v128.load(pr + o), v128.load(pi + o), v128.load(pr + o + tOff), v128.load(pi + o + tOff));
      } else if (axis == 2) {
        for (; o < pairBytes; o += 16) rotZV(pr + o, pi + o, tOff, v128.load(cs + o), f64x2.mul(vsign, v128.load(sAt + o)), v128.load(pr + o), v128.load(pi + o), v128.load(pr + o + tOff), v128.load(pi + o + tOff));
      } else {
        for (; o < pairBytes; o += 16) rotPV(pr + o, pi + o, tOff, v128.load(cs + o), f64x2.mul(vsign, v128.load(sAt + o)), v128.load(pr + o + tOff), v128.load(pi + o + tOff));
      }
      if (o < rowBytes) {
        const p = pr + o, q = pi + o;
        rotS(axis, p, q, tOff, load<f64>(cs + o), sign * load<f64>(sAt + o), load<f64>(p), load<f64>(q), load<f64>(p + tOff), load<f64>(q + tOff));
      }
    }
  }
}

/**
 * adjRotBatch's SIMD loop over the sample pairs of one row (`pairBytes` bytes): the overlap of
 * each pair added at out, both states un-applied. Inlined with a constant axis.
 */
@inline
function adjRotBatchRun(
  axis: i32, pre: usize, pim: usize, lre: usize, lim: usize, pairBytes: usize, tOff: usize, cs: usize, sAt: usize, out: usize,
): void {
  for (let o: usize = 0; o < pairBytes; o += 16) {
    const c = v128.load(cs + o);
    const vn = f64x2.neg(v128.load(sAt + o)); // un-applying: the forward step with −s
    const pr0 = v128.load(pre + o), pi0 = v128.load(pim + o), pr1 = v128.load(pre + o + tOff), pi1 = v128.load(pim + o + tOff);
    const lr0 = v128.load(lre + o), li0 = v128.load(lim + o), lr1 = v128.load(lre + o + tOff), li1 = v128.load(lim + o + tOff);
    let g: v128;
    // The overlap in the JavaScript kernel's order of operations, then both un-applied.
    if (axis == 0) {
      g = f64x2.sub(f64x2.add(f64x2.sub(f64x2.mul(lr0, pi1), f64x2.mul(li0, pr1)), f64x2.mul(lr1, pi0)), f64x2.mul(li1, pr0));
      rotXV(pre + o, pim + o, tOff, c, vn, pr0, pi0, pr1, pi1);
      rotXV(lre + o, lim + o, tOff, c, vn, lr0, li0, lr1, li1);
    } else if (axis == 1) {
      g = f64x2.sub(f64x2.sub(f64x2.add(f64x2.mul(lr1, pr0), f64x2.mul(li1, pi0)), f64x2.mul(lr0, pr1)), f64x2.mul(li0, pi1));
      rotYV(pre + o, pim + o, tOff, c, vn, pr0, pi0, pr1, pi1);
      rotYV(lre + o, lim + o, tOff, c, vn, lr0, li0, lr1, li1);
    } else if (axis == 2) {
      g = f64x2.add(f64x2.sub(f64x2.sub(f64x2.mul(lr0, pi0), f64x2.mul(li0, pr0)), f64x2.mul(lr1, pi1)), f64x2.mul(li1, pr1));
      rotZV(pre + o, pim + o, tOff, c, vn, pr0, pi0, pr1, pi1);
      rotZV(lre + o, lim + o, tOff, c, vn, lr0, li0, lr1, li1);
    } else {
      g = f64x2.sub(f64x2.mul(lr1, pi1), f64x2.mul(li1, pr1));
      rotPV(pre + o, pim + o, tOff, c, vn, pr1, pi1);
      rotPV(lre + o, lim + o, tOff, c, vn, lr1, li1);
    }
    v128.store(out + o, f64x2.add(v128.load(out + o), g));
  }
}

/**
 * Adjoint step of a per-sample rotation (rotation-kernels.ts adjointRotate, n = B): writes the
 * generator overlap Im⟨λ|G|ψ⟩ of each sample at out[b] (B float64s at `out`), and un-applies
 * the gate (cs: the forward's coefficients) to ψ and λ.
 */
export function adjRotBatch(
  pre: usize, pim: usize, lre: usize, lim: usize, B: i32, dim: i32, axis: i32, tbit: i32, mask: i32,
  f: i32, f0: i32, f1: i32, f2: i32, cs: usize, out: usize,
): void {
  const rows = <u32>1 << <u32>f0;
  const outer = <u32>dim >>> (<u32>f + <u32>f0);
  const tOff = <usize>((<u32>1 << <u32>tbit) * <u32>B) << 3;
  const rowBytes = <usize>B << 3;
  const pairBytes = rowBytes & ~(<usize>15);
  const sAt = cs + rowBytes;
  memory.fill(out, 0, rowBytes);
  for (let k: u32 = 0; k < outer; k++) {
    let row = <usize>((groupBase(k, f, f0, f1, f2) | <u32>mask) * <u32>B) << 3;
    for (let r: u32 = 0; r < rows; r++, row += rowBytes) {
      // One loop per axis (adjRotBatchRun inlined with a constant axis): no branch inside.
      if (axis == 0) adjRotBatchRun(0, pre + row, pim + row, lre + row, lim + row, pairBytes, tOff, cs, sAt, out);
      else if (axis == 1) adjRotBatchRun(1, pre + row, pim + row, lre + row, lim + row, pairBytes, tOff, cs, sAt, out);
      else if (axis == 2) adjRotBatchRun(2, pre + row, pim + row, lre + row, lim + row, pairBytes, tOff, cs, sAt, out);
      else adjRotBatchRun(3, pre + row, pim + row, lre + row, lim + row, pairBytes, tOff, cs, sAt, out);
      const o = pairBytes;
      if (o < rowBytes) {
        const e = row + o;
        const e1 = e + tOff;
        const c = load<f64>(cs + o), s = load<f64>(sAt + o);
        const pr0 = load<f64>(pre + e), pi0 = load<f64>(pim + e), pr1 = load<f64>(pre + e1), pi1 = load<f64>(pim + e1);
        const lr0 = load<f64>(lre + e), li0 = load<f64>(lim + e), lr1 = load<f64>(lre + e1), li1 = load<f64>(lim + e1);
        let g: f64;
        if (axis == 0) g = lr0 * pi1 - li0 * pr1 + lr1 * pi0 - li1 * pr0;
        else if (axis == 1) g = lr1 * pr0 + li1 * pi0 - lr0 * pr1 - li0 * pi1;
        else if (axis == 2) g = lr0 * pi0 - li0 * pr0 - lr1 * pi1 + li1 * pr1;
        else g = lr1 * pi1 - li1 * pr1;
        store<f64>(out + o, load<f64>(out + o) + g);
        rotS(axis, pre + e, pim + e, tOff, c, -s, pr0, pi0, pr1, pi1);
        rotS(axis, lre + e, lim + e, tOff, c, -s, lr0, li0, lr1, li1);
      }
    }
  }
}

// Row (upper = false) or lower row of a per-sample 2×2 matrix times (x0, x1), real or imaginary
// part, in fused-kernels.ts's order: ar·r0 − ai·i0 + br·r1 − bi·i1 and ar·i0 + ai·r0 + br·i1 + bi·r1.
@inline
function matRe(ar: v128, ai: v128, br: v128, bi: v128, r0: v128, i0: v128, r1: v128, i1: v128): v128 {
  return f64x2.sub(f64x2.add(f64x2.sub(f64x2.mul(ar, r0), f64x2.mul(ai, i0)), f64x2.mul(br, r1)), f64x2.mul(bi, i1));
}

@inline
function matIm(ar: v128, ai: v128, br: v128, bi: v128, r0: v128, i0: v128, r1: v128, i1: v128): v128 {
  return f64x2.add(f64x2.add(f64x2.add(f64x2.mul(ar, i0), f64x2.mul(ai, r0)), f64x2.mul(br, i1)), f64x2.mul(bi, r1));
}

/** Per-sample 2×2 matrices (fused-kernels.ts mat1Batch): entry j of sample b at m[j·B + b]. */
export function mat1Batch(
  re: usize, im: usize, B: i32, dim: i32, tbit: i32, mask: i32, f: i32, f0: i32, f1: i32, f2: i32, m: usize,
): void {
  const rows = <u32>1 << <u32>f0;
  const outer = <u32>dim >>> (<u32>f + <u32>f0);
  const tOff = <usize>((<u32>1 << <u32>tbit) * <u32>B) << 3;
  const rowBytes = <usize>B << 3;
  const pairBytes = rowBytes & ~(<usize>15);
  for (let k: u32 = 0; k < outer; k++) {
    let row = <usize>((groupBase(k, f, f0, f1, f2) | <u32>mask) * <u32>B) << 3;
    for (let r: u32 = 0; r < rows; r++, row += rowBytes) {
      let o: usize = 0;
      for (; o < pairBytes; o += 16) {
        const e = row + o;
        const e1 = e + tOff;
        const mo = m + o;
        const ar = v128.load(mo), ai = v128.load(mo + rowBytes), br = v128.load(mo + 2 * rowBytes), bi = v128.load(mo + 3 * rowBytes);
        const cr = v128.load(mo + 4 * rowBytes), ci = v128.load(mo + 5 * rowBytes), dr = v128.load(mo + 6 * rowBytes), di = v128.load(mo + 7 * rowBytes);
        const r0 = v128.load(re + e), i0 = v128.load(im + e), r1 = v128.load(re + e1), i1 = v128.load(im + e1);
        v128.store(re + e, matRe(ar, ai, br, bi, r0, i0, r1, i1));
        v128.store(im + e, matIm(ar, ai, br, bi, r0, i0, r1, i1));
        v128.store(re + e1, matRe(cr, ci, dr, di, r0, i0, r1, i1));
        v128.store(im + e1, matIm(cr, ci, dr, di, r0, i0, r1, i1));
      }
      if (o < rowBytes) {
        const e = row + o;
        const e1 = e + tOff;
        const mo = m + o;
        const ar = load<f64>(mo), ai = load<f64>(mo + rowBytes), br = load<f64>(mo + 2 * rowBytes), bi = load<f64>(mo + 3 * rowBytes);
        const cr = load<f64>(mo + 4 * rowBytes), ci = load<f64>(mo + 5 * rowBytes), dr = load<f64>(mo + 6 * rowBytes), di = load<f64>(mo + 7 * rowBytes);
        const r0 = load<f64>(re + e), i0 = load<f64>(im + e), r1 = load<f64>(re + e1), i1 = load<f64>(im + e1);
        store<f64>(re + e, ar * r0 - ai * i0 + br * r1 - bi * i1);
        store<f64>(im + e, ar * i0 + ai * r0 + br * i1 + bi * r1);
        store<f64>(re + e1, cr * r0 - ci * i0 + dr * r1 - di * i1);
        store<f64>(im + e1, cr * i0 + ci * r0 + dr * i1 + di * r1);
      }
    }
  }
}

/**
 * Adjoint step of per-sample 2×2 matrices (fused-kernels.ts adjointMat1, n = B): writes the
 * overlap S_ba = Σ ψ_b conj(λ_a) of each sample at S[j·B + b] (8B float64s at `S`), then applies
 * the per-sample inverse matrices `inv` (laid out as mat1Batch's) to ψ and λ.
 */
export function adjMat1Batch(
  pre: usize, pim: usize, lre: usize, lim: usize, B: i32, dim: i32, tbit: i32, mask: i32,
  f: i32, f0: i32, f1: i32, f2: i32, inv: usize, S: usize,
): void {
  const rows = <u32>1 << <u32>f0;
  const outer = <u32>dim >>> (<u32>f + <u32>f0);
  const tOff = <usize>((<u32>1 << <u32>tbit) * <u32>B) << 3;
  const rowBytes = <usize>B << 3;
  const pairBytes = rowBytes & ~(<usize>15);
  memory.fill(S, 0, 8 * rowBytes);
  for (let k: u32 = 0; k < outer; k++) {
    let row = <usize>((groupBase(k, f, f0, f1, f2) | <u32>mask) * <u32>B) << 3;
    for (let r: u32 = 0; r < rows; r++, row += rowBytes) {
      let o: usize = 0;
      for (; o < pairBytes; o += 16) {
        const e = row + o;
        const e1 = e + tOff;
        const p0r = v128.load(pre + e), p0i = v128.load(pim + e), p1r = v128.load(pre + e1), p1i = v128.load(pim + e1);
        const l0r = v128.load(lre + e), l0i = v128.load(lim + e), l1r = v128.load(lre + e1), l1i = v128.load(lim + e1);
        const so = S + o;
        v128.store(so, f64x2.add(v128.load(so), f64x2.add(f64x2.mul(p0r, l0r), f64x2.mul(p0i, l0i))));
        v128.store(so + rowBytes, f64x2.add(v128.load(so + rowBytes), f64x2.sub(f64x2.mul(p0i, l0r), f64x2.mul(p0r, l0i))));
        v128.store(so + 2 * rowBytes, f64x2.add(v128.load(so + 2 * rowBytes), f64x2.add(f64x2.mul(p0r, l1r), f64x2.mul(p0i, l1i))));
        v128.store(so + 3 * rowBytes, f64x2.add(v128.load(so + 3 * rowBytes), f64x2.sub(f64x2.mul(p0i, l1r), f64x2.mul(p0r, l1i))));
        v128.store(so + 4 * rowBytes, f64x2.add(v128.load(so + 4 * rowBytes), f64x2.add(f64x2.mul(p1r, l0r), f64x2.mul(p1i, l0i))));
        v128.store(so + 5 * rowBytes, f64x2.add(v128.load(so + 5 * rowBytes), f64x2.sub(f64x2.mul(p1i, l0r), f64x2.mul(p1r, l0i))));
        v128.store(so + 6 * rowBytes, f64x2.add(v128.load(so + 6 * rowBytes), f64x2.add(f64x2.mul(p1r, l1r), f64x2.mul(p1i, l1i))));
        v128.store(so + 7 * rowBytes, f64x2.add(v128.load(so + 7 * rowBytes), f64x2.sub(f64x2.mul(p1i, l1r), f64x2.mul(p1r, l1i))));
        const mo = inv + o;
        const ar = v128.load(mo), ai = v128.load(mo + rowBytes), br = v128.load(mo + 2 * rowBytes), bi = v128.load(mo + 3 * rowBytes);
        const cr = v128.load(mo + 4 * rowBytes), ci = v128.load(mo + 5 * rowBytes), dr = v128.load(mo + 6 * rowBytes), di = v128.load(mo + 7 * rowBytes);
        v128.store(pre + e, matRe(ar, ai, br, bi, p0r, p0i, p1r, p1i));
        v128.store(pim + e, matIm(ar, ai, br, bi, p0r, p0i, p1r, p1i));
        v128.store(pre + e1, matRe(cr, ci, dr, di, p0r, p0i, p1r, p1i));
        v128.store(pim + e1, matIm(cr, ci, dr, di, p0r, p0i, p1r, p1i));
        v128.store(lre + e, matRe(ar, ai, br, bi, l0r, l0i, l1r, l1i));
        v128.store(lim + e, matIm(ar, ai, br, bi, l0r, l0i, l1r, l1i));
        v128.store(lre + e1, matRe(cr, ci, dr, di, l0r, l0i, l1r, l1i));
        v128.store(lim + e1, matIm(cr, ci, dr, di, l0r, l0i, l1r, l1i));
      }
      if (o < rowBytes) {
        const e = row + o;
        const e1 = e + tOff;
        const p0r = load<f64>(pre + e), p0i = load<f64>(pim + e), p1r = load<f64>(pre + e1), p1i = load<f64>(pim + e1);
        const l0r = load<f64>(lre + e), l0i = load<f64>(lim + e), l1r = load<f64>(lre + e1), l1i = load<f64>(lim + e1);
        const so = S + o;
        store<f64>(so, load<f64>(so) + (p0r * l0r + p0i * l0i));
        store<f64>(so + rowBytes, load<f64>(so + rowBytes) + (p0i * l0r - p0r * l0i));
        store<f64>(so + 2 * rowBytes, load<f64>(so + 2 * rowBytes) + (p0r * l1r + p0i * l1i));
        store<f64>(so + 3 * rowBytes, load<f64>(so + 3 * rowBytes) + (p0i * l1r - p0r * l1i));
        store<f64>(so + 4 * rowBytes, load<f64>(so + 4 * rowBytes) + (p1r * l0r + p1i * l0i));
        store<f64>(so + 5 * rowBytes, load<f64>(so + 5 * rowBytes) + (p1i * l0r - p1r * l0i));
        store<f64>(so + 6 * rowBytes, load<f64>(so + 6 * rowBytes) + (p1r * l1r + p1i * l1i));
        store<f64>(so + 7 * rowBytes, load<f64>(so + 7 * rowBytes) + (p1i * l1r - p1r * l1i));
        const mo = inv + o;
        const ar = load<f64>(mo), ai = load<f64>(mo + rowBytes), br = load<f64>(mo + 2 * rowBytes), bi = load<f64>(mo + 3 * rowBytes);
        const cr = load<f64>(mo + 4 * rowBytes), ci = load<f64>(mo + 5 * rowBytes), dr = load<f64>(mo + 6 * rowBytes), di = load<f64>(mo + 7 * rowBytes);
        store<f64>(pre + e, ar * p0r - ai * p0i + br * p1r - bi * p1i);
        store<f64>(pim + e, ar * p0i + ai * p0r + br * p1i + bi * p1r);
        store<f64>(pre + e1, cr * p0r - ci * p0i + dr * p1r - di * p1i);
        store<f64>(pim + e1, cr * p0i + ci * p0r + dr * p1i + di * p1r);
        store<f64>(lre + e, ar * l0r - ai * l0i + br * l1r - bi * l1i);
        store<f64>(lim + e, ar * l0i + ai * l0r + br * l1i + bi * l1r);
        store<f64>(lre + e1, cr * l0r - ci * l0i + dr * l1r - di * l1i);
        store<f64>(lim + e1, cr * l0i + ci * l0r + dr * l1i + di * l1r);
      }
    }
  }
}

// ---- Diagonal read-out: Z-word expectation values and their co-states -----------------------
// A Pauli word of Z factors only (zmask: its bits; coeff: its coefficient) is diagonal, with sign
// s_i = ±coeff by the parity of i & zmask (src/engine/statevector/measure.ts). These mirror the
// JavaScript loops of measure.ts term by term, each sample in its own lane, summing over i in
// ascending order exactly as they do, so the results are the same bits. The loops run sample
// pairs outer and amplitudes inner so that a pair's accumulator stays in a register.

@inline
function zSign(i: u32, zmask: u32, coeff: f64): f64 {
  return (popcnt<u32>(i & zmask) & 1) != 0 ? -coeff : coeff;
}

/** acc[b] += Σ_i s_i (re² + im²)[i·B + b] for one Z-word term (acc: B float64s). */
export function zTermExpval(re: usize, im: usize, B: i32, dim: i32, zmask: i32, coeff: f64, acc: usize): void {
  const rowBytes = <usize>B << 3;
  const pairBytes = rowBytes & ~(<usize>15);
  const zm = <u32>zmask;
  const d = <u32>dim;
  let o: usize = 0;
  for (; o < pairBytes; o += 16) {
    let a = v128.load(acc + o);
    let pr = re + o, pi = im + o;
    for (let i: u32 = 0; i < d; i++, pr += rowBytes, pi += rowBytes) {
      const r = v128.load(pr), m = v128.load(pi);
      a = f64x2.add(a, f64x2.mul(f64x2.splat(zSign(i, zm, coeff)), f64x2.add(f64x2.mul(r, r), f64x2.mul(m, m))));
    }
    v128.store(acc + o, a);
  }
  if (o < rowBytes) {
    let a = load<f64>(acc + o);
    let pr = re + o, pi = im + o;
    for (let i: u32 = 0; i < d; i++, pr += rowBytes, pi += rowBytes) {
      const r = load<f64>(pr), m = load<f64>(pi);
      a += zSign(i, zm, coeff) * (r * r + m * m);
    }
    store<f64>(acc + o, a);
  }
}

/**
 * λ[i·B + b] += s_i g[b·K + k] ψ[i·B + b] for one Z-word term of observable k (g: the [B, K]
 * cotangent). The JavaScript loop skips w = s·g = 0; adding re·0 = ±0 instead changes nothing, as
 * λ starts at +0 and a round-to-nearest sum that starts at +0 never becomes −0 (finite states).
 */
export function zTermCostate(
  re: usize, im: usize, lre: usize, lim: usize, B: i32, dim: i32, zmask: i32, coeff: f64, g: usize, K: i32, k: i32,
): void {
  const rowBytes = <usize>B << 3;
  const zm = <u32>zmask;
  const d = <u32>dim;
  const gStride = <usize>K << 3;
  const vp = f64x2.splat(coeff), vn = f64x2.splat(-coeff);
  let b: u32 = 0;
  let gb = g + (<usize>k << 3);
  for (; b + 1 < <u32>B; b += 2, gb += 2 * gStride) {
    const gv = f64x2.replace_lane(f64x2.splat(load<f64>(gb)), 1, load<f64>(gb + gStride));
    const wp = f64x2.mul(vp, gv), wn = f64x2.mul(vn, gv); // s·g, as measure.ts computes it
    const o = <usize>b << 3;
    let pr = re + o, pi = im + o, qr = lre + o, qi = lim + o;
    for (let i: u32 = 0; i < d; i++, pr += rowBytes, pi += rowBytes, qr += rowBytes, qi += rowBytes) {
      const w = (popcnt<u32>(i & zm) & 1) != 0 ? wn : wp;
      v128.store(qr, f64x2.add(v128.load(qr), f64x2.mul(v128.load(pr), w)));
      v128.store(qi, f64x2.add(v128.load(qi), f64x2.mul(v128.load(pi), w)));
    }
  }
  if (b < <u32>B) {
    const gs = load<f64>(gb);
    const wp = coeff * gs, wn = -coeff * gs;
    const o = <usize>b << 3;
    let pr = re + o, pi = im + o, qr = lre + o, qi = lim + o;
    for (let i: u32 = 0; i < d; i++, pr += rowBytes, pi += rowBytes, qr += rowBytes, qi += rowBytes) {
      const w = (popcnt<u32>(i & zm) & 1) != 0 ? wn : wp;
      store<f64>(qr, load<f64>(qr) + load<f64>(pr) * w);
      store<f64>(qi, load<f64>(qi) + load<f64>(pi) * w);
    }
  }
}
