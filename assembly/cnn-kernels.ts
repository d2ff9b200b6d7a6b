// WebAssembly SIMD kernels for TensorFlow.js gradients that its wasm backend runs slowly
// (AssemblyScript source; built by `npm run build:wasm` into src/tf/wasm/cnn-kernels-binary.ts and
// used by src/tf/conv-grad.ts). Arrays are byte addresses into this module's memory, float32, NHWC.
// No static data and no allocation: src/tf/wasm/cnn-kernels.ts lays out the arrays from byte 0.

@inline
function ceilDiv(a: i32, b: i32): i32 {
  // b > 0; rounds towards +infinity for negative a too
  return a >= 0 ? (a + b - 1) / b : -((-a) / b);
}

/**
 * Conv2D filter gradient, any stride and padding, dilation 1:
 *   dW[r, c, p, q] = Σ_{b,i,j} x[b, i·sh − top + r, j·sw − left + c, p] · dy[b, i, j, q]
 * For each tap (r, c, p) and each group of four output channels, the sum runs in registers over
 * every output position whose input pixel is in bounds (the bounds are solved per tap, so the
 * inner loop has no branches), with two accumulators to hide the add latency. CO % 4 == 0 (the
 * caller checks). Every dW entry is written.
 */
export function conv2dFilterGrad(
  x: usize, dy: usize, dw: usize,
  B: i32, H: i32, W: i32, CI: i32, OH: i32, OW: i32, CO: i32,
  KH: i32, KW: i32, SH: i32, SW: i32, top: i32, left: i32,
): void {
  const coBytes = <usize>CO << 2;
  const rowBytes = <usize>OW * coBytes; // one output row of dy
  const xStep = <usize>(SW * CI) << 2; // next output column's input pixel, same channel
  for (let r = 0; r < KH; r++) {
    const i0 = max(0, ceilDiv(top - r, SH));
    const i1 = min(OH, ceilDiv(H + top - r, SH)); // exclusive
    for (let c = 0; c < KW; c++) {
      const j0 = max(0, ceilDiv(left - c, SW));
      const j1 = min(OW, ceilDiv(W + left - c, SW));
      const nj = j1 - j0;
      for (let p = 0; p < CI; p++) {
        const wrow = dw + ((<usize>((r * KW + c) * CI + p)) * coBytes);
        let q: usize = 0;
        // Two groups of four channels at a time: each x value is loaded and splatted once for both.
        for (; q + 16 < coBytes; q += 32) {
          let a0 = f32x4.splat(0), a1 = f32x4.splat(0), b0 = f32x4.splat(0), b1 = f32x4.splat(0);
          for (let b = 0; b < B; b++) {
            for (let i = i0; i < i1; i++) {
              const xr = i * SH - top + r;
              let xp = x + (<usize>(((b * H + xr) * W + (j0 * SW - left + c)) * CI + p) << 2);
              let gp = dy + <usize>(b * OH + i) * rowBytes + <usize>j0 * coBytes + q;
              let j = 0;
              for (; j + 1 < nj; j += 2) {
                const v0 = f32x4.splat(load<f32>(xp));
                const v1 = f32x4.splat(load<f32>(xp + xStep));
                a0 = f32x4.add(a0, f32x4.mul(v0, v128.load(gp)));
                b0 = f32x4.add(b0, f32x4.mul(v0, v128.load(gp + 16)));
                a1 = f32x4.add(a1, f32x4.mul(v1, v128.load(gp + coBytes)));
                b1 = f32x4.add(b1, f32x4.mul(v1, v128.load(gp + coBytes + 16)));
                xp += xStep << 1;
                gp += coBytes << 1;
              }
              if (j < nj) {
                const v0 = f32x4.splat(load<f32>(xp));
                a0 = f32x4.add(a0, f32x4.mul(v0, v128.load(gp)));
                b0 = f32x4.add(b0, f32x4.mul(v0, v128.load(gp + 16)));
              }
            }
          }
          v128.store(wrow + q, f32x4.add(a0, a1));
          v128.store(wrow + q + 16, f32x4.add(b0, b1));
        }
        for (; q < coBytes; q += 16) {
          let a0 = f32x4.splat(0);
          let a1 = f32x4.splat(0);
          for (let b = 0; b < B; b++) {
            for (let i = i0; i < i1; i++) {
              const xr = i * SH - top + r;
              let xp = x + (<usize>(((b * H + xr) * W + (j0 * SW - left + c)) * CI + p) << 2);
              let gp = dy + <usize>(b * OH + i) * rowBytes + <usize>j0 * coBytes + q;
              let j = 0;
              for (; j + 1 < nj; j += 2) {
                a0 = f32x4.add(a0, f32x4.mul(f32x4.splat(load<f32>(xp)), v128.load(gp)));
                a1 = f32x4.add(a1, f32x4.mul(f32x4.splat(load<f32>(xp + xStep)), v128.load(gp + coBytes)));
                xp += xStep << 1;
                gp += coBytes << 1;
              }
              if (j < nj) a0 = f32x4.add(a0, f32x4.mul(f32x4.splat(load<f32>(xp)), v128.load(gp)));
            }
          }
          v128.store(wrow + q, f32x4.add(a0, a1));
        }
      }
    }
  }
}

