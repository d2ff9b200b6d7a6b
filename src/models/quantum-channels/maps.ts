// The pixel side of the quantum channels: an image down to n cell means (the circuits' inputs),
// and n expectation values back up to a full-size map (an appended channel). Both use the same
// grid of n cells, rows × cols, so expectation value i lands where cell i was read.

/** The grid of `n` cells: rows = the largest divisor of n up to √n (4 → 2×2, 8 → 2×4, 9 → 3×3, 5 → 1×5). */
export function cellGrid(n: number): { rows: number; cols: number } {
  if (!(Number.isInteger(n) && n >= 1)) throw new RangeError(`the number of cells must be a positive integer, got ${n}`);
  let rows = 1;
  for (let r = 1; r * r <= n; r++) if (n % r === 0) rows = r;
  return { rows, cols: n / rows };
}

/** [start, end) of cell `i` of `cells` along a side of `size` pixels (blocks as even as integers allow). */
function span(i: number, cells: number, size: number): [number, number] {
  return [Math.floor((i * size) / cells), Math.floor(((i + 1) * size) / cells)];
}

/**
 * Mean of every grid cell over all its pixels and channels, row-major over the grid: the image
 * (H×W×C, channels last, at `offset` in `pixels`) downsampled to rows·cols values. A grid finer
 * than the image is refused (a cell would hold no pixel).
 */
export function cellMeans(pixels: Float32Array, offset: number, shape: readonly number[], grid: { rows: number; cols: number }, out: Float64Array, outOffset = 0): void {
  const [h, w, ch] = shape;
  if (grid.rows > h || grid.cols > w) throw new RangeError(`a ${grid.rows}×${grid.cols} grid does not fit a ${h}×${w} image`);
  for (let gr = 0; gr < grid.rows; gr++) {
    const [r0, r1] = span(gr, grid.rows, h);
    for (let gc = 0; gc < grid.cols; gc++) {
      const [c0, c1] = span(gc, grid.cols, w);
      let sum = 0;
      for (let r = r0; r < r1; r++) {
        const row = offset + (r * w + c0) * ch;
        for (let k = 0; k < (c1 - c0) * ch; k++) sum += pixels[row + k];
      }
      out[outOffset + gr * grid.cols + gc] = sum / ((r1 - r0) * (c1 - c0) * ch);
    }
  }
}

/**
 * Bilinear resize of a rows×cols grid (row-major at `offset`) to h×w, with half-pixel centres
 * (as tf.image.resizeBilinear with halfPixelCenters, PyTorch's align_corners=False): output
 * pixel (r, c) samples the grid at ((r + ½)·rows/h − ½, (c + ½)·cols/w − ½), clamped to the
 * grid's edge. Writes value (r, c) to out[outOffset + (r·w + c)·stride].
 */
export function resizeBilinear(grid: ArrayLike<number>, offset: number, rows: number, cols: number, h: number, w: number, out: Float32Array, outOffset: number, stride: number): void {
  resizeWith(resizePlan(rows, cols, h, w), grid, offset, out, outOffset, stride);
}

/** The sample positions of a resize, computed once for every image of a data set. */
interface ResizePlan {
  cols: number;
  h: number;
  w: number;
  /** Per output row and column: the lower grid index, the upper one and the upper one's weight. */
  r0: Int32Array;
  r1: Int32Array;
  fr: Float64Array;
  c0: Int32Array;
  c1: Int32Array;
  fc: Float64Array;
}

function resizePlan(rows: number, cols: number, h: number, w: number): ResizePlan {
  const axis = (cells: number, size: number) => {
    const lo = new Int32Array(size);
    const hi = new Int32Array(size);
    const frac = new Float64Array(size);
    for (let i = 0; i < size; i++) {
      const pos = Math.min(Math.max(((i + 0.5) * cells) / size - 0.5, 0), cells - 1);
      lo[i] = Math.floor(pos);
      hi[i] = Math.min(lo[i] + 1, cells - 1);
      frac[i] = pos - lo[i];
    }
    return [lo, hi, frac] as const;
  };
  const [r0, r1, fr] = axis(rows, h);
  const [c0, c1, fc] = axis(cols, w);
  return { cols, h, w, r0, r1, fr, c0, c1, fc };
}

function resizeWith(p: ResizePlan, grid: ArrayLike<number>, offset: number, out: Float32Array, outOffset: number, stride: number): void {
  const { cols, h, w, r0, r1, fr, c0, c1, fc } = p;
  for (let r = 0; r < h; r++) {
    const top = offset + r0[r] * cols;
    const bottom = offset + r1[r] * cols;
    const wr = fr[r];
    let at = outOffset + r * w * stride;
    for (let c = 0; c < w; c++, at += stride) {
      const wc = fc[c];
      const t = grid[top + c0[c]] * (1 - wc) + grid[top + c1[c]] * wc;
      const b = grid[bottom + c0[c]] * (1 - wc) + grid[bottom + c1[c]] * wc;
      out[at] = t * (1 - wr) + b * wr;
    }
  }
}

/**
 * Images (count × H×W×C) with `maps.length` channels appended: channel C + m of image b is
 * maps[m]'s n values of image b (at b·n), resized to H×W. Returns count × H×W×(C + maps.length).
 */
export function appendMapChannels(pixels: Float32Array, count: number, shape: readonly number[], maps: readonly Float64Array[], grid: { rows: number; cols: number }): Float32Array {
  const [h, w, ch] = shape;
  const n = grid.rows * grid.cols;
  const outCh = ch + maps.length;
  const plane = h * w;
  const out = new Float32Array(count * plane * outCh);
  const plan = resizePlan(grid.rows, grid.cols, h, w);
  for (let b = 0; b < count; b++) {
    const src = b * plane * ch;
    const dst = b * plane * outCh;
    for (let p = 0; p < plane; p++) for (let k = 0; k < ch; k++) out[dst + p * outCh + k] = pixels[src + p * ch + k];
    for (let j = 0; j < maps.length; j++) resizeWith(plan, maps[j], b * n, out, dst + ch + j, outCh);
  }
  return out;
}
