// `entangle sweep CONFIG --param path=v1,v2,... [--baseline DIR]... [--out DIR] [--resume] [--force] [--set path=VALUE]...`

import { Command, InvalidArgumentError } from 'commander';
import type { CliContext } from './context.js';
import { sweepExperiments } from '../experiments/sweep.js';
import { defaultReporter } from '../train/progress.js';
import { collect, FORCE_HELP, LIMIT_BATCHES_HELP, positiveInt, SET_HELP, withLimitBatches } from './options.js';

/** "model.quantumTrain.blocks=1,4,8,16" → path and values. */
export function parseParam(text: string): { path: string; values: string[] } {
  const eq = text.indexOf('=');
  const path = eq > 0 ? text.slice(0, eq).trim() : '';
  const values = eq > 0 ? text.slice(eq + 1).split(',').map((v) => v.trim()).filter((v) => v !== '') : [];
  if (!path || values.length === 0) throw new InvalidArgumentError(`--param ${text}: expected path=value1,value2,… (e.g. model.quantumTrain.blocks=1,4,8,16)`);
  return { path, values };
}

export function registerSweep(program: Command, context: CliContext): void {
  program
    .command('sweep')
    .description('train one config once per value of a field, on one split; table and plot of test accuracy against trainable parameters')
    .argument('<config>', 'experiment config (YAML)')
    .requiredOption('--param <path=v1,v2,...>', 'the swept field and its values, e.g. model.quantumTrain.blocks=1,4,8,16', parseParam)
    .option('--baseline <dir>', 'a finished run folder to add as a reference point (repeatable)', collect, [])
    .option('--out <dir>', 'folder for the runs and sweep.md/json', 'runs/sweep')
    .option('--resume', 'resume (or reuse) each run from its last checkpoint', false)
    .option('--limit-batches <n>', LIMIT_BATCHES_HELP, positiveInt('--limit-batches'))
    .option('--set <path=value>', `${SET_HELP}; applied to every run`, collect, [])
    .option('--force', FORCE_HELP, false)
    .action(async (configPath: string, opts: { param: { path: string; values: string[] }; baseline: string[]; out: string; resume: boolean; limitBatches?: number; set: string[]; force: boolean }) => {
      const result = await sweepExperiments(configPath, {
        outDir: opts.out,
        path: opts.param.path,
        values: opts.param.values,
        overrides: withLimitBatches(opts.set, opts.limitBatches),
        baselines: opts.baseline,
        resume: opts.resume,
        reporter: defaultReporter(process.stdout),
        force: opts.force,
        signal: context.interrupts(),
      });
      process.stdout.write(`\n${result.table}\n\nsweep written to ${opts.out}/sweep.md\n`);
    });
}
