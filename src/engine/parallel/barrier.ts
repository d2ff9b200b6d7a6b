// The barrier between the gates of one state split across threads. A 13-qubit gate takes a few
// microseconds per thread, so the barrier must cost well under one: it is a counter and a
// generation word in shared memory (split-layout.ts), reached by spinning on the generation for
// a while and only then sleeping in Atomics.wait (a futex wake-up costs tens of microseconds;
// spinning forever would burn a core that, on a shared machine, someone else could use).
//
// Failure: a participant that throws sets ABORT and wakes everyone; every other participant's
// next (or current) wait then throws SplitAborted, so no thread waits for one that will never
// come. The main thread also passes a `watch` that runs between sleeps: it notices a worker that
// left the job (its pool state is no longer BUSY) or has not arrived for too long (stuck or
// dead), aborts the others and throws (split-qnode.ts).

import { B_ABORT, B_ABORT_RANK, B_ARRIVED, B_GEN, B_SLEEPERS, passedWord } from './split-layout.js';

/** Thrown in a participant whose partner failed: the partner's own error is the one to report. */
export class SplitAborted extends Error {
  constructor(readonly byRank: number) {
    super(`another thread of the split state (rank ${byRank}) failed`);
    this.name = 'SplitAborted';
  }
}

/**
 * Polls of the generation word before sleeping: about 15 µs (an Atomics.load costs ~7 ns here;
 * Node 20 does not inline it), about what a futex wake-up costs, so a wait that ends soon never
 * sleeps and one that does not wastes at most as much as the sleep costs.
 */
export const SPIN = 2048;
/** Sleep slices (ms): how often a sleeping participant runs its watch. */
const SLICE_MS = 20;

export class SplitBarrier {
  /** Barriers this rank has passed in the current job (also stored in its own line, for diagnostics). */
  passed = 0;

  constructor(
    private readonly ctrl: Int32Array,
    readonly rank: number,
    readonly threads: number,
  ) {}

  /** Before a job (main thread only, while every worker is idle). */
  reset(): void {
    const c = this.ctrl;
    Atomics.store(c, B_ARRIVED, 0);
    Atomics.store(c, B_SLEEPERS, 0);
    Atomics.store(c, B_ABORT, 0);
    Atomics.store(c, B_ABORT_RANK, -1);
    for (let r = 0; r < this.threads; r++) Atomics.store(c, passedWord(r), 0);
  }

  /** Start of a job, on every rank. */
  begin(): void {
    this.passed = 0;
  }

  /** Wait until all `threads` ranks have arrived. `watch` runs between sleeps (with the time waited so far) and may throw. */
  arrive(watch?: (waitedMs: number) => void): void {
    const c = this.ctrl;
    if (Atomics.load(c, B_ABORT) !== 0) throw new SplitAborted(Atomics.load(c, B_ABORT_RANK));
    const g = Atomics.load(c, B_GEN);
    Atomics.store(c, passedWord(this.rank), ++this.passed);
    if (Atomics.add(c, B_ARRIVED, 1) === this.threads - 1) {
      // Last to arrive: reset the count before releasing (nobody arrives again before GEN moves).
      Atomics.store(c, B_ARRIVED, 0);
      Atomics.add(c, B_GEN, 1);
      if (Atomics.load(c, B_SLEEPERS) !== 0) Atomics.notify(c, B_GEN);
      return;
    }
    for (let i = 0; i < SPIN; i++) if (Atomics.load(c, B_GEN) !== g) return;
    const t0 = Date.now();
    for (;;) {
      // SLEEPERS is raised before the wait re-checks GEN: a releaser that read 0 has already moved
      // GEN, so this wait returns at once ('not-equal').
      Atomics.add(c, B_SLEEPERS, 1);
      Atomics.wait(c, B_GEN, g, SLICE_MS);
      Atomics.sub(c, B_SLEEPERS, 1);
      if (Atomics.load(c, B_GEN) !== g) return;
      if (Atomics.load(c, B_ABORT) !== 0) throw new SplitAborted(Atomics.load(c, B_ABORT_RANK));
      watch?.(Date.now() - t0);
    }
  }

  /** Tell every participant to give up (the first caller's rank is kept). */
  abort(): void {
    const c = this.ctrl;
    Atomics.compareExchange(c, B_ABORT_RANK, -1, this.rank);
    Atomics.store(c, B_ABORT, 1);
    Atomics.notify(c, B_GEN);
  }

  /** Ranks that have passed fewer barriers than `count` (who is missing, for error messages). */
  behind(count: number): number[] {
    const out: number[] = [];
    for (let r = 0; r < this.threads; r++) if (Atomics.load(this.ctrl, passedWord(r)) < count) out.push(r);
    return out;
  }
}
