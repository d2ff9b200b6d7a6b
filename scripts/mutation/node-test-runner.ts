// A StrykerJS test runner that runs Node test-runner (`node:test`) files inside one process.
//
// Why: Stryker's tap runner starts a fresh `node --import tsx --test FILE` for every covering test
// *file* of every mutant, and its unit of coverage is the file, so each mutant paid for process
// start-up, TypeScript compilation and every test in 5-13 files (10-47 s a mutant on this machine;
// a run over src/engine + src/circuit did not fit a working day). Here the test files are imported
// once per worker process, `node:test` is replaced by a registering stand-in
// (node-test-shim.ts, through resolve-hook.mjs), coverage is recorded per *test*, and a mutant
// runs only the tests that reach its code, stopping at the first failure.
//
// Honesty: Stryker's mutant switching (`__stryker__.activeMutant`), its hit limit (a mutant that
// loops forever is reported as a timeout, not a kill) and its process restarts (for mutants that
// act while modules load: `reloadEnvironment: false`, and after a hang) are used as designed.
// Worker threads the engine starts read the active mutant from the environment, so it is set in
// process.env too and files' `after` hooks (which stop the thread pool) run after every run.
// Module state kept between mutant runs is the one thing a fresh process would not share; the
// engine's only such state is settings the tests restore and the compiled WebAssembly module.

import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { register } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { commonTokens, declareClassPlugin, PluginKind, tokens } from '@stryker-mutator/api/plugin';
import type { Logger } from '@stryker-mutator/api/logging';
import type { StrykerOptions } from '@stryker-mutator/api/core';
import {
  determineHitLimitReached,
  DryRunStatus,
  MutantRunStatus,
  TestStatus,
  toMutantRunResult,
  type DryRunOptions,
  type DryRunResult,
  type MutantRunOptions,
  type MutantRunResult,
  type TestResult,
  type TestRunner,
  type TestRunnerCapabilities,
} from '@stryker-mutator/api/test-runner';
import type { RegisteredFile, RegisteredTest, TestContext } from './node-test-shim.js';

interface NodeTestOptions {
  /** Test files: paths, `dir/*.test.ts` (one folder, not recursive), or `!path` to leave one out. */
  files: string[];
}

interface StrykerNamespace {
  activeMutant?: string;
  currentTestId?: string;
  hitCount?: number;
  hitLimit?: number;
  mutantCoverage?: { static: Record<string, number>; perTest: Record<string, Record<string, number>> };
}

const ACTIVE_MUTANT_ENV = '__STRYKER_ACTIVE_MUTANT__';
/** In the sandbox (the runner's working directory), which Stryker deletes after the run. */
const TIMES_FILE = '.stryker-node-test-times.json';
const here = path.dirname(new URL(import.meta.url).pathname);

/** Expand the configured list against the working directory (the sandbox). */
export function expandTestFiles(patterns: readonly string[], cwd: string): string[] {
  const excluded = new Set(patterns.filter((p) => p.startsWith('!')).map((p) => path.normalize(p.slice(1))));
  const out: string[] = [];
  for (const p of patterns) {
    if (p.startsWith('!')) continue;
    if (p.endsWith('/*.test.ts')) {
      const dir = p.slice(0, -'/*.test.ts'.length);
      const names = readdirSync(path.join(cwd, dir)).filter((n) => n.endsWith('.test.ts')).sort();
      for (const n of names) out.push(path.normalize(path.join(dir, n)));
    } else {
      out.push(path.normalize(p));
    }
  }
  return out.filter((f) => !excluded.has(f));
}

function errorText(e: unknown): string {
  if (e instanceof Error) return `${e.name}: ${e.message}`.slice(0, 2000);
  return String(e).slice(0, 2000);
}

export class NodeTestInProcessRunner implements TestRunner {
  static inject = tokens(commonTokens.options, commonTokens.logger);

  private files: RegisteredFile[] = [];
  /** Each test's time in the dry run: a mutant's files run cheapest first, so kills come early. */
  private readonly dryRunMs = new Map<string, number>();
  private loaded = false;
  private readonly patterns: string[];

