// `npm run bench -- embedder`: throughput of the built-in text embedder (Universal Sentence
// Encoder-lite on TensorFlow.js) and of the embedding cache's hit path, on real texts (the
// documents of a small WordNet retrieval set, as the reranker embeds them).
//
// Rows, all measured in this run: the model load; wasm at batch sizes 1, 8, 32, 128 over the same
// texts (the embedder sorts them by length into batches); the cpu backend at batch 8 over a few
// texts (it is ~70x slower); the cache's first call
// (embed + write a shard) and a second, fresh cache over the same folder (read the shard, no
// embedding). Sentences per second come from CPU time (user + system of this process), the figure
// that load on the shared machine does not inflate; wall time is shown beside it.

import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildWordnetRetrievalSet, cachedEmbedder, docText, useLiteEmbedder, type Embedder } from '../src/retrieval/index.js';
import { table } from './timing.js';

interface Measured {
  wallMs: number;
  cpuMs: number;
}

async function measure(fn: () => Promise<unknown>): Promise<Measured> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await fn();
  const wallMs = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { wallMs, cpuMs: (c.user + c.system) / 1000 };
}

export async function runEmbedderBench(texts = 128, cpuTexts = 4): Promise<string> {
  const load = loadavg()[0];
  const set = buildWordnetRetrievalSet({ seed: 11, maxQueries: 10, corpusSize: texts });
  const all = set.corpus.map(docText);
  const rows: Array<Array<string | number>> = [];
  const row = (label: string, n: number, m: Measured, base?: number) => {
    const perSecond = (n / m.cpuMs) * 1000;
    rows.push([label, n, m.wallMs, m.cpuMs, perSecond, base ? perSecond / base : 1]);
    return perSecond;
  };
  let embedders: Record<number, Embedder> = {};
  const loaded = await measure(async () => {
    embedders = { 8: await useLiteEmbedder({ batchSize: 8 }) };
  });
  rows.push(['model load (wasm)', '', loaded.wallMs, loaded.cpuMs, '', '']);
  for (const b of [1, 32, 128]) embedders[b] = await useLiteEmbedder({ batchSize: b });
  await embedders[8].embed(all.slice(0, 8)); // warm-up: the first call compiles the graph's kernels
  const base = (await (async () => {
    const m = await measure(() => embedders[8].embed(all));
    return row('wasm, batch 8 (default)', all.length, m);
  })());
  for (const b of [1, 32, 128]) {
    await embedders[b].embed(all.slice(0, 2));
    row(`wasm, batch ${b}`, all.length, await measure(() => embedders[b].embed(all)), base);
  }
  const onCpu = await useLiteEmbedder({ batchSize: 8, backend: 'cpu' });
  await onCpu.embed(all.slice(0, 2));
  row('cpu backend, batch 8', cpuTexts, await measure(() => onCpu.embed(all.slice(0, cpuTexts))), base);

  const dir = mkdtempSync(join(tmpdir(), 'embed-bench-'));
  try {
    const first = cachedEmbedder(embedders[8], dir);
    row('cache, first call (embed + write)', all.length, await measure(() => first.embed(all)), base);
    const second = cachedEmbedder(embedders[8], dir);
    row('cache hit, fresh cache (read shard)', all.length, await measure(() => second.embed(all)), base);
    row('cache hit, in memory', all.length, await measure(() => second.embed(all)), base);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return [
    `## Embedder: USE-lite throughput and the cache (load average ${load.toFixed(1)})`,
    '',
    `${all.length} WordNet entries (mean ${Math.round(all.reduce((s, t) => s + t.length, 0) / all.length)} characters); ratio = sentences/s (CPU) against wasm at batch 8.`,
    '',
    table(['variant', 'texts', 'wall ms', 'CPU ms', 'sentences/s (CPU)', 'ratio'], rows),
  ].join('\n');
}
