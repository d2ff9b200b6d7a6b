// Placeholder: the real builder lands next (same signature).
import type { BeirData } from './beir-write.js';
export interface WordnetRetrievalOptions { seed: number; maxQueries?: number; corpusSize?: number; dictDir?: string }
export interface WordnetRetrievalSet extends BeirData { description: string }
export function buildWordnetRetrievalSet(_options: WordnetRetrievalOptions): WordnetRetrievalSet {
  throw new Error('not yet');
}
