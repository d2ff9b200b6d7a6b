// The k best of n scores without sorting all n: a min-heap of size k (O(n log k)). Ties go to the
// lower index, so a first stage's output is fully determined by its scores and the corpus order.

import { RetrievalInputError } from './errors.js';

/** `worse(a, b)`: a ranks below b (lower score, or the same score and a later index). */
function worse(scores: ArrayLike<number>, a: number, b: number): boolean {
  return scores[a] < scores[b] || (scores[a] === scores[b] && a > b);
}

export function checkK(k: number): void {
  if (!Number.isInteger(k) || k < 1) throw new RetrievalInputError(`k must be a whole number of at least 1, got ${k}`);
}

/**
 * Indices of the (at most) k highest scores, best first. `candidates` restricts the choice (e.g.
 * to the documents that share a term with the query); by default every index of `scores`.
 */
export function topK(scores: ArrayLike<number>, k: number, candidates?: ArrayLike<number>): number[] {
  checkK(k);
  const n = candidates ? candidates.length : scores.length;
  const heap: number[] = [];
  const at = (i: number) => (candidates ? candidates[i] : i);
  const siftDown = (i: number) => {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heap.length && worse(scores, heap[l], heap[m])) m = l;
      if (r < heap.length && worse(scores, heap[r], heap[m])) m = r;
      if (m === i) return;
      [heap[i], heap[m]] = [heap[m], heap[i]];
      i = m;
    }
  };
  for (let c = 0; c < n; c++) {
    const idx = at(c);
    if (Number.isNaN(scores[idx])) continue;
    if (heap.length < k) {
      heap.push(idx);
      for (let i = heap.length - 1; i > 0; ) {
        const p = (i - 1) >> 1;
        if (!worse(scores, heap[i], heap[p])) break;
        [heap[i], heap[p]] = [heap[p], heap[i]];
        i = p;
      }
    } else if (worse(scores, heap[0], idx)) {
      heap[0] = idx;
      siftDown(0);
    }
  }
  return heap.sort((a, b) => (worse(scores, a, b) ? 1 : worse(scores, b, a) ? -1 : 0));
}
