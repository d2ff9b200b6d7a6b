// The lexical first stage: Okapi BM25 over an in-memory inverted index. Our own small
// implementation rather than wink-bm25-text-search, whose scores are rounded, which needs a
// separate "consolidate" step and ships no types; this one is ~80 lines and tested against a hand
// computation.
//
//   score(q, d) = sum over query tokens t (repeats count) of
//                 idf(t) * tf(t, d) * (k1 + 1) / (tf(t, d) + k1 * (1 - b + b * |d| / avgdl))
//   idf(t)      = ln(1 + (N - n(t) + 0.5) / (n(t) + 0.5))          (Lucene's form: never negative)
//
// N documents, n(t) of them containing t, |d| the token count of d, avgdl the mean |d|. Defaults
// k1 = 0.9, b = 0.4 (Pyserini's BM25 defaults, which BEIR's BM25 baselines use). Tokens: the text
// (title + text, see docText) lower-cased, split at every character that is not a letter or a
// digit, English stop words dropped; no stemming. Only documents sharing a token with the query
// are returned, so a search may give fewer than k.

import { docText, type BeirCorpusDoc } from './beir.js';
import { RetrievalInputError } from './errors.js';
import { checkK, topK } from './top-k.js';

export interface Bm25Options {
  /** Term-frequency saturation (default 0.9). */
  k1?: number;
  /** Length normalisation, 0 (none) to 1 (full) (default 0.4). */
  b?: number;
}

export interface FirstStageHits {
  docIds: string[];
  scores: number[];
}

export interface Bm25Index {
  readonly k1: number;
  readonly b: number;
  search(queryText: string, k: number): FirstStageHits;
}

/** A short English stop-word list (the function words of Lucene's EnglishAnalyzer, plus a few). */
const STOP_WORDS = new Set(
  'a an and are as at be but by for if in into is it no not of on or such that the their then there these they this to was will with from which who whom whose its has have had been being were do does did so than'.split(' '),
);

/** The BM25 tokens of a text (exported so tests and other stages tokenize the same way). */
export function bm25Tokens(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((t) => t !== '' && !STOP_WORDS.has(t));
}

export function bm25FirstStage(corpus: readonly BeirCorpusDoc[], options: Bm25Options = {}): Bm25Index {
  const k1 = options.k1 ?? 0.9;
  const b = options.b ?? 0.4;
  if (!(Number.isFinite(k1) && k1 >= 0)) throw new RetrievalInputError(`BM25 k1 must be a number >= 0, got ${k1}`);
  if (!(Number.isFinite(b) && b >= 0 && b <= 1)) throw new RetrievalInputError(`BM25 b must be a number from 0 to 1, got ${b}`);
  // Postings: term -> [doc index, term frequency] pairs, flattened.
  const postings = new Map<string, number[]>();
  const lengths = new Float64Array(corpus.length);
  corpus.forEach((doc, d) => {
    const tokens = bm25Tokens(docText(doc));
    lengths[d] = tokens.length;
    const tf = new Map<string, number>();
    for (const t of tokens) tf.set(t, (tf.get(t) ?? 0) + 1);
    for (const [t, f] of tf) {
      let list = postings.get(t);
      if (!list) postings.set(t, (list = []));
      list.push(d, f);
    }
  });
  const n = corpus.length;
  const avgdl = n > 0 ? lengths.reduce((s, l) => s + l, 0) / n : 0;
  const norm = lengths.map((l) => k1 * (1 - b + (avgdl > 0 ? (b * l) / avgdl : 0)));
  const scores = new Float64Array(n);
  return {
    k1,
    b,
    search(queryText: string, k: number): FirstStageHits {
      checkK(k);
      const touched: number[] = [];
      for (const t of bm25Tokens(queryText)) {
        const list = postings.get(t);
        if (!list) continue;
        const df = list.length / 2;
        const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
        for (let i = 0; i < list.length; i += 2) {
          const d = list[i];
          const f = list[i + 1];
          if (scores[d] === 0) touched.push(d);
          scores[d] += (idf * f * (k1 + 1)) / (f + norm[d]);
        }
      }
      const best = topK(scores, k, touched);
      const hits = { docIds: best.map((d) => corpus[d].id), scores: best.map((d) => scores[d]) };
      for (const d of touched) scores[d] = 0;
      return hits;
    },
  };
}
