// Text drawing of a circuit, in the style of PennyLane's qml.draw:
//
//   0: ──RX(x0)─╭●─Rot(w0,w1,w2)─┤
//   1: ──RY(x1)─╰X───────────────┤
//
// One line per wire; each gate sits in the leftmost column its wires allow (a multi-wire gate
// blocks every wire its vertical connector crosses). Controls are ●, targets the gate's label.
// Long circuits wrap into blocks of columns no wider than `maxWidth`.

import type { Circuit, Operation } from './circuit.js';
import { GATES } from './gates.js';
import { formatParam, type ParamRef } from './params.js';
import { bindParam, exprText, type QasmBind } from './qasm/export.js';

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

/** One drawn item: the text per wire it touches, and the wire span its connector covers. */
interface Item {
  cells: Map<number, string>;
  top: number;
  bottom: number;
}

const len = (s: string): number => [...s].length;

function paramLabel(p: ParamRef, bind: QasmBind, decimals: number): string {
  const b = bindParam(p, bind);
  if (b.kind === 'const') return b.value.toFixed(decimals);
  if (b.kind === 'expr') {
    const names = (k: 'input' | 'weight', i: number): string => `${k === 'input' ? 'x' : 'w'}${i}`;
    return exprText(b.expr, names, (v) => String(Number(v.toFixed(decimals)))).text.replace(/ /g, '');
  }
  return formatParam(b, decimals);
}

function opItem(op: Operation, bind: QasmBind, decimals: number): Item {
  const def = op.gate === 'MultiRZ' || op.gate === 'QubitUnitary' ? undefined : GATES[op.gate];
  const label = def ? def.label : op.gate === 'MultiRZ' ? 'MultiRZ' : 'U';
  const params = op.params.map((p) => paramLabel(p, bind, decimals));
  const text = params.length ? `${label}(${params.join(',')})` : label;
  const controls = def ? def.numControls : 0;
  const cells = new Map<number, string>();
  op.wires.forEach((w, k) => cells.set(w, k < controls ? '●' : text));
  return { cells, top: Math.min(...op.wires), bottom: Math.max(...op.wires) };
}

/** The drawing of one column on wire `w`, without padding. */
function cellText(item: Item, w: number): string {
  const body = item.cells.get(w);
  if (item.top === item.bottom) return body ?? '';
  if (body === undefined) return '│'; // a wire the connector crosses
  return (w === item.top ? '╭' : w === item.bottom ? '╰' : '├') + body;
}

export function drawCircuit(circuit: Circuit, opts: DrawOptions = {}): string {
  const decimals = opts.decimals ?? 2;
  const maxWidth = opts.maxWidth ?? 100;
  const bind = opts.bind ?? {};
  const n = circuit.numWires;

  const items: Item[] = [];
  const init = circuit.amplitudeInit;
  if (init) {
    // The amplitude-embedded inputs are the initial state of all wires.
    const a = init.firstInput;
    const label = init.length === 1 ? `|x${a}⟩` : `|x${a}..x${a + init.length - 1}⟩`;
    items.push({ cells: new Map(Array.from({ length: n }, (_, w) => [w, label])), top: 0, bottom: n - 1 });
  }
  for (const op of circuit.ops) items.push(opItem(op, bind, decimals));

  // Pack into columns: an item goes right after the last column used on any wire of its span.
  const free = new Array<number>(n).fill(0);
  const columns: Item[][] = [];
  for (const item of items) {
    let col = 0;
    for (let w = item.top; w <= item.bottom; w++) col = Math.max(col, free[w]);
    for (let w = item.top; w <= item.bottom; w++) free[w] = col + 1;
    (columns[col] ??= []).push(item);
  }

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
