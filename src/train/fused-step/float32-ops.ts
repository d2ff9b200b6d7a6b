// Plain-JavaScript versions of the TensorFlow.js cpu-backend kernels a small dense network's
// training step runs, written to give the SAME BITS as the kernels (tfjs-backend-cpu 4.22):
// every kernel computes each element in float64 from float32 inputs and stores it in a
// Float32Array, so each op here is one Math.fround of the same float64 expression, with
// reductions summed in float64 in the kernel's order. Where tfjs turns a JavaScript number into
// a scalar tensor, the number is rounded to float32 first. Tests hold every function to the
// tfjs op it mirrors with Object.is.

const f = Math.fround;

/**
 * The cpu backend's BatchMatMul tile (backend.blockSize): it sums the shared dimension in float64
 * within a tile of 48 and adds each tile's sum to the float32 result, so a shared dimension over
 * 48 rounds once per tile. fused-step/plan.ts refuses a backend with another block size.
 */
export const MATMUL_BLOCK = 48;

/**
 * C = op(A)·op(B) as BatchMatMul computes it, for one matrix pair: C[i, j] over the shared index q
 * reads A at i·aRow + q·aCol and B at q·bRow + j·bCol (strides pick the transposes). Each C[i, j]
 * is summed over q in order, in float64, and rounded into C once per block of MATMUL_BLOCK; the
 * loop runs i, q, j (a float64 row of running sums) so B and C are read along rows.
 */
function matMulStrided(A: Float32Array, aRow: number, aCol: number, B: Float32Array, bRow: number, bCol: number, m: number, k: number, n: number): Float32Array {
  const C = new Float32Array(m * n);
  const sums = new Float64Array(n);
  for (let i = 0; i < m; i++) {
    const c0 = i * n;
    for (let k0 = 0; k0 < k; k0 += MATMUL_BLOCK) {
      const kEnd = Math.min(k0 + MATMUL_BLOCK, k);
      sums.fill(0);
      for (let q = k0; q < kEnd; q++) {
        const a = A[i * aRow + q * aCol];
        const b0 = q * bRow;
        for (let j = 0; j < n; j++) sums[j] += a * B[b0 + j * bCol];
      }
      // The kernel adds each block's sum to the float32 result (0 before the first block).
      for (let j = 0; j < n; j++) C[c0 + j] += sums[j];
    }
  }
  return C;
}

/** x [m, k] · w [k, n]: a Dense layer's product (tf.matMul(x, w)). */
export function matMul(x: Float32Array, w: Float32Array, m: number, k: number, n: number): Float32Array {
  return matMulStrided(x, k, 1, w, n, 1, m, k, n);
}

/** xᵀ · dy for x [m, k], dy [m, n]: the kernel gradient (tf.matMul(x, dy, true, false)), [k, n]. */
export function matMulTransposeA(x: Float32Array, dy: Float32Array, m: number, k: number, n: number): Float32Array {
  return matMulStrided(x, 1, k, dy, n, 1, k, m, n);
}

/** dy · wᵀ for dy [m, n], w [k, n]: the input gradient (tf.matMul(dy, w, false, true)), [m, k]. */
export function matMulTransposeB(dy: Float32Array, w: Float32Array, m: number, n: number, k: number): Float32Array {
  return matMulStrided(dy, n, 1, w, 1, n, m, n, k);
}

/** z[b, j] += bias[j] in place (tf.add with a broadcast bias). */
export function addBiasInPlace(z: Float32Array, bias: Float32Array, rows: number, n: number): void {
  for (let b = 0; b < rows; b++) for (let j = 0; j < n; j++) z[b * n + j] = f(z[b * n + j] + bias[j]);
}

/** Σ over rows of dy [rows, n] (tf.sum(dy, 0): float64 in row order): a bias gradient. */
export function sumRows(dy: Float32Array, rows: number, n: number): Float32Array {
  const out = new Float32Array(n);
  for (let j = 0; j < n; j++) {
    let s = 0;
    for (let b = 0; b < rows; b++) s += dy[b * n + j];
    out[j] = s;
  }
  return out;
}

/** The activations a fused step runs; anything else keeps the tfjs path. */
export type FusedActivation = 'linear' | 'relu' | 'tanh' | 'sigmoid';

export const FUSED_ACTIVATIONS: readonly string[] = ['linear', 'relu', 'tanh', 'sigmoid'];

/** y = act(z) as the cpu kernels compute it (relu is Math.max(0, z), so −0 becomes +0). */
export function activate(act: FusedActivation, z: Float32Array): Float32Array {
  const y = new Float32Array(z.length);
  switch (act) {
    case 'linear':
      y.set(z);
      break;
    case 'relu':
      for (let i = 0; i < z.length; i++) y[i] = Math.max(0, z[i]);
      break;
    case 'tanh':
      for (let i = 0; i < z.length; i++) y[i] = Math.tanh(z[i]);
      break;
    case 'sigmoid':
      for (let i = 0; i < z.length; i++) y[i] = 1 / (1 + Math.exp(-z[i]));
      break;
  }
  return y;
}

/**
 * dz from dy through act, as tfjs's gradients compute it: relu dy·step(z) (step: NaN stays NaN,
 * 1 above 0, else 0; so dy·0 keeps the sign of dy), tanh (1 − y²)·dy, sigmoid dy·(y·(1 − y)),
 * each product rounded to float32.
 */
