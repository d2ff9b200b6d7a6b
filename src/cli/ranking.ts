// `entangle evaluate-ranking RUN_DIR --data DIR` and `entangle rerank RUN_DIR --query TEXT
// --candidates FILE`: a trained reranker (the run folder's reranker.json) on a BEIR folder, or on
// one query and its candidates.

import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { evaluateRankingRun, rankingJson, rankingTable } from '../experiments/ranking-evaluate.js';
import { loadReranker, loadScoringBackend } from '../models/reranker/index.js';
import { CliInputError } from './simulate.js';
import { positiveInt } from './options.js';

function collectTwin(value: string, previous: Record<string, string>): Record<string, string> {
  const eq = value.indexOf('=');
  // `--classical DIR` names the twin "classical"; `--classical NAME=DIR` any other name.
  const [name, dir] = eq > 0 ? [value.slice(0, eq), value.slice(eq + 1)] : ['classical', value];
  if (name in previous || name === 'reranker' || name === 'bm25' || name === 'cosine') throw new CliInputError(`--classical: the name "${name}" is taken; write --classical NAME=RUN_DIR with another name`);
  return { ...previous, [name]: dir };
}

export function registerEvaluateRanking(program: Command): void {
  program
    .command('evaluate-ranking')
    .description('score a trained reranker on a BEIR-layout folder beside BM25, cosine and classical twins, on the same candidates')
    .argument('<run-dir>', 'a reranker run folder (reranker.json)')
    .requiredOption('--data <dir>', 'a BEIR-layout folder (corpus.jsonl, queries.jsonl, qrels/)')
    .option('--split <name>', 'the qrels split: test, dev or train', 'test')
    .option('--classical <[name=]run-dir>', 'a classical twin to score on the same candidates (repeatable; default name "classical")', collectTwin, {})
    .option('--embeddings <file>', 'embeddings of the folder, for runs trained on embedding files')
    .option('--first-stage <name>', 'bm25 or cosine (default: as the run was trained)')
    .option('--k <n>', 'candidates per query (default: as the run was trained)', positiveInt('--k'))
    .option('--limit <n>', 'the first N judged queries only', positiveInt('--limit'))
    .option('--json', 'print one JSON object', false)
    .action(async (runDir: string, opts: { data: string; split: string; classical: Record<string, string>; embeddings?: string; firstStage?: string; k?: number; limit?: number; json: boolean }) => {
      if (!['test', 'dev', 'train'].includes(opts.split)) throw new CliInputError(`--split ${opts.split}: expected test, dev or train`);
      if (opts.firstStage !== undefined && opts.firstStage !== 'bm25' && opts.firstStage !== 'cosine') throw new CliInputError(`--first-stage ${opts.firstStage}: expected bm25 or cosine`);
      const report = await evaluateRankingRun(runDir, {
        data: opts.data, split: opts.split as 'test', twins: opts.classical, embeddings: opts.embeddings, firstStage: opts.firstStage as 'bm25' | undefined, k: opts.k, limit: opts.limit,
      });
      process.stdout.write(opts.json ? JSON.stringify(rankingJson(report)) + '\n' : rankingTable(report) + '\n');
    });
}

/** Candidates from a JSON array or JSONL of {id, text}; errors name the file and line. */
export function readCandidates(file: string): Array<{ id: string; text: string }> {
  const raw = readFileSync(file, 'utf8');
  const trimmed = raw.trimStart();
  const items: Array<{ value: unknown; line: number }> = [];
  if (trimmed.startsWith('[')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch (e) {
      throw new CliInputError(`${file}: not valid JSON (${(e as Error).message})`);
    }
    (parsed as unknown[]).forEach((value, i) => items.push({ value, line: i + 1 }));
  } else {
    raw.split('\n').forEach((text, i) => {
      if (text.trim() === '') return;
      try {
        items.push({ value: JSON.parse(text), line: i + 1 });
      } catch (e) {
        throw new CliInputError(`${file}:${i + 1}: not valid JSON (${(e as Error).message})`);
      }
    });
  }
  return items.map(({ value, line }) => {
    const v = value as { id?: unknown; _id?: unknown; text?: unknown };
    const id = v.id ?? v._id;
    if (typeof id !== 'string' && typeof id !== 'number') throw new CliInputError(`${file}:${line}: a candidate needs an "id" (string)`);
    if (typeof v.text !== 'string') throw new CliInputError(`${file}:${line}: candidate "${String(id)}" needs a "text" (string)`);
    return { id: String(id), text: v.text };
  });
}

export function registerRerank(program: Command): void {
  program
    .command('rerank')
    .description('reorder candidate texts for one query with a trained reranker and print them with their scores')
    .argument('<run-dir>', 'a reranker run folder (reranker.json)')
    .requiredOption('--query <text>', 'the query')
    .requiredOption('--candidates <file>', 'JSONL or a JSON array of {id, text}')
    .option('--json', 'print JSON: {query, results: [{id, score, text}]} best first', false)
    .action(async (runDir: string, opts: { query: string; candidates: string; json: boolean }) => {
      const candidates = readCandidates(opts.candidates);
      await loadScoringBackend();
      const reranker = await loadReranker(runDir);
      const [q, ...docs] = await reranker.embed([opts.query, ...candidates.map((c) => c.text)]);
      const scores = reranker.score(q, docs);
      const order = candidates.map((_, i) => i).sort((a, b) => scores[b] - scores[a] || a - b);
      const results = order.map((i) => ({ id: candidates[i].id, score: scores[i], text: candidates[i].text }));
      if (opts.json) process.stdout.write(JSON.stringify({ query: opts.query, results }) + '\n');
      else for (const r of results) process.stdout.write(`${r.score.toFixed(4)}  ${r.id}  ${r.text.length > 80 ? `${r.text.slice(0, 77)}...` : r.text}\n`);
    });
}
