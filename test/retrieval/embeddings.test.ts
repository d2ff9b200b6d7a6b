// Embedding files (.npy with its ids, JSONL, CSV) and the disk cache in front of an embedder.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cachedEmbedder, EmbeddingFileError, loadEmbeddingFile, writeNpy, type Embedder } from '../../src/retrieval/index.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'emb-'));

/** A .npy file built here byte by byte (format 1.0), independent of the library's writer. */
function handNpy(descr: string, shape: number[], values: number[], width = 4): Buffer {
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  while ((10 + header.length + 1) % 64 !== 0) header += ' ';
  header += '\n';
  const pre = Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, header.length & 0xff, header.length >> 8]);
  const data = Buffer.alloc(values.length * width);
  values.forEach((v, i) => (width === 4 ? data.writeFloatLE(v, i * 4) : data.writeDoubleLE(v, i * 8)));
  return Buffer.concat([pre, Buffer.from(header, 'latin1'), data]);
}

const asArrays = (m: Map<string, Float32Array>) => [...m].map(([id, v]) => [id, [...v]]);

function fileError(fn: () => unknown, file: string, line: number | undefined, field: string | undefined, message: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof EmbeddingFileError, String(e));
    assert.equal(e.file, file);
    assert.equal(e.line, line);
    if (field !== undefined) assert.equal(e.field, field);
    assert.match(e.message, message);
    return true;
  });
}

test('.npy: float32 and float64 arrays with their ids file load; the writer round-trips; damage is named', () => {
  const dir = tmp();
  writeFileSync(join(dir, 'e.npy'), handNpy('<f4', [2, 3], [1, 2, 3, 0.5, -0.25, 4]));
  writeFileSync(join(dir, 'e.ids.txt'), 'a\nb\n');
  assert.deepEqual(asArrays(loadEmbeddingFile(join(dir, 'e.npy'))), [['a', [1, 2, 3]], ['b', [0.5, -0.25, 4]]]);
  writeFileSync(join(dir, 'd.npy'), handNpy('<f8', [1, 2], [0.1, 7], 8));
  writeFileSync(join(dir, 'names.txt'), 'only\n');
  assert.deepEqual(asArrays(loadEmbeddingFile(join(dir, 'd.npy'), { ids: join(dir, 'names.txt') })), [['only', [Math.fround(0.1), 7]]]);

  const rows = [new Float32Array([1.5, -2]), new Float32Array([3, 0.125])];
  writeNpy(join(dir, 'w.npy'), ['x', 'y'], rows);
  assert.deepEqual(readFileSync(join(dir, 'w.npy')), handNpy('<f4', [2, 2], [1.5, -2, 3, 0.125]), 'the writer makes the bytes numpy.save makes');
  assert.deepEqual(asArrays(loadEmbeddingFile(join(dir, 'w.npy'))), [['x', [1.5, -2]], ['y', [3, 0.125]]]);

  writeFileSync(join(dir, 'e.ids.txt'), 'a\nb\nc\n');
  fileError(() => loadEmbeddingFile(join(dir, 'e.npy')), join(dir, 'e.ids.txt'), undefined, undefined, /3 ids, but .* has 2 rows/);
  writeFileSync(join(dir, 'e.ids.txt'), 'a\na\n');
  fileError(() => loadEmbeddingFile(join(dir, 'e.npy')), join(dir, 'e.ids.txt'), 2, 'id', /"a" was already given on line 1/);
  writeFileSync(join(dir, 'n.npy'), handNpy('<f4', [2, 3], [1, 2]));
  fileError(() => loadEmbeddingFile(join(dir, 'n.npy')), join(dir, 'n.npy'), undefined, undefined, /truncated or damaged/);
  writeFileSync(join(dir, 'i.npy'), handNpy('<i4', [1, 1], [0]));
  fileError(() => loadEmbeddingFile(join(dir, 'i.npy')), join(dir, 'i.npy'), undefined, 'descr', /float32/);
  writeFileSync(join(dir, 'v.npy'), handNpy('<f4', [3], [1, 2, 3]));
  fileError(() => loadEmbeddingFile(join(dir, 'v.npy')), join(dir, 'v.npy'), undefined, 'shape', /2-D array/);
  fileError(() => loadEmbeddingFile(join(dir, 'w.npy'), { ids: join(dir, 'nope.txt') }), join(dir, 'nope.txt'), undefined, undefined, /missing/);
  writeFileSync(join(dir, 'bad.npy'), 'not numpy');
  fileError(() => loadEmbeddingFile(join(dir, 'bad.npy')), join(dir, 'bad.npy'), undefined, undefined, /not a \.npy file/);
});

