// `entangle train` on a reranker config, `evaluate-ranking --json` and `rerank`, in-process, on a
// tiny BEIR folder written here with a precomputed embedding file (no embedder model loaded):
// the run folder, the saved reranker, the JSON contract with a classical twin, refusals.

import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli } from '../../src/cli/program.js';
import { Rng } from '../../src/util/random.js';

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  // Only the commands' text is captured: under `node --test` the runner reports this file's
  // results over the same stdout as serialized bytes, which must pass through (or a result
  // written while a command runs would be lost, failures included).
  process.stdout.write = ((t: string | Uint8Array, ...rest: unknown[]) => {
    if (typeof t !== 'string') return (write as (...a: unknown[]) => boolean)(t, ...rest);
    out.push(t);
    return true;
  }) as typeof process.stdout.write;
  try {
    const code = await runCli(['node', 'entangle', ...args], { write: (t) => err.push(t) });
    return { code, out: out.join(''), err: err.join('') };
  } finally {
    process.stdout.write = write;
  }
}

/** 16 topics, one document each; 4 train + 2 test queries per topic; embeddings = topic centre + noise. */
function writeTinyBeir(dir: string): void {
  const rng = new Rng(3);
  const D = 8;
  const centres = Array.from({ length: 16 }, () => Array.from({ length: D }, () => rng.normal()));
  const lines: string[] = [];
  const emb: string[] = [];
  const vec = (t: number, noise: number) => centres[t].map((v) => v + noise * rng.normal());
  const words = ['alpha', 'beta', 'gamma', 'delta', 'omega', 'sigma', 'kappa', 'theta'];
  for (let t = 0; t < 16; t++) {
    lines.push(JSON.stringify({ _id: `d${t}`, title: `doc ${t}`, text: `${words[t % 8]} ${words[(t * 3) % 8]} topic` }));
    emb.push(JSON.stringify({ id: `d${t}`, embedding: vec(t, 0) }));
  }
  const queries: string[] = [];
  const train = ['query-id\tcorpus-id\tscore'];
  const testQ = ['query-id\tcorpus-id\tscore'];
  for (let t = 0; t < 16; t++)
    for (let j = 0; j < 6; j++) {
      const id = `q${t}_${j}`;
      queries.push(JSON.stringify({ _id: id, text: `${words[t % 8]} question ${j}` }));
      emb.push(JSON.stringify({ id, embedding: vec(t, 0.9) }));
      (j < 4 ? train : testQ).push(`${id}\td${t}\t1`);
    }
  mkdirSync(join(dir, 'qrels'), { recursive: true });
  writeFileSync(join(dir, 'corpus.jsonl'), lines.join('\n') + '\n');
  writeFileSync(join(dir, 'queries.jsonl'), queries.join('\n') + '\n');
  writeFileSync(join(dir, 'qrels', 'train.tsv'), train.join('\n') + '\n');
  writeFileSync(join(dir, 'qrels', 'test.tsv'), testQ.join('\n') + '\n');
  writeFileSync(join(dir, 'embeddings.jsonl'), emb.join('\n') + '\n');
}

function configText(similarity: string): string {
  return `name: tiny-${similarity}
seed: 1
data:
  type: beir
  dir: beir
  embeddings: beir/embeddings.jsonl
  firstStage: cosine
  k: 10
  split: { train: 0.8, val: 0.2, test: 1 }
model:
  reranker: { similarity: ${similarity}, hidden: [16], qubits: 2, encodingLayers: 1, depth: 1 }
training:
  task: ranking
  loss: triplet
  epochs: 3
  batchSize: 16
  optimizer: { type: adam, lr: 0.01, weightDecay: 0.00001 }
  paramGroups: { quantum: { lr: 0.05 }, classical: { lr: 0.01 } }
  clipNorm: 1
  earlyStopping: { patience: 10, minDelta: 0.001, monitor: val_mrr@10 }
`;
}

