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
import { commandLine, exitCodeFor, listenForInterrupts, resumeCommand, type InterruptListener } from './interrupt.js';
import { RunInterruptedError } from '../experiments/interrupted.js';

import type { CliContext } from './context.js';

export function createProgram(context: CliContext = { interrupts: () => new AbortController().signal }): Command {
  const program = new Command('entangle')
    .description('hybrid quantum-classical machine learning: train, compare, evaluate and draw models from YAML configs')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  registerTrain(program, context);
  registerCompare(program, context);
  registerSweep(program, context);
  registerDraw(program);
  registerSimulate(program);
  registerGradCheck(program);
  registerEvaluate(program);
  return program;
}

/** Run the CLI on `argv` (process.argv form); resolves to the exit code. Errors go to stderr. */
export async function runCli(argv: string[], stderr: { write(text: string): unknown } = process.stderr): Promise<number> {
  let listener: InterruptListener | undefined;
  const program = createProgram({ interrupts: () => (listener ??= listenForInterrupts(stderr)).signal });
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode; // commander already printed its message (or help)
    if (e instanceof RunInterruptedError) return reportInterrupted(e, argv.slice(2), listener, stderr);
    const err = e as Error;
    // Our errors carry complete, user-facing messages; anything else is a bug worth its stack.
    const known = ['ConfigError', 'CsvError', 'CheckpointError', 'SplitError', 'ModelConfigError', 'CircuitError', 'CliInputError', 'WeightMismatchError', 'OptimizerStateError', 'QasmError', 'ObservableError', 'EngineInputError', 'DataFileError', 'OutputFolderError'];
    const detail = known.includes(err?.name) || !err?.stack || !process.env.ENTANGLE_DEBUG ? '' : `\n${err.stack}`;
    stderr.write(`entangle: ${err?.message ?? String(e)}${detail}\n`);
    if (!known.includes(err?.name) && !process.env.ENTANGLE_DEBUG) stderr.write('(set ENTANGLE_DEBUG=1 for the stack trace)\n');
    return 1;
  } finally {
    listener?.dispose();
  }
}

/** "interrupted after epoch N; continue with: <the command typed, plus --resume>"; exit 130 / 143. */
function reportInterrupted(e: RunInterruptedError, args: string[], listener: InterruptListener | undefined, stderr: { write(text: string): unknown }): number {
  const when = e.epoch === null ? 'interrupted before training started' : `interrupted after epoch ${e.epoch}`;
  const where = e.runName && args[0] !== 'train' ? ` of ${e.runName}` : '';
  const again = e.resumable ? resumeCommand(args) : commandLine(args);
  stderr.write(`${when}${where}; ${e.resumable ? 'continue with' : 'start again with'}: ${again}\n`);
  return exitCodeFor(listener?.received ?? 'SIGINT');
}
