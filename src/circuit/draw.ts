// Text drawing of a circuit, in the style of PennyLane's qml.draw:
//
//   0: ──RX(x0)─╭●─Rot(w0,w1,w2)─┤
//   1: ──RY(x1)─╰X───────────────┤
//
// One line per wire; each gate sits in the leftmost column its wires allow (a multi-wire gate
// blocks every wire its vertical connector crosses). Controls are ●, targets the gate's label.
// Long circuits wrap into blocks of columns no wider than `maxWidth`.

import type { Circuit } from './circuit.js';
import { cellLabel, layoutCircuit, type LaidOutGate } from './layout.js';
import type { QasmBind } from './qasm/export.js';

export interface DrawOptions {
  /** Digits after the decimal point for numbers (default 2). */
  decimals?: number;
  /**
   * Wrap into blocks whose lines are at most this many characters (default 100). A single column
   * wider than that still gets a block of its own rather than being cut.
   */
  maxWidth?: number;
  /** Show these values instead of the symbols w0…, x0…. */
  bind?: QasmBind;
}

const len = (s: string): number => [...s].length;

/** The drawing of one column on wire `w`, without padding. */
function cellText(item: LaidOutGate, w: number): string {
  const cell = item.cells.get(w);
  const body = cell === undefined ? undefined : cell.kind === 'control' ? '●' : cellLabel(cell);
  if (item.top === item.bottom) return body ?? '';
  if (body === undefined) return '│'; // a wire the connector crosses
  return (w === item.top ? '╭' : w === item.bottom ? '╰' : '├') + body;
}

export function drawCircuit(circuit: Circuit, opts: DrawOptions = {}): string {
  const maxWidth = opts.maxWidth ?? 100;
  const n = circuit.numWires;
  const columns = layoutCircuit(circuit, opts);

  // Each column: its text per wire, padded with ─ to the column's width.
  const rendered = columns.map((col) => {
    const texts = Array.from({ length: n }, (_, w) => {
      const item = col.find((it) => w >= it.top && w <= it.bottom);
      return item ? cellText(item, w) : '';
    });
    const width = Math.max(...texts.map(len));
    return texts.map((t) => '─' + t + '─'.repeat(width - len(t)));
  });

  const labelWidth = String(n - 1).length;
  const prefix = (w: number): string => `${String(w).padStart(labelWidth)}: ─`;
  const fixed = len(prefix(0)) + 2; // the prefix and the closing ─┤
  const blocks: number[][] = [];
  let current: number[] = [];
  let width = fixed;
  rendered.forEach((col, k) => {
    const colWidth = len(col[0]);
    if (current.length && width + colWidth > maxWidth) {
      blocks.push(current);
      current = [];
      width = fixed;
    }
    current.push(k);
    width += colWidth;
  });
  blocks.push(current);

  return blocks
    .map((block, b) => {
      const last = b === blocks.length - 1;
      return Array.from({ length: n }, (_, w) => prefix(w) + block.map((k) => rendered[k][w]).join('') + (last ? '─┤' : '─')).join('\n');
    })
    .join('\n\n');
}
