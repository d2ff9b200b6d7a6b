// The Redis driver BullMQ runs on: the npm package `ioredis` (an optional peer of bullmq 6, so
// npm does not install it with bullmq). It is loaded when a distributed command starts, not at
// import, so everything else builds, type-checks and runs where it is missing, and the distributed
// commands say what to install instead of failing inside BullMQ.

import { EntangleError } from '../util/errors.js';

/** What Entangle uses of an ioredis client (BullMQ uses the rest of it). */
export interface RedisClient {
  connect(): Promise<void>;
  ping(): Promise<string>;
  disconnect(): void;
  quit(): Promise<unknown>;
  on(event: 'error', listener: (error: Error) => void): this;
  on(event: 'end' | 'ready' | 'close', listener: () => void): this;
}

export type RedisConstructor = new (options: Record<string, unknown>) => RedisClient;

export class RedisDriverMissingError extends EntangleError {
  override name = 'RedisDriverMissingError';
  constructor(reason: string) {
    super('E_REDIS_DRIVER', `the distributed sweep needs the npm package ioredis (BullMQ's Redis driver), which is not installed (${reason}); install it beside bullmq: npm install ioredis@5`);
  }
}

let driver: RedisConstructor | undefined;

/** The ioredis client class; throws RedisDriverMissingError when the package is absent. */
export async function redisDriver(): Promise<RedisConstructor> {
  if (driver) return driver;
  // A computed specifier: the type checker must not require the package to be installed.
  const specifier = 'ioredis';
  try {
    const mod = (await import(specifier)) as { Redis?: RedisConstructor; default?: RedisConstructor };
    driver = mod.Redis ?? mod.default;
  } catch (e) {
    throw new RedisDriverMissingError((e as Error).message.split('\n')[0]);
  }
  if (!driver) throw new RedisDriverMissingError('the package exports no Redis class');
  return driver;
}

/** Whether ioredis can be loaded here (tests skip with a reason when not). */
export async function hasRedisDriver(): Promise<boolean> {
  try {
    await redisDriver();
    return true;
  } catch {
    return false;
  }
}
