// `npm run build:playground`: the playground as static files in playground/dist/ (index.html,
// playground.css, main.js, worker.js) that work from any static host. Everything the page needs
// is in the two bundles: TensorFlow.js (its cpu backend; no .wasm files to serve) and the
// engine's WebAssembly kernels, which are inlined as bytes. URLs are relative and nothing is
// fetched from the network. The page needs http(s): browsers refuse workers from file:// pages.

import { buildSync } from 'esbuild';
import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const PLAYGROUND_DIST = join(here, 'dist');

/** Build into `outDir` (default playground/dist); returns the folder. */
export function buildPlayground(outDir = PLAYGROUND_DIST): string {
  mkdirSync(outDir, { recursive: true });
  buildSync({
    entryPoints: { main: join(here, 'src', 'main.ts'), worker: join(here, 'src', 'worker.ts') },
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    // `source`: resolve the package's own imports to the TypeScript sources, as examples do.
    conditions: ['source'],
    minify: true,
    sourcemap: false,
    // The wasm backend is never chosen in the page (setupBackend's dynamic import of it stays unbundled).
    external: ['@tensorflow/tfjs-backend-wasm'],
    outdir: outDir,
    logLevel: 'warning',
    legalComments: 'none',
  });
  for (const file of ['index.html', 'playground.css']) copyFileSync(join(here, file), join(outDir, file));
  return outDir;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const out = buildPlayground();
  console.log(`wrote ${out}/ (index.html, playground.css, main.js, worker.js): serve it from any static host, or run npm run playground`);
}
