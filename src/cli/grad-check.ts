// `entangle grad-check CONFIG [--batches N] [--no-timing] [--out DIR] [--set path=VALUE]...`:
// adjoint against parameter-shift (or other methods) on a config's model — gradient agreement on
// one batch (float64 quantum layers, float32 whole model) and time per training epoch.

import { join } from 'node:path';
import type { Command } from 'commander';
import { loadConfigFile } from '../config/load.js';
import type { DiffMethod } from '../engine/qnode.js';
import { GRAD_CHECK_METHODS, gradCheck, gradCheckMarkdown } from '../experiments/grad-check.js';
import { writeFileAtomic } from '../util/atomic-file.js';
import { defaultReporter } from '../train/progress.js';
import { CliInputError } from './simulate.js';
import { collect, positiveInt, SET_HELP } from './options.js';

const METHODS: readonly DiffMethod[] = ['adjoint', 'parameter-shift', 'finite-diff'];

function parseMethods(text: string): DiffMethod[] {
  const methods = text.split(',').map((m) => m.trim());
  for (const m of methods) if (!(METHODS as readonly string[]).includes(m)) throw new CliInputError(`--methods: "${m}" is not one of ${METHODS.join(', ')}`);
  if (methods.length < 2) throw new CliInputError('--methods: name at least two methods, e.g. adjoint,parameter-shift');
  return methods as DiffMethod[];
}

export function registerGradCheck(program: Command): void {
  program
    .command('grad-check')
    .description('compare gradient methods on a config\'s hybrid model: agreement on one batch, and time per training epoch')
    .argument('<config>', 'experiment config (YAML) with at least one quantum layer')
    .option('--methods <list>', 'comma-separated methods, the first the reference', GRAD_CHECK_METHODS.join(','))
    .option('--batches <n>', 'time only the first N batches of the epoch per method and extrapolate (labelled as such); default: the full epoch', positiveInt('--batches'))
    .option('--no-timing', 'check agreement only')
    .option('--out <dir>', 'folder for grad-check.json and grad-check.md (default: runs/grad-check/<name>)')
    .option('--set <path=value>', SET_HELP, collect, [])
    .action(async (configPath: string, opts: { methods: string; batches?: number; timing: boolean; out?: string; set: string[] }, cmd: Command) => {
      const methods = parseMethods(opts.methods);
      const loaded = loadConfigFile(configPath, { overrides: opts.set });
      const result = await gradCheck(loaded, { methods, batches: opts.batches, timing: opts.timing, reporter: defaultReporter(process.stdout) });
      const out = opts.out ?? join('runs', 'grad-check', loaded.config.name);
      const markdown = gradCheckMarkdown(result);
      writeFileAtomic(join(out, 'grad-check.json'), JSON.stringify({ command: ['entangle', ...((cmd.parent as unknown as { rawArgs?: string[] } | null)?.rawArgs ?? process.argv).slice(2)].join(' '), date: new Date().toISOString(), ...result }, null, 2) + '\n');
      writeFileAtomic(join(out, 'grad-check.md'), markdown);
      process.stdout.write(`\n${markdown}\nwritten to ${join(out, 'grad-check.md')} and grad-check.json\n`);
    });
}
