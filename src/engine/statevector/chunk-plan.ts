// Planning the chunked passes (chunked.ts) over a state too large for one WebAssembly memory:
// split the program into segments, each either a run of primitives that all act inside one
// chunk of the state (and so run on the SIMD kernels in a small kernel memory), or primitives
// left to the JavaScript kernels on the whole state.
//
// A chunk of c qubits is the set of 2^c basis states that share the values of the other n − c
// bits. Its bits are the low L = c − h bits (always local: copying a chunk in moves contiguous
// runs of at least 2^L amplitudes) and h bits picked per segment above them: the bits that the
// segment's gates touch. This is how distributed simulators make "global" qubits local; here the
// copy in and out is the only exchange, and the gates of a segment then run on a state of c
// qubits that stays in cache. Inside the chunk, bit b < L keeps its position and the picked bits
// take positions L… in ascending order; a primitive is remapped to those positions.
//
// Pure: no state, no kernels. A gate belongs to a segment when all its fixed bits (target and
// controls) are local; controls on other bits would make a gate act on some chunks only (a later
// refinement: the chunk knows their values).

import { Kind, type Primitive } from '../primitive.js';

export interface ChunkGeometry {
  /** Qubits of the whole state. */
  readonly numBits: number;
  /** Qubits of a chunk (≤ numBits). */
  readonly chunkBits: number;
  /** Always-local low bits (chunkBits − picked bits). */
  readonly lowBits: number;
}

export interface Segment {
  /** Primitives start … end − 1 of the program. */
  readonly start: number;
  readonly end: number;
  /** Whether the segment runs chunk by chunk on the SIMD kernels (else on the JavaScript kernels over the whole state). */
  readonly chunked: boolean;
  /** The picked bits above lowBits, ascending, exactly chunkBits − lowBits of them (chunked segments). */
  readonly high: Int32Array;
  /** The segment's primitives with bit positions inside the chunk (chunked segments; index k − start). */
  readonly local: readonly Primitive[];
}

/** A chunk's shape for a state of `numBits` qubits: at most `chunkBits` qubits, `highBits` of them picked per segment. */
export function chunkGeometry(numBits: number, chunkBits: number, highBits: number): ChunkGeometry {
  const c = Math.max(0, Math.min(chunkBits, numBits));
  return { numBits, chunkBits: c, lowBits: Math.max(0, c - highBits) };
}

/**
 * Split `prims` into segments. `onKernel(k)` says whether primitive k has a SIMD kernel at the
 * current batch size (apply.ts hasWasmKernel); chunked segments shorter than `minSegment`
 * primitives go to the JavaScript kernels.
 */
export function planSegments(
  prims: readonly Primitive[], g: ChunkGeometry, onKernel: (k: number) => boolean, minSegment: number,
): Segment[] {
  const room = g.chunkBits - g.lowBits;
  const out: Segment[] = [];
  let start = 0;
  let picked = new Set<number>();
  let open: 'none' | 'chunk' | 'js' = 'none';
  const close = (end: number): void => {
    if (open === 'chunk' && end - start >= minSegment) out.push(chunkedSegment(prims, start, end, g, picked));
    else if (open !== 'none') pushJs(out, start, end);
    open = 'none';
    picked = new Set();
  };
  for (let k = 0; k < prims.length; k++) {
    const high = highBitsOf(prims[k], g.lowBits);
    const local = onKernel(k) && high.length <= room;
    if (!local) {
      if (open !== 'js') {
        close(k);
        open = 'js';
        start = k;
      }
      continue;
    }
    const union = new Set([...picked, ...high]);
    if (open !== 'chunk' || union.size > room) {
      close(k);
      open = 'chunk';
      start = k;
      picked = new Set(high);
    } else picked = union;
  }
  close(prims.length);
  return out;
}

/** A JavaScript segment, merged with a JavaScript segment just before it. */
function pushJs(out: Segment[], start: number, end: number): void {
  const last = out[out.length - 1];
  if (last !== undefined && !last.chunked && last.end === start) out[out.length - 1] = { ...last, end };
  else out.push({ start, end, chunked: false, high: new Int32Array(0), local: [] });
}

/** The fixed bits of `p` at or above `lowBits`. */
function highBitsOf(p: Primitive, lowBits: number): number[] {
  return Array.from(p.fixed).filter((b) => b >= lowBits);
}

function chunkedSegment(prims: readonly Primitive[], start: number, end: number, g: ChunkGeometry, picked: Set<number>): Segment {
  // Fill the unused picks with the lowest free bits above lowBits: they lengthen the contiguous
  // runs the copies move (chunked.ts) and keep every chunk at exactly chunkBits qubits.
  const high = [...picked].sort((a, b) => a - b);
  for (let b = g.lowBits; high.length < g.chunkBits - g.lowBits; b++) if (!picked.has(b)) high.push(b);
  high.sort((a, b) => a - b);
  const position = (b: number): number => (b < g.lowBits ? b : g.lowBits + high.indexOf(b));
  const local = prims.slice(start, end).map((p) => remap(p, position));
  return { start, end, chunked: true, high: Int32Array.from(high), local };
}

/** `p` with its target, controls and fixed bits at their chunk positions. */
export function remap(p: Primitive, position: (bit: number) => number): Primitive {
  let mask = 0;
  for (const b of p.fixed) if (p.mask & (1 << b)) mask |= 1 << position(b);
  const fixed = Int32Array.from(Array.from(p.fixed, position).sort((a, b) => a - b));
  if (p.kind === Kind.PARITY || p.bitB >= 0) throw new Error('remap: only single-target primitives run in chunks');
  return { ...p, bitA: position(p.bitA), mask, fixed };
}
