// A distributed sweep against a real redis-server, with two `entangle worker` processes (the real
// CLI): one is killed with SIGKILL mid-trial, its trial is retried on the other and resumes from
// the run folder's checkpoint; the coordinator is stopped and re-attaches with --resume; trials
// that fail for a reason of their own fail once, with their message (also when they fail while no
// coordinator is attached), and once more only when a later --resume finds them recorded failed. The table equals the local
// sweep's bit for bit. Then a sweep without shared storage (run folders sent back in the job
// results), the README's commands, and a worker pointed at a dead server. The server has a
// password, which no output may show.

import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { queueExecutor } from '../../src/distributed/coordinator.js';
import { hasRedisDriver } from '../../src/distributed/redis-driver.js';
import { RunInterruptedError } from '../../src/experiments/interrupted.js';
import { holdsRun } from '../../src/experiments/run-folder.js';
import { sweepExperiments, type SweepRow } from '../../src/experiments/sweep.js';
import { redisSkipReason, startRedisServer, type RedisServer } from '../helpers/redis-server.js';

const MAIN = join(process.cwd(), 'src', 'cli', 'main.ts');
const PASSWORD = 'pw-Zq7/x';
/** The README's distributed example (the bash block after "Sweeps over many machines"), as argument lists. */
const README_COMMANDS = (() => {
  const readme = readFileSync(join(process.cwd(), 'README.md'), 'utf8');
  const block = readme.slice(readme.indexOf('**Sweeps over many machines**')).match(/```bash\n([\s\S]*?)```/)?.[1] ?? '';
  const commands = block.split('\n').map((l) => l.replace(/#.*$/, '').trim()).filter((l) => l.startsWith('npx entangle '));
  return commands.map((l) => [...l.slice('npx entangle '.length).matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]));
})();
/** A README command with its queue URL (and --out) pointed at the test's. */
const readmeCommand = (name: string, url: string, out?: string) => {
  const args = README_COMMANDS.find((a) => a[0] === name);
  assert.ok(args, `the README shows \`npx entangle ${name} …\``);
  return args.map((a) => (a.includes('redis://') ? url : a === 'runs/lr-sweep' && out ? out : a));
};
const skip = redisSkipReason() ?? ((await hasRedisDriver()) ? undefined : 'the npm package ioredis (BullMQ\'s Redis driver) is not installed');

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Poll `ready` every 20 ms; fail naming `what` after `ms` (a guard against a hang, not a speed check). */
async function waitFor<T>(what: string, ready: () => T | undefined | false, ms = 120_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = ready();
    if (value) return value;
    assert.ok(Date.now() < deadline, `timed out waiting for ${what}`);
    await sleep(20);
  }
}

interface WorkerProcess {
  child: ChildProcess;
  pid: number;
  output(): string;
}

const started: WorkerProcess[] = [];
let redis: RedisServer | undefined;
const dir = mkdtempSync(join(tmpdir(), 'distributed-'));