@inline
function hsum(v: v128): f32 {
  return f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1) + f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3);
}

/**
 * Conv2D input gradient for stride 1, any padding, dilation 1, few input channels (the first
 * layer on images, whose input gradient tf.fused.conv2d computes even though nothing needs it):
 *   dx[b, y, x, p] = Σ_{r,c,q} dy[b, y + top − r, x + left − c, q] · w[r, c, p, q]
 * over the taps whose dy position is in bounds (solved per pixel). Interior pixels go four at a
 * time — they share every filter load, and their eight accumulators keep the adds independent —
 * edge pixels one at a time. CO % 4 == 0 (the caller checks). Every dx entry is written.
 */
export function conv2dInputGrad(
  dy: usize, w: usize, dx: usize,
  B: i32, H: i32, W: i32, CI: i32, OH: i32, OW: i32, CO: i32,
  KH: i32, KW: i32, top: i32, left: i32,
): void {
  const coBytes = <usize>CO << 2;
  const tapBytes = <usize>CI * coBytes; // w[r, c, ·, ·]
  const pairs = coBytes & ~(<usize>31); // bytes covered two groups of four at a time
  // Pixels x with the full tap range c = 0 … KW−1 in bounds: KW−1−left ≤ x ≤ OW−1−left.
  const xa = max(0, KW - 1 - left);
  const xb = min(W - 1, OW - 1 - left);
  for (let b = 0; b < B; b++) {
    for (let y = 0; y < H; y++) {
      const r0 = max(0, y + top - (OH - 1));
      const r1 = min(KH - 1, y + top);
      let x0 = 0;
      while (x0 < W) {
        const out = dx + (<usize>(((b * H + y) * W + x0) * CI) << 2);
        if (x0 >= xa && x0 + 3 <= xb) {
          for (let p = 0; p < CI; p++) {
            let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0), a3 = f32x4.splat(0);
            let b0 = f32x4.splat(0), b1 = f32x4.splat(0), b2 = f32x4.splat(0), b3 = f32x4.splat(0);
            for (let r = r0; r <= r1; r++) {
              const row = dy + <usize>((b * OH + (y + top - r)) * OW) * coBytes;
              for (let c = 0; c < KW; c++) {
                const g = row + <usize>(x0 + left - c) * coBytes;
                const wp = w + <usize>(r * KW + c) * tapBytes + <usize>p * coBytes;
                let q: usize = 0;
                for (; q < pairs; q += 32) {
                  const w0 = v128.load(wp + q), w1 = v128.load(wp + q + 16);
                  a0 = f32x4.add(a0, f32x4.mul(v128.load(g + q), w0));
                  b0 = f32x4.add(b0, f32x4.mul(v128.load(g + q + 16), w1));
                  a1 = f32x4.add(a1, f32x4.mul(v128.load(g + coBytes + q), w0));
                  b1 = f32x4.add(b1, f32x4.mul(v128.load(g + coBytes + q + 16), w1));
                  a2 = f32x4.add(a2, f32x4.mul(v128.load(g + 2 * coBytes + q), w0));
                  b2 = f32x4.add(b2, f32x4.mul(v128.load(g + 2 * coBytes + q + 16), w1));
                  a3 = f32x4.add(a3, f32x4.mul(v128.load(g + 3 * coBytes + q), w0));
                  b3 = f32x4.add(b3, f32x4.mul(v128.load(g + 3 * coBytes + q + 16), w1));
                }
                if (q < coBytes) {
                  const w0 = v128.load(wp + q);
                  a0 = f32x4.add(a0, f32x4.mul(v128.load(g + q), w0));
                  a1 = f32x4.add(a1, f32x4.mul(v128.load(g + coBytes + q), w0));
                  a2 = f32x4.add(a2, f32x4.mul(v128.load(g + 2 * coBytes + q), w0));
                  a3 = f32x4.add(a3, f32x4.mul(v128.load(g + 3 * coBytes + q), w0));
                }
              }
            }
            // Pixel k+1's dy position for tap c is pixel k's plus one column: hence g + k·coBytes.
            const px = <usize>CI << 2;
            store<f32>(out + (<usize>p << 2), hsum(f32x4.add(a0, b0)));
            store<f32>(out + px + (<usize>p << 2), hsum(f32x4.add(a1, b1)));
            store<f32>(out + 2 * px + (<usize>p << 2), hsum(f32x4.add(a2, b2)));
            store<f32>(out + 3 * px + (<usize>p << 2), hsum(f32x4.add(a3, b3)));
          }
          x0 += 4;
          continue;
        }
        const c0 = max(0, x0 + left - (OW - 1));
        const c1 = min(KW - 1, x0 + left);
        for (let p = 0; p < CI; p++) {
          let a0 = f32x4.splat(0);
          let a1 = f32x4.splat(0);
          for (let r = r0; r <= r1; r++) {
            const i = y + top - r;
            for (let c = c0; c <= c1; c++) {
              const j = x0 + left - c;
              const g = dy + <usize>((b * OH + i) * OW + j) * coBytes;
              const wp = w + <usize>(r * KW + c) * tapBytes + <usize>p * coBytes;
              let q: usize = 0;
              for (; q < pairs; q += 32) {
                a0 = f32x4.add(a0, f32x4.mul(v128.load(g + q), v128.load(wp + q)));
                a1 = f32x4.add(a1, f32x4.mul(v128.load(g + q + 16), v128.load(wp + q + 16)));
              }
              if (q < coBytes) a0 = f32x4.add(a0, f32x4.mul(v128.load(g + q), v128.load(wp + q)));
            }
          }
          store<f32>(out + (<usize>p << 2), hsum(f32x4.add(a0, a1)));
        }
        x0 += 1;
      }
    }
  }
}

