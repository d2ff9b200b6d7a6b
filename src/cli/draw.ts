// `entangle draw CONFIG [--set path=VALUE]...`: the circuit of every quantum layer as text.

import type { Command } from 'commander';
import { drawCircuit } from '../circuit/draw.js';
import { loadConfigFile } from '../config/load.js';
import { layerKind } from '../models/build.js';
import { buildCircuit, type QuantumLayerSpec } from '../models/quantum-spec.js';
import { collect, SET_HELP } from './options.js';
import { quantumTrainSpecFromConfig } from '../models/quantum-train/from-config.js';
import { resolveQuantumTrain } from '../models/quantum-train/spec.js';
import { quantumTrainCircuit } from '../models/quantum-train/layers.js';

/** Sample shape of the image data sources (the target's input), for resolving a Quantum-Train config. */
const IMAGE_SHAPES: Record<string, number[]> = { mnist: [28, 28, 1], 'fashion-mnist': [28, 28, 1] };

/** The drawings of a config's quantum layers, one block per layer (empty when none). */
export function drawModelCircuits(configPath: string, overrides: string[] = [], maxWidth?: number): string {
  const { config } = loadConfigFile(configPath, { overrides });
  const blocks: string[] = [];
  (config.model.layers ?? []).forEach((layer, i) => {
    if (layerKind(layer) !== 'quantum') return;
    const spec = (layer as { quantum: QuantumLayerSpec }).quantum;
    const built = buildCircuit(spec);
    const c = built.circuit;
    blocks.push(
      `model.layers[${i}]: quantum layer, ${c.numWires} wires, ${c.numInputs} inputs, ${c.numWeights} weights, ${built.outputSize} outputs\n` +
        drawCircuit(c, { maxWidth }),
    );
  });
  const qt = config.model.quantumTrain;
  if (qt) {
    const inputShape = IMAGE_SHAPES[(config.data as { type?: string }).type ?? ''] ?? [28, 28, 1];
    const r = resolveQuantumTrain(quantumTrainSpecFromConfig(qt, inputShape), { inputShape });
    const c = quantumTrainCircuit(r);
    blocks.push(
      `model.quantumTrain: ${r.qubits} qubits, ${r.blocks} block(s) of ${r.ansatz}, ${c.numWeights} angles; ` +
        `probabilities of the first ${r.count} basis states generate the target's weights\n` +
        drawCircuit(c, { maxWidth }),
    );
  }
  return blocks.join('\n\n');
}

export function registerDraw(program: Command): void {
  program
    .command('draw')
    .description('draw the circuit of every quantum layer of a config as text')
    .argument('<config>', 'experiment config (YAML)')
    .option('--width <n>', 'wrap drawings at this many characters', (v) => Number.parseInt(v, 10))
    .option('--set <path=value>', SET_HELP, collect, [])
    .action((configPath: string, opts: { set: string[]; width?: number }) => {
      const text = drawModelCircuits(configPath, opts.set, opts.width);
      process.stdout.write(text === '' ? 'the model has no quantum layer\n' : `${text}\n`);
    });
}
