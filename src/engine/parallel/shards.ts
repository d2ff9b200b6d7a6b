// The fixed assignment of a batch to threads: contiguous sample ranges, the first B mod T shards
// one sample longer. Fixed so that a given thread count always splits a batch the same way (and
// sums the shards' weight gradients in the same order).

export interface Shard {
  /** First sample. */
  start: number;
  /** Number of samples (>= 1). */
  count: number;
}

/**
 * Split B samples over at most T threads, never into a shard of one sample unless B is 1: the
 * engine runs a batch of one on its shared-angle kernels (statevector/apply.ts), whose rounding
 * differs from the per-sample kernels a larger batch takes, and a shard must round like the
 * whole batch would. So B = 2 or 3 stays on one thread, and B samples use at most B/2 threads.
 */
export function shardRanges(B: number, T: number): Shard[] {
  const n = Math.max(1, Math.min(T, Math.floor(B / 2)));
  const base = Math.floor(B / n);
  const extra = B % n;
  const out: Shard[] = [];
  let start = 0;
  for (let k = 0; k < n; k++) {
    const count = base + (k < extra ? 1 : 0);
    out.push({ start, count });
    start += count;
  }
  return out;
}