after(async () => {
  // Each worker leads its own process group (detached), so this also ends its trial processes.
  for (const w of started) {
    try {
      process.kill(-w.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  await redis?.stop();
  rmSync(dir, { recursive: true, force: true });
});

function startWorker(url: string): WorkerProcess {
  // Short locks and stalled checks, so a killed worker's trial is retried within seconds.
  // The README's worker command; one trial at a time here, so the kill below hits one trial.
  const args = [...readmeCommand('worker', url), '--concurrency', '1', '--lock-ms', '1500', '--stalled-check-ms', '500'];
  const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', MAIN, ...args], { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout?.on('data', (d) => (out += d));
  child.stderr?.on('data', (d) => (out += d));
  const w = { child, pid: child.pid as number, output: () => out };
  started.push(w);
  return w;
}

const lines = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter((l) => l !== '').length : 0);

test('a sweep on a Redis queue survives a worker killed mid-trial and a restarted coordinator, and equals the local sweep', { skip, timeout: 600_000 }, async () => {
  redis = await startRedisServer({ password: PASSWORD });
  const url = redis.url('sweep-test');
  assert.ok(url.includes(encodeURIComponent(PASSWORD)), 'url.includes(encodeURIComponent(PASSWORD))');
  // A dead server: the worker must say so at once (bounded connect), naming it without its password.
  const deadWorker = new Promise<{ code: number | null; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', MAIN, 'worker', '--queue', 'redis://:topsecret@127.0.0.1:1/q'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 180_000); // a guard against a hang (a loaded machine starts slowly)
    child.on('exit', (code) => (clearTimeout(timer), resolve({ code, stderr })));
  });
  const workers = [startWorker(url), startWorker(url)];

  const config = join(dir, 'tiny.yaml');
  writeFileSync(
    config,
    `name: tiny
seed: 5
data: { type: circles, samples: 240, noise: 0.05, noiseFeatures: 1, split: { train: 160, val: 40, test: 40 } }
model:
  layers:
    - dense: { units: 8, activation: relu }
    - dense: { units: 2 }
training: { epochs: 8, batchSize: 16, optimizer: { type: adam, lr: 0.05 } }
`,
  );
  // noise=0.3 makes other data than the shared split was drawn for: those trials fail on their own.
  const params = [
    { path: 'data.noise', values: ['0.05', '0.3'] },
    { path: 'training.optimizer.lr', values: ['0.05', '0.1'] },
  ];
  const trained = ['tiny-noise0.05-lr0.05', 'tiny-noise0.05-lr0.1'];
  const failing = ['tiny-noise0.3-lr0.05', 'tiny-noise0.3-lr0.1'];
  // A coordinator pointed at a dead server refuses at once, before its --out folder exists.
  const deadOut = join(dir, 'dead');
  await assert.rejects(
    sweepExperiments(config, { outDir: deadOut, params, executor: queueExecutor({ url: 'redis://:topsecret@127.0.0.1:1/q', sharedDir: false }) }),
    (e: Error) => /cannot reach the queue's Redis server redis:\/\/:\*\*\*@127\.0\.0\.1:1\/q/.test(e.message) && !e.message.includes('topsecret'),
  );
  assert.ok(!existsSync(deadOut), 'nothing written');
  const localOut = join(dir, 'local');
  const local = await sweepExperiments(config, { outDir: localOut, params, report: false });
  assert.deepEqual(local.rows.map((r) => [r.name, r.status, r.attempts, r.worker]), [...trained.map((n) => [n, 'done', 1, 'local']), ...failing.map((n) => [n, 'failed', 1, 'local'])]);

  const out = join(dir, 'distributed');
  const executor = () => queueExecutor({ url, sharedDir: true, pollMs: 100 });
  const stop = new AbortController();
  const first = sweepExperiments(config, { outDir: out, params, report: false, executor: executor(), signal: stop.signal });
  first.catch(() => undefined);
  // Both workers train one trial each; kill the one whose trial has written two epochs.
  const [victim, killedTrial] = await waitFor('a worker two epochs into a trial', () => {
    for (const w of workers) for (const name of trained) if (w.output().includes(`started ${name}`) && lines(join(out, name, 'metrics.jsonl')) >= 2) return [w, name] as const;
    return undefined;
  });
  victim.child.kill('SIGKILL');
  const survivor = workers.find((w) => w !== victim) as WorkerProcess;
  assert.ok(!existsSync(join(out, killedTrial, 'summary.json')), 'the trial was killed before it finished');
  // The coordinator goes away too; the surviving worker goes on meanwhile.
  stop.abort();
  await assert.rejects(first, RunInterruptedError);
  const otherTrial = trained.find((n) => n !== killedTrial) as string;
  await waitFor(`${otherTrial} to finish with no coordinator attached`, () => survivor.output().includes(`done ${otherTrial}`));
  // The trials that fail on their own fail meanwhile too: results the resumed coordinator collects
  // as they stand (it once ran them again, and they showed 2 attempts when they failed this early).
  for (const name of failing) await waitFor(`${name} to fail with no coordinator attached`, () => survivor.output().includes(`failed ${name}: `));

  const resumed = await sweepExperiments(config, { outDir: out, params, report: false, executor: executor(), resume: true });
  const byName = new Map<string, SweepRow>(resumed.rows.map((r) => [r.name, r]));
  assert.deepEqual([...byName.keys()], [...trained, ...failing]);
  // Bit for bit the local sweep's numbers, the killed trial included (resumed from its checkpoint).
  for (const name of trained) {
    const here = local.rows.find((r) => r.name === name) as SweepRow;
    assert.equal(byName.get(name)?.status, 'done');
    assert.equal(byName.get(name)?.test_accuracy, here.test_accuracy, name);
    assert.deepEqual(readFileSync(join(out, name, 'weights.bin')), readFileSync(join(localOut, name, 'weights.bin')), name);
  }
  const survivorName = `${survivor.output().match(/^(\S+:\d+): waiting/m)?.[1]}`;
  assert.equal(survivorName.split(':').pop(), String(survivor.pid));
  assert.deepEqual([byName.get(killedTrial)?.attempts, byName.get(killedTrial)?.worker], [2, survivorName]);
  assert.equal(byName.get(otherTrial)?.attempts, 1);
  const resumedFrom = JSON.parse(readFileSync(join(out, killedTrial, 'summary.json'), 'utf8')).resumed_from_epoch as number;
  assert.ok(resumedFrom >= 2 && resumedFrom < 8, `resumed from epoch ${resumedFrom}`);
  // A trial's own error: failed at once with its message, started once across all workers.
  for (const name of failing) {
    const row = byName.get(name) as SweepRow;
    assert.deepEqual([row.status, row.attempts], ['failed', 1]);
    assert.match(row.error ?? '', /shared split was made for other data/);
    assert.equal((victim.output() + survivor.output()).split(`started ${name} `).length - 1, 1, name);
  }
  const saved = JSON.parse(readFileSync(join(out, 'sweep.json'), 'utf8')) as { rows: SweepRow[]; trials: number; finished: number };
  assert.deepEqual([saved.trials, saved.finished, saved.rows.length], [4, 4, 4]);
  assert.equal(resumed.failed, 2);
  // Resumed once more, the trials sweep.json records as failed get one more try (and only they).
  const again = await sweepExperiments(config, { outDir: out, params, report: false, executor: executor(), resume: true });
  assert.deepEqual(again.rows.map((r) => [r.name, r.status, r.attempts]), [[trained[0], 'done', byName.get(trained[0])?.attempts], [trained[1], 'done', byName.get(trained[1])?.attempts], ...failing.map((n) => [n, 'failed', 2])]);
  for (const name of failing) assert.equal(survivor.output().split(`started ${name} `).length - 1, 2, name);
  // The killed worker's trial process stopped by itself at its next epoch (nothing left in its group).
  await waitFor('the killed worker\'s trial process to exit', () => spawnSync('ps', ['-o', 'pid=', '-g', String(victim.pid)], { encoding: 'utf8' }).stdout.trim() === '', 30_000);

  // No shared storage: the worker sends the run folder back and the coordinator writes it.
  const apart = join(dir, 'apart');
  const one = await sweepExperiments(config, { outDir: apart, params: [{ path: 'data.noise', values: ['0.05'] }, { path: 'training.optimizer.lr', values: ['0.05'] }], report: false, executor: queueExecutor({ url, sharedDir: false, pollMs: 100 }) });
  assert.deepEqual(one.rows.map((r) => [r.name, r.status, r.worker]), [[trained[0], 'done', survivorName]]);
  assert.deepEqual(readFileSync(join(apart, trained[0], 'weights.bin')), readFileSync(join(localOut, trained[0], 'weights.bin')));
  assert.ok(holdsRun(join(apart, trained[0])) && existsSync(join(apart, trained[0], 'checkpoints', 'last.ckpt')), 'holdsRun(join(apart, trained[0])) && existsSync(join(apart, trained[0], \'checkpoints\', ...');
  assert.equal(JSON.parse(readFileSync(join(apart, 'queue.json'), 'utf8')).shared_dir, false);

  // The README's coordinator command (no --shared-dir), through the CLI, on the surviving worker.
  const readmeOut = join(dir, 'lr-sweep');
  const coordinator = spawnSync(process.execPath, ['--conditions=source', '--import', 'tsx', MAIN, ...readmeCommand('sweep', url, readmeOut), '--set', 'training.epochs=2'], { encoding: 'utf8', timeout: 300_000 });
  assert.equal(coordinator.status, 0, coordinator.stderr);
  assert.match(coordinator.stdout, /over seeds \(mean and sample standard deviation of test accuracy\):\n/);
  const readmeSweep = JSON.parse(readFileSync(join(readmeOut, 'sweep.json'), 'utf8')) as { rows: SweepRow[]; groups: Array<{ n: number; test_accuracy_mean: number }> };
  assert.deepEqual(readmeSweep.rows.map((r) => [r.status, r.seed, r.worker]), [7, 8, 7, 8].map((seed) => ['done', seed, survivorName]));
  const first2 = readmeSweep.rows.slice(0, 2).map((r) => r.test_accuracy as number);
  assert.equal(readmeSweep.groups[0].test_accuracy_mean, (first2[0] + first2[1]) / 2);
  for (const text of [coordinator.stdout, coordinator.stderr, victim.output(), survivor.output(), readFileSync(join(readmeOut, 'queue.json'), 'utf8')]) {
    assert.ok(!text.includes(PASSWORD) && !text.includes(encodeURIComponent(PASSWORD)), 'the password is never shown');
  }
  assert.match(survivor.output(), /waiting for trials on redis:\/\/:\*\*\*@127\.0\.0\.1:\d+\/sweep-test/);

  const dead = await deadWorker;
  assert.equal(dead.code, 1);
  assert.match(dead.stderr, /cannot reach the queue's Redis server redis:\/\/:\*\*\*@127\.0\.0\.1:1\/q/);
  assert.ok(!dead.stderr.includes('topsecret'), '!dead.stderr.includes(\'topsecret\')');
});
