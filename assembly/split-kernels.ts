// Range versions of the engine's shared-coefficient kernels (engine-kernels.ts), for one state
// split across threads (src/engine/parallel/split-*.ts). Every thread instantiates this module on
// the same shared WebAssembly.Memory and, for each gate, processes its own contiguous range
// [q0, q1) of the gate's enumeration: element q = k·runE + o is offset o in the run of amplitude
// group k, so the pairs of one gate are numbered 0 … (dim >> f)·B − 1 in the order the one-thread
// kernel visits them. The threads meet at a barrier (in JavaScript) between gates.
//
// Each kernel is its one-thread twin with the k loop cut to [q0, q1): the same per-pair formulas
// (pair-ops.ts, shared with engine-kernels.ts), the same choice between the f64x2 and the scalar
// loop, so a state computed by any number of threads equals the one-thread state bit for bit.
// The reductions (adjoint overlaps) return each thread's partial sum; the caller adds the
// partials in thread order (deterministic for a thread count; within rounding of one thread).
//
// Callers keep q0 and q1 even whenever runE is even (the f64x2 loop takes two elements at a
// time): src/engine/parallel/split-plan.ts cuts ranges at multiples of min(runE, 8).
//
// Built with --sharedMemory (src/engine/wasm/split-kernels-binary.ts); like engine-kernels.ts no
// static data and no allocation: the caller owns the whole memory.

import { cmulAdd, groupBase, rotPV, rotS, rotXV, rotYV, rotZV } from './pair-ops';

/** First group of the range [q0, q1) of a gate with runs of runE elements. */
@inline
function firstGroup(q0: u32, runE: u32): u32 {
  return q0 / runE;
}

/** One past the last group the range [q0, q1) touches. */
@inline
function endGroup(q1: u32, runE: u32, outer: u32): u32 {
  const e = (q1 + runE - 1) / runE;
  return e < outer ? e : outer;
}

/** Start offset (elements) inside run k of the range [q0, q1). */
@inline
function runStart(q0: u32, base: u32): u32 {
  return q0 > base ? q0 - base : 0;
}

/** End offset (elements) inside run k of the range [q0, q1). */
@inline
function runEnd(q1: u32, base: u32, runE: u32): u32 {
  return q1 < base + runE ? q1 - base : runE;
}

