// Reading a retrieval data set in the BEIR layout (Thakur et al. 2021), so users can bring their
// own: a folder with
//
//   corpus.jsonl     one JSON object a line: {"_id": "...", "title": "...", "text": "..."}
//   queries.jsonl    one JSON object a line: {"_id": "...", "text": "..."}
//   qrels/train.tsv  tab-separated, a header line `query-id  corpus-id  score`, then one judgement
//   qrels/dev.tsv    a line; score is an integer relevance grade (> 0 relevant, 0 judged not
//   qrels/test.tsv   relevant). Any of the three may be absent.
//
// Every problem is reported as a BeirFormatError naming the file, the line and the field: a
// damaged folder fails here, before hours of embedding, not as a wrong metric later. Blank lines
// are skipped; a UTF-8 byte-order mark is accepted. Ids may be JSON strings or numbers (some BEIR
// sets write numeric ids); they are kept as strings. This module loads no TensorFlow.js.

import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { BeirFormatError } from './errors.js';

export interface BeirCorpusDoc {
  id: string;
  title: string;
  text: string;
}

export interface BeirQuery {
  id: string;
  text: string;
}

/** Relevance judgements: query id -> doc id -> grade (> 0 relevant). */
export type Qrels = Map<string, Map<string, number>>;

export const BEIR_SPLITS = ['train', 'dev', 'test'] as const;
export type BeirSplit = (typeof BEIR_SPLITS)[number];

export interface BeirDataset {
  dir: string;
  corpus: BeirCorpusDoc[];
  queries: BeirQuery[];
  /** The splits whose qrels file exists (or those asked for). */
  qrels: Partial<Record<BeirSplit, Qrels>>;
  /** SHA-256 over the bytes of every file read: changes whenever the data does. */
  fingerprint: string;
}

export const CORPUS_FILE = 'corpus.jsonl';
export const QUERIES_FILE = 'queries.jsonl';
export const QRELS_HEADER = ['query-id', 'corpus-id', 'score'] as const;
export const qrelsFile = (split: BeirSplit): string => join('qrels', `${split}.tsv`);

/** The text of a document as it is embedded and indexed: the title, a blank line, the text. */
export function docText(doc: BeirCorpusDoc): string {
  return doc.title === '' ? doc.text : doc.text === '' ? doc.title : `${doc.title}\n\n${doc.text}`;
}

function readText(path: string, what: string): string {
  if (!existsSync(path)) throw new BeirFormatError({ file: path }, `missing: a BEIR folder needs ${what}`);
  if (!statSync(path).isFile()) throw new BeirFormatError({ file: path }, `is not a file (a BEIR folder needs ${what} here)`);
  return readFileSync(path, 'utf8');
}

/** The lines of a file (1-based numbers), without a byte-order mark or blank lines. */
function* lines(text: string): Generator<[number, string]> {
  const all = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  for (let i = 0; i < all.length; i++) if (all[i].trim() !== '') yield [i + 1, all[i]];
}

function idField(value: unknown, file: string, line: number): string {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value !== 'string') throw new BeirFormatError({ file, line, field: '_id' }, value === undefined ? 'missing; every line needs an "_id"' : `must be a string, got ${JSON.stringify(value)}`);
  if (value === '') throw new BeirFormatError({ file, line, field: '_id' }, 'is empty; every line needs a non-empty "_id"');
  return value;
}

function textField(obj: Record<string, unknown>, field: string, file: string, line: number, required: boolean): string {
  const v = obj[field];
  if (v === undefined || v === null) {
    if (required) throw new BeirFormatError({ file, line, field }, `missing; every line needs a "${field}" string`);
    return '';
  }
  if (typeof v !== 'string') throw new BeirFormatError({ file, line, field }, `must be a string, got ${JSON.stringify(v).slice(0, 60)}`);
  return v;
}

/** Parse a JSONL file of objects with an `_id`; `make` reads the other fields. Ids must be unique. */
function readJsonl<T extends { id: string }>(file: string, what: string, make: (obj: Record<string, unknown>, id: string, line: number) => T): T[] {
  const out: T[] = [];
  const firstLine = new Map<string, number>();
  for (const [n, text] of lines(readText(file, what))) {
    let obj: unknown;
    try {
      obj = JSON.parse(text);
    } catch (e) {
      throw new BeirFormatError({ file, line: n }, `is not valid JSON (${(e as Error).message}); each line must be one JSON object`);
    }
    if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) throw new BeirFormatError({ file, line: n }, 'must be a JSON object such as {"_id": "d1", "text": "..."}');
    const id = idField((obj as Record<string, unknown>)._id, file, n);
    const seen = firstLine.get(id);
    if (seen !== undefined) throw new BeirFormatError({ file, line: n, field: '_id' }, `"${id}" was already used on line ${seen}; ids must be unique`);
    firstLine.set(id, n);
    out.push(make(obj as Record<string, unknown>, id, n));
  }
  return out;
}

