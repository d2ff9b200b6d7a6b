// The engine and circuit modules use no Node-only API: they bundle for the browser platform and run
// in a bare JavaScript context (no process, Buffer, require or node: modules), with results
// identical to Node's.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import vm from 'node:vm';
import { buildSync } from 'esbuild';
import { setWasmKernels } from '../../src/engine/wasm/backend.js';
import { runW4 } from './portable-entry.js';

const root = new URL('../../', import.meta.url).pathname;

test('no engine or circuit module imports a Node built-in or touches Node globals', () => {
  for (const dir of ['src/engine', 'src/engine/wasm', 'src/engine/statevector', 'src/circuit']) {
    for (const f of readdirSync(join(root, dir)).filter((n) => n.endsWith('.ts'))) {
      const src = readFileSync(join(root, dir, f), 'utf8');
      assert.ok(!/from ['"]node:|require\(|\bprocess\.|\bBuffer\b|__dirname/.test(src), `${dir}/${f} uses a Node-only API`);
    }
  }
});

/** Node's W4 outputs and gradients (the bundle's own entry, run here), with the WebAssembly kernels on or off. */
function w4InNode(wasm: boolean): ReturnType<typeof runW4> {
  setWasmKernels(wasm);
  try {
    return runW4();
  } finally {
    setWasmKernels(true);
  }
}

function runBundled(globals: Record<string, unknown>): { out: number[]; gw: number[]; gx: number[]; wasm: boolean } {
  const entry = join(root, 'test/engine/portable-entry.ts');
  const out = buildSync({ entryPoints: [entry], bundle: true, format: 'iife', globalName: 'E', platform: 'browser', write: false });
  const context = vm.createContext({ Float64Array, Int32Array, Uint8Array, Math, Array, Object, Error, RangeError, TypeError, JSON, Number, Set, Map, String, Symbol, Proxy, Reflect, ...globals });
  vm.runInContext(out.outputFiles[0].text, context);
  const run = vm.runInContext('E.runW4', context) as () => { out: number[]; gw: number[]; gx: number[]; wasm: boolean };
  return JSON.parse(JSON.stringify(run())) as ReturnType<typeof run>; // out of the other realm
}

test('the engine bundles for the browser and runs in a bare JS context (WebAssembly, atob) with identical results', () => {
  const browserLike = runBundled({ WebAssembly, atob });
  assert.equal(browserLike.wasm, true, 'the bundled engine uses its WebAssembly kernels where WebAssembly exists');
  const node = w4InNode(true);
  assert.deepEqual(browserLike.out, node.out);
  assert.deepEqual(browserLike.gw, node.gw);
  assert.deepEqual(browserLike.gx, node.gx);
});

test('without WebAssembly the bundled engine falls back to its JavaScript kernels, identical to Node with them', () => {
  const bare = runBundled({});
  assert.equal(bare.wasm, false);
  const node = w4InNode(false);
  assert.deepEqual(bare.out, node.out);
  assert.deepEqual(bare.gw, node.gw);
  assert.deepEqual(bare.gx, node.gx);
});
