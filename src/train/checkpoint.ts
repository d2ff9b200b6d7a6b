// The checkpoint file: named float32 tensors plus a JSON state, in one self-checking binary file.
//
//   offset 0   8 bytes  magic "ENTCKPT1"
//          8   4 bytes  header length H (u32, little-endian)
//         12   H bytes  header: UTF-8 JSON {format, epoch, fingerprint, payloadBytes, tensors, state}
//     12 + H   P bytes  payload: the tensors' float32 values back to back (little-endian)
//   12 + H + P 32 bytes SHA-256 of every byte before it
//
// Reading checks, in order: the magic, that the file is as long as its header says (else
// "truncated"), the checksum (else "corrupt"), then the fingerprint against the run's (else
// "foreign"). A file that fails any check is refused with the reason, never partly loaded.

import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { writeFileAtomic } from '../util/atomic-file.js';
import { EntangleError } from '../util/errors.js';

const MAGIC = Buffer.from('ENTCKPT1', 'ascii');
const FORMAT = 1;
const HASH_BYTES = 32;

/** What a checkpoint belongs to: the model's architecture and the resolved config. */
export interface Fingerprint {
  model: string;
  config: string;
}

export interface StoredTensor {
  shape: number[];
  values: Float32Array;
}

export interface CheckpointData {
  /** Completed epochs. */
  epoch: number;
  fingerprint: Fingerprint;
  tensors: Map<string, StoredTensor>;
  /** Everything else (optimizer step, schedule, early stopping, history…) as JSON. */
  state: Record<string, unknown>;
}

export type CheckpointProblem = 'missing' | 'truncated' | 'corrupt' | 'foreign';

/** What a user can do about each problem (the message says it; nothing is deleted for them). */
const HINTS: Record<Exclude<CheckpointProblem, 'missing'>, string> = {
  truncated: 'train without --resume to start this run over (the checkpoint is replaced), or into a new folder with --out',
  corrupt: 'train without --resume to start this run over (the checkpoint is replaced), or into a new folder with --out',
  foreign: 'resume with the run\'s own config (entangle train RUN_DIR/config.yaml --resume --out RUN_DIR), or train this config into a new folder with --out',
};

export class CheckpointError extends EntangleError {
  override name = 'CheckpointError';
  constructor(
    readonly problem: CheckpointProblem,
    readonly path: string,
    detail: string,
  ) {
    const runDir = basename(dirname(path)) === 'checkpoints' ? dirname(dirname(path)) : 'RUN_DIR';
    super('E_CHECKPOINT', `refusing checkpoint ${path}: ${problem}: ${detail}${problem === 'missing' ? '' : `; ${HINTS[problem].replaceAll('RUN_DIR', runDir)}`}`);
  }
}

interface Header {
  format: number;
  epoch: number;
  fingerprint: Fingerprint;
  payloadBytes: number;
  tensors: Array<{ name: string; shape: number[]; offset: number; length: number }>;
  state: Record<string, unknown>;
}

/** Encode a checkpoint to bytes (exposed for tests that damage files on purpose). */
export function encodeCheckpoint(data: CheckpointData): Buffer {
  const entries: Header['tensors'] = [];
  let offset = 0;
  for (const [name, t] of data.tensors) {
    const size = t.shape.reduce((a, b) => a * b, 1);
    if (size !== t.values.length) throw new Error(`checkpoint tensor "${name}": shape [${t.shape}] holds ${size} values, got ${t.values.length}`);
    entries.push({ name, shape: t.shape, offset, length: t.values.length });
    offset += t.values.byteLength;
  }
  const header: Header = { format: FORMAT, epoch: data.epoch, fingerprint: data.fingerprint, payloadBytes: offset, tensors: entries, state: data.state };
  const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
  const prefix = Buffer.alloc(12);
  MAGIC.copy(prefix, 0);
  prefix.writeUInt32LE(headerBytes.length, 8);
  const parts: Buffer[] = [prefix, headerBytes];
  for (const t of data.tensors.values()) parts.push(float32ToLE(t.values));
  const body = Buffer.concat(parts);
  const hash = createHash('sha256').update(body).digest();
  return Buffer.concat([body, hash]);
}

/** Write a checkpoint atomically (temp file + fsync + rename). */
export function writeCheckpoint(path: string, data: CheckpointData): void {
  writeFileAtomic(path, encodeCheckpoint(data));
}

