// Module resolution hook for the in-process mutation runner (node-test-runner.ts): test files'
// `import ... from 'node:test'` load the registering stand-in (node-test-shim.ts) instead.
// Plain JavaScript because hooks run on Node's loader thread, before any TypeScript loader.

let shimUrl = '';

export function initialize(data) {
  shimUrl = data.shimUrl;
}

export async function resolve(specifier, context, nextResolve) {
  if (specifier === 'node:test' && context.parentURL !== shimUrl) {
    return { url: shimUrl, shortCircuit: true };
  }
  return nextResolve(specifier, context);
}
