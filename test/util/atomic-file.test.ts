// Crash safety of writeFileAtomic, tested deterministically at the one dangerous instant: the
// temporary file is complete and the rename has not happened. Through the seam
// setBeforeRenameHook we (1) throw there in-process and (2) stop a child process there and
// SIGKILL it. Either way a reader must see the previous file whole, the temporary file must hold
// the whole new contents (so the write really had reached that point), and removeStaleTempFiles
// must clean it up. Checkpoints (one file per write, src/train/checkpoint.ts) are checked the
// same way through readCheckpoint, which is what resume reads.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { removeStaleTempFiles, setBeforeRenameHook, writeFileAtomic } from '../../src/util/atomic-file.js';
import { readCheckpoint, writeCheckpoint } from '../../src/train/checkpoint.js';
import { checkpointAtEpoch, FINGERPRINT, NEW_TEXT, OLD_TEXT } from './atomic-fixtures.js';

const CHILD = join(dirname(fileURLToPath(import.meta.url)), 'atomic-write-child.ts');

function freshDir(): string {
  return mkdtempSync(join(tmpdir(), 'atomic-'));
}

class InjectedCrash extends Error {}

/** Run `write` with a hook that records the temp path and throws; returns that path. */
function crashBeforeRename(write: () => void): string {
  let seen: string | undefined;
  setBeforeRenameHook((tempPath) => {
    seen = tempPath;
    throw new InjectedCrash('injected between write and rename');
  });
  try {
    assert.throws(write, InjectedCrash);
  } finally {
    setBeforeRenameHook(undefined);
  }
  assert.ok(seen, 'the write never reached the point between the temporary file and the rename');
  return seen;
}

test('writeFileAtomic calls the hook once per write with a temporary file in the target folder, then renames', () => {
  const dir = freshDir();
  const target = join(dir, 'sub', 'file.txt');
  const calls: Array<[string, string, boolean, string]> = [];
  setBeforeRenameHook((tempPath, targetPath) => calls.push([tempPath, targetPath, existsSync(targetPath), readFileSync(tempPath, 'utf8')]));
  try {
    writeFileAtomic(target, NEW_TEXT);
  } finally {
    setBeforeRenameHook(undefined);
  }
  assert.equal(calls.length, 1);
  const [tempPath, targetPath, targetExisted, tempText] = calls[0];
  assert.equal(targetPath, target);
  assert.equal(dirname(tempPath), dirname(target), 'the temporary file must sit beside the target (rename is atomic only within a file system)');
  assert.notEqual(tempPath, target);
  assert.equal(targetExisted, false, 'the target existed before the rename: the write went to it directly');
  assert.equal(tempText, NEW_TEXT, 'the temporary file was not complete at the hook');
  assert.equal(readFileSync(target, 'utf8'), NEW_TEXT);
  assert.deepEqual(readdirSync(dirname(target)), ['file.txt'], 'no temporary file may remain after a successful write');
});

test('a failure between writing the temporary file and the rename leaves the previous file intact', () => {
  const dir = freshDir();
  const target = join(dir, 'file.txt');
  writeFileAtomic(target, OLD_TEXT);
  const tempPath = crashBeforeRename(() => writeFileAtomic(target, NEW_TEXT));
  assert.equal(readFileSync(target, 'utf8'), OLD_TEXT, 'the previous file was changed by a write that never renamed');
  assert.equal(readFileSync(tempPath, 'utf8'), NEW_TEXT, 'the temporary file should hold the new contents, complete');
  assert.equal(readdirSync(dir).length, 2);
  removeStaleTempFiles(dir);
  assert.deepEqual(readdirSync(dir), ['file.txt'], 'removeStaleTempFiles left a stray temporary file');
  assert.equal(readFileSync(target, 'utf8'), OLD_TEXT);
  // The next write goes through as usual.
  writeFileAtomic(target, NEW_TEXT);
  assert.equal(readFileSync(target, 'utf8'), NEW_TEXT);
});

