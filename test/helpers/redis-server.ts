// A throwaway redis-server for tests: a free loopback port, no persistence (--save '' --appendonly
// no, a temporary --dir), stopped by its pid. Tests that need one skip with the reason
// redisSkipReason() gives when redis-server (Debian's package; .ci/run installs it) is absent.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface RedisServer {
  port: number;
  pid: number;
  /** redis://127.0.0.1:PORT/NAME (redis://:PASSWORD@… when started with one) */
  url(name?: string): string;
  /** SIGTERM, then SIGKILL after 5 s; removes the temporary folder. Safe to call twice. */
  stop(): Promise<void>;
}

/** Why Redis tests cannot run here, or undefined when they can. */
export function redisSkipReason(): string | undefined {
  const probe = spawnSync('redis-server', ['--version'], { encoding: 'utf8' });
  return probe.error || probe.status !== 0 ? 'redis-server is not installed (apt-get install redis-server; .ci/run does)' : undefined;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Whether a server answers PING with +PONG on the port (one try, 500 ms at most). */
function answersPing(port: number, password?: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    const done = (ok: boolean) => (socket.destroy(), resolve(ok));
    socket.setTimeout(500, () => done(false));
    socket.on('error', () => done(false));
    socket.on('connect', () => socket.write(`${password ? `AUTH ${password}\r\n` : ''}PING\r\n`));
    let reply = '';
    socket.on('data', (d) => {
      reply += d.toString();
      if (reply.includes('+PONG') || reply.startsWith('-')) done(reply.includes('+PONG'));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((r) => child.once('exit', () => r()));
}

/** Start a server (retrying on a port taken meanwhile); it is ready when this resolves. */
export async function startRedisServer(options: { password?: string } = {}): Promise<RedisServer> {
  const { password } = options;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const dir = mkdtempSync(join(tmpdir(), 'entangle-redis-'));
    const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--daemonize', 'no', '--loglevel', 'warning', ...(password ? ['--requirepass', password] : [])], { stdio: 'ignore' });
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline && child.exitCode === null && !(await answersPing(port, password))) await sleep(50);
    if (child.exitCode === null && (await answersPing(port, password))) {
      let stopped = false;
      return {
        port,
        pid: child.pid as number,
        url: (name = 'entangle') => `redis://${password ? `:${encodeURIComponent(password)}@` : ''}127.0.0.1:${port}/${name}`,
        stop: async () => {
          if (stopped) return;
          stopped = true;
          child.kill('SIGTERM');
          const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
          await exited(child);
          clearTimeout(timer);
          rmSync(dir, { recursive: true, force: true });
        },
      };
    }
    child.kill('SIGKILL');
    await exited(child);
    rmSync(dir, { recursive: true, force: true });
  }
  throw new Error('redis-server did not start on a free loopback port in 3 tries');
}
