// examples/reranker/README.md's "Commands" block, run as a user runs it — the same commands in
// order, from a folder holding the example configs — with two additions that keep it small: the
// WordNet set is cut to 80 documents and 40 queries, and each training to one epoch. The built-in
// embedder (USE-lite) embeds every text, into a cache inside the test's folder.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';

const ROOT = process.cwd();
const MAIN = join(ROOT, 'src', 'cli', 'main.ts');
// Resolved here: the commands run in a temporary folder, where a bare 'tsx' would not resolve.
const TSX = import.meta.resolve('tsx');
const dir = mkdtempSync(join(tmpdir(), 'reranker-readme-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** The README's commands (continuation lines joined, comments dropped), as argument lists. */
function readmeCommands(): string[][] {
  const readme = readFileSync(join(ROOT, 'examples', 'reranker', 'README.md'), 'utf8');
  const block = readme.slice(readme.indexOf('## Commands')).match(/```sh\n([\s\S]*?)```/)?.[1] ?? '';
  const lines = block.replace(/\\\n\s*/g, ' ').split('\n').map((l) => l.replace(/\s#.*$/, '').trim()).filter((l) => l.startsWith('npx entangle '));
  return lines.map((l) => [...l.slice('npx entangle '.length).matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]));
}

function entangle(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--conditions=source', '--import', TSX, MAIN, ...args], { cwd: dir, encoding: 'utf8', timeout: 300_000, env: { ...process.env, ENTANGLE_CACHE: join(dir, 'cache') } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('the reranker README\'s commands run in order and give a trained reranker, its evaluation and a reranked list', { timeout: 600_000 }, () => {
  const commands = readmeCommands();
  assert.deepEqual(commands.map((c) => c[0]), ['dataset', 'train', 'train', 'train', 'evaluate-ranking', 'evaluate-ranking', 'rerank'], 'the README shows these commands');
  mkdirSync(join(dir, 'examples'), { recursive: true });
  cpSync(join(ROOT, 'examples', 'reranker'), join(dir, 'examples', 'reranker'), { recursive: true });
  // The file the rerank command reads (the README says: JSONL of {id, text}).
  writeFileSync(join(dir, 'candidates.jsonl'), ['cat: a small domesticated carnivore', 'car: a motor vehicle with four wheels', 'kitten: a young cat'].map((t, i) => JSON.stringify({ id: `c${i}`, text: t })).join('\n') + '\n');
  for (const args of commands) {
    const extra = args[0] === 'dataset' ? ['--corpus-size', '80', '--max-queries', '40'] : args[0] === 'train' ? ['--set', 'training.epochs=1'] : [];
    const r = entangle([...args, ...extra]);
    assert.equal(r.status, 0, `entangle ${args.join(' ')}: ${r.stderr}`);
    if (args[0] === 'evaluate-ranking' && args.includes('--json')) {
      const report = JSON.parse(r.stdout) as { queries: number; k: number; metrics: Record<string, Record<string, number>> };
      assert.ok(report.queries > 0, 'report.queries > 0');
      for (const name of ['reranker', 'bm25', 'cosine']) for (const m of ['mrr@10', 'ndcg@10', 'recall@1', 'recall@10', 'recall@100']) assert.ok(report.metrics[name][m] >= 0 && report.metrics[name][m] <= 1, `${name} ${m}`);
    } else if (args[0] === 'evaluate-ranking') {
      assert.match(r.stdout, /large/, 'the table has the large classical twin');
    } else if (args[0] === 'rerank') {
      const ids = r.stdout.match(/\bc\d\b/g) ?? [];
      assert.deepEqual([...new Set(ids)].sort(), ['c0', 'c1', 'c2'], r.stdout);
    }
  }
  for (const run of ['reranker-quantum', 'reranker-classical', 'reranker-classical-large']) assert.ok(existsSync(join(dir, 'runs', run, 'reranker.json')), `${run} saved`);
  assert.ok(existsSync(join(dir, 'data', 'wordnet', 'qrels', 'test.tsv')), 'existsSync(join(dir, \'data\', \'wordnet\', \'qrels\', \'test.tsv\'))');
});
