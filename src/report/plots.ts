// Plots as vega-lite specs rendered headless: vega-lite → vega → SVG (no browser, no canvas),
// then SVG → PNG with resvg. Specs are plain data so tests can inspect them.

import { Resvg } from '@resvg/resvg-js';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { EpochRecord } from '../train/history.js';

export type CurveMetric = 'loss' | 'accuracy';

/** Train and validation curves of one metric over epochs. */
export function curveSpec(history: readonly EpochRecord[], metric: CurveMetric, title: string): TopLevelSpec {
  const values: Array<{ epoch: number; split: string; value: number }> = [];
  for (const r of history) {
    const train = metric === 'loss' ? r.train_loss : (r.train_accuracy ?? NaN);
    const val = metric === 'loss' ? r.val_loss : (r.val_accuracy ?? null);
    if (Number.isFinite(train)) values.push({ epoch: r.epoch, split: 'train', value: train });
    if (val !== null && Number.isFinite(val)) values.push({ epoch: r.epoch, split: 'validation', value: val });
  }
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    width: 420,
    height: 240,
    background: 'white',
    data: { values },
    mark: { type: 'line', point: history.length <= 30 },
    encoding: {
      x: { field: 'epoch', type: 'quantitative', title: 'epoch', axis: { tickMinStep: 1 } },
      y: { field: 'value', type: 'quantitative', title: metric, scale: metric === 'loss' ? { zero: true } : { domain: [0, 1] } },
      color: { field: 'split', type: 'nominal', title: null, scale: { domain: ['train', 'validation'] } },
    },
  };
}

/** Validation accuracy per epoch of several models in one chart (one line per model). */
export function validationAccuracySpec(series: ReadonlyArray<{ name: string; values: ReadonlyArray<number | null> }>, title = 'validation accuracy per epoch'): TopLevelSpec {
  const values: Array<{ epoch: number; model: string; accuracy: number }> = [];
  for (const s of series) {
    s.values.forEach((v, i) => {
      if (v !== null && Number.isFinite(v)) values.push({ epoch: i + 1, model: s.name, accuracy: v });
    });
  }
  // Zoom to the range the curves use (accuracies near 1 are indistinguishable on [0, 1]).
  const lo = values.length > 0 ? Math.min(...values.map((v) => v.accuracy)) : 0;
  const floor = Math.max(0, Math.floor(lo * 20) / 20 - 0.05);
  const maxEpochs = Math.max(1, ...series.map((s) => s.values.length));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    width: 420,
    height: 260,
    background: 'white',
    data: { values },
    mark: { type: 'line', point: true },
    encoding: {
      x: { field: 'epoch', type: 'quantitative', title: 'epoch', axis: { tickMinStep: 1 }, scale: { domain: [1, maxEpochs] } },
      y: { field: 'accuracy', type: 'quantitative', title: 'validation accuracy', scale: { domain: [floor, 1] } },
      color: { field: 'model', type: 'nominal', title: null, scale: { domain: series.map((s) => s.name) } },
    },
  };
}

export interface BoundaryGrid {
  /** Grid cell centres and the predicted class (and its probability) at each. */
  cells: Array<{ x: number; y: number; cls: number; p: number }>;
  step: { x: number; y: number };
  /** Points to overlay (e.g. the test set) with their true classes. */
  points: Array<{ x: number; y: number; cls: number }>;
  xName: string;
  yName: string;
  classNames: string[];
}

/** Predicted class over a grid of the two informative features, with the data on top. */
export function decisionBoundarySpec(grid: BoundaryGrid, title: string): TopLevelSpec {
  const classDomain = grid.classNames;
  const cells = grid.cells.map((c) => ({ x: c.x, y: c.y, x2: c.x + grid.step.x, y2: c.y + grid.step.y, cls: grid.classNames[c.cls], p: c.p }));
  const points = grid.points.map((p) => ({ x: p.x, y: p.y, cls: grid.classNames[p.cls] }));
  const extent = (key: 'x' | 'y') => {
    const lo = Math.min(...grid.cells.map((c) => c[key]));
    const hi = Math.max(...grid.cells.map((c) => c[key])) + grid.step[key];
    return [lo, hi];
  };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    width: 360,
    height: 360,
    background: 'white',
    layer: [
      {
        data: { values: cells },
        mark: { type: 'rect', opacity: 0.45 },
        encoding: {
          x: { field: 'x', type: 'quantitative', title: grid.xName, scale: { domain: extent('x'), nice: false } },
          x2: { field: 'x2' },
          y: { field: 'y', type: 'quantitative', title: grid.yName, scale: { domain: extent('y'), nice: false } },
          y2: { field: 'y2' },
          color: { field: 'cls', type: 'nominal', title: 'class', scale: { domain: classDomain } },
        },
      },
      {
        data: { values: points },
        mark: { type: 'point', filled: true, size: 22, stroke: 'black', strokeWidth: 0.4 },
        encoding: {
          x: { field: 'x', type: 'quantitative' },
          y: { field: 'y', type: 'quantitative' },
          color: { field: 'cls', type: 'nominal', scale: { domain: classDomain } },
        },
      },
    ],
  };
}

/** Render a vega-lite spec to an SVG string. */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** Rasterize SVG to PNG at `scale` × its size. */
export function svgToPng(svg: string, scale = 2): Buffer {
  return Buffer.from(new Resvg(svg, { fitTo: { mode: 'zoom', value: scale }, background: 'white' }).render().asPng());
}

/** The quantum head's gate alpha per epoch, one line per model (log scale: it starts near 0.0025). */
export function alphaSpec(series: ReadonlyArray<{ name: string; values: ReadonlyArray<number | null> }>, title = 'quantum head gate alpha per epoch'): TopLevelSpec {
  const values: Array<{ epoch: number; model: string; alpha: number }> = [];
  for (const s of series) s.values.forEach((v, i) => v !== null && Number.isFinite(v) && v > 0 && values.push({ epoch: i + 1, model: s.name, alpha: v }));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    width: 420,
    height: 220,
    background: 'white',
    data: { values },
    mark: { type: 'line', point: true },
    encoding: {
      x: { field: 'epoch', type: 'quantitative', title: 'epoch', axis: { tickMinStep: 1 } },
      y: { field: 'alpha', type: 'quantitative', title: 'alpha', scale: { type: 'log' } },
      color: { field: 'model', type: 'nominal', title: null, scale: { domain: series.map((s) => s.name) } },
    },
  };
}
