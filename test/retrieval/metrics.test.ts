// Ranking metrics against values computed by hand in this file.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { queryMetrics, rankingMetrics, type Qrels, type RankedList } from '../../src/retrieval/index.js';

const close = (a: number, b: number, what: string) => assert.ok(Math.abs(a - b) < 1e-12, `${what}: ${a} vs ${b}`);
const run = (queryId: string, docIds: string[]): RankedList => ({ queryId, docIds, scores: docIds.map((_, i) => -i) });

test('one query with graded relevance: MRR, NDCG (linear gain) and recall by hand', () => {
  // Relevant d1 (grade 1) at rank 2 and d3 (grade 2) at rank 4.
  const m = queryMetrics(['d2', 'd1', 'd4', 'd3'], new Map([['d1', 1], ['d3', 2], ['d9', 0]]));
  close(m['mrr@10'], 1 / 2, 'mrr');
  const dcg = 1 / Math.log2(3) + 2 / Math.log2(5);
  const idcg = 2 / Math.log2(2) + 1 / Math.log2(3);
  close(m['ndcg@10'], dcg / idcg, 'ndcg');
  assert.ok(Math.abs(m['ndcg@10'] - 0.56720) < 1e-5, 'the number worked out on paper: 1.49228 / 2.63093');
  close(m['recall@1'], 0, 'r@1');
  close(m['recall@10'], 1, 'r@10');
  close(m['recall@100'], 1, 'r@100');
});

test('cut-offs: a relevant document at rank 11 counts for recall@100 only; at rank 1 for everything', () => {
  const ranks = [...Array.from({ length: 10 }, (_, i) => `x${i}`), 'd8'];
  const m = queryMetrics(ranks, new Map([['d8', 1], ['d9', 1]]));
  assert.deepEqual(m, { 'mrr@10': 0, 'ndcg@10': 0, 'recall@1': 0, 'recall@10': 0, 'recall@100': 0.5 });
  const first = queryMetrics(['d8', 'x'], new Map([['d8', 3]]));
  assert.deepEqual(first, { 'mrr@10': 1, 'ndcg@10': 1, 'recall@1': 1, 'recall@10': 1, 'recall@100': 1 });
  // Beyond rank 100 nothing counts.
  const far = queryMetrics([...Array.from({ length: 100 }, (_, i) => `x${i}`), 'd8'], new Map([['d8', 1]]));
  assert.equal(far['recall@100'], 0);
  // IDCG uses the 10 best grades only: 12 relevant docs of grade 1, all ranked first, give NDCG 1.
  const many = new Map(Array.from({ length: 12 }, (_, i) => [`r${i}`, 1] as [string, number]));
  close(queryMetrics([...many.keys()], many)['ndcg@10'], 1, 'ndcg with more than 10 relevant');
  close(queryMetrics([...many.keys()], many)['recall@10'], 10 / 12, 'recall@10 with 12 relevant');
});

test('means over the judged queries with a relevant document; all-zero queries skipped and counted; a missing run scores 0', () => {
  const qrels: Qrels = new Map([
    ['q1', new Map([['d1', 1], ['d3', 2]])],
    ['q2', new Map([['d5', 1]])],
    ['q3', new Map([['d6', 0]])], // no relevant document: skipped
    ['q4', new Map([['d7', 1]])], // no run: zeros
    ['q5', new Map([['d8', 1], ['d9', 1]])],
  ]);
  const runs = [run('q1', ['d2', 'd1', 'd4', 'd3']), run('q2', ['d5']), run('q3', ['d6']), run('q5', [...Array.from({ length: 10 }, (_, i) => `x${i}`), 'd8']), run('q-unjudged', ['d1'])];
  const { queries, skipped, metrics } = rankingMetrics(runs, qrels);
  assert.equal(queries, 4);
  assert.equal(skipped, 1);
  const ndcg1 = (1 / Math.log2(3) + 2 / Math.log2(5)) / (2 + 1 / Math.log2(3));
  close(metrics['mrr@10'], (0.5 + 1 + 0 + 0) / 4, 'mrr');
  close(metrics['ndcg@10'], (ndcg1 + 1 + 0 + 0) / 4, 'ndcg');
  close(metrics['recall@1'], (0 + 1 + 0 + 0) / 4, 'r@1');
  close(metrics['recall@10'], (1 + 1 + 0 + 0) / 4, 'r@10');
  close(metrics['recall@100'], (1 + 1 + 0 + 0.5) / 4, 'r@100');
  assert.ok(Number.isNaN(rankingMetrics([], new Map()).metrics['mrr@10']), 'Number.isNaN(rankingMetrics([], new Map()).metrics[\'mrr@10\'])');
});

test('bad runs are refused: a document twice, two lists for a query, lengths that differ', () => {
  assert.throws(() => queryMetrics(['d1', 'd2', 'd1'], new Map([['d1', 1]])), /"d1" twice \(ranks 1 and 3\)/);
  assert.throws(() => rankingMetrics([run('q1', ['a']), run('q1', ['b'])], new Map()), /two ranked lists for query "q1"/);
  assert.throws(() => rankingMetrics([{ queryId: 'q1', docIds: ['a'], scores: [] }], new Map()), /1 docIds but 0 scores/);
});
