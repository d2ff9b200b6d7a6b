// `entangle export CONFIG_OR_RUN --target openqasm3|ibm|ionq|braket --out FILE`: the trained
// circuit lowered for hardware and written as the provider's job body, after checking that it
// gives the trained circuit's probabilities (docs/hardware.md: targets, checks, how to submit).

import { InvalidArgumentError, type Command } from 'commander';
import { exportModel } from '../experiments/export-model.js';
import { EXPORT_TARGETS, IBM_BASES, IONQ_GATESETS, exportReportText, type ExportTarget, type IbmBasis } from '../export/export.js';
import type { IonqGateset } from '../export/ionq.js';
import { collect, nonNegativeInt, positiveInt, SET_HELP } from './options.js';

function oneOf<T extends string>(option: string, allowed: readonly T[]): (v: string) => T {
  return (v: string) => {
    if (!(allowed as readonly string[]).includes(v)) throw new InvalidArgumentError(`${option} ${v}: expected one of ${allowed.join(', ')}`);
    return v as T;
  };
}

interface ExportCliOptions {
  target: ExportTarget;
  out: string;
  basis?: IbmBasis;
  gateset?: IonqGateset;
  layer?: number;
  sample?: number;
  inputs?: string;
  row?: number;
  shots: number;
  backend?: string;
  force?: boolean;
  set: string[];
}

export function registerExport(program: Command): void {
  program
    .command('export')
    .description('write the trained circuit as a job for quantum hardware (OpenQASM 3, IBM, IonQ, Braket), checked against the simulator')
    .argument('<config-or-run>', 'experiment config (YAML) or a run folder written by train')
    .requiredOption('--target <target>', `one of ${EXPORT_TARGETS.join(', ')}`, oneOf('--target', EXPORT_TARGETS))
    .requiredOption('--out <file>', 'file to write (readout groups after the first go to FILE.g1.EXT, ...)')
    .option('--basis <gate>', `IBM two-qubit gate: ${IBM_BASES.join(', ')} (default cz)`, oneOf('--basis', IBM_BASES))
    .option('--gateset <set>', 'IonQ gateset: native (gpi, gpi2, ms) or qis (default native)', oneOf('--gateset', IONQ_GATESETS))
    .option('--layer <i>', 'index in model.layers of the quantum layer (default: the only one)', nonNegativeInt('--layer'))
    .option('--sample <k>', "bind the inputs of test sample K of the data split (through the layers before the quantum layer)", nonNegativeInt('--sample'))
    .option('--inputs <file.csv>', "the circuit's input values, one row per sample; with --row N bind that row, else (ibm) every row becomes PUB parameter values")
    .option('--row <n>', 'row of --inputs to bind (0-based, header line not counted)', nonNegativeInt('--row'))
    .option('--shots <n>', 'shots per circuit', positiveInt('--shots'), 1000)
    .option('--backend <name>', 'IBM backend, IonQ target or Braket device ARN (placeholders otherwise)')
    .option('--force', 'replace an existing --out file that export did not write')
    .option('--set <path=value>', SET_HELP, collect, [])
    .action(async (source: string, opts: ExportCliOptions) => {
      const r = await exportModel(source, { ...opts, overrides: opts.set });
      process.stdout.write(`${source}: model.layers[${r.layerIndex}] (${r.source === 'run' ? 'trained weights' : 'initial weights of the config'})\n${exportReportText(r.report)}\nwritten: ${r.written.join(', ')}\n`);
    });
}
