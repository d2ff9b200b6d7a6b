// A stand-in for `node:test` used only by the in-process mutation runner
// (scripts/mutation/node-test-runner.ts): the test files' `test`, `it`, `describe`, `before`,
// `after`, `beforeEach` and `afterEach` register here instead of starting Node's runner, so one
// process can import every test file once and then run any subset of the tests again for each
// mutant (Node's own runner can run a file only once per process).
//
// Only what the engine and circuit test files use is supported; anything else throws, naming it,
// so a new test feature cannot silently pass under mutation testing.

/** A test function as the test files write them: no argument, or a context they do not use. */
export type TestFn = (context: TestContext) => unknown;
export type HookFn = () => unknown;

export interface TestContext {
  readonly name: string;
  diagnostic(message: string): void;
  test(): never;
}

interface TestOptions {
  skip?: boolean | string;
  todo?: boolean | string;
  timeout?: number;
  only?: boolean;
  concurrency?: number | boolean;
}

/** One registered test, with the hooks that wrap it (outermost suite first). */
export interface RegisteredTest {
  /** Unique within the run: file, suite path and name. */
  readonly id: string;
  readonly name: string;
  readonly file: string;
  readonly fn: TestFn;
  readonly skip: boolean;
  readonly beforeEach: readonly HookFn[];
  readonly afterEach: readonly HookFn[];
}

/** What one test file registered. */
export interface RegisteredFile {
  readonly file: string;
  readonly tests: RegisteredTest[];
  /** File- and suite-level `before` hooks, in registration order. */
  readonly before: HookFn[];
  readonly after: HookFn[];
}

interface Suite {
  readonly name: string;
  readonly beforeEach: HookFn[];
  readonly afterEach: HookFn[];
}

interface Registry {
  readonly files: RegisteredFile[];
  current: RegisteredFile | null;
  suites: Suite[];
}

const KEY = Symbol.for('entangle.mutation.node-test-registry');
const holder = globalThis as unknown as Record<symbol, Registry | undefined>;
const registry: Registry = (holder[KEY] ??= { files: [], current: null, suites: [] });

/** The registry the runner reads (shared through globalThis, whichever copy of this module loads). */
export function testRegistry(): Registry {
  return registry;
}

/** Start collecting the tests of `file` (the runner calls this before importing it). */
export function beginFile(file: string): RegisteredFile {
  const entry: RegisteredFile = { file, tests: [], before: [], after: [] };
  registry.files.push(entry);
  registry.current = entry;
  registry.suites = [{ name: '', beforeEach: [], afterEach: [] }];
  return entry;
}

export function endFile(): void {
  registry.current = null;
  registry.suites = [];
}

function currentFile(what: string): RegisteredFile {
  if (registry.current === null) {
    throw new Error(`node-test-shim: ${what} called outside a test file being loaded by the mutation runner`);
  }
  return registry.current;
}

function splitArgs<F>(a: unknown, b: unknown, c: unknown): { name: string; options: TestOptions; fn: F | undefined } {
  let name = '';
  let rest: unknown[] = [a, b, c];
  if (typeof a === 'string') {
    name = a;
    rest = [b, c];
  }
  let options: TestOptions = {};
  if (rest[0] !== undefined && typeof rest[0] === 'object' && rest[0] !== null) {
    options = rest[0] as TestOptions;
    rest = rest.slice(1);
  }
  const fn = rest[0] as F | undefined;
  if (fn !== undefined && typeof fn !== 'function') throw new TypeError(`node-test-shim: "${name}" has no test function`);
  return { name, options, fn };
}

function unsupported(feature: string): never {
  throw new Error(`node-test-shim: ${feature} is not supported by the in-process mutation runner (scripts/mutation/node-test-shim.ts); add it there or leave this file out of stryker.config.json's nodeTest.files`);
}

export function test(a?: unknown, b?: unknown, c?: unknown): Promise<void> {
  const file = currentFile('test()');
  const { name, options, fn } = splitArgs<TestFn>(a, b, c);
  if (options.only) unsupported('{ only: true }');
  const path = registry.suites.map((s) => s.name).filter((s) => s !== '');
  const base = `${file.file} :: ${[...path, name].join(' > ')}`;
  let id = base;
  for (let k = 2; file.tests.some((t) => t.id === id); k++) id = `${base} #${k}`;
  if (fn !== undefined && fn.length > 1) unsupported(`a callback-style test ("${name}")`);
  file.tests.push({
    id,
    name,
    file: file.file,
    fn: fn ?? (() => undefined),
    skip: Boolean(options.skip) || Boolean(options.todo) || fn === undefined,
    beforeEach: registry.suites.flatMap((s) => s.beforeEach),
    afterEach: registry.suites.flatMap((s) => s.afterEach).reverse(),
  });
  return Promise.resolve();
}

export const it = test;

export function describe(a?: unknown, b?: unknown, c?: unknown): Promise<void> {
  currentFile('describe()');
  const { name, options, fn } = splitArgs<() => unknown>(a, b, c);
  if (options.skip || options.todo) return Promise.resolve();
  registry.suites.push({ name, beforeEach: [], afterEach: [] });
  try {
    const out = fn?.();
    if (out instanceof Promise) unsupported(`an async describe ("${name}")`);
  } finally {
    registry.suites.pop();
  }
  return Promise.resolve();
}

export const suite = describe;

export function before(fn: HookFn): void {
  currentFile('before()').before.push(fn);
}

export function after(fn: HookFn): void {
  currentFile('after()').after.push(fn);
}

export function beforeEach(fn: HookFn): void {
  currentFile('beforeEach()');
  registry.suites[registry.suites.length - 1].beforeEach.push(fn);
}

export function afterEach(fn: HookFn): void {
  currentFile('afterEach()');
  registry.suites[registry.suites.length - 1].afterEach.push(fn);
}

export const mock = new Proxy({}, { get: () => unsupported('node:test mock') });

export default test;