export function activationGrad(act: FusedActivation, dy: Float32Array, z: Float32Array, y: Float32Array): Float32Array {
  if (act === 'linear') return dy;
  const dz = new Float32Array(dy.length);
  switch (act) {
    case 'relu':
      for (let i = 0; i < dy.length; i++) {
        const zi = z[i];
        dz[i] = dy[i] * (Number.isNaN(zi) ? NaN : zi > 0 ? 1 : 0);
      }
      break;
    case 'tanh':
      for (let i = 0; i < dy.length; i++) dz[i] = f(1 - f(y[i] * y[i])) * dy[i];
      break;
    case 'sigmoid':
      for (let i = 0; i < dy.length; i++) dz[i] = dy[i] * f(y[i] * f(1 - y[i]));
      break;
  }
  return dz;
}

/**
 * The classification targets of softmaxCrossEntropy / the one-hot MSE (train/losses.ts): the one-
 * hot label, label-smoothed as oneHot·(1 − ε) + ε/K with both scalars rounded to float32.
 */
export function classTargets(labels: ArrayLike<number>, rows: number, k: number, smoothing: number): Float32Array {
  const t = new Float32Array(rows * k);
  const keep = f(1 - smoothing);
  const spread = f(smoothing / k);
  for (let b = 0; b < rows; b++) {
    for (let c = 0; c < k; c++) {
      const oneHot = c === labels[b] ? 1 : 0;
      t[b * k + c] = smoothing > 0 ? f(f(oneHot * keep) + spread) : oneHot;
    }
  }
  return t;
}

/** The loss value and d loss / d outputs of one batch. */
export interface LossAndGrad {
  loss: number;
  dOutputs: Float32Array;
}

/**
 * −Σ_c t·logSoftmax(logits), averaged over rows, and its gradient, op for op as train/losses.ts
 * softmaxCrossEntropy runs on tfjs: logSoftmax = shifted − log Σ exp(shifted) with shifted =
 * logits − max (tfjs's own custom gradient: dy − Σdy · exp(logSoftmax)), the mean as tfjs's Mean
 * (each row divided by the row count, then summed).
 */
export function softmaxCrossEntropy(logits: Float32Array, targets: Float32Array, rows: number, k: number): LossAndGrad {
  const logProbs = new Float32Array(rows * k);
  let loss = 0;
  for (let b = 0; b < rows; b++) {
    const o = b * k;
    let max = logits[o];
    for (let c = 0; c < k; c++) {
      const v = logits[o + c];
      if (Number.isNaN(v) || v > max) max = v;
    }
    let expSum = 0;
    for (let c = 0; c < k; c++) {
      const s = f(logits[o + c] - max);
      logProbs[o + c] = s;
      expSum += f(Math.exp(s));
    }
    const logSum = f(Math.log(f(expSum)));
    let rowSum = 0;
    for (let c = 0; c < k; c++) {
      const lp = f(logProbs[o + c] - logSum);
      logProbs[o + c] = lp;
      rowSum += f(targets[o + c] * lp);
    }
    loss += f(-f(rowSum) / rows);
  }
  // Backward: mean → −1/rows per row (neg), broadcast over classes (sum), times the targets (mul).
  const dRow = -f(1 / rows);
  const dOutputs = new Float32Array(rows * k);
  for (let b = 0; b < rows; b++) {
    const o = b * k;
    let dSum = 0;
    for (let c = 0; c < k; c++) {
      const d = f(dRow * targets[o + c]);
      dOutputs[o + c] = d;
      dSum += d;
    }
    const s = f(dSum);
    for (let c = 0; c < k; c++) dOutputs[o + c] = f(dOutputs[o + c] - f(s * f(Math.exp(logProbs[o + c]))));
  }
  return { loss: f(loss), dOutputs };
}

/** mean((outputs − targets)²) over every element and its gradient, as meanSquaredError on tfjs. */
export function meanSquaredError(outputs: Float32Array, targets: Float32Array): LossAndGrad {
  const n = outputs.length;
  const dOutputs = new Float32Array(n);
  const g = f(1 / n);
  let loss = 0;
  for (let i = 0; i < n; i++) {
    const d = f(outputs[i] - targets[i]);
    loss += f(f(d * d) / n);
    dOutputs[i] = g * f(d * 2);
  }
  return { loss: f(loss), dOutputs };
}

/** Rows whose arg-max output (first of equal maxima, as tf.argMax) equals the label. */
export function correctCount(outputs: Float32Array, labels: ArrayLike<number>, rows: number, k: number): number {
  let correct = 0;
  for (let b = 0; b < rows; b++) {
    const o = b * k;
    let max = outputs[o];
    let arg = 0;
    for (let c = 0; c < k; c++) {
      if (outputs[o + c] > max) {
        max = outputs[o + c];
        arg = c;
      }
    }
    if (arg === labels[b]) correct++;
  }
  return correct;
}

/**
 * The L2 norm of all arrays taken as one vector, as train/clip.ts globalNorm computes it:
 * each array's Σ g² (squares rounded, summed in float64, rounded), those added in float32 in
 * order (tf.addN), then the square root.
 */
export function globalNorm(arrays: readonly Float32Array[]): number {
  let total = 0;
  for (const a of arrays) {
    let s = 0;
    for (let i = 0; i < a.length; i++) s += f(a[i] * a[i]);
    total = f(total + f(s));
  }
  return f(Math.sqrt(total));
}

/** The factor clipByGlobalNorm scales every gradient by: min(1, maxNorm / (norm + 1e-6)). */
export function clipScale(norm: number, maxNorm: number): number {
  return f(Math.min(1, f(f(maxNorm) / f(norm + f(1e-6)))));
}

/** g · scale, element by element, rounded (tf.mul with a scalar). */
export function scaled(g: Float32Array, scale: number): Float32Array {
  const out = new Float32Array(g.length);
  for (let i = 0; i < g.length; i++) out[i] = g[i] * scale;
  return out;
}