/** Decode and verify checkpoint bytes; `expected` (when given) must match its fingerprint. */
export function decodeCheckpoint(bytes: Buffer, path: string, expected?: Fingerprint): CheckpointData {
  if (bytes.length < 12) throw new CheckpointError('truncated', path, `the file has ${bytes.length} bytes, shorter than the 12-byte preamble`);
  if (!bytes.subarray(0, 8).equals(MAGIC)) throw new CheckpointError('corrupt', path, 'it does not start with the checkpoint magic "ENTCKPT1" (not a checkpoint, or damaged)');
  const headerLength = bytes.readUInt32LE(8);
  if (bytes.length < 12 + headerLength + HASH_BYTES) {
    throw new CheckpointError('truncated', path, `the header alone needs ${12 + headerLength + HASH_BYTES} bytes, the file has ${bytes.length}`);
  }
  let header: Header;
  try {
    header = JSON.parse(bytes.subarray(12, 12 + headerLength).toString('utf8')) as Header;
  } catch {
    throw new CheckpointError('corrupt', path, 'its header is not valid JSON');
  }
  const payloadBytes = typeof header.payloadBytes === 'number' ? header.payloadBytes : NaN;
  const expectedLength = 12 + headerLength + payloadBytes + HASH_BYTES;
  if (!Number.isFinite(expectedLength)) throw new CheckpointError('corrupt', path, 'its header lacks the payload size');
  if (bytes.length < expectedLength) throw new CheckpointError('truncated', path, `expected ${expectedLength} bytes, the file has ${bytes.length} (the write was cut short)`);
  if (bytes.length > expectedLength) throw new CheckpointError('corrupt', path, `expected ${expectedLength} bytes, the file has ${bytes.length} (trailing bytes)`);
  const body = bytes.subarray(0, expectedLength - HASH_BYTES);
  const stored = bytes.subarray(expectedLength - HASH_BYTES);
  const actual = createHash('sha256').update(body).digest();
  if (!actual.equals(stored)) throw new CheckpointError('corrupt', path, `checksum mismatch (SHA-256 ${actual.toString('hex').slice(0, 12)}… stored ${stored.toString('hex').slice(0, 12)}…)`);
  if (header.format !== FORMAT) throw new CheckpointError('foreign', path, `checkpoint format ${header.format}, this version reads format ${FORMAT}`);
  if (expected) {
    const differs: string[] = [];
    if (header.fingerprint?.model !== expected.model) differs.push(`model architecture (${short(header.fingerprint?.model)} in the file, ${short(expected.model)} here)`);
    if (header.fingerprint?.config !== expected.config) differs.push(`resolved config (${short(header.fingerprint?.config)} in the file, ${short(expected.config)} here)`);
    if (differs.length > 0) throw new CheckpointError('foreign', path, `it belongs to another run: ${differs.map((d) => `the ${d} differs`).join(', and ')}`);
  }
  const payloadStart = 12 + headerLength;
  const tensors = new Map<string, StoredTensor>();
  for (const t of header.tensors) {
    const start = payloadStart + t.offset;
    tensors.set(t.name, { shape: t.shape, values: float32FromLE(bytes.subarray(start, start + t.length * 4)) });
  }
  return { epoch: header.epoch, fingerprint: header.fingerprint, tensors, state: header.state };
}

/** Read and verify a checkpoint file (see decodeCheckpoint). */
export function readCheckpoint(path: string, expected?: Fingerprint): CheckpointData {
  if (!existsSync(path)) throw new CheckpointError('missing', path, 'no such file');
  return decodeCheckpoint(readFileSync(path), path, expected);
}

function short(hash: string | undefined): string {
  return hash ? hash.slice(0, 12) : '(none)';
}

// Float32 values are stored little-endian whatever the host; on the usual little-endian hosts
// these are plain copies.
const littleEndianHost = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

function float32ToLE(values: Float32Array): Buffer {
  const out = Buffer.alloc(values.byteLength);
  if (littleEndianHost) {
    Buffer.from(values.buffer, values.byteOffset, values.byteLength).copy(out);
  } else {
    for (let i = 0; i < values.length; i++) out.writeFloatLE(values[i], i * 4);
  }
  return out;
}

function float32FromLE(bytes: Buffer): Float32Array {
  const out = new Float32Array(bytes.length / 4);
  if (littleEndianHost) new Uint8Array(out.buffer).set(bytes);
  else for (let i = 0; i < out.length; i++) out[i] = bytes.readFloatLE(i * 4);
  return out;
}
