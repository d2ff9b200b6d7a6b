// The control words one worker shares with the main thread (an Int32Array over a
// SharedArrayBuffer). The hot loop exchanges only these and the shared data buffer: the main
// thread writes a job, stores BUSY and notifies; the worker computes, stores DONE (or FAILED) and
// notifies. Messages (mailbox) carry only set-up: new QNodes, grown buffers, disposal, errors.

export const STATE = 0;
export const CMD = 1;
export const RUNNER = 2;
export const START = 3;
export const COUNT = 4;
export const SHARD = 5;
export const BATCH = 6;
export const CONTROL_WORDS = 8;

export const IDLE = 0;
export const BUSY = 1;
export const DONE = 2;
export const FAILED = 3;
/** The worker's thread ended during the job (its exit handler, src/node-threads-worker.ts): replace it. */
export const EXITED = 4;

export const CMD_MAILBOX = 0;
export const CMD_FORWARD = 1;
export const CMD_VJP = 2;
export const CMD_EXIT = 3;
/** One state split across threads (split-qnode.ts): this worker's rank of the forward / the adjoint sweep. */
export const CMD_SPLIT_FORWARD = 4;
export const CMD_SPLIT_ADJOINT = 5;

/**
 * Offsets (in float64s) of one runner's regions in its shared data buffer, for `capacity`
 * samples: inputs | weights | outputs | cotangent | input gradients | one weight gradient per shard.
 */
export interface IoLayout {
  inputs: number;
  weights: number;
  out: number;
  cot: number;
  gX: number;
  gW: number;
  total: number;
}

export function ioLayout(capacity: number, numInputs: number, numWeights: number, outputSize: number, threads: number): IoLayout {
  const inputs = 0;
  const weights = inputs + capacity * numInputs;
  const out = weights + numWeights;
  const cot = out + capacity * outputSize;
  const gX = cot + capacity * outputSize;
  const gW = gX + capacity * numInputs;
  return { inputs, weights, out, cot, gX, gW, total: gW + threads * numWeights };
}
