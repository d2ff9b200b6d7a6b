// WIRING POINT (issue 15): how `entangle serve RUN_DIR` turns a trained reranker run into the
// scorer the server needs. `loadReranker(runDir)` of src/models/reranker (the rerank-model
// branch) returns exactly the RerankScorer shape; until it is merged, this refuses with a clear
// message. At merge this file becomes:
//
//   import { loadReranker } from '../models/reranker/index.js';
//   export const loadRunScorer = (runDir: string): Promise<RerankScorer> => loadReranker(runDir);

import type { RerankScorer } from '../serve/scorer.js';
import { CliInputError } from './simulate.js';

export async function loadRunScorer(runDir: string): Promise<RerankScorer> {
  throw new CliInputError(`cannot serve ${runDir}: this build has no reranker loader (src/models/reranker is not merged yet)`);
}
