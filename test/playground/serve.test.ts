// The README's two commands: `npm run build:playground` writes the static files, and
// `npm run playground` serves them on 127.0.0.1 and prints the address; a real HTTP client gets
// the page and both bundles, with the right types, and nothing outside the folder.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = new URL('../../', import.meta.url).pathname;
const DIST = join(ROOT, 'playground', 'dist');

test('npm run build:playground writes the page and its two bundles, with relative URLs and no network', () => {
  execFileSync('npm', ['run', '--silent', 'build:playground'], { cwd: ROOT, stdio: 'pipe', timeout: 120_000 });
  for (const f of ['index.html', 'playground.css', 'main.js', 'worker.js']) assert.ok(statSync(join(DIST, f)).size > 0, f);
  const html = readFileSync(join(DIST, 'index.html'), 'utf8');
  assert.match(html, /<script src="main\.js">/);
  assert.doesNotMatch(html, /(src|href)="(https?:)?\/\//, 'no absolute or remote URLs');
  const main = readFileSync(join(DIST, 'main.js'), 'utf8');
  assert.match(main, /new Worker\("worker\.js"\)/);
  // The worker bundle carries the engine's WebAssembly kernels and TensorFlow.js itself.
  const worker = readFileSync(join(DIST, 'worker.js'), 'utf8');
  assert.doesNotMatch(worker, /https?:\/\/[^"'\s]*\.(wasm|js)\b/, 'no remote script or wasm URL');
});

test('npm run playground serves it on 127.0.0.1 and prints the address', { timeout: 120_000 }, async () => {
  // --no-build: the test above just built it (the build is the same function either way).
  const child = spawn('npm', ['run', '--silent', 'playground', '--', '--port', '0', '--no-build'], { cwd: ROOT, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /Entangle playground: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
        if (m) resolve(m[1]);
      });
      child.once('exit', (code) => reject(new Error(`npm run playground exited (${code}): ${out}`)));
    });
    const page = await fetch(url);
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type') ?? '', /^text\/html/);
    assert.match(await page.text(), /data-testid="train"/);
    for (const f of ['main.js', 'worker.js']) {
      const r = await fetch(url + f);
      assert.equal(r.status, 200, f);
      assert.match(r.headers.get('content-type') ?? '', /^text\/javascript/);
      await r.arrayBuffer();
    }
    assert.equal((await fetch(url + 'nothing.js')).status, 404);
    for (const outside of ['%2e%2e/package.json', '..%2fpackage.json']) assert.notEqual((await fetch(url + outside)).status, 200, `nothing outside the folder: ${outside}`);
    assert.equal((await fetch(url, { method: 'POST' })).status, 405);
  } finally {
    if (child.pid) process.kill(-child.pid, 'SIGTERM');
  }
});
