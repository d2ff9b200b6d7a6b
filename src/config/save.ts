// Writing the resolved config (defaults filled, overrides applied) as YAML into a run folder.

import { stringify } from 'yaml';
import { writeFileAtomic } from '../util/atomic-file.js';
import type { ExperimentConfig } from './types.js';

export function configToYaml(config: ExperimentConfig): string {
  return `# Resolved config of this run: defaults filled in, --set overrides applied.\n${stringify(config, { lineWidth: 0 })}`;
}

export function writeResolvedConfig(path: string, config: ExperimentConfig): void {
  writeFileAtomic(path, configToYaml(config));
}

/**
 * The part of a config that decides what a run computes: everything but where it writes.
 * Checkpoints are tied to its fingerprint, so a run folder can be moved or resumed with --out.
 */
export function computationalConfig(config: ExperimentConfig): Omit<ExperimentConfig, 'output'> {
  const { output: _output, ...rest } = config;
  return rest;
}
