// Option helpers shared by the commands.

import { InvalidArgumentError } from 'commander';

/** Commander accumulator for repeatable options (--set a=1 --set b=2). */
export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export const SET_HELP = 'override a config field, e.g. --set training.optimizer.lr=0.005 (repeatable; VALUE is YAML)';

/** Commander parser of a positive integer option; the message names the option. */
export function positiveInt(option: string): (value: string) => number {
  return (value: string) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`${option} ${value}: expected an integer >= 1`);
    return n;
  };
}

/** Commander parser of an integer option >= 0; the message names the option. */
export function nonNegativeInt(option: string): (value: string) => number {
  return (value: string) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`${option} ${value}: expected an integer >= 0`);
    return n;
  };
}

export const LIMIT_BATCHES_HELP = 'train on at most N batches per epoch (quick looks at large data; default: full epochs); same as --set training.limitBatches=N';

/** The --set overrides with --limit-batches appended as training.limitBatches. */
export function withLimitBatches(overrides: string[], limitBatches: number | undefined): string[] {
  return limitBatches === undefined ? overrides : [...overrides, `training.limitBatches=${limitBatches}`];
}

export const FORCE_HELP = 'write into a non-empty --out folder that is not a run of this config (files with the same names are replaced)';