/** rotShared (engine-kernels.ts) on elements [q0, q1) of the gate's enumeration. */
export function rotRange(
  re: usize, im: usize, B: i32, dim: i32, axis: i32, tbit: i32, mask: i32,
  f: i32, f0: i32, f1: i32, f2: i32, c: f64, s: f64, q0: i32, q1: i32,
): void {
  const runE = (<u32>1 << <u32>f0) * <u32>B;
  const outer = <u32>dim >>> (<u32>f + <u32>f0);
  const tOff = <usize>((<u32>1 << <u32>tbit) * <u32>B) << 3;
  const vc = f64x2.splat(c);
  const vs = f64x2.splat(s);
  const kEnd = endGroup(<u32>q1, runE, outer);
  for (let k = firstGroup(<u32>q0, runE); k < kEnd; k++) {
    const base = k * runE;
    const a0 = <usize>((groupBase(k, f, f0, f1, f2) | <u32>mask) * <u32>B) << 3;
    let pr = re + a0 + (<usize>runStart(<u32>q0, base) << 3);
    let pi = im + a0 + (<usize>runStart(<u32>q0, base) << 3);
    const end = re + a0 + (<usize>runEnd(<u32>q1, base, runE) << 3);
    if ((runE & 1) == 0) {
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

/** adjRotShared (engine-kernels.ts) on elements [q0, q1): returns this range's generator overlap. */
export function adjRotRange(
  pre: usize, pim: usize, lre: usize, lim: usize, B: i32, dim: i32, axis: i32, tbit: i32, mask: i32,
  f: i32, f0: i32, f1: i32, f2: i32, c: f64, s: f64, q0: i32, q1: i32,
): f64 {
  const runE = (<u32>1 << <u32>f0) * <u32>B;
  const outer = <u32>dim >>> (<u32>f + <u32>f0);
  const tOff = <usize>((<u32>1 << <u32>tbit) * <u32>B) << 3;
  const vc = f64x2.splat(c);
  const vn = f64x2.splat(-s);
  let vacc = f64x2.splat(0);
  let acc: f64 = 0;
  const kEnd = endGroup(<u32>q1, runE, outer);
  for (let k = firstGroup(<u32>q0, runE); k < kEnd; k++) {
    const base = k * runE;
    const a0 = <usize>((groupBase(k, f, f0, f1, f2) | <u32>mask) * <u32>B) << 3;
    let o = <usize>runStart(<u32>q0, base) << 3;
    const bytes = <usize>runEnd(<u32>q1, base, runE) << 3;
    if ((runE & 1) == 0) {
      for (; o < bytes; o += 16) {
        const e = a0 + o;
        const e1 = e + tOff;
        const pr0 = v128.load(pre + e), pi0 = v128.load(pim + e), pr1 = v128.load(pre + e1), pi1 = v128.load(pim + e1);
        const lr0 = v128.load(lre + e), li0 = v128.load(lim + e), lr1 = v128.load(lre + e1), li1 = v128.load(lim + e1);
        if (axis == 0) {
          vacc = f64x2.add(vacc, f64x2.sub(f64x2.add(f64x2.mul(lr0, pi1), f64x2.mul(lr1, pi0)), f64x2.add(f64x2.mul(li0, pr1), f64x2.mul(li1, pr0))));
          rotXV(pre + e, pim + e, tOff, vc, vn, pr0, pi0, pr1, pi1);
          rotXV(lre + e, lim + e, tOff, vc, vn, lr0, li0, lr1, li1);
        } else if (axis == 1) {
          vacc = f64x2.add(vacc, f64x2.sub(f64x2.add(f64x2.mul(lr1, pr0), f64x2.mul(li1, pi0)), f64x2.add(f64x2.mul(lr0, pr1), f64x2.mul(li0, pi1))));
          rotYV(pre + e, pim + e, tOff, vc, vn, pr0, pi0, pr1, pi1);
          rotYV(lre + e, lim + e, tOff, vc, vn, lr0, li0, lr1, li1);
        } else if (axis == 2) {
          vacc = f64x2.add(vacc, f64x2.sub(f64x2.add(f64x2.mul(lr0, pi0), f64x2.mul(li1, pr1)), f64x2.add(f64x2.mul(li0, pr0), f64x2.mul(lr1, pi1))));
          rotZV(pre + e, pim + e, tOff, vc, vn, pr0, pi0, pr1, pi1);
          rotZV(lre + e, lim + e, tOff, vc, vn, lr0, li0, lr1, li1);
        } else {
          vacc = f64x2.add(vacc, f64x2.sub(f64x2.mul(lr1, pi1), f64x2.mul(li1, pr1)));
          rotPV(pre + e, pim + e, tOff, vc, vn, pr1, pi1);
          rotPV(lre + e, lim + e, tOff, vc, vn, lr1, li1);
        }
      }
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

/** xpermPair (engine-kernels.ts) on elements [q0, q1), on one state (re2 = 0) or two. */
export function xpermRange(
  re: usize, im: usize, re2: usize, im2: usize, B: i32, dim: i32, tbit: i32, mask: i32,
  f: i32, f0: i32, f1: i32, f2: i32, q0: i32, q1: i32,
): void {
  const runE = (<u32>1 << <u32>f0) * <u32>B;
  const outer = <u32>dim >>> (<u32>f + <u32>f0);
  const tOff = <usize>((<u32>1 << <u32>tbit) * <u32>B) << 3;
  const two = re2 != 0;
  const kEnd = endGroup(<u32>q1, runE, outer);
  for (let k = firstGroup(<u32>q0, runE); k < kEnd; k++) {
    const base = k * runE;
    const a0 = <usize>((groupBase(k, f, f0, f1, f2) | <u32>mask) * <u32>B) << 3;
    let o = <usize>runStart(<u32>q0, base) << 3;
    const bytes = <usize>runEnd(<u32>q1, base, runE) << 3;
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

/** mat1Shared (engine-kernels.ts) on elements [q0, q1). */
export function mat1Range(
  re: usize, im: usize, B: i32, dim: i32, tbit: i32, mask: i32, f: i32, f0: i32, f1: i32, f2: i32,
  ar: f64, ai: f64, br: f64, bi: f64, cr: f64, ci: f64, dr: f64, di: f64, q0: i32, q1: i32,
): void {
  const runE = (<u32>1 << <u32>f0) * <u32>B;
  const outer = <u32>dim >>> (<u32>f + <u32>f0);
  const tOff = <usize>((<u32>1 << <u32>tbit) * <u32>B) << 3;
  const var_ = f64x2.splat(ar), vai = f64x2.splat(ai), vbr = f64x2.splat(br), vbi = f64x2.splat(bi);
  const vcr = f64x2.splat(cr), vci = f64x2.splat(ci), vdr = f64x2.splat(dr), vdi = f64x2.splat(di);
  const kEnd = endGroup(<u32>q1, runE, outer);
  for (let k = firstGroup(<u32>q0, runE); k < kEnd; k++) {
    const base = k * runE;
    const a0 = <usize>((groupBase(k, f, f0, f1, f2) | <u32>mask) * <u32>B) << 3;
    let o = <usize>runStart(<u32>q0, base) << 3;
    const bytes = <usize>runEnd(<u32>q1, base, runE) << 3;
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
 * adjMat1Shared (engine-kernels.ts) on elements [q0, q1): writes this range's overlap S (8
 * numbers, as adjMat1Shared) at `sOut` and applies the inverse matrix to ψ and λ there.
 */
export function adjMat1Range(
  pre: usize, pim: usize, lre: usize, lim: usize, B: i32, dim: i32, tbit: i32, mask: i32,
  f: i32, f0: i32, f1: i32, f2: i32,
  ar: f64, ai: f64, br: f64, bi: f64, cr: f64, ci: f64, dr: f64, di: f64, sOut: usize, q0: i32, q1: i32,
): void {
  const runE = (<u32>1 << <u32>f0) * <u32>B;
  const outer = <u32>dim >>> (<u32>f + <u32>f0);
  const tOff = <usize>((<u32>1 << <u32>tbit) * <u32>B) << 3;
  const var_ = f64x2.splat(ar), vai = f64x2.splat(ai), vbr = f64x2.splat(br), vbi = f64x2.splat(bi);
  const vcr = f64x2.splat(cr), vci = f64x2.splat(ci), vdr = f64x2.splat(dr), vdi = f64x2.splat(di);
  let s0r = f64x2.splat(0), s0i = f64x2.splat(0), s1r = f64x2.splat(0), s1i = f64x2.splat(0);
  let s2r = f64x2.splat(0), s2i = f64x2.splat(0), s3r = f64x2.splat(0), s3i = f64x2.splat(0);
  let t0r: f64 = 0, t0i: f64 = 0, t1r: f64 = 0, t1i: f64 = 0, t2r: f64 = 0, t2i: f64 = 0, t3r: f64 = 0, t3i: f64 = 0;
  const kEnd = endGroup(<u32>q1, runE, outer);
  for (let k = firstGroup(<u32>q0, runE); k < kEnd; k++) {
    const base = k * runE;
    const a0 = <usize>((groupBase(k, f, f0, f1, f2) | <u32>mask) * <u32>B) << 3;
    let o = <usize>runStart(<u32>q0, base) << 3;
    const bytes = <usize>runEnd(<u32>q1, base, runE) << 3;
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
