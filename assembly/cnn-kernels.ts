// WebAssembly SIMD kernels for TensorFlow.js gradients that its wasm backend runs slowly
// (AssemblyScript source; built by `npm run build:wasm` into src/tf/wasm/cnn-kernels-binary.ts and
// used by src/tf/conv-grad.ts). Arrays are byte addresses into this module's memory, float32, NHWC.

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
