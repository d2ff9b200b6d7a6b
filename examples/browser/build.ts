// Bundles demo.ts for the browser into dist/demo.js (npm run example:browser); then open
// index.html in a browser (file:// works: the page loads nothing else).
import { buildSync } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const here = dirname(fileURLToPath(import.meta.url));

export function buildBrowserDemo(): string {
  const outfile = join(here, 'dist', 'demo.js');
  // `source`: resolve 'entangle/engine' and 'entangle/circuit' to the TypeScript sources, as the
  // repository's own examples do (an installed package resolves them to dist/).
  buildSync({ entryPoints: [join(here, 'demo.ts')], bundle: true, format: 'iife', platform: 'browser', conditions: ['source'], outfile, logLevel: 'warning' });
  return outfile;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const out = buildBrowserDemo();
  console.log(`wrote ${out}; open ${join(here, 'index.html')} in a browser`);
}