test('removeStaleTempFiles removes only temporary files, and a missing folder is no error', () => {
  const dir = freshDir();
  writeFileSync(join(dir, 'keep.json'), '{}');
  writeFileSync(join(dir, 'keep.json.tmp-123-0'), 'half');
  writeFileSync(join(dir, 'other.ckpt.tmp-9-4'), 'half');
  removeStaleTempFiles(dir);
  assert.deepEqual(readdirSync(dir), ['keep.json']);
  assert.doesNotThrow(() => removeStaleTempFiles(join(dir, 'no-such-folder')));
});

test('a checkpoint write that fails before the rename leaves the previous checkpoint readable', () => {
  const dir = freshDir();
  const target = join(dir, 'checkpoints', 'last.ckpt');
  writeCheckpoint(target, checkpointAtEpoch(1));
  crashBeforeRename(() => writeCheckpoint(target, checkpointAtEpoch(2)));
  const back = readCheckpoint(target, FINGERPRINT);
  assert.equal(back.epoch, 1);
  assert.ok(back.tensors.get('weights/dense/kernel')!.values.every((v) => v === 1), 'back.tensors.get(\'weights/dense/kernel\')!.values.every((v) => v === 1)');
  removeStaleTempFiles(dirname(target));
  assert.deepEqual(readdirSync(dirname(target)), ['last.ckpt']);
});

/**
 * Start the child with `mode`, wait until it stands between its temporary file and the rename,
 * SIGKILL it there; returns the temporary path the child reported.
 */
async function killChildBeforeRename(mode: 'file' | 'checkpoint', target: string): Promise<string> {
  const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', CHILD, mode, target], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const report = await new Promise<{ tempPath: string; targetPath: string }>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n')[0];
      if (out.includes('\n')) resolve(JSON.parse(line) as { tempPath: string; targetPath: string });
    });
    void exited.then(({ code, signal }) => reject(new Error(`the child exited (code ${code}, signal ${signal}) without stopping before the rename; stdout: ${out} stderr: ${err}`)));
  });
  assert.equal(report.targetPath, target);
  // The child is blocked at the hook: the rename has not happened, and cannot until we let it.
  child.kill('SIGKILL');
  const { signal } = await exited;
  assert.equal(signal, 'SIGKILL', `the child ended by itself before the kill: ${err}`);
  return report.tempPath;
}

test('a process killed with SIGKILL between the temporary file and the rename leaves the previous file intact', async () => {
  const dir = freshDir();
  const target = join(dir, 'file.txt');
  writeFileAtomic(target, OLD_TEXT);
  const tempPath = await killChildBeforeRename('file', target);
  assert.equal(readFileSync(target, 'utf8'), OLD_TEXT, 'the killed write changed the previous file');
  assert.equal(readFileSync(tempPath, 'utf8'), NEW_TEXT, 'the child had not finished its temporary file when killed');
  assert.ok(basename(tempPath).startsWith('file.txt'), tempPath);
  removeStaleTempFiles(dir);
  assert.deepEqual(readdirSync(dir), ['file.txt']);
});

test('a process killed with SIGKILL in the middle of a checkpoint write: a reader sees the previous checkpoint, whole', async () => {
  const dir = freshDir();
  const target = join(dir, 'checkpoints', 'last.ckpt');
  writeCheckpoint(target, checkpointAtEpoch(1));
  const before = readFileSync(target);
  const tempPath = await killChildBeforeRename('checkpoint', target);
  assert.deepEqual(readFileSync(target), before, 'the previous checkpoint changed');
  const back = readCheckpoint(target, FINGERPRINT);
  assert.equal(back.epoch, 1);
  assert.deepEqual(back.state, checkpointAtEpoch(1).state);
  // The abandoned temporary file is the complete epoch-2 checkpoint: the kill came after the write.
  assert.equal(readCheckpoint(tempPath, FINGERPRINT).epoch, 2);
  removeStaleTempFiles(dirname(target));
  assert.deepEqual(readdirSync(dirname(target)), ['last.ckpt']);
});
