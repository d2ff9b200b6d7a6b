// The `entangle` command: each command lives in its own module and registers itself here.
// The CLI parses and delegates; all work happens in the library.
//
// Start-up cost: a command module pulls in what its command needs (TensorFlow.js, vega, resvg,
// yaml + ajv), which costs more than a second of CPU. So only the command named on the command
// line is imported; `--help`, `--version` and the help of the other commands come from the table
// below (test/cli/program.test.ts checks that it matches what the modules register).

import { readFileSync } from 'node:fs';
import { Command, CommanderError, Help } from 'commander';
import { EntangleError } from '../util/errors.js';
import { RunInterruptedError } from '../experiments/interrupted.js';
import type { CliContext } from './context.js';
import { commandLine, exitCodeFor, listenForInterrupts, resumeCommand, type InterruptListener } from './interrupt.js';

interface CommandEntry {
  name: string;
  /** How the top-level help lists the command (what commander derives from its arguments). */
  term: string;
  summary: string;
  load(): Promise<(program: Command, context: CliContext) => unknown>;
}

export const COMMANDS: readonly CommandEntry[] = [
  {
    name: 'train',
    term: 'train [options] <config>',
    summary: 'train one model from a YAML config and write its run folder',
    load: async () => (await import('./train.js')).registerTrain,
  },
  {
    name: 'compare',
    term: 'compare [options] <configs...>',
    summary: 'train several configs on the same data split and tabulate accuracy, parameters and time',
    load: async () => (await import('./compare.js')).registerCompare,
  },
  {
    name: 'sweep',
    term: 'sweep [options] <config>',
    summary: 'train one config over a grid of field values (and seeds), on one split, here or on a Redis queue; table and plot of test accuracy against trainable parameters',
    load: async () => (await import('./sweep.js')).registerSweep,
  },
  {
    name: 'worker',
    term: 'worker [options]',
    summary: "train a distributed sweep's trials from a Redis queue on this machine, until SIGINT / SIGTERM",
    load: async () => (await import('./worker.js')).registerWorker,
  },
  {
    name: 'draw',
    term: 'draw [options] <config>',
    summary: 'draw the circuit of every quantum layer of a config (text, or SVG with --svg)',
    load: async () => (await import('./draw.js')).registerDraw,
  },
  {
    name: 'simulate',
    term: 'simulate [options] <file>',
    summary: 'simulate an OpenQASM 2/3 program and print expectation values, probabilities and gradients as JSON',
    load: async () => (await import('./simulate.js')).registerSimulate,
  },
  {
    name: 'grad-check',
    term: 'grad-check [options] <config>',
    summary: "compare gradient methods on a config's hybrid model: agreement on one batch, and time per training epoch",
    load: async () => (await import('./grad-check.js')).registerGradCheck,
  },
  {
    name: 'evaluate',
    term: 'evaluate [options] <run-dir>',
    summary: 'evaluate a trained run folder on its test split with finite measurement shots beside the exact result',
    load: async () => (await import('./evaluate.js')).registerEvaluate,
  },
  {
    name: 'export',
    term: 'export [options] <config-or-run>',
    summary: 'write the trained circuit as a job for quantum hardware (OpenQASM 3, IBM, IonQ, Braket), checked against the simulator',
    load: async () => (await import('./export.js')).registerExport,
  },
  {
    name: 'dataset',
    term: 'dataset wordnet [options]',
    summary: 'build retrieval data sets offline and write them in the BEIR layout',
    load: async () => (await import('./dataset.js')).registerDataset,
  },
  // The fidelity reranker (issue 15): evaluation on a BEIR folder, and one query's candidates.
  {
    name: 'evaluate-ranking',
    term: 'evaluate-ranking [options] <run-dir>',
    summary: 'score a trained reranker on a BEIR-layout folder beside BM25, cosine and classical twins, on the same candidates',
    load: async () => (await import('./ranking.js')).registerEvaluateRanking,
  },
  {
    name: 'rerank',
    term: 'rerank [options] <run-dir>',
    summary: 'reorder candidate texts for one query with a trained reranker and print them with their scores',
    load: async () => (await import('./ranking.js')).registerRerank,
  },
  {
    name: 'serve',
    term: 'serve [options] <run-dir>',
    summary: 'serve a trained reranker run over HTTP: POST /rerank and GET /health (docs/serving.md)',
    load: async () => (await import('./serve.js')).registerServe,
  },
];

