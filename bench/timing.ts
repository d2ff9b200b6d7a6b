// Timing helpers for benchmarks: warm up, then take the median of several timed repetitions.

export interface Timing {
  /** Median milliseconds per call (wall clock). */
  ms: number;
  /** Fastest observed milliseconds per call (wall clock). */
  min: number;
  /**
   * Median CPU milliseconds per call (user + system time of this process). Everything measured
   * here is single-threaded, so on an idle machine this equals the wall time; on a loaded one it
   * leaves out the time the process waited for a core, which wall time cannot.
   */
  cpu: number;
}

/** Time fn: `reps` samples of `inner` calls each after warm-up; returns per-call median and min. */
export function time(fn: () => void, opts: { reps?: number; inner?: number; warmup?: number } = {}): Timing {
  const reps = opts.reps ?? 9;
  const inner = opts.inner ?? 1;
  for (let i = 0; i < (opts.warmup ?? 3); i++) fn();
  const samples: number[] = [];
  const cpuSamples: number[] = [];
  for (let r = 0; r < reps; r++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    for (let i = 0; i < inner; i++) fn();
    samples.push((performance.now() - t0) / inner);
    const c = process.cpuUsage(c0);
    cpuSamples.push((c.user + c.system) / 1000 / inner);
  }
  samples.sort((a, b) => a - b);
  cpuSamples.sort((a, b) => a - b);
  return { ms: samples[Math.floor(samples.length / 2)], min: samples[0], cpu: cpuSamples[Math.floor(cpuSamples.length / 2)] };
}

/** Print rows as an aligned markdown table. */
export function table(headers: string[], rows: Array<Array<string | number>>): string {
  const cells = rows.map((r) => r.map((c) => (typeof c === 'number' ? fmt(c) : c)));
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((r) => r[i].length)));
  const line = (r: string[]): string => `| ${r.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  return [line(headers), `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`, ...cells.map(line)].join('\n');
}

function fmt(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  return a >= 100 ? v.toFixed(0) : a >= 10 ? v.toFixed(1) : a >= 1 ? v.toFixed(2) : v.toPrecision(3);
}

/** Wall and CPU time per call (ms) of `inner` calls; CPU counts every thread of the process. */
export interface WallAndCpu {
  wall: number;
  cpu: number;
}

export function measureWallAndCpu(fn: () => void, inner: number): WallAndCpu {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < inner; i++) fn();
  const wall = (performance.now() - t0) / inner;
  const c = process.cpuUsage(c0);
  return { wall, cpu: (c.user + c.system) / 1000 / inner };
}
