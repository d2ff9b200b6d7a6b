// docs/serving.md runs: every curl example is sent (with Node's fetch) to a real server on
// 127.0.0.1 and must get the JSON shown after it — exactly for errors and /health, the same ids
// in the same order for rankings (the documented scores are illustrative). The `entangle serve`
// lines use only options the command has, and the limits table states the defaults in the code.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createProgram } from '../../src/cli/program.js';
import { DEFAULT_LIMITS } from '../../src/serve/limits.js';
import { hashingScorer } from './hashing-scorer.js';
import { startServer } from './helpers.js';

const doc = readFileSync(join(process.cwd(), 'docs', 'serving.md'), 'utf8');
const blocks = [...doc.matchAll(/```(\w+)\n([\s\S]*?)```/g)].map((m) => ({ lang: m[1], code: m[2] }));
const TOKEN = 'docs-example-token';

interface Curl {
  path: string;
  headers: Record<string, string>;
  body?: string;
}

/** The words of a shell command line: '…' literal, "…" and bare words with $ENTANGLE_TOKEN expanded. */
function parseCurl(command: string): Curl {
  const words = [...command.replace(/\\\n/g, ' ').matchAll(/'([^']*)'|"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? (m[2] ?? m[3]).replaceAll('$ENTANGLE_TOKEN', TOKEN));
  assert.equal(words[0], 'curl');
  const curl: Curl = { path: '', headers: {} };
  for (let i = 1; i < words.length; i++) {
    if (words[i] === '-s') continue;
    else if (words[i] === '-H') {
      const [name, ...value] = words[++i].split(':');
      curl.headers[name.toLowerCase()] = value.join(':').trim();
    } else if (words[i] === '-d') curl.body = words[++i];
    else curl.path = new URL(words[i]).pathname;
  }
  return curl;
}

const examples = blocks.flatMap((b, i) => (b.lang === 'sh' && b.code.startsWith('curl ') ? [{ curl: parseCurl(b.code), expected: JSON.parse(blocks[i + 1].code) as any, next: blocks[i + 1].lang }] : []));

test('every curl example in docs/serving.md gets the response shown after it', async () => {
  assert.ok(examples.length >= 5, `found ${examples.length} examples`);
  const health = examples.find((e) => e.curl.path === '/health');
  assert.ok(health, 'health');
  const server = await startServer(hashingScorer({ dim: 512, manifest: health.expected.model }), { token: TOKEN });
  try {
    for (const { curl, expected, next } of examples) {
      assert.equal(next, 'json');
      const res = await fetch(`${server.url}${curl.path}`, { method: curl.body === undefined ? 'GET' : 'POST', headers: curl.headers, body: curl.body });
      const body = (await res.json()) as any;
      const what = `${curl.path} ${curl.body ?? ''}`;
      if (expected.results) {
        assert.equal(res.status, 200, what);
        assert.deepEqual(body.results.map((r: { id: string }) => r.id), expected.results.map((r: { id: string }) => r.id), what);
        for (const r of body.results) assert.ok(r.score >= 0 && r.score <= 1, what);
      } else {
        assert.deepEqual(body, expected, what);
        assert.equal(res.ok, !expected.error, what);
      }
    }
  } finally {
    await server.close();
  }
});

test('the entangle serve lines use options the command has; the limits table states the defaults', async () => {
  const program = await createProgram(['serve']);
  const serve = program.commands.find((c) => c.name() === 'serve')!;
  const known = new Set(serve.options.map((o) => o.long));
  const used = blocks.filter((b) => b.lang === 'sh').flatMap((b) => b.code.split('\n').filter((l) => l.includes('entangle serve'))).flatMap((l) => l.match(/--[a-z-]+/g) ?? []);
  assert.ok(used.includes('--port'), 'used.includes(\'--port\')');
  assert.deepEqual(used.filter((o) => !known.has(o)), []);

  const documented = Object.fromEntries([...doc.matchAll(/^\| `(--[a-z-]+)` \| (\d+)/gm)].map((m) => [m[1], Number(m[2])]));
  assert.deepEqual(documented, {
    '--max-body-bytes': DEFAULT_LIMITS.maxBodyBytes,
    '--max-candidates': DEFAULT_LIMITS.maxCandidates,
    '--max-text-length': DEFAULT_LIMITS.maxTextLength,
    '--max-in-flight': DEFAULT_LIMITS.maxInFlight,
    '--timeout-ms': DEFAULT_LIMITS.requestTimeoutMs,
  });
  for (const option of Object.keys(documented)) assert.ok(known.has(option), option);
});
