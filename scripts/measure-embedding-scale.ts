// How the angle embedding's scale changes test accuracy on tabular data (docs/embedding-scale.md):
// a 4-qubit layer (angle embedding, 2 StronglyEntanglingLayers, <Z> per wire) reads 4 standardized
// features directly, with angle = scale × feature, or after a tanh layer that squashes them into
// (-1, 1) first; then Dense(classes). Three tables, two seeds each, 40 epochs.
//
//   node --conditions=source --import tsx scripts/measure-embedding-scale.ts
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseConfigText } from '../src/config/load.js';
import { runExperiment } from '../src/experiments/run.js';
import { silentReporter } from '../src/train/progress.js';
import { Rng } from '../src/util/random.js';

/** A breast-cancer-like binary table: 4 skewed (log-normal) measurements whose level depends on the class. */
function cancerLikeCsv(seed = 11): string {
  const rng = new Rng(seed);
  const rows = ['radius,texture,area,concavity,diagnosis'];
  for (let i = 0; i < 400; i++) {
    const malignant = rng.next() < 0.37;
    const m = malignant ? 1 : 0;
    const radius = Math.exp(rng.normal(2.5 + 0.35 * m, 0.15));
    const texture = Math.exp(rng.normal(2.9 + 0.15 * m, 0.2));
    const area = radius * radius * Math.PI * Math.exp(rng.normal(0, 0.05));
    const concavity = Math.exp(rng.normal(-3.3 + 1.3 * m, 0.7));
    rows.push([radius.toFixed(3), texture.toFixed(3), area.toFixed(1), concavity.toFixed(4), malignant ? 'M' : 'B'].join(','));
  }
  return rows.join('\n') + '\n';
}

const root = resolve(import.meta.dirname, '..');
const work = mkdtempSync(join(tmpdir(), 'entangle-scale-'));
writeFileSync(join(work, 'cancer.csv'), cancerLikeCsv());

const DATA: Record<string, { data: string; classes: number }> = {
  circles: { data: '{ type: circles, samples: 600, factor: 0.5, noise: 0.1, noiseFeatures: 2, split: { train: 400, val: 100, test: 100 } }', classes: 2 },
  'wine-like (examples/csv, 4 of its columns)': {
    data: `{ type: csv, path: ${join(root, 'examples/csv/wine.csv')}, label: cultivar, features: [alcohol, flavanoids, color_intensity, proline], split: { train: 0.6, val: 0.2, test: 0.2 } }`,
    classes: 3,
  },
  'breast-cancer-like (generated, skewed)': { data: `{ type: csv, path: ${join(work, 'cancer.csv')}, label: diagnosis, split: { train: 0.6, val: 0.2, test: 0.2 } }`, classes: 2 },
};

const VARIANTS: Record<string, { squash: boolean; scale: string }> = {
  'scale 1': { squash: false, scale: '1' },
  'scale π': { squash: false, scale: '3.141592653589793' },
  'tanh, then scale π': { squash: true, scale: '3.141592653589793' },
  'tanh, then scale 1': { squash: true, scale: '1' },
};

const config = (data: string, classes: number, v: { squash: boolean; scale: string }, seed: number): string => `
name: scale
seed: ${seed}
data: ${data}
model:
  layers:
${v.squash ? '    - activation: tanh\n' : ''}    - quantum:
        wires: 4
        embedding: { type: angle, rotation: X, scale: ${v.scale} }
        ansatz: { type: strongly_entangling, layers: 2 }
    - dense: { units: ${classes} }
training: { epochs: 40, batchSize: 16, optimizer: { type: adam, lr: 0.02 } }
`;

const SEEDS = [1, 2];
const lines = [`| data | ${Object.keys(VARIANTS).join(' | ')} |`, `|---|${Object.keys(VARIANTS).map(() => '---:').join('|')}|`];
try {
  for (const [name, d] of Object.entries(DATA)) {
    const cells: string[] = [];
    for (const v of Object.values(VARIANTS)) {
      const accs: number[] = [];
      for (const seed of SEEDS) {
        const { summary } = await runExperiment(parseConfigText(config(d.data, d.classes, v, seed), 'scale.yaml'), { outDir: join(work, 'run'), report: false, reporter: silentReporter });
        accs.push(summary.test_accuracy ?? NaN);
      }
      cells.push(accs.map((a) => `${(100 * a).toFixed(1)}%`).join(' / '));
    }
    lines.push(`| ${name} | ${cells.join(' | ')} |`);
    console.error(lines.at(-1));
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
console.log(lines.join('\n'));
