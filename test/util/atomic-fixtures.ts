// Contents shared by test/util/atomic-file.test.ts and its child process: an "old" and a "new"
// version of a text file and of a checkpoint, so each side knows what the other wrote.

import type { CheckpointData } from '../../src/train/checkpoint.js';

export const OLD_TEXT = 'old contents, complete\n'.repeat(50);
export const NEW_TEXT = 'NEW CONTENTS, ALSO COMPLETE\n'.repeat(5000);

export const FINGERPRINT = { model: 'm'.repeat(64), config: 'c'.repeat(64) };

/** A checkpoint whose every value says which epoch wrote it. */
export function checkpointAtEpoch(epoch: number): CheckpointData {
  return {
    epoch,
    fingerprint: FINGERPRINT,
    tensors: new Map([['weights/dense/kernel', { shape: [64, 64], values: new Float32Array(64 * 64).fill(epoch) }]]),
    state: { history: Array.from({ length: epoch }, (_, i) => ({ epoch: i + 1 })) },
  };
}
