// `entangle compare CONFIG... [--out DIR] [--resume] [--force] [--limit-batches N] [--stop-after N] [--set path=VALUE]...`

import type { Command } from 'commander';
import type { CliContext } from './context.js';
import { loadConfigFile } from '../config/load.js';
import { compareExperiments } from '../experiments/compare.js';
import { defaultReporter } from '../train/progress.js';
import { collect, FORCE_HELP, LIMIT_BATCHES_HELP, nonNegativeInt, positiveInt, SET_HELP, withLimitBatches } from './options.js';

export function registerCompare(program: Command, context: CliContext): void {
  program
    .command('compare')
    .description('train several configs on the same data split and tabulate accuracy, parameters and time')
    .argument('<configs...>', 'experiment configs (YAML)')
    .option('--out <dir>', 'folder for the runs and comparison.md/json', 'runs/compare')
    .option('--resume', 'resume each run from its last checkpoint', false)
    .option('--set <path=value>', `${SET_HELP}; applied to every config`, collect, [])
    .option('--limit-batches <n>', `${LIMIT_BATCHES_HELP}; applied to every config`, positiveInt('--limit-batches'))
    .option('--stop-after <epochs>', 'train each run at most this many epochs in this call (--resume --stop-after 0: tabulate the runs from their last checkpoints)', nonNegativeInt('--stop-after'))
    .option('--force', FORCE_HELP, false)
    .action(async (configPaths: string[], opts: { out: string; resume: boolean; set: string[]; limitBatches?: number; stopAfter?: number; force: boolean }) => {
      const loaded = configPaths.map((p) => loadConfigFile(p, { overrides: withLimitBatches(opts.set, opts.limitBatches) }));
      const result = await compareExperiments(loaded, { outDir: opts.out, resume: opts.resume, reporter: defaultReporter(process.stdout), maxEpochsThisCall: opts.stopAfter, force: opts.force, signal: context.interrupts() });
      process.stdout.write(`\n${result.table}\n\ncomparison written to ${opts.out}/comparison.md\n`);
    });
}
