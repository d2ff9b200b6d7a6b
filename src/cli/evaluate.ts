// `entangle evaluate RUN_DIR [--shots 100,1000,10000] [--seed S] [--limit N]`: a trained run's
// test accuracy with its quantum layers evaluated from finite measurement shots, beside exact.

import type { Command } from 'commander';
import { evaluateWithShots, shotsTable } from '../experiments/shots-eval.js';
import { CliInputError } from './simulate.js';
import { positiveInt } from './options.js';

function parseShots(text: string): number[] {
  const values = text.split(',').map((s) => Number(s.trim().replace(/_/g, '')));
  for (const [i, v] of values.entries()) {
    if (!(Number.isInteger(v) && v >= 1)) throw new CliInputError(`--shots: "${text.split(',')[i]}" is not a positive integer (e.g. --shots 100,1000,10000)`);
  }
  return values;
}

export function registerEvaluate(program: Command): void {
  program
    .command('evaluate')
    .description('evaluate a trained run folder on its test split with finite measurement shots beside the exact result')
    .argument('<run-dir>', 'a run folder written by train or compare (config.yaml, split.json, model.json)')
    .option('--shots <list>', 'comma-separated shot counts', '100,1000,10000')
    .option('--seed <s>', 'seed of the shot sampling', (v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 0) throw new CliInputError(`--seed ${v}: expected an integer >= 0`);
      return n;
    }, 0)
    .option('--limit <n>', 'evaluate on the first N test rows only', positiveInt('--limit'))
    .action(async (runDir: string, opts: { shots: string; seed: number; limit?: number }) => {
      const result = await evaluateWithShots(runDir, { shots: parseShots(opts.shots), seed: opts.seed, limit: opts.limit });
      process.stdout.write(`${result.name}: ${result.testSamples} test samples, shot seed ${result.seed}\n\n${shotsTable(result)}\n\nwritten to ${runDir}/shots.md and shots.json\n`);
    });
}
