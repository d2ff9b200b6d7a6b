// `--queue redis://[USER:PASSWORD@]HOST:PORT[/NAME]` (or rediss:// for TLS): the Redis server that
// holds the sweep's jobs and the name of the BullMQ queue on it (default "entangle"). The path is
// a queue name, not a Redis database number, so several teams can share one server by name.
// A password in the URL must never reach a log: every message shows maskQueueUrl's form.

import { EntangleError } from '../util/errors.js';

export const DEFAULT_QUEUE_NAME = 'entangle';

export interface QueueTarget {
  host: string;
  port: number;
  username?: string;
  password?: string;
  tls: boolean;
  /** The BullMQ queue name. */
  name: string;
  /** The URL with any password replaced by ***: the only form that may be printed. */
  display: string;
}

export class QueueUrlError extends EntangleError {
  override name = 'QueueUrlError';
  constructor(message: string) {
    super('E_QUEUE_URL', message);
  }
}

const FORM = 'expected redis://HOST:PORT[/NAME] (or redis://:PASSWORD@HOST:PORT/NAME, rediss:// for TLS)';

/** `text` with the password of any redis:// URL in it replaced by ***. */
export function maskQueueUrl(text: string): string {
  return text.replace(/(rediss?:\/\/[^:@/\s]*:)[^@/\s]*@/g, '$1***@');
}

export function parseQueueUrl(text: string): QueueTarget {
  const shown = maskQueueUrl(text);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new QueueUrlError(`--queue ${shown}: not a URL; ${FORM}`);
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') throw new QueueUrlError(`--queue ${shown}: the scheme is ${url.protocol.replace(/:$/, '')}; ${FORM}`);
  if (!url.hostname) throw new QueueUrlError(`--queue ${shown}: no host; ${FORM}`);
  if (url.search || url.hash) throw new QueueUrlError(`--queue ${shown}: query strings and fragments are not used; ${FORM}`);
  const name = decodeURIComponent(url.pathname.replace(/^\//, '')) || DEFAULT_QUEUE_NAME;
  if (!/^[A-Za-z0-9._-]{1,100}$/.test(name)) throw new QueueUrlError(`--queue ${shown}: the queue name "${name}" may hold only letters, digits, ".", "_" and "-"`);
  const port = url.port ? Number(url.port) : 6379;
  return {
    host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port,
    ...(url.username ? { username: decodeURIComponent(url.username) } : {}),
    ...(url.password ? { password: decodeURIComponent(url.password) } : {}),
    tls: url.protocol === 'rediss:',
    name,
    display: `${url.protocol}//${url.username ? decodeURIComponent(url.username) : ''}${url.password ? ':***' : ''}${url.username || url.password ? '@' : ''}${url.host}/${name}`,
  };
}
