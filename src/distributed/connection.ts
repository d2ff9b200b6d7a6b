// Connections to the queue's Redis server that fail fast and clearly. ioredis, left to itself,
// retries an unreachable server forever and BullMQ then waits forever; a sweep whose server is
// down must say so at once, naming the server. So: a bounded connect timeout and one probe before
// anything else (QueueUnreachableError), and a bounded number of reconnects once running, after
// which the connection ends and the command stops with QueueConnectionLostError.

import { EntangleError } from '../util/errors.js';
import type { QueueTarget } from './queue-url.js';
import { redisDriver, type RedisClient } from './redis-driver.js';

/** Milliseconds to wait for a TCP connection (and the server's reply to the probe). */
export const CONNECT_TIMEOUT_MS = 3000;
/** Reconnect attempts after a running connection drops (about 15 s in all) before giving up. */
export const RECONNECT_ATTEMPTS = 10;

export class QueueUnreachableError extends EntangleError {
  override name = 'QueueUnreachableError';
  constructor(display: string, reason: string) {
    super('E_QUEUE_UNREACHABLE', `cannot reach the queue's Redis server ${display}: ${reason}; start redis-server there, or check the host, port and password in --queue`);
  }
}

export class QueueConnectionLostError extends EntangleError {
  override name = 'QueueConnectionLostError';
  constructor(display: string, reason: string) {
    super('E_QUEUE_CONNECTION_LOST', `lost the connection to the queue's Redis server ${display} (${reason}) and ${RECONNECT_ATTEMPTS} reconnects failed; once it is back, run the same command again (a coordinator with --resume)`);
  }
}

/** ioredis options for BullMQ's own connections to `target`: bounded connect and reconnects. */
export function connectionOptions(target: QueueTarget): Record<string, unknown> {
  return {
    host: target.host,
    port: target.port,
    ...(target.username ? { username: target.username } : {}),
    ...(target.password ? { password: target.password } : {}),
    ...(target.tls ? { tls: {} } : {}),
    connectTimeout: CONNECT_TIMEOUT_MS,
    // BullMQ's blocking commands need it (they wait on the server, not on a reply timeout).
    maxRetriesPerRequest: null,
    retryStrategy: (times: number) => (times > RECONNECT_ATTEMPTS ? null : Math.min(200 * times, 2000)),
  };
}

/** Why a connection attempt failed, without anything that could hold the password. */
function reasonOf(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  if (err?.code === 'ECONNREFUSED') return 'connection refused (nothing listens on that port)';
  if (err?.code === 'ENOTFOUND' || err?.code === 'EAI_AGAIN') return 'unknown host';
  if (/ETIMEDOUT|timed? ?out/i.test(err?.message ?? '')) return `no answer within ${CONNECT_TIMEOUT_MS / 1000} s`;
  if (/WRONGPASS|NOAUTH|invalid password|invalid username/i.test(err?.message ?? '')) return 'the server refused the password (NOAUTH/WRONGPASS)';
  return err?.message ?? String(e);
}

/** Connect once and PING, within CONNECT_TIMEOUT_MS; throws QueueUnreachableError naming the server. */
export async function ensureReachable(target: QueueTarget): Promise<void> {
  const Redis = await redisDriver();
  const client = new Redis({ ...connectionOptions(target), lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false });
  let lastError: unknown;
  client.on('error', (e: Error) => (lastError = e));
  try {
    await client.connect();
    await client.ping();
  } catch (e) {
    throw new QueueUnreachableError(target.display, reasonOf(lastError ?? e));
  } finally {
    client.disconnect();
  }
}

/**
 * A connection that only watches the server: resolves `lost` with QueueConnectionLostError once
 * ioredis gives up reconnecting (BullMQ's own connections give up at the same point).
 */
export async function watchConnection(target: QueueTarget): Promise<{ lost: Promise<QueueConnectionLostError>; close(): void }> {
  const Redis = await redisDriver();
  const client = new Redis(connectionOptions(target));
  let last = 'the connection closed';
  let closing = false;
  client.on('error', (e: Error) => (last = reasonOf(e)));
  const lost = new Promise<QueueConnectionLostError>((resolve) => client.on('end', () => closing || resolve(new QueueConnectionLostError(target.display, last))));
  return {
    lost,
    close: () => {
      closing = true;
      client.disconnect();
    },
  };
}

/** A client for BullMQ (Queue, Worker): the bounded options above. */
export async function bullConnection(target: QueueTarget): Promise<RedisClient> {
  const Redis = await redisDriver();
  const client = new Redis(connectionOptions(target));
  // BullMQ reports errors through its own 'error' events; without a listener ioredis would print them.
  client.on('error', () => undefined);
  return client;
}

export { reasonOf as connectionFailureReason };
