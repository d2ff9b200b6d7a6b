// Config problems, each tied to a field path and, where known, to the file line or the --set
// argument it came from. One ConfigError carries all problems found, so a user fixes a config
// in one pass.

import { EntangleError } from '../util/errors.js';

export interface ConfigIssue {
  /** Field path as written by formatPath, e.g. "training.optimizer.lr" or "model.layers[2].dense.units". */
  path: string;
  message: string;
  file?: string;
  line?: number;
  /** Where the value came from when not from the file, e.g. "--set training.optimizer.lr=-1". */
  source?: string;
}

export class ConfigError extends EntangleError {
  override name = 'ConfigError';
  constructor(readonly issues: ConfigIssue[]) {
    super('E_CONFIG', issues.map(formatIssue).join('\n'));
  }
}

export function formatIssue(i: ConfigIssue): string {
  const where = i.source ? `${i.source}: ` : i.file ? `${i.file}${i.line ? `:${i.line}` : ''}: ` : '';
  return `${where}${i.path ? `${i.path}: ` : ''}${i.message}`;
}

/** ["model", "layers", 2, "dense"] → "model.layers[2].dense". */
export function formatPath(path: ReadonlyArray<string | number>): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += out === '' ? p : `.${p}`;
  }
  return out;
}
