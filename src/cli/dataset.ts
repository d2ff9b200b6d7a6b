// `entangle dataset wordnet --out DIR [--seed S] [--max-queries N] [--corpus-size N]`: build the
// WordNet reverse-dictionary retrieval set (src/retrieval/wordnet.ts) and write it in the BEIR
// layout, so it can be inspected, reused, and given to anything that reads BEIR folders.

import type { Command } from 'commander';
import { buildWordnetRetrievalSet } from '../retrieval/wordnet.js';
import { writeBeir } from '../retrieval/beir-write.js';
import { nonNegativeInt, positiveInt } from './options.js';

export interface WordnetDatasetOptions {
  out: string;
  seed: number;
  maxQueries: number;
  corpusSize: number;
}

/** Build and write the set; returns the lines the command prints. */
export function writeWordnetDataset(opts: WordnetDatasetOptions, onMessage?: (text: string) => void): string[] {
  const set = buildWordnetRetrievalSet({ seed: opts.seed, maxQueries: opts.maxQueries, corpusSize: opts.corpusSize });
  const marker = writeBeir(opts.out, set, { name: `wordnet reverse dictionary, seed ${opts.seed}`, readme: set.description, onMessage });
  const { counts } = marker;
  return [
    `wrote ${opts.out}: ${counts.corpus} documents, ${counts.queries} queries`,
    `  qrels/train.tsv ${counts.train ?? 0} queries, qrels/dev.tsv ${counts.dev ?? 0}, qrels/test.tsv ${counts.test ?? 0} (split by synset)`,
    `  how it was made: ${opts.out}/README.md`,
  ];
}

export function registerDataset(program: Command): void {
  const dataset = program.command('dataset').description('build retrieval data sets offline and write them in the BEIR layout');
  dataset
    .command('wordnet')
    .description('a reverse dictionary from WordNet 3.1: queries are definitions and masked example sentences, documents dictionary entries without the definition')
    .requiredOption('--out <dir>', 'folder to write (new, empty, or a data set this command wrote)')
    .option('--seed <n>', 'seed of every random choice', nonNegativeInt('--seed'), 1)
    .option('--max-queries <n>', 'queries over train, dev and test', positiveInt('--max-queries'), 3000)
    .option('--corpus-size <n>', 'documents: the query synsets plus distractors', positiveInt('--corpus-size'), 10000)
    .action((opts: WordnetDatasetOptions) => {
      const lines = writeWordnetDataset(opts, (text) => process.stderr.write(`${text}\n`));
      process.stdout.write(lines.join('\n') + '\n');
    });
}
