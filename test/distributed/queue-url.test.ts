// --queue URLs: host, port, password and queue name read correctly; the password never shown;
// files in a job result can only land inside their run folder.

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { maskQueueUrl, parseQueueUrl } from '../../src/distributed/queue-url.js';
import { packFolder, unpackFolder } from '../../src/distributed/folder-transfer.js';
import { ensureReachable } from '../../src/distributed/connection.js';
import { hasRedisDriver } from '../../src/distributed/redis-driver.js';

test('a --queue URL gives host, port, credentials, TLS and the queue name; its display form hides the password', () => {
  assert.deepEqual(parseQueueUrl('redis://10.0.0.5:6380/lab'), { host: '10.0.0.5', port: 6380, tls: false, name: 'lab', display: 'redis://10.0.0.5:6380/lab' });
  const withPassword = parseQueueUrl('rediss://alice:s%40cret@redis.internal/team-a');
  assert.deepEqual(withPassword, { host: 'redis.internal', port: 6379, username: 'alice', password: 's@cret', tls: true, name: 'team-a', display: 'rediss://alice:***@redis.internal/team-a' });
  assert.equal(parseQueueUrl('redis://:hunter2@h:1/').display, 'redis://:***@h:1/entangle');
  assert.equal(parseQueueUrl('redis://[::1]:7000').host, '::1');
  assert.equal(maskQueueUrl('cannot reach redis://u:pw@h:1/q and rediss://:x@y/z'), 'cannot reach redis://u:***@h:1/q and rediss://:***@y/z');
  for (const [bad, why] of [['http://h:1/q', /the scheme is http/], ['redis://h:1/a b', /queue name "a b"/], ['redis://:pw@', /not a URL|no host/], ['nonsense', /not a URL/], ['redis://h/q?db=1', /query strings/]] as const) {
    assert.throws(() => parseQueueUrl(bad), (e: Error) => why.test(e.message) && !e.message.includes('pw@') && (e as { code?: string }).code === 'E_QUEUE_URL', bad);
  }
});

test('a run folder packed into a job result unpacks to the same bytes; paths outside the folder are refused', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pack-'));
  mkdirSync(join(dir, 'run', 'plots'), { recursive: true });
  writeFileSync(join(dir, 'run', 'weights.bin'), Buffer.from([0, 255, 7, 128]));
  writeFileSync(join(dir, 'run', 'plots', 'a.svg'), '<svg/>');
  writeFileSync(join(dir, 'run', '.entangle-run.json'), '{"status":"finished"}');
  const packed = packFolder(join(dir, 'run'));
  assert.deepEqual(Object.keys(packed), ['.entangle-run.json', 'plots/a.svg', 'weights.bin']);
  unpackFolder(packed, join(dir, 'copy'));
  assert.deepEqual(readFileSync(join(dir, 'copy', 'weights.bin')), Buffer.from([0, 255, 7, 128]));
  assert.equal(readFileSync(join(dir, 'copy', 'plots', 'a.svg'), 'utf8'), '<svg/>');
  for (const evil of ['../escape.txt', '/etc/evil', 'a/../../escape.txt']) {
    assert.throws(() => unpackFolder({ [evil]: 'eA==' }, join(dir, 'copy2')), /outside its run folder/, evil);
  }
  assert.ok(!existsSync(join(dir, 'escape.txt')), '!existsSync(join(dir, \'escape.txt\'))');
});

test('an unreachable Redis server is reported at once, naming the server without its password', { skip: !(await hasRedisDriver()) && 'the npm package ioredis is not installed' }, async () => {
  // Port 1 on loopback: nothing listens there (connection refused at once).
  const started = Date.now();
  await assert.rejects(ensureReachable(parseQueueUrl('redis://:topsecret@127.0.0.1:1/q')), (e: Error & { code?: string }) => {
    assert.equal(e.code, 'E_QUEUE_UNREACHABLE');
    assert.match(e.message, /cannot reach the queue's Redis server redis:\/\/:\*\*\*@127\.0\.0\.1:1\/q: connection refused/);
    assert.ok(!e.message.includes('topsecret'), '!e.message.includes(\'topsecret\')');
    return true;
  });
  assert.ok(Date.now() - started < 10_000, 'a bounded connect, not an endless retry loop');
});
