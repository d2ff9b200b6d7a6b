// The fixed assignment of a batch to threads: contiguous sample ranges, the first B mod T shards
// one sample longer. Fixed so that a given thread count always splits a batch the same way (and
// sums the shards' weight gradients in the same order).

export interface Shard {
  /** First sample. */
  start: number;
  /** Number of samples (>= 1). */
  count: number;
}

/** Split B samples over at most T threads; fewer shards when B < T (no empty shard). */
export function shardRanges(B: number, T: number): Shard[] {
  const n = Math.min(B, T);
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
