// `entangle train CONFIG [--out DIR] [--resume] [--force] [--limit-batches N] [--stop-after N] [--set path=VALUE]...`

import type { Command } from 'commander';
import type { CliContext } from './context.js';
import { loadConfigFile } from '../config/load.js';
import { runExperiment } from '../experiments/run.js';
import { defaultReporter } from '../train/progress.js';
import { collect, FORCE_HELP, LIMIT_BATCHES_HELP, nonNegativeInt, positiveInt, SET_HELP, withLimitBatches } from './options.js';

export function registerTrain(program: Command, context: CliContext): void {
  program
    .command('train')
    .description('train one model from a YAML config and write its run folder')
    .argument('<config>', 'experiment config (YAML)')
    .option('--out <dir>', 'run folder (default: output.dir of the config)')
    .option('--resume', 'continue from the run folder\'s last checkpoint', false)
    .option('--set <path=value>', SET_HELP, collect, [])
    .option('--limit-batches <n>', LIMIT_BATCHES_HELP, positiveInt('--limit-batches'))
    .option('--stop-after <epochs>', 'train at most this many epochs in this call, then evaluate and write the run folder as usual; it stays resumable (--resume --stop-after 0: only evaluate from the last checkpoint)', nonNegativeInt('--stop-after'))
    .option('--force', FORCE_HELP, false)
    .action(async (configPath: string, opts: { out?: string; resume: boolean; set: string[]; limitBatches?: number; stopAfter?: number; force: boolean }) => {
      const loaded = loadConfigFile(configPath, { overrides: withLimitBatches(opts.set, opts.limitBatches) });
      if (loaded.config.model.reranker) {
        // A fidelity reranker on a BEIR set: its own experiment (experiments/ranking-run.ts).
        const { runRankingExperiment } = await import('../experiments/ranking-run.js');
        const { runDir, summary: r } = await runRankingExperiment(loaded, { outDir: opts.out, resume: opts.resume, reporter: defaultReporter(process.stdout), maxEpochsThisCall: opts.stopAfter, force: opts.force, signal: context.interrupts() });
        const m = (key: string) => (r.metrics?.[key] ?? null) === null ? '-' : r.metrics![key]!.toFixed(3);
        process.stdout.write(`${r.name}: test MRR@10 ${m('test_mrr@10')}, NDCG@10 ${m('test_ndcg@10')}, validation MRR@10 ${m('val_mrr@10')}; ${r.params.total} parameters (${r.params.quantum} quantum); ${r.epochs} epochs in ${r.train_seconds.toFixed(1)} s\nrun folder: ${runDir}\n`);
        return;
      }
      const { runDir, summary: s } = await runExperiment(loaded, { outDir: opts.out, resume: opts.resume, reporter: defaultReporter(process.stdout), maxEpochsThisCall: opts.stopAfter, force: opts.force, signal: context.interrupts() });
      const pct = (x: number | null) => (x === null ? '-' : `${(100 * x).toFixed(1)}%`);
      process.stdout.write(
        `${s.name}: test accuracy ${pct(s.test_accuracy)}, validation ${pct(s.val_accuracy)}, train ${pct(s.train_accuracy)}; ` +
          `${s.params.total} parameters (${s.params.quantum} quantum); ${s.epochs}${s.epochs < s.epochs_configured && !s.stopped_early ? ` of ${s.epochs_configured}` : ''} epochs in ${s.train_seconds.toFixed(1)} s\n` +
          `run folder: ${runDir}\n`,
      );
    });
}
