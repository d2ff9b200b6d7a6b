// Writes examples/csv/wine.csv: a wine-like table, generated (no download) so that it ships with
// the repository and can be regenerated bit for bit: 178 wines of three cultivars with seven
// measurements each, drawn per cultivar from normal distributions whose means and spreads follow
// the UCI Wine data's class statistics (Forina et al., PARVUS, 1988). The features are independent
// within a class (the real ones are not), so it is like that data, not a copy of it.
//
//   node --import tsx examples/csv/generate.ts
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Rng } from '../../src/util/random.js';

interface Feature {
  name: string;
  /** Decimal places written. */
  digits: number;
  /** [mean, standard deviation] per cultivar. */
  byClass: Array<[number, number]>;
}

const CULTIVARS = [
  { name: 'barolo', rows: 59 },
  { name: 'grignolino', rows: 71 },
  { name: 'barbera', rows: 48 },
];

const FEATURES: Feature[] = [
  { name: 'alcohol', digits: 2, byClass: [[13.74, 0.46], [12.28, 0.54], [13.15, 0.53]] },
  { name: 'malic_acid', digits: 2, byClass: [[2.01, 0.69], [1.93, 1.02], [3.33, 1.09]] },
  { name: 'ash', digits: 2, byClass: [[2.46, 0.23], [2.24, 0.32], [2.44, 0.18]] },
  { name: 'magnesium', digits: 0, byClass: [[106, 10], [94, 17], [99, 11]] },
  { name: 'flavanoids', digits: 2, byClass: [[2.98, 0.4], [2.08, 0.71], [0.78, 0.29]] },
  { name: 'color_intensity', digits: 2, byClass: [[5.53, 1.24], [3.09, 0.92], [7.4, 2.31]] },
  { name: 'proline', digits: 0, byClass: [[1116, 221], [520, 158], [630, 115]] },
];

/** The table as CSV text: a header, then the rows in a seeded shuffled order. */
export function wineLikeCsv(seed = 1988): string {
  const rng = new Rng(seed);
  const rows: string[] = [];
  CULTIVARS.forEach((c, k) => {
    for (let r = 0; r < c.rows; r++) {
      // Measurements are positive: redraw the rare negative tail instead of clipping it to 0.
      const values = FEATURES.map((f) => {
        let v: number;
        do v = rng.normal(f.byClass[k][0], f.byClass[k][1]);
        while (v <= 0);
        return v.toFixed(f.digits);
      });
      rows.push([...values, c.name].join(','));
    }
  });
  return [[...FEATURES.map((f) => f.name), 'cultivar'].join(','), ...rng.shuffle(rows)].join('\n') + '\n';
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const target = fileURLToPath(new URL('wine.csv', import.meta.url));
  writeFileSync(target, wineLikeCsv());
  console.log(`wrote ${target}`);
}