/**
 * MaxPool gradient (NHWC, any window, stride and padding): each output's gradient goes to the
 * first strictly largest input of its window in row-major order (TensorFlow's and the cpu
 * backend's rule); padded positions never receive it; overlapping windows add. Channels go four
 * at a time when C % 4 == 0 (a lane-wise "first strictly larger" keeps the rule per channel),
 * one at a time otherwise. dx is zeroed first.
 */
export function maxPoolGrad(
  x: usize, dy: usize, dx: usize,
  B: i32, H: i32, W: i32, C: i32, OH: i32, OW: i32,
  FH: i32, FW: i32, SH: i32, SW: i32, top: i32, left: i32,
): void {
  const vectors = (C & 3) == 0;
  memory.fill(dx, 0, <usize>(B * H * W * C) << 2);
  for (let b = 0; b < B; b++) {
    for (let i = 0; i < OH; i++) {
      const r0 = max(0, i * SH - top);
      const r1 = min(H, i * SH - top + FH);
      for (let j = 0; j < OW; j++) {
        const c0 = max(0, j * SW - left);
        const c1 = min(W, j * SW - left + FW);
        const g = dy + (<usize>(((b * OH + i) * OW + j) * C) << 2);
        if (r0 >= r1 || c0 >= c1) continue;
        if (vectors) {
          for (let ch = 0; ch < C; ch += 4) {
            let best = f32x4.splat(-Infinity);
            let at = i32x4.splat(-1);
            for (let r = r0; r < r1; r++) {
              for (let c = c0; c < c1; c++) {
                const k = ((b * H + r) * W + c) * C + ch;
                const v = v128.load(x + (<usize>k << 2));
                const better = f32x4.gt(v, best);
                best = v128.bitselect(v, best, better);
                at = v128.bitselect(i32x4.add(i32x4.splat(k), i32x4(0, 1, 2, 3)), at, better);
              }
            }
            const gv = v128.load(g + (<usize>ch << 2));
            addAt(dx, i32x4.extract_lane(at, 0), f32x4.extract_lane(gv, 0));
            addAt(dx, i32x4.extract_lane(at, 1), f32x4.extract_lane(gv, 1));
            addAt(dx, i32x4.extract_lane(at, 2), f32x4.extract_lane(gv, 2));
            addAt(dx, i32x4.extract_lane(at, 3), f32x4.extract_lane(gv, 3));
          }
          continue;
        }
        for (let ch = 0; ch < C; ch++) {
          let best: f32 = -Infinity;
          let at = -1;
          for (let r = r0; r < r1; r++) {
            for (let c = c0; c < c1; c++) {
              const k = ((b * H + r) * W + c) * C + ch;
              const v = load<f32>(x + (<usize>k << 2));
              if (v > best) {
                best = v;
                at = k;
              }
            }
          }
          addAt(dx, at, load<f32>(g + (<usize>ch << 2)));
        }
      }
    }
  }
}

@inline
function addAt(dx: usize, k: i32, v: f32): void {
  // k < 0: every value of the window was NaN (never larger than −∞), as in the JS kernel: no one gets it.
  if (k >= 0) {
    const p = dx + (<usize>k << 2);
    store<f32>(p, load<f32>(p) + v);
  }
}
