// CSV datasets from files: read the file, then parse it (csv-parse.ts, where the format's rules live).

import { readFileSync } from 'node:fs';
import type { Dataset } from './dataset.js';
import { CsvError, parseCsvDataset, type CsvOptions } from './csv-parse.js';

export { CsvError, parseCsvDataset, parseCsvRecords, type CsvOptions } from './csv-parse.js';

/** Load a CSV file as a classification dataset. Labels become class indices in sorted order. */
export function loadCsv(path: string, options: CsvOptions): Dataset {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new CsvError([`${path}: cannot read the file: ${(e as Error).message}`]);
  }
  return parseCsvDataset(text, path, options);
}
