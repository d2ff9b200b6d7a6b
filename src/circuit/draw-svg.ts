// SVG drawing of a circuit: the same layout as the text drawing (layout.ts), as boxes on wires.
// One renderer serves `entangle draw --svg` and the browser playground (which redraws it with the
// current weights bound every epoch), so it builds a string and needs no DOM.
//
// Every gate is a <g class="gate"> carrying data-gate (its label) and data-params (its parameter
// texts, comma-separated), so tests and pages can find each gate and its angle. Gates are
// coloured by what their angles come from: the data (embedding), trainable weights, or nothing.

import type { Circuit } from './circuit.js';
import { cellLabel, layoutCircuit, type GateCell, type LaidOutGate, type LayoutOptions } from './layout.js';
import type { ParamRef } from './params.js';

export interface SvgDrawOptions extends LayoutOptions {
  /** A title drawn above the circuit. */
  title?: string;
}

/** What a gate's angles come from, which picks its colour. */
type GateRole = 'input' | 'weight' | 'fixed';

const STYLE = {
  wireGap: 46,
  top: 22,
  left: 38,
  right: 18,
  boxHeight: 30,
  colGap: 12,
  /** Approximate advance of one character of the label font (12px sans-serif), for box widths. */
  charWidth: 7,
  paramCharWidth: 5.6,
  fills: { input: '#e3f0fb', weight: '#fdebd3', fixed: '#eceff3' } as Record<GateRole, string>,
  strokes: { input: '#2f78c4', weight: '#d9822b', fixed: '#6b7785' } as Record<GateRole, string>,
};

const escapeXml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const num = (v: number): string => String(Math.round(v * 10) / 10);

function roleOf(gate: LaidOutGate): GateRole {
  const params: readonly ParamRef[] = gate.op?.params ?? [];
  if (!gate.op) return 'input'; // the amplitude-embedded initial state
  const uses = (p: ParamRef, kind: 'input' | 'weight'): boolean => {
    if (p.kind === kind) return true;
    if (p.kind === 'inputProduct') return kind === 'input';
    if (p.kind === 'expr') return JSON.stringify(p.expr).includes(`"op":"${kind}"`);
    return false;
  };
  if (params.some((p) => uses(p, 'weight'))) return 'weight';
  if (params.some((p) => uses(p, 'input'))) return 'input';
  return 'fixed';
}

type Target = Extract<GateCell, { kind: 'target' }>;

/** Width a target box needs for its label and parameter line. */
function boxWidth(cell: Target): number {
  const label = cell.label.length * STYLE.charWidth;
  const params = cell.params.join(', ').length * STYLE.paramCharWidth;
  return Math.max(30, label, params) + 12;
}

/** A CNOT/Toffoli target is drawn as ⊕ rather than a box. */
function isPlusTarget(gate: LaidOutGate, cell: Target): boolean {
  return cell.label === 'X' && [...gate.cells.values()].some((c) => c.kind === 'control');
}