/** Read one qrels file, checking every id against the corpus and the queries. */
export function readQrels(file: string, queryIds: ReadonlySet<string>, docIds: ReadonlySet<string>): Qrels {
  const qrels: Qrels = new Map();
  let header = true;
  for (const [n, text] of lines(readText(file, 'a qrels file'))) {
    const fields = text.split('\t').map((f) => f.trim());
    if (header) {
      header = false;
      if (fields.length !== 3 || fields.some((f, i) => f !== QRELS_HEADER[i])) {
        throw new BeirFormatError({ file, line: n }, `the header line is missing: the first line must be "${QRELS_HEADER.join('\\t')}" (tab-separated), got ${JSON.stringify(text.slice(0, 60))}`);
      }
      continue;
    }
    if (fields.length !== 3) throw new BeirFormatError({ file, line: n }, `has ${fields.length} tab-separated field(s); each line must be query-id<TAB>corpus-id<TAB>score`);
    const [q, d, s] = fields;
    if (!queryIds.has(q)) throw new BeirFormatError({ file, line: n, field: 'query-id' }, `"${q}" is not the _id of any query in ${QUERIES_FILE}`);
    if (!docIds.has(d)) throw new BeirFormatError({ file, line: n, field: 'corpus-id' }, `"${d}" is not the _id of any document in ${CORPUS_FILE}`);
    if (!/^[+-]?\d+(\.0*)?$/.test(s)) throw new BeirFormatError({ file, line: n, field: 'score' }, `must be an integer relevance grade, got ${JSON.stringify(s)}`);
    let row = qrels.get(q);
    if (!row) qrels.set(q, (row = new Map()));
    if (row.has(d)) throw new BeirFormatError({ file, line: n, field: 'corpus-id' }, `the pair ("${q}", "${d}") is judged twice; keep one line per pair`);
    row.set(d, Number.parseFloat(s));
  }
  if (header) throw new BeirFormatError({ file, line: 1 }, `the header line is missing: the file is empty; it must start with "${QRELS_HEADER.join('\\t')}"`);
  return qrels;
}

/**
 * Load a BEIR folder. `splits` names the qrels to read (each must exist); without it, every one
 * of train/dev/test that exists is read, and at least one must.
 */
export function loadBeir(dir: string, options: { splits?: BeirSplit[] } = {}): BeirDataset {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new BeirFormatError({ file: dir }, `is not a folder; give a folder holding ${CORPUS_FILE}, ${QUERIES_FILE} and qrels/`);
  const hash = createHash('sha256');
  const corpusFile = join(dir, CORPUS_FILE);
  const corpus = readJsonl<BeirCorpusDoc>(corpusFile, 'the documents, one JSON object a line', (obj, id, n) => ({
    id,
    title: textField(obj, 'title', corpusFile, n, false),
    text: textField(obj, 'text', corpusFile, n, true),
  }));
  const queriesFile = join(dir, QUERIES_FILE);
  const queries = readJsonl<BeirQuery>(queriesFile, 'the queries, one JSON object a line', (obj, id, n) => ({ id, text: textField(obj, 'text', queriesFile, n, true) }));
  hash.update(readFileSync(corpusFile)).update('\0').update(readFileSync(queriesFile));
  const splits = options.splits ?? BEIR_SPLITS.filter((s) => existsSync(join(dir, qrelsFile(s))));
  if (splits.length === 0) throw new BeirFormatError({ file: join(dir, 'qrels') }, `holds none of ${BEIR_SPLITS.map((s) => `${s}.tsv`).join(', ')}; a BEIR folder needs at least one qrels file`);
  const queryIds = new Set(queries.map((q) => q.id));
  const docIds = new Set(corpus.map((d) => d.id));
  const qrels: Partial<Record<BeirSplit, Qrels>> = {};
  for (const split of splits) {
    const file = join(dir, qrelsFile(split));
    qrels[split] = readQrels(file, queryIds, docIds);
    hash.update(`\0${split}\0`).update(readFileSync(file));
  }
  return { dir, corpus, queries, qrels, fingerprint: hash.digest('hex') };
}
