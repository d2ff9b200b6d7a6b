import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { CsvError, loadCsv, parseCsvDataset, parseCsvRecords } from '../../src/data/csv.js';

function csvProblems(text: string, options = { label: 'species' }): string[] {
  try {
    parseCsvDataset(text, 'iris.csv', options);
  } catch (e) {
    assert.ok(e instanceof CsvError, String(e));
    return e.problems;
  }
  assert.fail('the CSV was accepted');
}

test('a CSV loads: features in header order without the label, string labels as sorted classes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'csv-'));
  const path = join(dir, 'iris.csv');
  writeFileSync(path, 'a,species,b\n1,setosa,2\n3.5,virginica,-4e-1\r\n\n5,setosa,6\n');
  const ds = loadCsv(path, { label: 'species' });
  assert.deepEqual(ds.featureNames, ['a', 'b']);
  assert.deepEqual(Array.from(ds.features), [1, 2, 3.5, -0.4].map(Math.fround).concat([5, 6]));
  assert.deepEqual(ds.classNames, ['setosa', 'virginica']);
  assert.deepEqual(Array.from(ds.labels), [0, 1, 0]);
  const chosen = loadCsv(path, { label: 'species', features: ['b'] });
  assert.deepEqual(Array.from(chosen.features), [2, Math.fround(-0.4), 6]);
});

test('numeric labels sort numerically; quoted fields may hold delimiters, quotes and newlines', () => {
  const ds = parseCsvDataset('x,y\n1,10\n2,9\n3,10\n', 'n.csv', { label: 'y' });
  assert.deepEqual(ds.classNames, ['9', '10']);
  assert.deepEqual(Array.from(ds.labels), [1, 0, 1]);
  const records = parseCsvRecords('a,b\n"x, ""y""",2\n"multi\nline",3\n', 'q.csv');
  assert.deepEqual(records.map((r) => r.fields), [['a', 'b'], ['x, "y"', '2'], ['multi\nline', '3']]);
  assert.deepEqual(records.map((r) => r.line), [1, 2, 3]);
});

test('bad rows are all reported as file:line: problem', () => {
  const problems = csvProblems('a,b,species\n1,2,setosa\n1,x,setosa\n1,2\n,3,virginica\n4,5,\n');
  assert.deepEqual(problems, [
    'iris.csv:3: column "b": "x" is not a finite number',
    'iris.csv:4: expected 3 fields, found 2',
    'iris.csv:5: column "a": empty value',
    'iris.csv:6: column "species": empty label',
  ]);
});

test('a missing label or feature column names the header line; line numbers count multi-line quotes', () => {
  assert.match(csvProblems('a,b,kind\n1,2,x\n')[0], /^iris\.csv:1: no column named "species" for the label \(columns: a, b, kind\)/);
  assert.match(csvProblems('a,species\n1,x\n', { label: 'species', features: ['a', 'zz'] } as never)[0], /^iris\.csv:1: no feature column named "zz"/);
  // The record of line 2 spans lines 2-3 (a quoted newline in the label), so the bad row is line 4.
  assert.deepEqual(csvProblems('a,species\n1,"multi\nline"\n2,y,3\n'), ['iris.csv:4: expected 2 fields, found 3']);
  assert.match(csvProblems('a,species\n"1,x\n')[0], /^iris\.csv:2: a quoted field is never closed/);
  assert.match(csvProblems('')[0], /empty/);
  assert.match(csvProblems('a,species\n')[0], /no data rows/);
});

test('a header problem with one config field says which (label or features), so the CLI can point at it', () => {
  const fieldOf = (text: string, options: { label: string; features?: string[] }): string | undefined => {
    try {
      parseCsvDataset(text, 'iris.csv', options);
    } catch (e) {
      assert.ok(e instanceof CsvError, 'e instanceof CsvError');
      return e.field;
    }
    assert.fail('the CSV was accepted');
  };
  assert.equal(fieldOf('a,b,kind\n1,2,x\n', { label: 'species' }), 'label');
  assert.equal(fieldOf('a,species\n1,x\n', { label: 'species', features: ['a', 'zz'] }), 'features');
  assert.equal(fieldOf('a,a,species\n1,2,x\n', { label: 'nope' }), undefined); // a header problem too: no single field
});

test('a label column with a single class is refused, naming data.label and the class', () => {
  assert.throws(() => parseCsvDataset('x,y\n1,a\n2,a\n', 'one.csv', { label: 'y' }), (e: unknown) => {
    assert.ok(e instanceof CsvError, 'e instanceof CsvError');
    assert.equal(e.field, 'label');
    assert.equal(e.message, 'one.csv: the label column "y" (data.label) holds a single class, "a", in all 2 rows; a classifier needs at least 2 classes (is data.label the right column?)');
    return true;
  });
});