  constructor(
    options: StrykerOptions,
    private readonly log: Logger,
  ) {
    const own = (options as unknown as { nodeTest?: NodeTestOptions }).nodeTest;
    if (!own || !Array.isArray(own.files) || own.files.length === 0) {
      throw new Error('stryker.config.json: "nodeTest.files" must list the test files (paths or dir/*.test.ts) for the node-test-inprocess runner');
    }
    this.patterns = own.files;
  }

  capabilities(): TestRunnerCapabilities {
    // Test files are ES modules: they cannot be unloaded, so Stryker restarts this process for
    // mutants that act while modules load.
    return { reloadEnvironment: false };
  }

  async init(): Promise<void> {
    const shimUrl = pathToFileURL(path.join(here, 'node-test-shim.ts')).href;
    register(pathToFileURL(path.join(here, 'resolve-hook.mjs')).href, { data: { shimUrl } });
    // A mutant can make a test leave a rejected promise behind; Node would end the process for
    // it, which Stryker would report as an error instead of a test result.
    process.on('unhandledRejection', (e) => this.log.debug(`unhandled rejection: ${errorText(e)}`));
  }

  private ns(): StrykerNamespace {
    const g = globalThis as unknown as { __stryker__?: StrykerNamespace };
    return (g.__stryker__ ??= {});
  }

  /** Import every test file once, so its tests register (with the active mutant already set). */
  private async load(): Promise<void> {
    if (this.loaded) return;
    this.loaded = true;
    const shim = await import('./node-test-shim.js');
    // A killed mutant needs only the first failing case: fast-check's shrinking after it can
    // run past the timeout and turn a clear kill into a "timeout". The verdict is unchanged.
    const fc = await import('fast-check');
    fc.configureGlobal({ ...fc.readConfigureGlobal(), endOnFailure: true });
    const files = expandTestFiles(this.patterns, process.cwd());
    for (const file of files) {
      shim.beginFile(file);
      try {
        await import(pathToFileURL(path.resolve(file)).href);
      } finally {
        shim.endFile();
      }
    }
    this.files = shim.testRegistry().files;
    if (this.dryRunMs.size === 0 && existsSync(TIMES_FILE)) {
      for (const [id, ms] of Object.entries(JSON.parse(readFileSync(TIMES_FILE, 'utf8')) as Record<string, number>)) this.dryRunMs.set(id, ms);
    }
    this.log.debug(`node-test-inprocess: ${this.files.length} files, ${this.files.reduce((n, f) => n + f.tests.length, 0)} tests`);
  }

  async dryRun(options: DryRunOptions): Promise<DryRunResult> {
    const ns = this.ns();
    ns.activeMutant = undefined;
    ns.mutantCoverage = { static: {}, perTest: {} };
    try {
      await this.load();
    } catch (e) {
      return { status: DryRunStatus.Error, errorMessage: `loading the test files failed: ${errorText(e)}` };
    }
    const wanted = options.testFiles ? new Set(options.testFiles.map((f) => path.relative(process.cwd(), path.resolve(f)))) : undefined;
    const tests = this.allTests().filter((t) => wanted === undefined || wanted.has(t.file));
    const results = await this.runTests(tests, { bail: false, coverage: options.coverageAnalysis === 'perTest' });
    if ('status' in results) return results;
    for (const r of results.tests) this.dryRunMs.set(r.id, r.timeSpentMs);
    // Stryker runs the dry run in one process; the others (and restarted ones) read the times here.
    writeFileSync(TIMES_FILE, JSON.stringify(Object.fromEntries(this.dryRunMs)));
    return { status: DryRunStatus.Complete, tests: results.tests, mutantCoverage: ns.mutantCoverage };
  }

  async mutantRun(options: MutantRunOptions): Promise<MutantRunResult> {
    const ns = this.ns();
    const id = options.activeMutant.id;
    process.env[ACTIVE_MUTANT_ENV] = id;
    if (options.mutantActivation === 'static') ns.activeMutant = id;
    try {
      await this.load();
    } catch (e) {
      // A mutant that breaks loading (a module that throws at import) is found by every test.
      return { status: MutantRunStatus.Killed, failureMessage: `loading the test files failed: ${errorText(e)}`, killedBy: [], nrOfTests: 0 };
    }
    ns.activeMutant = id;
    ns.mutantCoverage = { static: {}, perTest: {} };
    ns.hitLimit = options.hitLimit;
    ns.hitCount = options.hitLimit === undefined ? undefined : 0;
    const filter = options.testFilter ? new Set(options.testFilter) : undefined;
    const tests = this.allTests().filter((t) => filter === undefined || filter.has(t.id));
    try {
      const results = await this.runTests(tests, { bail: !options.disableBail, coverage: false });
      const hit = determineHitLimitReached(ns.hitCount, ns.hitLimit);
      if (hit) return toMutantRunResult(hit);
      if ('status' in results) return toMutantRunResult(results);
      return toMutantRunResult({ status: DryRunStatus.Complete, tests: results.tests });
    } finally {
      ns.activeMutant = undefined;
      ns.hitLimit = undefined;
      ns.hitCount = undefined;
      delete process.env[ACTIVE_MUTANT_ENV];
    }
  }

