// `entangle worker --queue redis://HOST:PORT[/NAME] [--concurrency N]`: train the trials that
// `entangle sweep --queue` puts on the queue, on this machine, until SIGINT / SIGTERM.

import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import type { CliContext } from './context.js';
import { runWorker, DEFAULT_LOCK_MS, DEFAULT_STALLED_MS } from '../distributed/worker.js';
import { positiveInt } from './options.js';

export const QUEUE_HELP = 'the Redis server and queue name: redis://HOST:PORT[/NAME] (redis://:PASSWORD@HOST:PORT/NAME with a password; rediss:// for TLS)';

/** The trial processor beside this module, and the loader its child needs when it is TypeScript. */
function processor(): { file: string; execArgv?: string[] } {
  const here = fileURLToPath(import.meta.url);
  if (!here.endsWith('.ts')) return { file: join(dirname(here), 'trial-process.js') };
  // Running from the sources: the child must load TypeScript too (bin/entangle.js registers tsx
  // in-process, which a child does not inherit).
  const hasTsx = process.execArgv.some((a) => a.includes('tsx'));
  return { file: join(dirname(here), 'trial-process.ts'), ...(hasTsx ? {} : { execArgv: [...process.execArgv, '--import', import.meta.resolve('tsx')] }) };
}

export function registerWorker(program: Command, context: CliContext): void {
  program
    .command('worker')
    .description("train a distributed sweep's trials from a Redis queue on this machine, until SIGINT / SIGTERM")
    .requiredOption('--queue <url>', QUEUE_HELP)
    .option('--concurrency <n>', 'trials trained at once, each in its own process (about one per core)', positiveInt('--concurrency'), 1)
    .option('--lock-ms <n>', `how long a trial's lock lasts without renewal: a killed worker's trial is retried after about this (ms; default ${DEFAULT_LOCK_MS})`, positiveInt('--lock-ms'))
    .option('--stalled-check-ms <n>', `how often this worker looks for trials of dead workers (ms; default ${DEFAULT_STALLED_MS})`, positiveInt('--stalled-check-ms'))
    .action(async (opts: { queue: string; concurrency: number; lockMs?: number; stalledCheckMs?: number }) => {
      const { file, execArgv } = processor();
      await runWorker({
        url: opts.queue,
        concurrency: opts.concurrency,
        processorFile: file,
        childExecArgv: execArgv,
        lockMs: opts.lockMs,
        stalledMs: opts.stalledCheckMs,
        log: (line) => process.stdout.write(`${line}\n`),
        signal: context.interrupts(),
      });
    });
}
