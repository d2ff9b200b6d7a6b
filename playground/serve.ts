// `npm run playground`: build the playground, then serve playground/dist/ on 127.0.0.1 with a
// tiny static file server of our own (node:http: no dependency, loopback only) and print the
// address. `--port N` picks the port (default 8080; 0 lets the system choose); `--no-build`
// serves playground/dist/ as it is (after `npm run build:playground`).

import { createServer, type Server } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import type { AddressInfo } from 'node:net';
import { buildPlayground, PLAYGROUND_DIST } from './build.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

export interface PlaygroundServer {
  url: string;
  server: Server;
  close(): Promise<void>;
}

/** Serve the files of `dir` (GET and HEAD only, nothing outside the folder) on host:port. */
export function serveStatic(dir: string, port = 8080, host = '127.0.0.1'): Promise<PlaygroundServer> {
  const root = normalize(dir + sep);
  const server = createServer((req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    let path: string;
    try {
      path = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
    } catch {
      res.writeHead(400).end('bad path');
      return;
    }
    const file = normalize(join(root, path.endsWith('/') ? `${path}index.html` : path));
    if (!file.startsWith(root)) {
      res.writeHead(403).end();
      return;
    }
    readFile(file).then(
      (body) => {
        res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
        res.end(req.method === 'HEAD' ? undefined : body);
      },
      () => res.writeHead(404, { 'content-type': 'text/plain' }).end(`not found: ${path}`),
    );
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const { port: actual } = server.address() as AddressInfo;
      resolve({ url: `http://${host}:${actual}/`, server, close: () => new Promise((r) => server.close(() => r())) });
    });
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const i = process.argv.indexOf('--port');
  const port = i >= 0 ? Number(process.argv[i + 1]) : 8080;
  if (!(Number.isInteger(port) && port >= 0 && port < 65536)) {
    console.error(`--port: expected a port number 0-65535, got ${process.argv[i + 1]}`);
    process.exit(2);
  }
  if (!process.argv.includes('--no-build')) buildPlayground();
  serveStatic(PLAYGROUND_DIST, port).then(
    ({ url }) => console.log(`Entangle playground: ${url}  (serving ${PLAYGROUND_DIST}; Ctrl-C stops)`),
    (e: NodeJS.ErrnoException) => {
      console.error(e.code === 'EADDRINUSE' ? `port ${port} is in use: run npm run playground -- --port 8090 (or --port 0 for any free port)` : `cannot serve the playground: ${e.message}`);
      process.exit(1);
    },
  );
}
