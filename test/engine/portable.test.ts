// The engine and circuit modules use no Node-only API: they bundle for the browser platform and run
// in a bare JavaScript context (no process, Buffer, require or node: modules), with results
// identical to Node's.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import vm from 'node:vm';
import { buildSync } from 'esbuild';
import { Circuit } from '../../src/circuit/circuit.js';
import { expval } from '../../src/circuit/measurements.js';
import { zOnEveryWire } from '../../src/circuit/observables.js';
import { angleEmbedding, stronglyEntanglingLayers } from '../../src/circuit/templates.js';
import { QNode } from '../../src/engine/qnode.js';

const root = new URL('../../', import.meta.url).pathname;

test('no engine or circuit module imports a Node built-in or touches Node globals', () => {
  for (const dir of ['src/engine', 'src/circuit']) {
    for (const f of readdirSync(join(root, dir)).filter((n) => n.endsWith('.ts'))) {
      const src = readFileSync(join(root, dir, f), 'utf8');
      assert.ok(!/from ['"]node:|require\(|\bprocess\.|\bBuffer\b|__dirname/.test(src), `${dir}/${f} uses a Node-only API`);
    }
  }
});

test('the engine bundles for the browser and runs in a bare JS context with identical results', () => {
  const entry = join(root, 'test/engine/portable-entry.ts');
  const out = buildSync({ entryPoints: [entry], bundle: true, format: 'iife', globalName: 'E', platform: 'browser', write: false });
  const code = out.outputFiles[0].text;
  const context = vm.createContext({ Float64Array, Int32Array, Uint8Array, Math, Array, Object, Error, RangeError, TypeError, JSON, Number, Set, Map, String, Symbol, Proxy, Reflect });
  vm.runInContext(code, context);
  const run = vm.runInContext('E.runW4', context) as () => { out: number[]; gw: number[]; gx: number[] };
  const browserLike = JSON.parse(JSON.stringify(run())) as ReturnType<typeof run>; // out of the other realm
  const c = new Circuit(4);
  angleEmbedding(c);
  stronglyEntanglingLayers(c, { layers: 2 });
  const q = new QNode(c, expval(zOnEveryWire(4)));
  const inputs = Float64Array.from({ length: 8 }, (_, i) => Math.sin(i));
  const weights = Float64Array.from({ length: 24 }, (_, i) => Math.cos(i));
  const outN = q.forward(inputs, weights);
  const g = q.vjp(new Float64Array(8).fill(1));
  assert.deepEqual(browserLike.out, [...outN]);
  assert.deepEqual(browserLike.gw, [...g.weights]);
  assert.deepEqual(browserLike.gx, [...g.inputs]);
});