test('JSONL and CSV: vectors by id; a dimension that differs from the first, a bad value, a missing field are named by line', () => {
  const dir = tmp();
  const jsonl = join(dir, 'e.jsonl');
  writeFileSync(jsonl, '{"id": "a", "embedding": [1, 2]}\n\n{"_id": 7, "vector": [3, 4]}\n');
  assert.deepEqual(asArrays(loadEmbeddingFile(jsonl)), [['a', [1, 2]], ['7', [3, 4]]]);
  writeFileSync(jsonl, '{"id": "a", "embedding": [1, 2]}\n{"id": "b", "embedding": [3, 4, 5]}\n');
  fileError(() => loadEmbeddingFile(jsonl), jsonl, 2, 'embedding', /3 values, but the first vector has 2/);
  writeFileSync(jsonl, '{"id": "a", "embedding": [1, "x"]}\n');
  fileError(() => loadEmbeddingFile(jsonl), jsonl, 1, 'embedding', /array of numbers/);
  writeFileSync(jsonl, '{"embedding": [1]}\n');
  fileError(() => loadEmbeddingFile(jsonl), jsonl, 1, 'id', /missing/);
  writeFileSync(jsonl, '{"id": "a"}\n');
  fileError(() => loadEmbeddingFile(jsonl), jsonl, 1, 'embedding', /missing/);
  writeFileSync(jsonl, '{"id": "a", "embedding": [1]}\n{oops\n');
  fileError(() => loadEmbeddingFile(jsonl), jsonl, 2, undefined, /not valid JSON/);

  const csv = join(dir, 'e.csv');
  writeFileSync(csv, 'id,v1,v2\nd1,0.5,1e-3\nd2,-1,2\n');
  assert.deepEqual(asArrays(loadEmbeddingFile(csv)), [['d1', [0.5, Math.fround(1e-3)]], ['d2', [-1, 2]]]);
  writeFileSync(csv, 'd1,0.5,1\nd2,1,2\n');
  assert.deepEqual(asArrays(loadEmbeddingFile(csv)), [['d1', [0.5, 1]], ['d2', [1, 2]]], 'without a header line the first line is a vector');
});

test('CSV damage: dimension mismatch and a non-number are named by line and column', () => {
  const dir = tmp();
  const csv = join(dir, 'e.csv');
  writeFileSync(csv, 'd1,0.5,1\nd2,1\n');
  fileError(() => loadEmbeddingFile(csv), csv, 2, 'values', /1 values, but the first vector has 2/);
  writeFileSync(csv, 'id,a,b\nd1,0.5,abc\n');
  fileError(() => loadEmbeddingFile(csv), csv, 2, 'column 3', /"abc" is not a finite number/);
  fileError(() => loadEmbeddingFile(join(dir, 'nope.csv')), join(dir, 'nope.csv'), undefined, undefined, /missing/);
  writeFileSync(join(dir, 'e.txt'), '');
  fileError(() => loadEmbeddingFile(join(dir, 'e.txt')), join(dir, 'e.txt'), undefined, undefined, /must be \.npy/);
});

/** A deterministic embedder that counts what it is asked for. */
function countingEmbedder(): Embedder & { asked: string[] } {
  const asked: string[] = [];
  return {
    id: 'test-embedder:v1',
    dim: 3,
    asked,
    async embed(texts: string[]) {
      asked.push(...texts);
      return texts.map((t) => new Float32Array([t.length, t.charCodeAt(0) || 0, 0.5]));
    },
  };
}

test('the cache: a second call (even from a new process-level cache) embeds nothing; a damaged shard is detected and recomputed', async () => {
  const dir = tmp();
  const inner = countingEmbedder();
  const first = cachedEmbedder(inner, dir);
  const a = await first.embed(['alpha', 'beta', 'alpha']);
  assert.deepEqual(inner.asked, ['alpha', 'beta'], 'a repeated text is embedded once');
  assert.deepEqual([...a[2]], [5, 97, 0.5]);
  await first.embed(['beta']);
  assert.equal(inner.asked.length, 2);
  assert.deepEqual(first.stats, { hits: 2, misses: 2, damaged: 0 });

  const second = cachedEmbedder(inner, dir); // as a second run would: reads the shards from disk
  const b = await second.embed(['beta', 'alpha', 'gamma']);
  assert.deepEqual(inner.asked, ['alpha', 'beta', 'gamma']);
  assert.deepEqual(b.map((v) => [...v]), [[4, 98, 0.5], [5, 97, 0.5], [5, 103, 0.5]]);

  // Another embedder id never sees these vectors.
  const other = cachedEmbedder({ ...countingEmbedder(), id: 'test-embedder:v2' }, dir);
  await other.embed(['alpha']);
  assert.equal(other.stats.misses, 1);

  // Damage the shard that holds alpha and beta: flip one byte of a vector.
  const folder = second.cacheFolder;
  const shards = readdirSync(folder).filter((f) => f.startsWith('shard-'));
  assert.equal(shards.length, 2);
  for (const s of shards) {
    const bytes = readFileSync(join(folder, s));
    if (bytes.includes(Buffer.from('"count":2'))) {
      bytes[bytes.length - 3] ^= 0xff;
      writeFileSync(join(folder, s), bytes);
    }
  }
  const damaged: string[] = [];
  const third = cachedEmbedder(inner, dir, { onDamaged: (file, why) => damaged.push(`${file}: ${why}`) });
  const c = await third.embed(['alpha', 'beta', 'gamma']);
  assert.equal(third.stats.damaged, 1);
  assert.match(damaged[0], /checksum does not match/);
  assert.deepEqual(inner.asked, ['alpha', 'beta', 'gamma', 'alpha', 'beta'], 'only the damaged shard\'s texts are embedded again');
  assert.deepEqual(c.map((v) => [...v]), [[5, 97, 0.5], [4, 98, 0.5], [5, 103, 0.5]]);
  // A truncated shard is damage too, and the recomputed vectors were stored again.
  const fourth = cachedEmbedder(inner, dir);
  await fourth.embed(['alpha', 'beta', 'gamma']);
  assert.deepEqual(fourth.stats, { hits: 3, misses: 0, damaged: 0 });
  const one = readdirSync(folder).filter((f) => f.startsWith('shard-'))[0];
  writeFileSync(join(folder, one), readFileSync(join(folder, one)).subarray(0, 30));
  const fifth = cachedEmbedder(inner, dir);
  await fifth.embed(['alpha', 'beta', 'gamma']);
  assert.equal(fifth.stats.damaged, 1);
  assert.ok(fifth.stats.misses > 0, 'fifth.stats.misses > 0');
});
