// Start listening, with the errors a user can act on: a port in use, a port that needs
// privileges, a host that is not this machine's. Listens on loopback unless told otherwise.

import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { ServeStartError } from './errors.js';

export const DEFAULT_HOST = '127.0.0.1';

/** Whether `host` only accepts connections from this machine. */
export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

/** The URL a client reaches `address` at (IPv6 in brackets). */
export function urlOf(address: AddressInfo): string {
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `http://${host}:${address.port}`;
}

/** Listen on `host`:`port` (0: a free port); resolves to the URL it listens on. */
export async function listenRerankServer(app: FastifyInstance, host: string, port: number): Promise<string> {
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ServeStartError(`--port ${port}: expected an integer from 0 to 65535 (0 picks a free port)`);
  try {
    await app.listen({ host, port });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new ServeStartError(`port ${port} on ${host} is already in use (another server is listening there): stop that one, or choose another port with --port (--port 0 picks a free one)`, 'E_PORT_IN_USE');
    if (code === 'EACCES') throw new ServeStartError(`no permission to listen on port ${port}: ports below 1024 need privileges; choose one from 1024 up with --port`);
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND' || code === 'EAI_AGAIN') throw new ServeStartError(`--host ${host} is not an address of this machine: use ${DEFAULT_HOST} (this machine only) or 0.0.0.0 (every interface)`);
    throw e;
  }
  return urlOf(app.server.address() as AddressInfo);
}
