// The layout both circuit drawings share (draw.ts as text, draw-svg.ts as SVG): each operation
// becomes a gate with a label and its parameters as text (symbols w0…, x0…, or the values bound
// to them), and gates are packed into columns: a gate sits in the leftmost column its wires
// allow, and a multi-wire gate blocks every wire its vertical connector crosses.

import type { Circuit, Operation } from './circuit.js';
import { GATES } from './gates.js';
import { formatParam, type ParamRef } from './params.js';
import { bindParam, exprText, type QasmBind } from './qasm/export.js';

export interface LayoutOptions {
  /** Digits after the decimal point for numbers (default 2). */
  decimals?: number;
  /** Show these values instead of the symbols w0…, x0…. */
  bind?: QasmBind;
}

/** What a gate shows on one of its wires. */
export type GateCell = { kind: 'control' } | { kind: 'target'; label: string; params: string[] };

/** One drawn gate: what it shows per wire it acts on, and the wire span its connector covers. */
export interface LaidOutGate {
  cells: Map<number, GateCell>;
  top: number;
  bottom: number;
  /** The circuit operation (absent for the amplitude-embedding initial state). */
  op?: Operation;
}

/** A target cell's text: `RX(0.12)`, or the bare label for a gate without parameters. */
export function cellLabel(cell: Extract<GateCell, { kind: 'target' }>): string {
  return cell.params.length ? `${cell.label}(${cell.params.join(',')})` : cell.label;
}

function paramLabel(p: ParamRef, bind: QasmBind, decimals: number): string {
  const b = bindParam(p, bind);
  if (b.kind === 'const') return b.value.toFixed(decimals);
  if (b.kind === 'expr') {
    const names = (k: 'input' | 'weight', i: number): string => `${k === 'input' ? 'x' : 'w'}${i}`;
    return exprText(b.expr, names, (v) => String(Number(v.toFixed(decimals)))).text.replace(/ /g, '');
  }
  return formatParam(b, decimals);
}

function opGate(op: Operation, bind: QasmBind, decimals: number): LaidOutGate {
  const def = op.gate === 'MultiRZ' || op.gate === 'QubitUnitary' ? undefined : GATES[op.gate];
  const label = def ? def.label : op.gate === 'MultiRZ' ? 'MultiRZ' : 'U';
  const params = op.params.map((p) => paramLabel(p, bind, decimals));
  const controls = def ? def.numControls : 0;
  const cells = new Map<number, GateCell>();
  op.wires.forEach((w, k) => cells.set(w, k < controls ? { kind: 'control' } : { kind: 'target', label, params }));
  return { cells, top: Math.min(...op.wires), bottom: Math.max(...op.wires), op };
}

/** The circuit's gates packed into columns, left to right. */
export function layoutCircuit(circuit: Circuit, opts: LayoutOptions = {}): LaidOutGate[][] {
  const decimals = opts.decimals ?? 2;
  const bind = opts.bind ?? {};
  const n = circuit.numWires;
  const gates: LaidOutGate[] = [];
  const init = circuit.amplitudeInit;
  if (init) {
    // The amplitude-embedded inputs are the initial state of all wires.
    const a = init.firstInput;
    const label = init.length === 1 ? `|x${a}⟩` : `|x${a}..x${a + init.length - 1}⟩`;
    gates.push({ cells: new Map(Array.from({ length: n }, (_, w) => [w, { kind: 'target', label, params: [] }])), top: 0, bottom: n - 1 });
  }
  for (const op of circuit.ops) gates.push(opGate(op, bind, decimals));
  // An item goes right after the last column used on any wire of its span.
  const free = new Array<number>(n).fill(0);
  const columns: LaidOutGate[][] = [];
  for (const gate of gates) {
    let col = 0;
    for (let w = gate.top; w <= gate.bottom; w++) col = Math.max(col, free[w]);
    for (let w = gate.top; w <= gate.bottom; w++) free[w] = col + 1;
    (columns[col] ??= []).push(gate);
  }
  return columns;
}
