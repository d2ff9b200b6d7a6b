// Drawing for the page: the decision boundary on a canvas (class colour, strength by the model's
// confidence, the train and test points on top) and the loss/accuracy curves as small SVG charts.

import type { BoundaryFrame, PointSet } from './protocol.js';

/** Class colours, TensorFlow Playground's orange and blue first. */
export const CLASS_COLORS = ['#e8871e', '#2f78c4', '#3aa657', '#c0392b', '#8e44ad', '#16a085'];

function rgb(hex: string): [number, number, number] {
  const v = Number.parseInt(hex.slice(1), 16);
  return [(v >> 16) & 255, (v >> 8) & 255, v & 255];
}

export interface BoundaryImage {
  frame: BoundaryFrame;
  cls: Int32Array;
  prob: Float32Array;
  numClasses: number;
}

/** Paint the grid (white at chance, full colour at certainty) and the points. */
export function drawBoundary(canvas: HTMLCanvasElement, image: BoundaryImage | null, frame: BoundaryFrame, train: PointSet, test: PointSet): void {
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  const size = canvas.width;
  const res = frame.resolution;
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, size, size);
  const x1 = frame.x0 + res * frame.stepX;
  const y1 = frame.y0 + res * frame.stepY;
  if (image) {
    // One pixel per grid cell on a small canvas, scaled up smoothly: no seams between cells.
    const chance = 1 / image.numClasses;
    const small = new OffscreenCanvas(res, res);
    const sctx = small.getContext('2d');
    if (sctx) {
      const pixels = sctx.createImageData(res, res);
      for (let a = 0; a < res; a++) {
        for (let b = 0; b < res; b++) {
          const k = a * res + b;
          const [r, g, bl] = rgb(CLASS_COLORS[image.cls[k] % CLASS_COLORS.length]);
          // Confidence above chance, scaled to [0, 1]: the boundary shows as a pale band.
          const strength = Math.max(0, Math.min(1, (image.prob[k] - chance) / (1 - chance)));
          const alpha = 0.1 + 0.5 * strength;
          // Row b counts up in y; image rows count down.
          const o = ((res - 1 - b) * res + a) * 4;
          pixels.data[o] = Math.round(255 + (r - 255) * alpha);
          pixels.data[o + 1] = Math.round(255 + (g - 255) * alpha);
          pixels.data[o + 2] = Math.round(255 + (bl - 255) * alpha);
          pixels.data[o + 3] = 255;
        }
      }
      sctx.putImageData(pixels, 0, 0);
      ctx.imageSmoothingEnabled = true;
      ctx.imageSmoothingQuality = 'high';
      ctx.drawImage(small, 0, 0, size, size);
    }
  }
  const px = (x: number) => ((x - frame.x0) / (x1 - frame.x0)) * size;
  const py = (y: number) => size - ((y - frame.y0) / (y1 - frame.y0)) * size;
  const dot = (set: PointSet, hollow: boolean) => {
    for (let i = 0; i < set.x.length; i++) {
      const color = CLASS_COLORS[set.cls[i] % CLASS_COLORS.length];
      ctx.beginPath();
      ctx.arc(px(set.x[i]), py(set.y[i]), hollow ? 3.2 : 3, 0, 2 * Math.PI);
      ctx.fillStyle = hollow ? '#fff' : color;
      ctx.strokeStyle = hollow ? color : '#fff';
      ctx.lineWidth = hollow ? 1.8 : 0.9;
      ctx.fill();
      ctx.stroke();
    }
  };
  dot(train, false);
  dot(test, true);
  ctx.fillStyle = '#6b7785';
  ctx.font = '11px Helvetica, Arial, sans-serif';
  ctx.fillText(frame.xName, size - 6 - ctx.measureText(frame.xName).width, size - 6);
  ctx.save();
  ctx.translate(12, 6 + ctx.measureText(frame.yName).width);
  ctx.rotate(-Math.PI / 2);
  ctx.fillText(frame.yName, 0, 0);
  ctx.restore();
}

export interface Series {
  name: string;
  color: string;
  dashed?: boolean;
  values: number[];
}

/** A line chart of per-epoch values as an SVG string, with axes, ticks and a legend. */
export function lineChart(title: string, series: Series[], opts: { width: number; height: number; yMin?: number; yMax?: number }): string {
  const { width, height } = opts;
  const m = { l: 40, r: 10, t: 22, b: 26 };
  const w = width - m.l - m.r;
  const h = height - m.t - m.b;
  const n = Math.max(1, ...series.map((s) => s.values.length));
  const all = series.flatMap((s) => s.values).filter(Number.isFinite);
  let lo = opts.yMin ?? (all.length ? Math.min(...all) : 0);
  let hi = opts.yMax ?? (all.length ? Math.max(...all) : 1);
  if (hi - lo < 1e-9) hi = lo + 1;
  if (opts.yMin === undefined) lo = Math.max(0, lo - 0.05 * (hi - lo));
  const x = (i: number) => m.l + (n <= 1 ? 0 : (i / (n - 1)) * w);
  const y = (v: number) => m.t + h - ((v - lo) / (hi - lo)) * h;
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif">`);
  out.push(`<text x="${m.l}" y="13" font-size="12" font-weight="600" fill="#263238">${title}</text>`);
  for (let k = 0; k <= 4; k++) {
    const v = lo + ((hi - lo) * k) / 4;
    out.push(`<line x1="${m.l}" x2="${m.l + w}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" stroke="#eef1f4"/>`);
    out.push(`<text x="${m.l - 5}" y="${y(v).toFixed(1)}" font-size="9.5" fill="#6b7785" text-anchor="end" dominant-baseline="central">${v.toFixed(hi - lo < 0.5 ? 2 : 1)}</text>`);
  }
  out.push(`<line x1="${m.l}" x2="${m.l + w}" y1="${m.t + h}" y2="${m.t + h}" stroke="#9aa5b1"/>`);
  const ticks = Math.min(5, n);
  for (let k = 0; k < ticks; k++) {
    const i = ticks === 1 ? 0 : Math.round(((n - 1) * k) / (ticks - 1));
    out.push(`<text x="${x(i).toFixed(1)}" y="${m.t + h + 12}" font-size="9.5" fill="#6b7785" text-anchor="middle">${i + 1}</text>`);
  }
  out.push(`<text x="${m.l + w}" y="${m.t + h + 12}" font-size="9.5" fill="#6b7785" text-anchor="end" dy="10">epoch</text>`);
  for (const s of series) {
    if (s.values.length === 0) continue;
    const d = s.values.map((v, i) => `${i === 0 ? 'M' : 'L'}${x(i).toFixed(1)} ${y(v).toFixed(1)}`).join('');
    out.push(`<path class="series" d="${d}" fill="none" stroke="${s.color}" stroke-width="1.8"${s.dashed ? ' stroke-dasharray="4 3"' : ''}/>`);
  }
  out.push('</svg>');
  return out.join('');
}
