// A disk cache in front of any Embedder, keyed by the embedder's id and the SHA-256 of each text,
// so a second run over the same corpus embeds nothing.
//
// Layout: `cacheDir/<slug of the id>-<12 hex of sha256(id)>/shard-<16 hex>.bin`, one shard per
// call that had anything new to embed, each written atomically (util/atomic-file.ts) and never
// changed afterwards; so two processes sharing a cache never corrupt it (the worst case is the
// same text embedded twice). A shard is:
//
//   "ENTEMB1\n"   8 bytes of magic
//   u32 LE        length H of the header
//   H bytes       JSON {embedder, dim, count, hashes: [hex sha256 of each text], checksum}
//   count*dim     float32 LE vectors, in `hashes` order
//
// `checksum` is the SHA-256 of the hashes (joined) and the vector bytes. A shard that fails any
// check (magic, JSON, embedder, dim, length, checksum) is reported through `onDamaged`, deleted,
// and its texts are embedded again when asked for.

import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../util/atomic-file.js';
import { createFolder, explainFsError } from '../util/output-folder.js';
import type { Embedder } from './embedder.js';

const MAGIC = Buffer.from('ENTEMB1\n', 'latin1');

export interface CacheStats {
  /** Texts answered from the cache. */
  hits: number;
  /** Texts the inner embedder was asked for. */
  misses: number;
  /** Damaged shards found (and deleted). */
  damaged: number;
}

export interface CachedEmbedder extends Embedder {
  readonly cacheFolder: string;
  readonly stats: CacheStats;
}

export interface CacheOptions {
  /** Told the path and the reason of each damaged shard. */
  onDamaged?: (file: string, reason: string) => void;
}

export const textHash = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/** The cache folder of one embedder: readable, and unique to its id. */
export function embedderCacheFolder(cacheDir: string, embedderId: string): string {
  const slug = embedderId.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 60);
  return join(cacheDir, `${slug}-${textHash(embedderId).slice(0, 12)}`);
}

function checksum(hashes: readonly string[], vectors: Uint8Array): string {
  return createHash('sha256').update(hashes.join('')).update(vectors).digest('hex');
}

/** Encode one shard. */
export function encodeShard(embedderId: string, dim: number, hashes: readonly string[], vectors: readonly Float32Array[]): Buffer {
  const data = Buffer.alloc(hashes.length * dim * 4);
  vectors.forEach((v, i) => Buffer.from(v.buffer, v.byteOffset, v.byteLength).copy(data, i * dim * 4));
  const header = Buffer.from(JSON.stringify({ embedder: embedderId, dim, count: hashes.length, hashes, checksum: checksum(hashes, data) }), 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32LE(header.length);
  return Buffer.concat([MAGIC, length, header, data]);
}

/** Decode one shard, or say why it is damaged. */
export function decodeShard(bytes: Buffer, embedderId: string, dim: number): { hashes: string[]; vectors: Float32Array[] } | { damaged: string } {
  if (bytes.length < 12 || !bytes.subarray(0, 8).equals(MAGIC)) return { damaged: 'it does not start with the cache magic' };
  const h = bytes.readUInt32LE(8);
  if (12 + h > bytes.length) return { damaged: 'its header is cut short' };
  let header: { embedder?: unknown; dim?: unknown; count?: unknown; hashes?: unknown; checksum?: unknown };
  try {
    header = JSON.parse(bytes.subarray(12, 12 + h).toString('utf8')) as typeof header;
  } catch {
    return { damaged: 'its header is not valid JSON' };
  }
  if (header.embedder !== embedderId) return { damaged: `it was written by embedder ${JSON.stringify(header.embedder)}` };
  if (header.dim !== dim) return { damaged: `its vectors have ${String(header.dim)} dimensions, the embedder ${dim}` };
  const hashes = header.hashes;
  if (!Array.isArray(hashes) || hashes.length !== header.count || hashes.some((x) => typeof x !== 'string')) return { damaged: 'its list of text hashes is malformed' };
  const data = bytes.subarray(12 + h);
  if (data.length !== hashes.length * dim * 4) return { damaged: `it holds ${data.length} bytes of vectors, ${hashes.length * dim * 4} expected (cut short?)` };
  if (checksum(hashes as string[], data) !== header.checksum) return { damaged: 'its checksum does not match its contents' };
  const copy = new Float32Array(data.length / 4);
  Buffer.from(copy.buffer).set(data);
  return { hashes: hashes as string[], vectors: (hashes as string[]).map((_, i) => copy.subarray(i * dim, (i + 1) * dim)) };
}

export function cachedEmbedder(inner: Embedder, cacheDir: string, options: CacheOptions = {}): CachedEmbedder {
  const folder = embedderCacheFolder(cacheDir, inner.id);
  const stats: CacheStats = { hits: 0, misses: 0, damaged: 0 };
  let memory: Map<string, Float32Array> | undefined;

  /** Read every shard once, on first use (later shards of this process go to memory as they are written). */
  function load(): Map<string, Float32Array> {
    if (memory) return memory;
    memory = new Map();
    if (!existsSync(folder)) return memory;
    for (const name of readdirSync(folder).sort()) {
      if (!/^shard-[0-9a-f]+\.bin$/.test(name)) continue; // temporaries of an interrupted write, and anything else
      const file = join(folder, name);
      const shard = decodeShard(readFileSync(file), inner.id, inner.dim);
      if ('damaged' in shard) {
        stats.damaged++;
        options.onDamaged?.(file, shard.damaged);
        rmSync(file, { force: true });
        continue;
      }
      shard.hashes.forEach((h, i) => memory!.set(h, shard.vectors[i]));
    }
    return memory;
  }

  return {
    id: inner.id,
    dim: inner.dim,
    cacheFolder: folder,
    stats,
    async embed(texts: string[]): Promise<Float32Array[]> {
      const known = load();
      const hashes = texts.map(textHash);
      const missing = new Map<string, string>(); // hash -> text, each new text once
      hashes.forEach((h, i) => {
        if (!known.has(h) && !missing.has(h)) missing.set(h, texts[i]);
      });
      stats.hits += texts.length - [...hashes].filter((h) => missing.has(h)).length;
      if (missing.size > 0) {
        const newHashes = [...missing.keys()];
        stats.misses += newHashes.length;
        const vectors = await inner.embed([...missing.values()]);
        vectors.forEach((v, i) => {
          if (v.length !== inner.dim) throw new Error(`embedder ${inner.id} returned a vector of ${v.length} dimensions, not ${inner.dim}`);
          known.set(newHashes[i], v);
        });
        const shardName = `shard-${textHash(newHashes.join('')).slice(0, 16)}.bin`;
        try {
          createFolder(folder, `create the embedding cache folder ${folder}`);
          writeFileAtomic(join(folder, shardName), encodeShard(inner.id, inner.dim, newHashes, vectors));
        } catch (e) {
          throw explainFsError(e, `write the embedding cache ${join(folder, shardName)}`);
        }
      }
      return hashes.map((h) => known.get(h)!);
    },
  };
}
