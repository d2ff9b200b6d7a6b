// One sweep trial as plain data, and running it. A TrialSpec holds the config's text (not its
// path), the folder its relative paths resolve against, the --set overrides that make it this
// trial and the sweep's shared split: everything a process on another machine needs to train
// exactly the run the local sweep trains (the same parse, the same split, the same seeds), so a
// queue job is a TrialSpec and the distributed table equals the local one bit for bit.

import type { LoadedConfig } from '../config/load.js';
import { parseConfigText } from '../config/load.js';
import type { SplitIndices } from '../data/split.js';
import type { ProgressReporter } from '../train/progress.js';
import type { RunSummary } from '../report/summary.js';
import { runExperiment } from './run.js';

export interface TrialSpec {
  /** The sweep's index of the trial and its run-folder name. */
  index: number;
  name: string;
  /** The config file's text and name (the name only labels errors: file:line). */
  configText: string;
  configFile: string;
  /** Where the config's relative paths (data files) resolve; workers need the same path. */
  baseDir: string;
  /** The sweep's --set overrides, then the trial's own (field values, seed, name). */
  overrides: string[];
  /** Every trial trains and tests on this one split (the first trial's). */
  split: SplitIndices;
  /** Write report.md and plots into the run folder. */
  report: boolean;
}

export interface TrialRunOptions {
  /** Continue the run in `runDir` from its last checkpoint. */
  resume?: boolean;
  force?: boolean;
  reporter?: ProgressReporter;
  signal?: AbortSignal;
}

/** The trial's config: the text parsed with its overrides, exactly as `loadConfigFile` would. */
export function trialConfig(spec: Pick<TrialSpec, 'configText' | 'configFile' | 'baseDir' | 'overrides'>): LoadedConfig {
  return parseConfigText(spec.configText, spec.configFile, { overrides: spec.overrides, baseDir: spec.baseDir });
}

/** Train the trial into `runDir` (a complete, marked run folder) and return its summary. */
export async function runTrial(spec: TrialSpec, runDir: string, options: TrialRunOptions = {}): Promise<RunSummary> {
  const outcome = await runExperiment(trialConfig(spec), { outDir: runDir, split: spec.split, report: spec.report, ...options });
  return outcome.summary;
}
