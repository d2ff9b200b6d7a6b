// The `entangle` command: each command lives in its own module and registers itself here.
// The CLI parses and delegates; all work happens in the library.

import { Command, CommanderError } from 'commander';
import { registerCompare } from './compare.js';
import { registerDraw } from './draw.js';
import { registerEvaluate } from './evaluate.js';
import { registerGradCheck } from './grad-check.js';
import { registerSimulate } from './simulate.js';
import { registerSweep } from './sweep.js';
import { registerTrain } from './train.js';

export function createProgram(): Command {
  const program = new Command('entangle')
    .description('hybrid quantum-classical machine learning: train, compare, evaluate and draw models from YAML configs')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  registerTrain(program);
  registerCompare(program);
  registerSweep(program);
  registerDraw(program);
  registerSimulate(program);
  registerGradCheck(program);
  registerEvaluate(program);
  return program;
}

/** Run the CLI on `argv` (process.argv form); resolves to the exit code. Errors go to stderr. */
export async function runCli(argv: string[], stderr: { write(text: string): unknown } = process.stderr): Promise<number> {
  const program = createProgram();
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode; // commander already printed its message (or help)
    const err = e as Error;
    // Our errors carry complete, user-facing messages; anything else is a bug worth its stack.
    const known = ['ConfigError', 'CsvError', 'CheckpointError', 'SplitError', 'ModelConfigError', 'CircuitError', 'CliInputError', 'WeightMismatchError', 'OptimizerStateError', 'QasmError', 'ObservableError', 'EngineInputError', 'DataFileError'];
    const detail = known.includes(err?.name) || !err?.stack || !process.env.ENTANGLE_DEBUG ? '' : `\n${err.stack}`;
    stderr.write(`entangle: ${err?.message ?? String(e)}${detail}\n`);
    if (!known.includes(err?.name) && !process.env.ENTANGLE_DEBUG) stderr.write('(set ENTANGLE_DEBUG=1 for the stack trace)\n');
    return 1;
  }
}
