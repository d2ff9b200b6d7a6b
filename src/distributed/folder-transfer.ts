// A finished run folder carried inside a job's result, for workers that share no storage with
// the coordinator: the worker packs every file of the folder (base64), the coordinator writes
// them into its own sweep folder, each atomically and the run's marker last, so a coordinator
// killed half-way leaves a folder that does not claim to be a finished run.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, normalize, sep } from 'node:path';
import { writeFileAtomic } from '../util/atomic-file.js';
import { EntangleError } from '../util/errors.js';
import { RUN_MARKER } from '../experiments/run-folder.js';

/** Redis holds a value of up to 512 MB; a job result far below that keeps the server responsive. */
export const MAX_PACKED_BYTES = 256 * 2 ** 20;

export type PackedFolder = Record<string, string>;

export class FolderTransferError extends EntangleError {
  override name = 'FolderTransferError';
  constructor(message: string) {
    super('E_FOLDER_TRANSFER', message);
  }
}

function filesUnder(dir: string, prefix = ''): string[] {
  return readdirSync(dir).flatMap((name) => {
    const rel = prefix ? `${prefix}/${name}` : name;
    return statSync(join(dir, name)).isDirectory() ? filesUnder(join(dir, name), rel) : [rel];
  });
}

/** Every file under `dir` by its /-separated relative path, base64-encoded. */
export function packFolder(dir: string): PackedFolder {
  const packed: PackedFolder = {};
  let bytes = 0;
  for (const rel of filesUnder(dir).sort()) {
    const data = readFileSync(join(dir, rel));
    bytes += data.length;
    if (bytes > MAX_PACKED_BYTES) throw new FolderTransferError(`the run folder ${dir} holds more than ${MAX_PACKED_BYTES / 2 ** 20} MiB, too much to send back through the queue; give the coordinator --shared-dir with an --out folder every worker can write`);
    packed[rel] = data.toString('base64');
  }
  return packed;
}

/** A relative path that stays inside the folder (a result comes over the network: check it). */
function safeRelative(rel: string): string {
  const norm = normalize(rel);
  if (rel === '' || isAbsolute(rel) || norm.startsWith('..') || norm.split(sep).includes('..')) throw new FolderTransferError(`a job result names the file "${rel}", outside its run folder; refusing to write it`);
  return norm;
}

/** Write a packed folder into `dir`; the run marker goes last. */
export function unpackFolder(packed: PackedFolder, dir: string): void {
  const files = Object.entries(packed).map(([rel, data]) => [safeRelative(rel), data] as const);
  const ordered = [...files.filter(([rel]) => rel !== RUN_MARKER), ...files.filter(([rel]) => rel === RUN_MARKER)];
  for (const [rel, data] of ordered) writeFileAtomic(join(dir, rel), Buffer.from(data, 'base64'));
}
