// The trials of a sweep: the grid of every --param's values (first field outermost), optionally a
// seeded random sample of that grid (--random N --seed S), each grid point repeated over seeds
// (--repeat K: the config's seed, seed+1, ..., seed+K-1, with the data seed held at the base
// config's, so repeats differ in initialisation and shuffles, not in data or split). A trial is fully described by --set
// overrides on the config, so any process that has the config text can run it (a queue worker on
// another machine) and get exactly what the local sweep gets.

import { EntangleError } from '../util/errors.js';
import { Rng } from '../util/random.js';

export interface SweepParam {
  /** Config path of the swept field, e.g. "model.quantumTrain.blocks". */
  path: string;
  /** Values as --set would take them (parsed as YAML). */
  values: string[];
}

export interface TrialPlanOptions {
  params: SweepParam[];
  /** Seeds per grid point (default 1: the config's own seed, and no seed in the run names). */
  repeat?: number;
  /** Train only this many grid points, drawn without replacement with `randomSeed`. */
  random?: number;
  randomSeed?: number;
  /**
   * With repeats (or a swept `seed`): the data seed to hold fixed (`data.seed=N` on every trial),
   * so that seeds vary initialisation, shuffles and dropout while every trial keeps the same
   * data and split. Undefined: the config pins data.seed itself.
   */
  pinDataSeed?: number;
}

export interface PlannedTrial {
  /** Position in the sweep (0-based): the job key and the row order. */
  index: number;
  /** Run-folder name, e.g. "circles-lr0.1-depth2-seed6". */
  name: string;
  /** The swept fields' values, keyed by path, in --param order. */
  values: Record<string, string>;
  /** The trial's seed: the config's seed + the repeat (a swept `seed` field: set from the loaded config). */
  seed: number;
  /** --set overrides that make the base config this trial (after the sweep's own --set). */
  overrides: string[];
}

export class SweepPlanError extends EntangleError {
  override name = 'SweepPlanError';
  constructor(message: string) {
    super('E_SWEEP_PLAN', message);
  }
}

const leafOf = (path: string) => path.split('.').pop() ?? 'value';

/** "<base>-<leaf><value>[-<leaf><value>...]" with anything but [A-Za-z0-9._-] replaced by _. */
export function trialName(base: string, values: ReadonlyArray<readonly [string, string]>, seed?: number): string {
  const parts = values.map(([path, value]) => `${leafOf(path)}${value}`);
  if (seed !== undefined) parts.push(`seed${seed}`);
  return [base, ...parts].join('-').replace(/[^A-Za-z0-9._-]/g, '_');
}

/** Every combination of the params' values, first param outermost. */
export function grid(params: SweepParam[]): string[][] {
  return params.reduce<string[][]>((combos, p) => combos.flatMap((c) => p.values.map((v) => [...c, v])), [[]]);
}

/**
 * The sweep's trials for a base config named `base` with seed `baseSeed`. Refuses what would make
 * two trials one run folder (a field given twice, a value listed twice) before anything trains.
 */
export function planTrials(base: string, baseSeed: number, options: TrialPlanOptions): PlannedTrial[] {
  const { params } = options;
  if (params.length === 0) throw new SweepPlanError('a sweep needs at least one --param path=v1,v2,...');
  const seen = new Set<string>();
  for (const p of params) {
    if (seen.has(p.path)) throw new SweepPlanError(`--param ${p.path} is given twice; list all its values in one --param ${p.path}=v1,v2,...`);
    seen.add(p.path);
    if (p.values.length === 0) throw new SweepPlanError(`--param ${p.path}: no values; expected ${p.path}=v1,v2,...`);
    const dup = p.values.find((v, i) => p.values.indexOf(v) !== i);
    if (dup !== undefined) throw new SweepPlanError(`--param ${p.path}: the value ${dup} is listed twice`);
    if (p.path === 'seed' && (options.repeat ?? 1) > 1) throw new SweepPlanError('--param seed and --repeat both choose seeds; use one of them');
  }
  const repeat = options.repeat ?? 1;
  if (!Number.isInteger(repeat) || repeat < 1) throw new SweepPlanError(`--repeat ${repeat}: expected an integer >= 1`);
  let points = grid(params);
  if (options.random !== undefined) {
    if (!Number.isInteger(options.random) || options.random < 1) throw new SweepPlanError(`--random ${options.random}: expected an integer >= 1`);
    if (options.randomSeed === undefined) throw new SweepPlanError('--random N needs --seed S (the sample of the grid is drawn with that seed, so it can be repeated)');
    if (options.random < points.length) {
      // A seeded draw without replacement, shown in grid order so the table reads like the grid.
      const order = Array.from(new Rng(options.randomSeed).permutation(points.length));
      const chosen = order.slice(0, options.random).sort((a, b) => a - b);
      points = chosen.map((i) => points[i]);
    }
  }
  const trials: PlannedTrial[] = [];
  for (const point of points) {
    const values = params.map((p, j) => [p.path, point[j]] as const);
    for (let r = 0; r < repeat; r++) {
      // A swept `seed` field is read back from the loaded config by the sweep.
      const seed = baseSeed + r;
      trials.push({
        index: trials.length,
        name: trialName(base, values, repeat > 1 ? seed : undefined),
        values: Object.fromEntries(values),
        seed,
        overrides: [
          ...values.map(([path, value]) => `${path}=${value}`),
          ...(repeat > 1 ? [`seed=${seed}`] : []),
          ...(options.pinDataSeed !== undefined && (repeat > 1 || seen.has('seed')) ? [`data.seed=${options.pinDataSeed}`] : []),
          `name=${trialName(base, values, repeat > 1 ? seed : undefined)}`,
        ],
      });
    }
  }
  const names = new Set<string>();
  for (const t of trials) {
    if (names.has(t.name)) throw new SweepPlanError(`two trials would share the run folder ${t.name} (values that differ only in characters a folder name cannot hold); give distinct values`);
    names.add(t.name);
  }
  return trials;
}