export function drawCircuitSvg(circuit: Circuit, opts: SvgDrawOptions = {}): string {
  const columns = layoutCircuit(circuit, opts);
  const n = circuit.numWires;
  const titleHeight = opts.title ? 22 : 0;
  const wireY = (w: number) => titleHeight + STYLE.top + w * STYLE.wireGap + STYLE.boxHeight / 2;
  const widths = columns.map((col) =>
    Math.max(24, ...col.flatMap((g) => [...g.cells.values()].map((c) => (c.kind === 'target' && !isPlusTarget(g, c) ? boxWidth(c) : 24)))),
  );
  const xs: number[] = [];
  let x = STYLE.left + 16;
  for (const w of widths) {
    xs.push(x);
    x += w + STYLE.colGap;
  }
  const width = Math.ceil(x + STYLE.right);
  const height = Math.ceil(wireY(n - 1) + STYLE.boxHeight / 2 + STYLE.top);

  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif" role="img">`);
  out.push(`<title>${escapeXml(opts.title ?? `circuit on ${n} wires, ${circuit.ops.length} gates`)}</title>`);
  out.push(`<rect width="${width}" height="${height}" fill="#ffffff"/>`);
  if (opts.title) out.push(`<text x="${STYLE.left - 24}" y="16" font-size="13" font-weight="600" fill="#333">${escapeXml(opts.title)}</text>`);
  for (let w = 0; w < n; w++) {
    const y = num(wireY(w));
    out.push(`<text x="${STYLE.left - 8}" y="${y}" font-size="12" fill="#555" text-anchor="end" dominant-baseline="central">q${w}</text>`);
    out.push(`<line class="wire" x1="${STYLE.left}" y1="${y}" x2="${width - STYLE.right}" y2="${y}" stroke="#9aa5b1" stroke-width="1.2"/>`);
  }
  columns.forEach((col, k) => {
    const cx = xs[k] + widths[k] / 2;
    for (const gate of col) out.push(gateSvg(gate, cx, wireY));
  });
  out.push('</svg>');
  return out.join('\n');
}

function gateSvg(gate: LaidOutGate, cx: number, wireY: (w: number) => number): string {
  const role = roleOf(gate);
  const fill = STYLE.fills[role];
  const stroke = STYLE.strokes[role];
  const target = [...gate.cells.values()].find((c): c is Target => c.kind === 'target');
  const label = target ? target.label : '';
  const params = target ? target.params : [];
  const parts: string[] = [];
  parts.push(`<g class="gate" data-gate="${escapeXml(label)}" data-params="${escapeXml(params.join(','))}" data-role="${role}">`);
  parts.push(`<title>${escapeXml(target ? cellLabel(target) : label)} on ${[...gate.cells.keys()].map((w) => `q${w}`).join(', ')}</title>`);
  if (gate.top !== gate.bottom) {
    parts.push(`<line x1="${num(cx)}" y1="${num(wireY(gate.top))}" x2="${num(cx)}" y2="${num(wireY(gate.bottom))}" stroke="${stroke}" stroke-width="1.5"/>`);
  }
  for (const [w, cell] of gate.cells) {
    const y = wireY(w);
    if (cell.kind === 'control') {
      parts.push(`<circle cx="${num(cx)}" cy="${num(y)}" r="4.5" fill="${stroke}"/>`);
    } else if (isPlusTarget(gate, cell)) {
      parts.push(`<circle cx="${num(cx)}" cy="${num(y)}" r="10" fill="#fff" stroke="${stroke}" stroke-width="1.5"/>`);
      parts.push(`<path d="M${num(cx - 10)} ${num(y)}H${num(cx + 10)}M${num(cx)} ${num(y - 10)}V${num(y + 10)}" stroke="${stroke}" stroke-width="1.5"/>`);
    } else {
      const bw = boxWidth(cell);
      const h = STYLE.boxHeight;
      parts.push(`<rect x="${num(cx - bw / 2)}" y="${num(y - h / 2)}" width="${num(bw)}" height="${h}" rx="4" fill="${fill}" stroke="${stroke}" stroke-width="1.2"/>`);
      if (cell.params.length === 0) {
        parts.push(`<text x="${num(cx)}" y="${num(y)}" font-size="12" font-weight="600" fill="#222" text-anchor="middle" dominant-baseline="central">${escapeXml(cell.label)}</text>`);
      } else {
        parts.push(`<text x="${num(cx)}" y="${num(y - 5)}" font-size="11" font-weight="600" fill="#222" text-anchor="middle" dominant-baseline="central">${escapeXml(cell.label)}</text>`);
        parts.push(`<text class="angle" x="${num(cx)}" y="${num(y + 8)}" font-size="9.5" fill="#444" text-anchor="middle" dominant-baseline="central">${escapeXml(cell.params.join(', '))}</text>`);
      }
    }
  }
  parts.push('</g>');
  return parts.join('');
}
