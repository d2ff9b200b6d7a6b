// The BEIR loader and writer: a valid folder loads; each kind of damage fails with the file, the
// line and the field named; writeBeir round-trips and follows the output-folder rules.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BeirFormatError, docText, loadBeir, writeBeir, DATASET_MARKER } from '../../src/retrieval/index.js';
import { setBeforeRenameHook } from '../../src/util/atomic-file.js';
import { OutputFolderError } from '../../src/util/output-folder.js';

const CORPUS = [
  '{"_id": "d1", "title": "Cats", "text": "Cats purr."}',
  '{"_id": "d2", "text": "Dogs bark."}',
  '{"_id": 3, "title": "Birds", "text": "Birds sing."}',
].join('\n');
const QUERIES = ['{"_id": "q1", "text": "what purrs"}', '', '{"_id": "q2", "text": "what sings"}'].join('\n');
const HEADER = 'query-id\tcorpus-id\tscore';

function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'beir-'));
  const all: Record<string, string> = { 'corpus.jsonl': CORPUS, 'queries.jsonl': QUERIES, 'qrels/test.tsv': `${HEADER}\nq1\td1\t1\nq2\t3\t2\nq2\td2\t0\n`, ...files };
  for (const [name, text] of Object.entries(all)) {
    if (text === '(absent)') continue;
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

test('a valid BEIR folder loads: docs, queries (blank lines skipped), numeric ids as strings, graded qrels, a fingerprint of the bytes', () => {
  const dir = folder({ 'qrels/train.tsv': `\uFEFF${HEADER}\r\nq2\td2\t1\r\n` });
  const ds = loadBeir(dir);
  assert.deepEqual(ds.corpus, [
    { id: 'd1', title: 'Cats', text: 'Cats purr.' },
    { id: 'd2', title: '', text: 'Dogs bark.' },
    { id: '3', title: 'Birds', text: 'Birds sing.' },
  ]);
  assert.deepEqual(ds.queries.map((q) => q.id), ['q1', 'q2']);
  assert.deepEqual([...ds.qrels.test!].map(([q, row]) => [q, [...row]]), [['q1', [['d1', 1]]], ['q2', [['3', 2], ['d2', 0]]]]);
  assert.deepEqual([...ds.qrels.train!.keys()], ['q2']);
  assert.equal(ds.qrels.dev, undefined);
  assert.equal(docText(ds.corpus[0]), 'Cats\n\nCats purr.');
  assert.equal(docText(ds.corpus[1]), 'Dogs bark.');
  assert.deepEqual(Object.keys(loadBeir(dir, { splits: ['test'] }).qrels), ['test']);
  const again = loadBeir(dir).fingerprint;
  assert.equal(again, ds.fingerprint);
  writeFileSync(join(dir, 'qrels/test.tsv'), `${HEADER}\nq1\td1\t2\n`);
  assert.notEqual(loadBeir(dir).fingerprint, ds.fingerprint);
});

/** The error of loading a folder with `files` replaced; checks it names file, line and field. */
function damage(files: Record<string, string>, file: string, line: number | undefined, field: string | undefined, message: RegExp, splits?: Array<'train' | 'dev' | 'test'>): void {
  const dir = folder(files);
  assert.throws(
    () => loadBeir(dir, splits ? { splits } : {}),
    (e: unknown) => {
      assert.ok(e instanceof BeirFormatError, String(e));
      assert.equal(e.code, 'E_BEIR');
      assert.equal(e.file, join(dir, file));
      assert.equal(e.line, line);
      assert.equal(e.field, field);
      assert.match(e.message, message);
      assert.ok(e.message.startsWith(join(dir, file)), e.message);
      return true;
    },
  );
}

test('each kind of damage names the file, the line and the field', () => {
  damage({ 'queries.jsonl': '(absent)' }, 'queries.jsonl', undefined, undefined, /missing/);
  damage({ 'qrels/dev.tsv': '(absent)' }, 'qrels/dev.tsv', undefined, undefined, /missing/, ['dev']);
  damage({ 'qrels/test.tsv': '(absent)' }, 'qrels', undefined, undefined, /at least one qrels file/);
  damage({ 'corpus.jsonl': `${CORPUS}\n{"_id": "d4", "text": "x"` }, 'corpus.jsonl', 4, undefined, /not valid JSON/);
  damage({ 'corpus.jsonl': `${CORPUS}\n["d4"]` }, 'corpus.jsonl', 4, undefined, /JSON object/);
  damage({ 'queries.jsonl': '{"_id": "q1", "text": "a"}\n\n{"text": "b"}' }, 'queries.jsonl', 3, '_id', /missing/);
  damage({ 'corpus.jsonl': `${CORPUS}\n{"_id": "d1", "text": "again"}` }, 'corpus.jsonl', 4, '_id', /already used on line 1/);
  damage({ 'corpus.jsonl': '{"_id": "d1", "title": "no text"}' }, 'corpus.jsonl', 1, 'text', /missing/);
  damage({ 'corpus.jsonl': '{"_id": "d1", "text": 5}' }, 'corpus.jsonl', 1, 'text', /must be a string/);
  damage({ 'qrels/test.tsv': 'q1\td1\t1\n' }, 'qrels/test.tsv', 1, undefined, /header line is missing/);
  damage({ 'qrels/test.tsv': '' }, 'qrels/test.tsv', 1, undefined, /header line is missing/);
  damage({ 'qrels/test.tsv': `${HEADER}\nq1\td1\t1\nq9\td1\t1\n` }, 'qrels/test.tsv', 3, 'query-id', /"q9" is not the _id of any query/);
  damage({ 'qrels/test.tsv': `${HEADER}\nq1\td9\t1\n` }, 'qrels/test.tsv', 2, 'corpus-id', /"d9" is not the _id of any document/);
  damage({ 'qrels/test.tsv': `${HEADER}\nq1\td1\thigh\n` }, 'qrels/test.tsv', 2, 'score', /integer relevance grade, got "high"/);
  damage({ 'qrels/test.tsv': `${HEADER}\nq1\td1\t1.5\n` }, 'qrels/test.tsv', 2, 'score', /integer/);
  damage({ 'qrels/test.tsv': `${HEADER}\nq1 d1 1\n` }, 'qrels/test.tsv', 2, undefined, /1 tab-separated field/);
  damage({ 'qrels/test.tsv': `${HEADER}\nq1\td1\t1\nq1\td1\t0\n` }, 'qrels/test.tsv', 3, 'corpus-id', /judged twice/);
});

const DATA = {
  corpus: [
    { id: 'b', title: 'Bee', text: 'an insect "that" buzzes\nover\tfields' },
    { id: 'a', title: '', text: 'ant' },
  ],
  queries: [{ id: 'q1', text: 'what buzzes' }],
  qrels: { test: new Map([['q1', new Map([['b', 2], ['a', 0]])]]) },
};

test('writeBeir writes a folder that loadBeir reads back as written, with a marker and a README', () => {
  const dir = join(mkdtempSync(join(tmpdir(), 'beirw-')), 'nested', 'set');
  const marker = writeBeir(dir, DATA, { name: 'tiny', readme: '# tiny\n' });
  assert.deepEqual(marker.counts, { corpus: 2, queries: 1, test: 1 });
  const ds = loadBeir(dir);
  assert.deepEqual(ds.corpus, DATA.corpus);
  assert.deepEqual(ds.queries, DATA.queries);
  assert.deepEqual([...ds.qrels.test!.get('q1')!], [['b', 2], ['a', 0]]);
  assert.equal(readFileSync(join(dir, 'README.md'), 'utf8'), '# tiny\n');
  assert.equal(JSON.parse(readFileSync(join(dir, DATASET_MARKER), 'utf8')).name, 'tiny');
  assert.deepEqual(readdirSync(join(dir, '..')), ['set'], 'no temporary folder left beside it');
});

test('writeBeir refuses a folder it did not make, replaces one it made, and leaves nothing half-made on error', () => {
  const root = mkdtempSync(join(tmpdir(), 'beirs-'));
  const theirs = join(root, 'theirs');
  mkdirSync(theirs);
  writeFileSync(join(theirs, 'notes.txt'), 'mine');
  assert.throws(() => writeBeir(theirs, DATA), (e: unknown) => e instanceof OutputFolderError && /refusing to write the data set into .*notes\.txt/.test(e.message));
  assert.deepEqual(readdirSync(theirs), ['notes.txt']);
  writeFileSync(join(root, 'file'), 'x');
  assert.throws(() => writeBeir(join(root, 'file'), DATA), OutputFolderError);
  assert.throws(() => writeBeir(join(root, 'file', 'sub'), DATA), OutputFolderError);

  const ours = join(root, 'ours');
  mkdirSync(ours); // an empty folder is fine
  writeBeir(ours, DATA);
  const messages: string[] = [];
  writeBeir(ours, { ...DATA, queries: [{ id: 'q1', text: 'what flies' }] }, { onMessage: (m) => messages.push(m) });
  assert.equal(loadBeir(ours).queries[0].text, 'what flies');
  assert.match(messages.join('\n'), /replaced the data set/);

  // A write that fails midway (the hook throws before a rename, as a full disk would) leaves
  // the previous data set as it was and no temporary folder.
  setBeforeRenameHook((temp) => {
    if (temp.includes('queries.jsonl')) throw new Error('disk full (simulated)');
  });
  try {
    assert.throws(() => writeBeir(ours, { ...DATA, queries: [{ id: 'q1', text: 'never written' }] }), /disk full/);
    assert.throws(() => writeBeir(join(root, 'fresh'), DATA), /disk full/);
  } finally {
    setBeforeRenameHook(undefined);
  }
  assert.equal(loadBeir(ours).queries[0].text, 'what flies');
  assert.equal(existsSync(join(root, 'fresh')), false);
  assert.deepEqual(readdirSync(root).sort(), ['file', 'ours', 'theirs']);

  // Bad data is refused before anything is written.
  assert.throws(() => writeBeir(join(root, 'bad'), { ...DATA, qrels: { test: new Map([['q1', new Map([['zzz', 1]])]]) } }), /document "zzz", which is not in the corpus/);
  assert.throws(() => writeBeir(join(root, 'bad'), { ...DATA, queries: [{ id: 'q\t1', text: 'x' }] }), /no tab or line break/);
  assert.equal(existsSync(join(root, 'bad')), false);
  rmSync(root, { recursive: true, force: true });
});
