// `entangle serve` as a process: it prints the address it listens on (--port 0), answers, stops
// gracefully on SIGTERM / SIGINT (finishing the request in flight, exit 0), refuses a port in
// use at once with the port and the fix named, and takes its token from ENTANGLE_TOKEN.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { postJson } from './helpers.js';

const FIXTURE = join(process.cwd(), 'test', 'serve', 'fixtures', 'serve-cli.ts');
const request = { query: 'quantum', candidates: [{ id: 'a', text: 'quantum circuits' }, { id: 'b', text: 'cheese' }] };

interface Served {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  exited: Promise<number | null>;
}

function serve(args: string[], env: Record<string, string> = {}): Served {
  const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', FIXTURE, 'runs/any', ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return { child, stdout: () => stdout, stderr: () => stderr, exited };
}

async function waitFor<T>(what: string, served: Served, probe: () => T | undefined): Promise<T> {
  const end = Date.now() + 60_000;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (served.child.exitCode !== null || Date.now() > end) throw new Error(`no ${what}; stderr: ${served.stderr()}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const addressOf = (served: Served) => waitFor('address', served, () => /^listening on (http:\/\/127\.0\.0\.1:\d+) /m.exec(served.stdout())?.[1]);

test('--port 0: prints the address; SIGTERM finishes the request in flight, then exits 0', async () => {
  const served = serve(['--port', '0'], { SERVE_FIXTURE_EMBED_MS: '400' });
  try {
    const url = await addressOf(served);
    assert.match(served.stdout(), /\(POST \/rerank, GET \/health\)\n$/);
    const inFlight = postJson(url, request);
    await waitFor('a request in flight', served, () => (served.stderr().includes('embedding') ? true : undefined));
    served.child.kill('SIGTERM');
    const res = await inFlight;
    assert.equal(res.status, 200);
    assert.deepEqual(res.body.results.map((r: { id: string }) => r.id), ['a', 'b']);
    assert.equal(await served.exited, 0);
    assert.match(served.stderr(), /SIGTERM: taking no new requests; finishing those in flight/);
    assert.match(served.stderr(), /stopped\n$/);
    await assert.rejects(fetch(`${url}/health`)); // nothing listens there any more
  } finally {
    served.child.kill('SIGKILL');
  }
});

test('ENTANGLE_TOKEN: requests need the token; SIGINT stops an idle server with exit 0', async () => {
  const served = serve(['--port', '0'], { ENTANGLE_TOKEN: 'from-the-environment' });
  try {
    const url = await addressOf(served);
    assert.match(served.stdout(), /bearer token required/);
    assert.equal((await postJson(url, request)).status, 401);
    assert.equal((await postJson(url, request, { authorization: 'Bearer from-the-environment' })).status, 200);
    served.child.kill('SIGINT');
    assert.equal(await served.exited, 0);
  } finally {
    served.child.kill('SIGKILL');
  }
});

test('a port in use: a clear error naming the port and the fix, exit 1 at once', async () => {
  const blocker = createServer();
  await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
  const port = (blocker.address() as { port: number }).port;
  const served = serve(['--port', String(port)]);
  try {
    assert.equal(await served.exited, 1);
    assert.match(served.stderr(), new RegExp(`port ${port} on 127\\.0\\.0\\.1 is already in use .*choose another port with --port \\(--port 0 picks a free one\\)`));
    assert.equal(served.stdout(), '');
  } finally {
    served.child.kill('SIGKILL');
    blocker.close();
  }
});
