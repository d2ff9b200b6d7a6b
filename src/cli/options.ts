// Option helpers shared by the commands.

/** Commander accumulator for repeatable options (--set a=1 --set b=2). */
export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export const SET_HELP = 'override a config field, e.g. --set training.optimizer.lr=0.005 (repeatable; VALUE is YAML)';