  private allTests(): RegisteredTest[] {
    return this.files.flatMap((f) => f.tests);
  }

  /** Run tests in registration order, each file's before/after hooks around its tests. */
  private async runTests(
    tests: readonly RegisteredTest[],
    opts: { bail: boolean; coverage: boolean },
  ): Promise<{ tests: TestResult[] } | DryRunResult> {
    const ns = this.ns();
    const out: TestResult[] = [];
    const byFile = new Map<string, RegisteredTest[]>();
    for (const t of tests) {
      const list = byFile.get(t.file) ?? [];
      list.push(t);
      byFile.set(t.file, list);
    }
    // Files (independent modules) in order of their tests' dry-run cost; tests within a file keep
    // their order, as Node's runner would run them.
    const cost = (f: RegisteredFile): number => (byFile.get(f.file) ?? []).reduce((s, t) => s + (this.dryRunMs.get(t.id) ?? 0), 0);
    const files = [...this.files].sort((a, b) => cost(a) - cost(b));
    for (const file of files) {
      const list = byFile.get(file.file);
      if (!list) continue;
      let stop = false;
      try {
        for (const h of file.before) await h();
        for (const t of list) {
          const r = await this.runOne(t, opts.coverage);
          out.push(r);
          if (r.status === TestStatus.Failed && opts.bail) {
            stop = true;
            break;
          }
        }
      } catch (e) {
        out.push({ id: list[0].id, name: list[0].name, fileName: file.file, timeSpentMs: 0, status: TestStatus.Failed, failureMessage: `before hook: ${errorText(e)}` });
        stop = opts.bail;
      } finally {
        ns.currentTestId = undefined;
        // `after` hooks stop what the file started (the engine's thread pool), so the next run's
        // workers start afresh with that run's active mutant in their environment.
        for (const h of file.after) {
          try {
            await h();
          } catch (e) {
            this.log.warn(`after hook of ${file.file}: ${errorText(e)}`);
          }
        }
      }
      if (stop) break;
    }
    return { tests: out };
  }

  private async runOne(t: RegisteredTest, coverage: boolean): Promise<TestResult> {
    const base = { id: t.id, name: t.id, fileName: t.file };
    if (t.skip) return { ...base, timeSpentMs: 0, status: TestStatus.Skipped };
    const ns = this.ns();
    ns.currentTestId = coverage ? t.id : undefined;
    const context: TestContext = {
      name: t.name,
      diagnostic: () => undefined,
      test: () => {
        throw new Error(`node-test-shim: subtests (t.test) are not supported ("${t.id}")`);
      },
    };
    const start = performance.now();
    try {
      for (const h of t.beforeEach) await h();
      await t.fn(context);
      for (const h of t.afterEach) await h();
      return { ...base, timeSpentMs: performance.now() - start, status: TestStatus.Success };
    } catch (e) {
      return { ...base, timeSpentMs: performance.now() - start, status: TestStatus.Failed, failureMessage: errorText(e) };
    } finally {
      ns.currentTestId = undefined;
    }
  }
}

export const strykerPlugins = [declareClassPlugin(PluginKind.TestRunner, 'node-test-inprocess', NodeTestInProcessRunner)];

/** Lets Stryker validate (and not warn about) this runner's own config key. */
export const strykerValidationSchema = {
  $schema: 'http://json-schema.org/draft-07/schema',
  type: 'object',
  properties: {
    nodeTest: {
      type: 'object',
      properties: { files: { type: 'array', items: { type: 'string' } } },
      required: ['files'],
      additionalProperties: false,
    },
  },
};