/** The package's version; package.json sits two folders up from both src/cli/ and dist/cli/. */
export function packageVersion(): string {
  return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
}

/**
 * The command that `argv` (process.argv form) runs, or asks help for (`entangle help train`), if
 * it names one; the program has no options of its own that take a value, so the first operand
 * is the command.
 */
export function commandNamedIn(argv: readonly string[]): string | undefined {
  const operands = argv.slice(2).filter((a) => !a.startsWith('-'));
  const name = operands[0] === 'help' ? operands[1] : operands[0];
  return COMMANDS.some((c) => c.name === name) ? name : undefined;
}

/**
 * The program with the commands in `load` imported and registered in full ('all': every one);
 * the others are listed by name, term and summary only, enough for the top-level help.
 */
export async function createProgram(load: 'all' | readonly string[] = 'all', context: CliContext = { interrupts: () => new AbortController().signal }): Promise<Command> {
  const terms = new Map(COMMANDS.map((c) => [c.name, c.term]));
  const program = new Command('entangle')
    .description('hybrid quantum-classical machine learning: train, compare, evaluate and draw models from YAML configs')
    .version(packageVersion(), '-V, --version', 'print the version number')
    .showHelpAfterError('(run with --help for usage)')
    .configureHelp({ subcommandTerm: (cmd) => terms.get(cmd.name()) ?? new Help().subcommandTerm(cmd) })
    .exitOverride();
  for (const entry of COMMANDS) {
    if (load === 'all' || load.includes(entry.name)) (await entry.load())(program, context);
    else program.command(entry.name).description(entry.summary);
  }
  return program;
}

/** Run the CLI on `argv` (process.argv form); resolves to the exit code. Errors go to stderr. */
export async function runCli(argv: string[], stderr: { write(text: string): unknown } = process.stderr): Promise<number> {
  let listener: InterruptListener | undefined;
  try {
    const named = commandNamedIn(argv);
    const program = await createProgram(named ? [named] : [], { interrupts: () => (listener ??= listenForInterrupts(stderr)).signal });
    await program.parseAsync(argv);
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode; // commander already printed its message (or help)
    if (e instanceof RunInterruptedError) return reportInterrupted(e, argv.slice(2), listener, stderr);
    const err = e as Error;
    // Our errors carry complete, user-facing messages; anything else is a bug worth its stack.
    const known = isOwnError(err);
    const detail = known || !err?.stack || !process.env.ENTANGLE_DEBUG ? '' : `\n${err.stack}`;
    stderr.write(`entangle: ${err?.message ?? String(e)}${detail}\n`);
    if (!known && !process.env.ENTANGLE_DEBUG) stderr.write('(set ENTANGLE_DEBUG=1 for the stack trace)\n');
    return 1;
  } finally {
    listener?.dispose();
  }
}

/** The library's own errors carry complete, user-facing messages (no stack trace for those). */
export function isOwnError(err: unknown): boolean {
  return err instanceof EntangleError;
}

/** "interrupted after epoch N; continue with: <the command typed, plus --resume>"; exit 130 / 143. */
function reportInterrupted(e: RunInterruptedError, args: string[], listener: InterruptListener | undefined, stderr: { write(text: string): unknown }): number {
  const when = e.epoch === null ? 'interrupted before training started' : `interrupted after epoch ${e.epoch}`;
  const where = e.runName && args[0] !== 'train' ? ` of ${e.runName}` : '';
  const again = e.resumable ? resumeCommand(args) : commandLine(args);
  stderr.write(`${when}${where}; ${e.resumable ? 'continue with' : 'start again with'}: ${again}\n`);
  return exitCodeFor(listener?.received ?? 'SIGINT');
}
