// `entangle sweep CONFIG --param path=v1,v2,... [--param ...] [--repeat K] [--random N --seed S]
//   [--queue redis://HOST:PORT[/NAME] [--shared-dir]] [--baseline DIR]... [--out DIR] [--resume] [--force] [--set path=VALUE]...`

import { Command, InvalidArgumentError } from 'commander';
import type { CliContext } from './context.js';
import { sweepExperiments, SweepTrialsFailedError } from '../experiments/sweep.js';
import { SweepPlanError, type SweepParam } from '../experiments/sweep-plan.js';
import { defaultReporter } from '../train/progress.js';
import { collect, FORCE_HELP, LIMIT_BATCHES_HELP, nonNegativeInt, positiveInt, SET_HELP, withLimitBatches } from './options.js';
import { QUEUE_HELP } from './worker.js';

/** "model.quantumTrain.blocks=1,4,8,16" → path and values. */
export function parseParam(text: string): { path: string; values: string[] } {
  const eq = text.indexOf('=');
  const path = eq > 0 ? text.slice(0, eq).trim() : '';
  const values = eq > 0 ? text.slice(eq + 1).split(',').map((v) => v.trim()).filter((v) => v !== '') : [];
  if (!path || values.length === 0) throw new InvalidArgumentError(`--param ${text}: expected path=value1,value2,… (e.g. model.quantumTrain.blocks=1,4,8,16)`);
  return { path, values };
}

interface SweepCliOptions {
  param: SweepParam[];
  repeat?: number;
  random?: number;
  seed?: number;
  queue?: string;
  sharedDir: boolean;
  attempts?: number;
  baseline: string[];
  out: string;
  resume: boolean;
  limitBatches?: number;
  set: string[];
  force: boolean;
}

export function registerSweep(program: Command, context: CliContext): void {
  program
    .command('sweep')
    .description('train one config over a grid of field values (and seeds), on one split, here or on a Redis queue; table and plot of test accuracy against trainable parameters')
    .argument('<config>', 'experiment config (YAML)')
    .requiredOption('--param <path=v1,v2,...>', 'a swept field and its values, e.g. model.quantumTrain.blocks=1,4,8,16 (repeatable: the grid is every combination)', (text: string, previous: SweepParam[]) => [...previous, parseParam(text)], [] as SweepParam[])
    .option('--repeat <k>', "train every grid point with K seeds (the config's seed, seed+1, ...); the table adds mean and spread", positiveInt('--repeat'))
    .option('--random <n>', 'train a random sample of N grid points (drawn with --seed)', positiveInt('--random'))
    .option('--seed <s>', 'seed of the --random sample', nonNegativeInt('--seed'))
    .option('--queue <url>', `run the trials as jobs on a BullMQ queue for \`entangle worker\`s: ${QUEUE_HELP}`)
    .option('--shared-dir', 'with --queue: the --out folder is on storage every worker mounts at the same path, and trials write their run folders there (else workers send each finished run folder back through the queue)', false)
    .option('--attempts <n>', 'with --queue: tries per trial after unexpected errors (a bad config value fails at once; default 2)', positiveInt('--attempts'))
    .option('--baseline <dir>', 'a finished run folder to add as a reference point (repeatable)', collect, [])
    .option('--out <dir>', 'folder for the runs and sweep.md/json', 'runs/sweep')
    .option('--resume', 'resume (or reuse) each run from its last checkpoint; with --queue, re-attach to the sweep on the queue', false)
    .option('--limit-batches <n>', LIMIT_BATCHES_HELP, positiveInt('--limit-batches'))
    .option('--set <path=value>', `${SET_HELP}; applied to every run`, collect, [])
    .option('--force', FORCE_HELP, false)
    .action(async (configPath: string, opts: SweepCliOptions) => {
      if (opts.param.length === 0) throw new SweepPlanError('--param path=v1,v2,... is required');
      if (opts.sharedDir && !opts.queue) throw new SweepPlanError('--shared-dir goes with --queue (a local sweep always writes its own --out)');
      // BullMQ is loaded only for a distributed sweep (a local one starts as fast as before).
      const executor = opts.queue ? (await import('../distributed/coordinator.js')).queueExecutor({ url: opts.queue, sharedDir: opts.sharedDir, attempts: opts.attempts }) : undefined;
      const result = await sweepExperiments(configPath, {
        outDir: opts.out,
        params: opts.param,
        repeat: opts.repeat,
        random: opts.random,
        randomSeed: opts.seed,
        overrides: withLimitBatches(opts.set, opts.limitBatches),
        baselines: opts.baseline,
        resume: opts.resume,
        reporter: defaultReporter(process.stdout),
        force: opts.force,
        signal: context.interrupts(),
        executor,
      });
      process.stdout.write(`\n${result.table}\n\nsweep written to ${opts.out}/sweep.md\n`);
      if (result.failed > 0) throw new SweepTrialsFailedError(result.rows.filter((r) => r.status === 'failed'), result.rows.filter((r) => !r.baseline).length, opts.out);
    });
}
