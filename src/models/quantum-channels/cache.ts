// The on-disk cache of quantum-channel expectation values: one file per key, named by the key.
//
//   <dir>/<key>.qch = one JSON header line, then images × 2 × qubits float64 values (little-endian)
//
// The key hashes everything the values depend on (the data's fingerprint, the circuits with
// their fixed weights, the grid), so a changed input looks up another file and never sees the
// old one. A file that is there but does not hold what its header and name promise (truncated,
// bit-flipped, written for another key, another format) is reported and rebuilt: readCache
// says why, and the caller recomputes. Files are written atomically (util/atomic-file.ts).

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { writeFileAtomic } from '../../util/atomic-file.js';

export const CACHE_FORMAT = 'entangle-quantum-channels';
export const CACHE_VERSION = 1;

interface CacheHeader {
  format: string;
  version: number;
  key: string;
  images: number;
  qubits: number;
  /** sha256 of the payload bytes. */
  sha256: string;
}

export type CacheRead = { status: 'hit'; values: Float64Array } | { status: 'missing' } | { status: 'invalid'; reason: string };

export function cacheFile(dir: string, key: string): string {
  return join(dir, `${key}.qch`);
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** The cached values for `key` ([images, 2, qubits] as one Float64Array), or why there are none. */
export function readCache(dir: string, key: string, images: number, qubits: number): CacheRead {
  const file = cacheFile(dir, key);
  if (!existsSync(file)) return { status: 'missing' };
  const bytes = readFileSync(file);
  const newline = bytes.indexOf(10);
  if (newline < 0) return { status: 'invalid', reason: 'no header line' };
  let header: CacheHeader;
  try {
    header = JSON.parse(bytes.subarray(0, newline).toString('utf8')) as CacheHeader;
  } catch {
    return { status: 'invalid', reason: 'the header is not JSON' };
  }
  if (header.format !== CACHE_FORMAT || header.version !== CACHE_VERSION) return { status: 'invalid', reason: `format ${String(header.format)} v${String(header.version)}, expected ${CACHE_FORMAT} v${CACHE_VERSION}` };
  if (header.key !== key) return { status: 'invalid', reason: `it holds key ${String(header.key)}, not ${key}` };
  if (header.images !== images || header.qubits !== qubits) return { status: 'invalid', reason: `it holds ${header.images} images × ${header.qubits} qubits, expected ${images} × ${qubits}` };
  const payload = bytes.subarray(newline + 1);
  const expected = images * 2 * qubits * 8;
  if (payload.length !== expected) return { status: 'invalid', reason: `the payload has ${payload.length} bytes, expected ${expected} (truncated or padded)` };
  if (sha256(payload) !== header.sha256) return { status: 'invalid', reason: 'the payload checksum does not match its header (damaged)' };
  // Copy into an aligned buffer: the payload starts after the header at any byte offset.
  const values = new Float64Array(images * 2 * qubits);
  new Uint8Array(values.buffer).set(payload);
  return { status: 'hit', values };
}

export function writeCache(dir: string, key: string, images: number, qubits: number, values: Float64Array): string {
  const payload = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  const header: CacheHeader = { format: CACHE_FORMAT, version: CACHE_VERSION, key, images, qubits, sha256: sha256(payload) };
  const head = Buffer.from(JSON.stringify(header) + '\n', 'utf8');
  const file = cacheFile(dir, key);
  writeFileAtomic(file, Buffer.concat([head, payload]));
  return file;
}
