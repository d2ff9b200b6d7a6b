// Writing a data set in the BEIR layout (see beir.ts), under the same safety rules as run
// folders (experiments/run-folder.ts): the folder is built complete in a temporary sibling and
// renamed into place, so an error or a kill never leaves a half-made data set under the name;
// a folder holding anything but a data set this code wrote (its marker, `.entangle-dataset.json`)
// is never written into; one it wrote is replaced (the old one is renamed aside first and removed
// after the new one is in place, so between the two renames the name briefly does not exist).

import { readdirSync, readFileSync, renameSync, rmdirSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { writeFileAtomic } from '../util/atomic-file.js';
import { blockingFile, createFolder, explainFsError, OutputFolderError } from '../util/output-folder.js';
import { BEIR_SPLITS, CORPUS_FILE, QRELS_HEADER, QUERIES_FILE, qrelsFile, type BeirCorpusDoc, type BeirQuery, type BeirSplit, type Qrels } from './beir.js';
import { RetrievalInputError } from './errors.js';

export const DATASET_MARKER = '.entangle-dataset.json';
export const DATASET_MARKER_FORMAT = 1;

export interface BeirData {
  corpus: readonly BeirCorpusDoc[];
  queries: readonly BeirQuery[];
  qrels: Partial<Record<BeirSplit, Qrels>>;
}

export interface WriteBeirOptions {
  /** Recorded in the marker (e.g. "wordnet reverse dictionary, seed 1"). */
  name?: string;
  /** Written as README.md in the folder: how the data was made. */
  readme?: string;
  /** Told when an earlier data set in `dir` is replaced. */
  onMessage?: (text: string) => void;
}

export interface DatasetMarker {
  format: number;
  kind: 'beir-dataset';
  name: string;
  created: string;
  counts: { corpus: number; queries: number } & Partial<Record<BeirSplit, number>>;
}

let counter = 0;

function checkId(id: string, what: string): void {
  if (id === '' || /[\t\r\n]/.test(id)) throw new RetrievalInputError(`${what} id ${JSON.stringify(id)} cannot be written: ids must be non-empty and hold no tab or line break`);
}

function validate(data: BeirData): void {
  const docIds = new Set<string>();
  for (const d of data.corpus) {
    checkId(d.id, 'document');
    if (docIds.has(d.id)) throw new RetrievalInputError(`document id "${d.id}" appears twice in the corpus`);
    docIds.add(d.id);
  }
  const queryIds = new Set<string>();
  for (const q of data.queries) {
    checkId(q.id, 'query');
    if (queryIds.has(q.id)) throw new RetrievalInputError(`query id "${q.id}" appears twice`);
    queryIds.add(q.id);
  }
  for (const split of BEIR_SPLITS) {
    for (const [q, row] of data.qrels[split] ?? []) {
      if (!queryIds.has(q)) throw new RetrievalInputError(`the ${split} qrels name query "${q}", which is not among the queries`);
      for (const [d, score] of row) {
        if (!docIds.has(d)) throw new RetrievalInputError(`the ${split} qrels name document "${d}", which is not in the corpus`);
        if (!Number.isInteger(score)) throw new RetrievalInputError(`the ${split} qrels grade of ("${q}", "${d}") is ${score}; grades must be integers`);
      }
    }
  }
}

function readMarker(dir: string): DatasetMarker | undefined {
  try {
    const m = JSON.parse(readFileSync(join(dir, DATASET_MARKER), 'utf8')) as DatasetMarker;
    return m?.kind === 'beir-dataset' ? m : undefined;
  } catch {
    return undefined;
  }
}

/** What `dir` holds now: nothing, an empty folder, a data set of ours, or something else. */
function inspect(dir: string): 'absent' | 'empty' | 'dataset' | { other: string } {
  let entries: string[];
  try {
    if (!statSync(dir).isDirectory()) return { other: 'it is a file, not a folder' };
    entries = readdirSync(dir);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return 'absent';
    throw explainFsError(e, `read the folder ${dir}`);
  }
  if (entries.length === 0) return 'empty';
  if (readMarker(dir)) return 'dataset';
  const shown = entries.sort().slice(0, 3).join(', ');
  return { other: `it holds files that are not an Entangle data set (${shown}${entries.length > 3 ? `, … ${entries.length} in all` : ''})` };
}

function qrelsTsv(qrels: Qrels): string {
  const rows = [QRELS_HEADER.join('\t')];
  for (const [q, row] of qrels) for (const [d, score] of row) rows.push(`${q}\t${d}\t${score}`);
  return rows.join('\n') + '\n';
}

/** Write `data` as a BEIR folder at `dir` (see the module comment for the rules). */
export function writeBeir(dir: string, data: BeirData, options: WriteBeirOptions = {}): DatasetMarker {
  validate(data);
  const target = resolve(dir);
  const state = inspect(target);
  if (typeof state === 'object') throw new OutputFolderError(`refusing to write the data set into ${dir}: ${state.other}; choose an empty or new --out`);
  const file = state === 'absent' ? blockingFile(target) : undefined;
  if (file) throw new OutputFolderError(`cannot create the data set folder ${dir}: ${file} is a file, not a folder; choose another --out`);
  const parent = dirname(target);
  createFolder(parent, `create the folder ${parent}`);
  const temp = join(parent, `.${basename(target)}.tmp-${process.pid}-${counter++}`);
  const marker: DatasetMarker = {
    format: DATASET_MARKER_FORMAT,
    kind: 'beir-dataset',
    name: options.name ?? basename(target),
    created: new Date().toISOString(),
    counts: { corpus: data.corpus.length, queries: data.queries.length },
  };
  try {
    createFolder(temp, `create the data set folder ${temp}`);
    writeFileAtomic(join(temp, CORPUS_FILE), data.corpus.map((d) => JSON.stringify({ _id: d.id, title: d.title, text: d.text }) + '\n').join(''));
    writeFileAtomic(join(temp, QUERIES_FILE), data.queries.map((q) => JSON.stringify({ _id: q.id, text: q.text }) + '\n').join(''));
    for (const split of BEIR_SPLITS) {
      const qrels = data.qrels[split];
      if (!qrels) continue;
      writeFileAtomic(join(temp, qrelsFile(split)), qrelsTsv(qrels));
      marker.counts[split] = qrels.size;
    }
    if (options.readme !== undefined) writeFileAtomic(join(temp, 'README.md'), options.readme);
    writeFileAtomic(join(temp, DATASET_MARKER), JSON.stringify(marker, null, 2) + '\n');
    if (state === 'empty') rmdirSync(target);
    if (state === 'dataset') {
      const aside = join(parent, `.${basename(target)}.old-${process.pid}-${counter++}`);
      renameSync(target, aside);
      renameSync(temp, target);
      rmSync(aside, { recursive: true, force: true });
      options.onMessage?.(`replaced the data set that was in ${dir}`);
    } else {
      renameSync(temp, target);
    }
  } catch (e) {
    rmSync(temp, { recursive: true, force: true });
    throw explainFsError(e, `write the data set folder ${dir}`);
  }
  return marker;
}
