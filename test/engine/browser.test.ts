// The engine in a real browser: the bundle that portable.test.ts runs in a bare context, loaded
// by headless Chromium (Debian's package, which .ci/run installs) from a file page. It must run
// on its WebAssembly SIMD kernels there and give Node's results. Not bit for bit: Chromium's newer
// V8 computes Math.cos of some inputs one ulp apart from Node 20's (seen for cos(6)), and the
// inputs and weights here are built with Math.sin/cos.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import { runW4 } from './portable-entry.js';
import { buildBrowserDemo } from '../../examples/browser/build.js';
import { runDemo } from '../../examples/browser/demo.js';

const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
const SKIP = CHROMIUM ? false : 'no Chromium (apt-get install chromium)';

/** The page's DOM after its scripts ran, from headless Chromium. */
function dumpDom(url: string, profileDir: string): string {
  return execFileSync(CHROMIUM!, [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', `--user-data-dir=${profileDir}`, '--dump-dom', url,
  ], { encoding: 'utf8', timeout: 60_000, stdio: ['ignore', 'pipe', 'ignore'] });
}

test('headless Chromium runs the bundled engine on its WebAssembly kernels with Node\'s results', { skip: SKIP }, () => {
  const entry = new URL('./portable-entry.ts', import.meta.url).pathname;
  const bundle = buildSync({ entryPoints: [entry], bundle: true, format: 'iife', globalName: 'E', platform: 'browser', write: false }).outputFiles[0].text;
  const dir = mkdtempSync(join(tmpdir(), 'entangle-browser-'));
  try {
    const page = join(dir, 'page.html');
    writeFileSync(page, `<!doctype html><html><body><pre id="out">not run</pre><script>${bundle}
try { document.getElementById('out').textContent = JSON.stringify(E.runW4()); }
catch (e) { document.getElementById('out').textContent = 'ERROR ' + e; }
</script></body></html>`);
    const dom = dumpDom(`file://${page}`, join(dir, 'profile'));
    const text = /<pre id="out">([^<]*)<\/pre>/.exec(dom)?.[1] ?? '';
    assert.ok(text.startsWith('{'), `the page printed: ${text.slice(0, 200)}`);
    const browser = JSON.parse(text) as ReturnType<typeof runW4>;
    assert.equal(browser.wasm, true, 'Chromium compiles the SIMD kernels');
    const node = runW4();
    for (const key of ['out', 'gw', 'gx'] as const) {
      assert.equal(browser[key].length, node[key].length);
      browser[key].forEach((v, i) => assert.ok(Math.abs(v - node[key][i]) < 1e-12, `${key}[${i}]: browser ${v}, Node ${node[key][i]}`));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('examples/browser: npm run example:browser builds the page, which shows results, kernels and speed', { skip: SKIP }, () => {
  buildBrowserDemo();
  const dir = mkdtempSync(join(tmpdir(), 'entangle-browser-'));
  try {
    const page = new URL('../../examples/browser/index.html', import.meta.url).pathname;
    const text = /<pre id="out">([^<]*)<\/pre>/.exec(dumpDom(`file://${page}`, join(dir, 'profile')))?.[1] ?? '';
    assert.match(text, /^kernels: WebAssembly SIMD$/m, text);
    const node = runDemo(32, 1);
    const numbers = (label: string) => (new RegExp(`^${label}: (.*)$`, 'm').exec(text)?.[1] ?? '').split(' ').map(Number);
    const shown = { expvals: numbers('expvals \\(sample 0\\)'), gradients: numbers('d/dweights\\[0\\.\\.3\\]') };
    for (const key of ['expvals', 'gradients'] as const) {
      assert.equal(shown[key].length, 4, `${key} in: ${text}`);
      shown[key].forEach((v, i) => assert.ok(Math.abs(v - node[key][i]) <= 5e-7, `${key}[${i}]: page ${v}, Node ${node[key][i]}`));
    }
    assert.match(text, /^forward \+ gradient, batch 32: \d+ µs per call$/m);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
