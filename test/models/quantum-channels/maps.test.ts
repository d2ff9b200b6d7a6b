// The pixel side of the quantum channels against hand-worked examples: the cell grid, cell
// means (downsampling), the half-pixel bilinear resize and the channel layout of the result.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendMapChannels, cellGrid, cellMeans, resizeBilinear } from '../../../src/models/quantum-channels/maps.js';

test('cellGrid: the most square factorization, rows <= cols', () => {
  assert.deepEqual(cellGrid(1), { rows: 1, cols: 1 });
  assert.deepEqual(cellGrid(4), { rows: 2, cols: 2 });
  assert.deepEqual(cellGrid(8), { rows: 2, cols: 4 });
  assert.deepEqual(cellGrid(9), { rows: 3, cols: 3 });
  assert.deepEqual(cellGrid(12), { rows: 3, cols: 4 });
  assert.deepEqual(cellGrid(5), { rows: 1, cols: 5 });
  assert.throws(() => cellGrid(0), RangeError);
});

test('cellMeans: each cell is the mean of its block over pixels and channels', () => {
  // A 4x4 grey image: values 0..15 row-major; 2x2 cells average 2x2 blocks.
  const img = Float32Array.from({ length: 16 }, (_, i) => i);
  const out = new Float64Array(4);
  cellMeans(img, 0, [4, 4, 1], { rows: 2, cols: 2 }, out);
  assert.deepEqual([...out], [(0 + 1 + 4 + 5) / 4, (2 + 3 + 6 + 7) / 4, (8 + 9 + 12 + 13) / 4, (10 + 11 + 14 + 15) / 4]);
  // Two channels and an offset: channel values c0 = 1, c1 = 3 everywhere in the second image.
  const two = new Float32Array(2 * 2 * 2 * 2);
  for (let p = 0; p < 4; p++) {
    two[8 + 2 * p] = 1;
    two[8 + 2 * p + 1] = 3;
  }
  const one = new Float64Array(1);
  cellMeans(two, 8, [2, 2, 2], { rows: 1, cols: 1 }, one);
  assert.equal(one[0], 2);
  // 5 columns into 2 cells: blocks [0, 2) and [2, 5).
  const row = Float32Array.from([1, 1, 4, 4, 7]);
  const halves = new Float64Array(2);
  cellMeans(row, 0, [1, 5, 1], { rows: 1, cols: 2 }, halves);
  assert.deepEqual([...halves], [1, 5]);
  assert.throws(() => cellMeans(row, 0, [1, 5, 1], { rows: 2, cols: 1 }, halves), /does not fit/);
});

test('resizeBilinear: a 2x2 grid to 4x4 with half-pixel centres (worked by hand)', () => {
  // Grid [[0, 4], [8, 12]]. Output coordinate i of 4 samples the grid at (i + 0.5)/2 − 0.5:
  // −0.25 → 0 (clamped), 0.25, 0.75, 1.25 → 1 (clamped); so along a side the weights of the
  // second cell are 0, 0.25, 0.75, 1 and row r, column c gives 8·wr + 4·wc.
  const out = new Float32Array(16);
  resizeBilinear([0, 4, 8, 12], 0, 2, 2, 4, 4, out, 0, 1);
  const wgt = [0, 0.25, 0.75, 1];
  const expected = wgt.flatMap((wr) => wgt.map((wc) => 8 * wr + 4 * wc));
  assert.deepEqual([...out], expected);
  // A 1x1 grid is a constant map; stride and offset place values into interleaved channels.
  const inter = new Float32Array(3 * 3 * 2);
  resizeBilinear([0.5], 0, 1, 1, 3, 3, inter, 1, 2);
  assert.deepEqual([...inter], Array.from({ length: 18 }, (_, i) => (i % 2 === 1 ? 0.5 : 0)));
});

test('appendMapChannels: the image channels stay first, then one channel per map, per image', () => {
  // Two 2x2 RGB images; maps of one cell (1x1 grid) so each map channel is constant per image.
  const pixels = Float32Array.from({ length: 2 * 4 * 3 }, (_, i) => i);
  const edge = Float64Array.from([0.1, 0.2]);
  const texture = Float64Array.from([-0.3, -0.4]);
  const out = appendMapChannels(pixels, 2, [2, 2, 3], [edge, texture], { rows: 1, cols: 1 });
  assert.equal(out.length, 2 * 4 * 5);
  for (let b = 0; b < 2; b++) {
    for (let p = 0; p < 4; p++) {
      const at = (b * 4 + p) * 5;
      assert.deepEqual([...out.subarray(at, at + 3)], [...pixels.subarray((b * 4 + p) * 3, (b * 4 + p) * 3 + 3)]);
      assert.equal(out[at + 3], Math.fround(edge[b]));
      assert.equal(out[at + 4], Math.fround(texture[b]));
    }
  }
});
