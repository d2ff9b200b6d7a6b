// Parsing CSV text into a classification dataset: a header row, numeric feature columns and one
// label column chosen by name. Every bad row is reported as `file:line: problem` (all of them, up
// to a limit, so a user can fix a file in one pass); a file with any bad row is refused rather
// than silently thinned. No file access here (csv.ts reads files), so a web page parses a
// dropped file with exactly the rules `entangle train` applies.

import type { Dataset } from './dataset.js';
import { EntangleError } from '../util/errors.js';

export interface CsvOptions {
  /** Name of the label column. */
  label: string;
  /** Feature columns by name, in this order; default: every column except the label. */
  features?: string[];
  /** Field separator; default ','. */
  delimiter?: string;
}

export class CsvError extends EntangleError {
  override name = 'CsvError';
  /** The config field (under data) the problems come from, when they all come from one: label or features. */
  constructor(readonly problems: string[], readonly field?: 'label' | 'features') {
    const shown = problems.slice(0, MAX_REPORTED);
    const more = problems.length > MAX_REPORTED ? `\n…and ${problems.length - MAX_REPORTED} more` : '';
    super('E_CSV', shown.join('\n') + more);
  }
}

const MAX_REPORTED = 20;

interface CsvRecord {
  line: number;
  fields: string[];
}

/**
 * Split CSV text into records (RFC 4180 quoting: "a, b" and "" for a quote inside quotes).
 * Blank lines are skipped; `line` is the 1-based line where the record starts.
 */
export function parseCsvRecords(text: string, file: string, delimiter = ','): CsvRecord[] {
  const records: CsvRecord[] = [];
  let line = 1;
  let i = 0;
  if (text.charCodeAt(0) === 0xfeff) i = 1; // byte-order mark
  while (i < text.length) {
    const startLine = line;
    const fields: string[] = [];
    let field = '';
    let atRecordEnd = false;
    while (!atRecordEnd) {
      if (text[i] === '"') {
        i++;
        for (;;) {
          if (i >= text.length) throw new CsvError([`${file}:${startLine}: a quoted field is never closed`]);
          if (text[i] === '"') {
            if (text[i + 1] === '"') {
              field += '"';
              i += 2;
              continue;
            }
            i++;
            break;
          }
          if (text[i] === '\n') line++;
          field += text[i++];
        }
      }
      while (i < text.length && text[i] !== delimiter && text[i] !== '\n' && text[i] !== '\r') field += text[i++];
      fields.push(field);
      field = '';
      if (text[i] === delimiter) {
        i++;
        continue;
      }
      if (text[i] === '\r') i++;
      if (text[i] === '\n') {
        i++;
        line++;
      }
      atRecordEnd = true;
    }
    if (!(fields.length === 1 && fields[0].trim() === '')) records.push({ line: startLine, fields });
  }
  return records;
}

/** Parse CSV text (see csv.ts loadCsv); `file` names the source in messages. */
export function parseCsvDataset(text: string, file: string, options: CsvOptions): Dataset {
  const records = parseCsvRecords(text, file, options.delimiter ?? ',');
  if (records.length === 0) throw new CsvError([`${file}: the file is empty (expected a header row)`]);
  const header = records[0];
  const names = header.fields.map((f) => f.trim());
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name)) problems.push(`${file}:${header.line}: column "${name}" appears more than once in the header`);
    seen.add(name);
  }
  const headerProblems = problems.length;
  const labelCol = names.indexOf(options.label);
  if (labelCol < 0) problems.push(`${file}:${header.line}: no column named "${options.label}" for the label (columns: ${names.join(', ')})`);
  const labelProblems = problems.length - headerProblems;
  const featureNames = options.features ?? names.filter((n) => n !== options.label);
  const featureCols = featureNames.map((name) => {
    const col = names.indexOf(name);
    if (col < 0) problems.push(`${file}:${header.line}: no feature column named "${name}" (columns: ${names.join(', ')})`);
    if (name === options.label) problems.push(`${file}:${header.line}: column "${name}" is both the label and a feature`);
    return col;
  });
  if (featureNames.length === 0) problems.push(`${file}:${header.line}: no feature columns`);
  if (problems.length > 0) {
    const featureProblems = problems.length - headerProblems - labelProblems;
    const field = headerProblems > 0 ? undefined : featureProblems === 0 ? 'label' : labelProblems === 0 && options.features ? 'features' : undefined;
    throw new CsvError(problems, field);
  }

  const rows = records.slice(1);
  if (rows.length === 0) throw new CsvError([`${file}: no data rows after the header`]);
  const d = featureCols.length;
  const features = new Float32Array(rows.length * d);
  const rawLabels: string[] = [];
  rows.forEach((rec, r) => {
    if (rec.fields.length !== names.length) {
      problems.push(`${file}:${rec.line}: expected ${names.length} fields, found ${rec.fields.length}`);
      return;
    }
    featureCols.forEach((col, j) => {
      const text = rec.fields[col].trim();
      const value = text === '' ? NaN : Number(text);
      if (!Number.isFinite(value)) problems.push(`${file}:${rec.line}: column "${featureNames[j]}": ${text === '' ? 'empty value' : `"${text}" is not a finite number`}`);
      features[r * d + j] = value;
    });
    const label = rec.fields[labelCol].trim();
    if (label === '') problems.push(`${file}:${rec.line}: column "${options.label}": empty label`);
    rawLabels.push(label);
  });
  if (problems.length > 0) throw new CsvError(problems);

  const classNames = sortLabels([...new Set(rawLabels)]);
  // One class cannot train a classifier (TensorFlow.js fails deep inside with "oneHot: depth must
  // be >=2"); most often the label names the wrong column.
  if (classNames.length < 2) {
    throw new CsvError([`${file}: the label column "${options.label}" (data.label) holds a single class, "${classNames[0]}", in all ${rows.length} rows; a classifier needs at least 2 classes (is data.label the right column?)`], 'label');
  }
  const indexOf = new Map(classNames.map((c, k) => [c, k]));
  const labels = Int32Array.from(rawLabels, (l) => indexOf.get(l) as number);
  return { features, labels, numSamples: rows.length, numFeatures: d, numClasses: classNames.length, featureNames, classNames };
}

/** Numeric labels in numeric order (so "10" follows "9"), anything else lexicographically. */
function sortLabels(labels: string[]): string[] {
  const numeric = labels.every((l) => Number.isFinite(Number(l)));
  return numeric ? labels.sort((a, b) => Number(a) - Number(b)) : labels.sort();
}
