// Settings of the chunked passes (chunked.ts): how big a chunk is and when to use them. Its own
// module, importing nothing, so that state.ts can read it without an import cycle.

export interface ChunkSettings {
  /**
   * Amplitude elements (2^bits × batch) per chunk array that the planner aims at: small enough
   * that a chunk stays in cache while several gates run on it, large enough that the copies in
   * and out run in long stretches (bench/large-state.ts measures the choice).
   */
  readonly chunkElements: number;
  /** Qubits of a chunk that a segment may pick from above its always-local low bits (at least 3 are used). */
  readonly highBits: number;
  /**
   * Segments of fewer primitives than this run on the JavaScript kernels instead. Above 1 the
   * results are no longer bit for bit the single-memory engine's (the two kernel sets differ in
   * the sign of some zeros); for measurements only.
   */
  readonly minSegment: number;
  /**
   * Use chunked passes even for states that fit one WebAssembly memory (tests and benchmarks
   * run the path at small sizes this way); `chunkBits` then fixes a chunk's qubits exactly.
   */
  readonly force: boolean;
  readonly chunkBits?: number;
}

export const DEFAULT_CHUNK_SETTINGS: ChunkSettings = { chunkElements: 2 ** 18, highBits: 8, minSegment: 1, force: false };

let current: ChunkSettings = DEFAULT_CHUNK_SETTINGS;

/** Change the chunked passes' settings for simulators sized from now on (undefined: the defaults). */
export function setChunking(s: Partial<ChunkSettings> | undefined): void {
  current = s === undefined ? DEFAULT_CHUNK_SETTINGS : { ...DEFAULT_CHUNK_SETTINGS, ...s };
}

export function chunking(): ChunkSettings {
  return current;
}