test('train a reranker and a classical twin from configs; evaluate-ranking --json prints the contract; rerank orders candidates', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rank-run-'));
  writeTinyBeir(join(dir, 'beir'));
  for (const s of ['fidelity', 'cosine']) writeFileSync(join(dir, `${s}.yaml`), configText(s));
  const q = await cli(['train', join(dir, 'fidelity.yaml'), '--out', join(dir, 'runs', 'q')]);
  assert.equal(q.code, 0, q.err);
  assert.match(q.out, /test MRR@10 \d\.\d{3}/);
  for (const f of ['config.yaml', 'metrics.jsonl', 'summary.json', 'reranker.json', 'reranker-weights.bin', 'ranking.json', 'split.json', '.entangle-run.json', 'checkpoints/last.ckpt']) {
    assert.ok(existsSync(join(dir, 'runs', 'q', f)), `missing ${f}`);
  }
  const summary = JSON.parse(readFileSync(join(dir, 'runs', 'q', 'summary.json'), 'utf8'));
  assert.equal(summary.task, 'ranking');
  assert.ok(summary.params.quantum > 0, 'summary.params.quantum > 0');
  const epoch = JSON.parse(readFileSync(join(dir, 'runs', 'q', 'metrics.jsonl'), 'utf8').split('\n')[0]);
  assert.ok('val_mrr@10' in epoch && 'train_pair_accuracy' in epoch, Object.keys(epoch).join(', '));
  const c = await cli(['train', join(dir, 'cosine.yaml'), '--out', join(dir, 'runs', 'c')]);
  assert.equal(c.code, 0, c.err);

  const ev = await cli(['evaluate-ranking', join(dir, 'runs', 'q'), '--data', join(dir, 'beir'), '--embeddings', join(dir, 'beir', 'embeddings.jsonl'), '--classical', join(dir, 'runs', 'c'), '--json']);
  assert.equal(ev.code, 0, ev.err);
  const report = JSON.parse(ev.out);
  assert.equal(report.queries, 32);
  assert.equal(report.k, 10);
  assert.deepEqual(Object.keys(report.metrics).sort(), ['bm25', 'classical', 'cosine', 'reranker']);
  for (const m of Object.values(report.metrics) as Array<Record<string, number>>) {
    assert.deepEqual(Object.keys(m).sort(), ['mrr@10', 'ndcg@10', 'recall@1', 'recall@10', 'recall@100']);
    for (const v of Object.values(m)) assert.ok(v >= 0 && v <= 1, 'v >= 0 && v <= 1');
  }
  // Reranking the cosine top 10 of 16 documents cannot change recall@10.
  assert.equal(report.metrics.reranker['recall@10'], report.metrics.cosine['recall@10']);
  // The same numbers as the run's own test evaluation.
  const own = JSON.parse(readFileSync(join(dir, 'runs', 'q', 'ranking.json'), 'utf8'));
  assert.deepEqual(own.metrics.reranker, report.metrics.reranker);

  const noEmb = await cli(['evaluate-ranking', join(dir, 'runs', 'q'), '--data', join(dir, 'beir')]);
  assert.equal(noEmb.code, 1);
  assert.match(noEmb.err, /give the embeddings of .* with --embeddings FILE/);
  const notRun = await cli(['evaluate-ranking', join(dir, 'beir'), '--data', join(dir, 'beir')]);
  assert.equal(notRun.code, 1);
  assert.match(notRun.err, /not a trained reranker run/);
  // rerank embeds text: a run on embedding files refuses, naming why.
  writeFileSync(join(dir, 'cands.jsonl'), '{"id": "a", "text": "alpha"}\n{"id": "b", "text": "beta"}\n');
  const rr = await cli(['rerank', join(dir, 'runs', 'q'), '--query', 'alpha', '--candidates', join(dir, 'cands.jsonl')]);
  assert.equal(rr.code, 1);
  assert.match(rr.err, /precomputed embeddings/);
});

test('config errors: a reranker needs beir data, beir data needs a reranker, a ranking loss needs the ranking task', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rank-cfg-'));
  const bad = configText('fidelity').replace('type: beir', 'type: circles\n  samples: 10');
  writeFileSync(join(dir, 'a.yaml'), bad);
  const a = await cli(['train', join(dir, 'a.yaml')]);
  assert.equal(a.code, 1);
  assert.match(a.err, /model\.reranker trains on a retrieval set: set data\.type: beir/);
  writeFileSync(join(dir, 'b.yaml'), configText('fidelity').replace('similarity: fidelity', 'similarity: quantum'));
  const b = await cli(['train', join(dir, 'b.yaml')]);
  assert.equal(b.code, 1);
  assert.match(b.err, /similarity/);
  // The task is implied by model.reranker; a non-ranking loss is refused, naming the fix.
  writeFileSync(join(dir, 'c.yaml'), configText('fidelity').replace('  task: ranking\n  loss: triplet\n', '  loss: mse\n'));
  const c = await cli(['train', join(dir, 'c.yaml')]);
  assert.equal(c.code, 1);
  assert.match(c.err, /mse is not a ranking loss; set training\.task: ranking/);
});
