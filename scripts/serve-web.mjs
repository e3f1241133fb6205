#!/usr/bin/env node
// A small static server for the browser pages: dist/web/ at /, converted models from out/ at /models/.
// Sends the headers that make the page cross-origin isolated (so the feature report can tell whether threads
// would be available) and application/wasm for streaming compilation. Loopback only.
import http from 'node:http';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript', '.map': 'application/json', '.wasm': 'application/wasm', '.wasmq': 'application/octet-stream', '.json': 'application/json', '.png': 'image/png', '.css': 'text/css' };
const MOUNTS = [['/models/', path.join(root, 'out')], ['/', path.join(root, 'dist/web')]];

/** Starts the server on 127.0.0.1 (port 0 = any free port); resolves with its URL and a close function. */
export function startServer({ port = 8080 } = {}) {
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    let pathname = decodeURIComponent(url.pathname);
    if (pathname === '/') pathname = '/index.html';
    const [prefix, dir] = MOUNTS.find(([p]) => pathname.startsWith(p));
    const file = path.resolve(dir, '.' + pathname.slice(prefix.length - 1));
    if (!file.startsWith(dir + path.sep)) return send(res, 403, 'text/plain', 'forbidden');
    try {
      send(res, 200, TYPES[path.extname(file)] ?? 'application/octet-stream', await readFile(file));
    } catch {
      send(res, 404, 'text/plain', `not found: ${pathname}`);
    }
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const { port: bound } = server.address();
      resolve({ url: `http://127.0.0.1:${bound}/`, close: () => new Promise((r) => server.close(r)) });
    });
  });
}

function send(res, status, type, body) {
  res.writeHead(status, {
    'content-type': type,
    'cache-control': 'no-store',
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-embedder-policy': 'require-corp',
  });
  res.end(body);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { existsSync } = await import('node:fs');
  if (!existsSync(path.join(root, 'out/digits.int8.wasmq')) || !existsSync(path.join(root, 'out/digits.float.wasmq'))) {
    console.log('converting the bundled digits model into out/ first (what npm start does)...');
    const { convertBundledDigits } = await import('../dist/src/demo/start.js');
    await convertBundledDigits({ quiet: true });
  }
  const port = Number(process.env.PORT ?? process.argv[2] ?? 8080);
  const { url } = await startServer({ port });
  console.log(`wasmq demo: ${url}  (kernel benchmark: ${url}kernels.html)  Ctrl-C to stop`);
}
