// What the export report counts: gates, two-qubit gates and depth (the longest chain of gates
// that share wires, each gate one layer), for the original circuit and the lowered one.

import type { Circuit } from '../circuit.js';
import type { LoweredCircuit } from './ops.js';

export interface GateCounts {
  gates: number;
  twoQubit: number;
  depth: number;
  /** Gate name → count, in first-use order. */
  byGate: Record<string, number>;
}

function count(numWires: number, ops: ReadonlyArray<{ name: string; wires: readonly number[] }>): GateCounts {
  const level = new Array<number>(numWires).fill(0);
  const byGate: Record<string, number> = {};
  let twoQubit = 0;
  for (const op of ops) {
    const l = 1 + Math.max(...op.wires.map((w) => level[w]));
    for (const w of op.wires) level[w] = l;
    byGate[op.name] = (byGate[op.name] ?? 0) + 1;
    if (op.wires.length >= 2) twoQubit++;
  }
  return { gates: ops.length, twoQubit, depth: Math.max(0, ...level), byGate };
}

export function circuitCounts(c: Circuit): GateCounts {
  return count(c.numWires, c.ops.filter((op) => op.gate !== 'Identity').map((op) => ({ name: op.gate, wires: op.wires })));
}

export function loweredCounts(c: LoweredCircuit): GateCounts {
  return count(c.numWires, c.ops.map((op) => ({ name: op.gate, wires: op.wires })));
}

/**
 * The lowered circuit without the rz that end each wire: diagonal gates just before a measurement
 * in the computational basis change no probability (IonQ's native format has no rz to write them).
 */
export function withoutFinalRz(c: LoweredCircuit): LoweredCircuit {
  const seen = new Set<number>();
  const keep: boolean[] = new Array(c.ops.length).fill(true);
  for (let i = c.ops.length - 1; i >= 0; i--) {
    const op = c.ops[i];
    if (op.gate === 'rz' && !seen.has(op.wires[0])) keep[i] = false;
    else for (const w of op.wires) seen.add(w);
  }
  return { numWires: c.numWires, ops: c.ops.filter((_, i) => keep[i]) };
}
