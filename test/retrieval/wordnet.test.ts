// The WordNet retrieval set: deterministic per seed, splits disjoint by synset, every qrel valid,
// no query inside its document or naming its document's words, and `entangle dataset wordnet`
// writes a folder that loadBeir reads. Small sizes: WordNet itself is parsed once (~2 s of CPU).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bm25Tokens, buildWordnetRetrievalSet, docText, loadBeir } from '../../src/retrieval/index.js';
import { lightStem, maskWords, MASK, sameWord } from '../../src/retrieval/wordnet.js';
import { parseSynsetLine, splitGloss } from '../../src/retrieval/wordnet-parse.js';
import { runCli } from '../../src/cli/program.js';
import { writeWordnetDataset } from '../../src/cli/dataset.js';

test('parsing a WordNet data line: words, hypernyms, definition and examples', () => {
  const line = '00002724 29 v 02 choke 0 gag(a) 1 002 @ 00001740 v 0000 + 14081734 n 0101 01 + 02 00 | breathe with great difficulty; "She choked with emotion"; "he gagged"  ';
  const s = parseSynsetLine(line, 'data.verb', 7)!;
  assert.deepEqual(s, { id: 'v00002724', pos: 'v', lexname: 'verb.body', lemmas: ['choke', 'gag'], related: ['v00001740'], definition: 'breathe with great difficulty', examples: ['She choked with emotion', 'he gagged'] });
  assert.equal(parseSynsetLine('  1 This software and database is being provided', 'data.verb', 1), undefined);
  assert.throws(() => parseSynsetLine('00002724 29 x 01 choke 0 000 | gloss', 'data.verb', 9), /data\.verb, line 9: unknown synset type "x"/);
  assert.deepEqual(splitGloss('a b; c'), { definition: 'a b; c', examples: [] });
});

test('word matching and masking: inflections and derivations match, other words do not', () => {
  assert.equal(lightStem('running'), 'run');
  assert.equal(lightStem('cities'), 'city');
  assert.ok(sameWord('choked', 'choke'), 'sameWord(\'choked\', \'choke\')');
  assert.ok(sameWord('abstraction', 'abstract'), 'sameWord(\'abstraction\', \'abstract\')');
  assert.ok(!sameWord('cat', 'catalog'), '!sameWord(\'cat\', \'catalog\')');
  assert.ok(!sameWord('international', 'internet'), '!sameWord(\'international\', \'internet\')');
  assert.ok(sameWord('choking', 'choke'), 'sameWord(\'choking\', \'choke\')');
  // "chokehold" holds the word whole, so it is masked too; "chair" is not.
  assert.equal(maskWords('She choked, then Choking again; the chokehold chair', ['choke']), `She ${MASK}, then ${MASK} again; the ${MASK} chair`);
});

test('the set is the same for a seed and another for another seed; splits are disjoint by synset; qrels point at existing ids; no leakage by construction', () => {
  const options = { seed: 3, maxQueries: 150, corpusSize: 400 };
  const a = buildWordnetRetrievalSet(options);
  assert.deepEqual(buildWordnetRetrievalSet(options), a);
  const other = buildWordnetRetrievalSet({ ...options, seed: 4 });
  assert.notDeepEqual(other.corpus.map((d) => d.id), a.corpus.map((d) => d.id));

  assert.equal(a.queries.length, 150);
  assert.equal(a.corpus.length, 400);
  const docs = new Map(a.corpus.map((d) => [d.id, d]));
  const queries = new Map(a.queries.map((q) => [q.id, q]));
  assert.equal(queries.size, a.queries.length, 'query ids are unique');
  assert.deepEqual(a.corpus.map((d) => d.id), [...docs.keys()].sort(), 'the corpus is sorted by id');
  const synsetsOf = (split: 'train' | 'dev' | 'test') => new Set([...a.qrels[split].values()].flatMap((row) => [...row.keys()]));
  const [train, dev, test_] = [synsetsOf('train'), synsetsOf('dev'), synsetsOf('test')];
  for (const s of dev) assert.ok(!train.has(s) && !test_.has(s), `synset ${s} is in two splits`);
  for (const s of test_) assert.ok(!train.has(s), `synset ${s} is in train and test`);
  const counts = [a.qrels.train.size, a.qrels.dev.size, a.qrels.test.size];
  assert.equal(counts[0] + counts[1] + counts[2], 150, 'every query is judged in exactly one split');
  assert.ok(counts[0] > counts[2] && counts[2] > counts[1] && counts[1] > 0, `split sizes ${counts}`);

  for (const split of ['train', 'dev', 'test'] as const) {
    for (const [q, row] of a.qrels[split]) {
      assert.ok(queries.has(q), `unknown query ${q}`);
      assert.equal(row.size, 1);
      const [docId, grade] = [...row][0];
      assert.equal(grade, 1);
      const doc = docs.get(docId);
      assert.ok(doc, `unknown doc ${docId}`);
      const text = queries.get(q)!.text;
      assert.ok(!docText(doc).toLowerCase().includes(text.toLowerCase()), `query ${q} "${text}" is inside its document`);
      assert.ok(!q.includes(docId.slice(1)), 'the query id does not name its synset');
      // No query word matches one of the entry's own words (the title).
      const titleWords = bm25Tokens(doc.title);
      const leaked = bm25Tokens(text.split(MASK).join(' ')).filter((t) => titleWords.some((w) => sameWord(t, w)));
      assert.deepEqual(leaked, [], `query ${q} "${text}" names its entry "${doc.title}"`);
    }
  }
  assert.ok(a.queries.some((q) => q.text.includes(MASK)) && a.queries.some((q) => !q.text.includes(MASK)), 'both kinds of query occur');
});

test('entangle dataset wordnet writes a BEIR folder that loadBeir reads, and prints the counts per split', async () => {
  const out = join(mkdtempSync(join(tmpdir(), 'wnds-')), 'set');
  // (runCli prints its lines to stdout, beside the test's report; what it prints is checked below through writeWordnetDataset.)
  const code = await runCli(['node', 'entangle', 'dataset', 'wordnet', '--out', out, '--seed', '5', '--max-queries', '60', '--corpus-size', '200']);
  assert.equal(code, 0);
  const ds = loadBeir(out);
  assert.equal(ds.corpus.length, 200);
  assert.equal(ds.queries.length, 60);
  const sizes = { train: ds.qrels.train!.size, dev: ds.qrels.dev!.size, test: ds.qrels.test!.size };
  const printed = writeWordnetDataset({ out: join(out, '..', 'again'), seed: 5, maxQueries: 60, corpusSize: 200 });
  assert.match(printed.join('\n'), new RegExp(`200 documents, 60 queries[\\s\\S]*train\\.tsv ${sizes.train} queries, qrels/dev\\.tsv ${sizes.dev}, qrels/test\\.tsv ${sizes.test}`));
  const same = buildWordnetRetrievalSet({ seed: 5, maxQueries: 60, corpusSize: 200 });
  assert.deepEqual(ds.corpus, same.corpus);
  assert.match(readFileSync(join(out, 'README.md'), 'utf8'), /seed 5, max queries 60, corpus size 200/);
  const errors: string[] = [];
  const refused = await runCli(['node', 'entangle', 'dataset', 'wordnet', '--out', join(out, 'qrels')], { write: (t: string) => errors.push(t) });
  assert.equal(refused, 1);
  assert.match(errors.join(''), /refusing to write the data set into .*qrels: it holds files that are not an Entangle data set/);
});
