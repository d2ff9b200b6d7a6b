// `entangle draw CONFIG [--set path=VALUE]... [--svg FILE]`: the circuit of every quantum layer
// as text, or as one SVG file (the renderer the browser playground draws with).

import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import type { Circuit } from '../circuit/circuit.js';
import { drawCircuit } from '../circuit/draw.js';
import { drawCircuitSvg } from '../circuit/draw-svg.js';
import { writeFileAtomic } from '../util/atomic-file.js';
import { EntangleError } from '../util/errors.js';
import { loadConfigFile } from '../config/load.js';
import { layerKind } from '../models/build.js';
import { buildCircuit, type QuantumLayerSpec } from '../models/quantum-spec.js';
import { collect, SET_HELP } from './options.js';
import { quantumTrainSpecFromConfig } from '../models/quantum-train/from-config.js';
import { resolveQuantumTrain } from '../models/quantum-train/spec.js';
import { quantumTrainCircuit } from '../models/quantum-train/layers.js';

/** Sample shape of the image data sources (the target's input), for resolving a Quantum-Train config. */
const IMAGE_SHAPES: Record<string, number[]> = { mnist: [28, 28, 1], 'fashion-mnist': [28, 28, 1] };

/** A config's quantum circuits, each with the line that introduces it. */
function modelCircuits(configPath: string, overrides: string[]): Array<{ heading: string; circuit: Circuit }> {
  const { config } = loadConfigFile(configPath, { overrides });
  const out: Array<{ heading: string; circuit: Circuit }> = [];
  (config.model.layers ?? []).forEach((layer, i) => {
    if (layerKind(layer) !== 'quantum') return;
    const spec = (layer as { quantum: QuantumLayerSpec }).quantum;
    const built = buildCircuit(spec);
    const c = built.circuit;
    out.push({ heading: `model.layers[${i}]: quantum layer, ${c.numWires} wires, ${c.numInputs} inputs, ${c.numWeights} weights, ${built.outputSize} outputs`, circuit: c });
  });
  const qt = config.model.quantumTrain;
  if (qt) {
    const inputShape = IMAGE_SHAPES[(config.data as { type?: string }).type ?? ''] ?? [28, 28, 1];
    const r = resolveQuantumTrain(quantumTrainSpecFromConfig(qt, inputShape), { inputShape });
    const c = quantumTrainCircuit(r);
    out.push({
      heading:
        `model.quantumTrain: ${r.qubits} qubits, ${r.blocks} block(s) of ${r.ansatz}, ${c.numWeights} angles; ` +
        `probabilities of the first ${r.count} basis states generate the target's weights`,
      circuit: c,
    });
  }
  return out;
}

/** The drawings of a config's quantum layers, one block per layer (empty when none). */
export function drawModelCircuits(configPath: string, overrides: string[] = [], maxWidth?: number): string {
  return modelCircuits(configPath, overrides)
    .map(({ heading, circuit }) => `${heading}\n${drawCircuit(circuit, { maxWidth })}`)
    .join('\n\n');
}

/**
 * One SVG of a config's quantum layers, stacked top to bottom with their headings as titles;
 * null when the model has none.
 */
export function drawModelCircuitsSvg(configPath: string, overrides: string[] = []): string | null {
  const drawings = modelCircuits(configPath, overrides).map(({ heading, circuit }) => drawCircuitSvg(circuit, { title: heading }));
  if (drawings.length === 0) return null;
  if (drawings.length === 1) return drawings[0] + '\n';
  // Several layers: each drawing becomes a nested <svg> placed below the previous one.
  const size = (svg: string) => {
    const m = /width="(\d+)" height="(\d+)"/.exec(svg);
    return { w: Number(m?.[1] ?? 0), h: Number(m?.[2] ?? 0) };
  };
  let y = 0;
  const placed = drawings.map((svg) => {
    const { h } = size(svg);
    const nested = svg.replace('<svg ', `<svg x="0" y="${y}" `);
    y += h;
    return nested;
  });
  const width = Math.max(...drawings.map((d) => size(d).w));
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${y}" viewBox="0 0 ${width} ${y}">\n${placed.join('\n')}\n</svg>\n`;
}

export class DrawOutputError extends EntangleError {
  override name = 'DrawOutputError';
  constructor(message: string) {
    super('E_DRAW_OUTPUT', message);
  }
}

export function registerDraw(program: Command): void {
  program
    .command('draw')
    .description('draw the circuit of every quantum layer of a config (text, or SVG with --svg)')
    .argument('<config>', 'experiment config (YAML)')
    .option('--width <n>', 'wrap drawings at this many characters', (v) => Number.parseInt(v, 10))
    .option('--set <path=value>', SET_HELP, collect, [])
    .option('--svg <file>', 'write the drawing as SVG to this file instead of text')
    .option('--force', 'with --svg: replace the file if it exists')
    .action((configPath: string, opts: { set: string[]; width?: number; svg?: string; force?: boolean }) => {
      if (opts.svg !== undefined) {
        if (existsSync(opts.svg) && !opts.force) throw new DrawOutputError(`${opts.svg} exists; pass --force to replace it, or choose another file for --svg`);
        const svg = drawModelCircuitsSvg(configPath, opts.set);
        if (svg === null) throw new DrawOutputError(`${configPath}: the model has no quantum layer, so there is no circuit to draw`);
        writeFileAtomic(opts.svg, svg);
        process.stdout.write(`wrote ${opts.svg}\n`);
        return;
      }
      const text = drawModelCircuits(configPath, opts.set, opts.width);
      process.stdout.write(text === '' ? 'the model has no quantum layer\n' : `${text}\n`);
    });
}
