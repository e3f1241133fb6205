// Model bytes from a URL, a path (Node) or a fetch Response, with download progress. Browser-safe: Node's fs
// is imported lazily, through a computed specifier, only for file: URLs.
import { WasmqError } from './errors.js';

/** (bytes received so far, total bytes or undefined when the server does not say) */
export type ProgressCallback = (loaded: number, total: number | undefined) => void;

export type RemoteModelSource = string | URL | Response | Promise<Response>;

function resolveUrl(source: string | URL): URL {
  if (source instanceof URL) return source;
  const base = typeof location === 'object' ? location.href : `file://${process.cwd()}/`;
  return new URL(source, base);
}

async function readFileUrl(url: URL): Promise<Uint8Array> {
  const fsModule = 'node:fs/promises';
  const fs: typeof import('node:fs/promises') = await import(/* webpackIgnore: true */ /* @vite-ignore */ fsModule);
  try {
    const buf = await fs.readFile(url);
    return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
  } catch (cause) {
    throw new WasmqError('MODEL_NOT_FOUND', `cannot read the model ${decodeURIComponent(url.pathname)}: ${(cause as Error).message}`, { cause });
  }
}

/** Reads a Response body to the end, reporting progress per chunk. */
async function readBody(res: Response, where: string, onProgress?: ProgressCallback): Promise<Uint8Array> {
  if (!res.ok) throw new WasmqError('MODEL_NOT_FOUND', `fetching the model ${where} failed: HTTP ${res.status}`);
  const header = Number(res.headers?.get('content-length'));
  const total = Number.isFinite(header) && header > 0 ? header : undefined;
  if (!res.body) {
    const bytes = new Uint8Array(await res.arrayBuffer());
    onProgress?.(bytes.length, total ?? bytes.length);
    return bytes;
  }
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let loaded = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    loaded += value.length;
    onProgress?.(loaded, total);
  }
  const bytes = new Uint8Array(loaded);
  let at = 0;
  for (const c of chunks) {
    bytes.set(c, at);
    at += c.length;
  }
  return bytes;
}

export async function fetchModelBytes(source: RemoteModelSource, onProgress?: ProgressCallback): Promise<Uint8Array> {
  if (typeof source === 'string' || source instanceof URL) {
    const url = resolveUrl(source);
    if (url.protocol === 'file:') {
      const bytes = await readFileUrl(url);
      onProgress?.(bytes.length, bytes.length);
      return bytes;
    }
    let res: Response;
    try {
      res = await fetch(url);
    } catch (cause) {
      throw new WasmqError('MODEL_NOT_FOUND', `cannot fetch the model from ${url.href}: ${(cause as Error).message}`, { cause });
    }
    return readBody(res, `from ${url.href}`, onProgress);
  }
  const res = await source;
  return readBody(res, res.url ? `from ${res.url}` : '(Response)', onProgress);
}

export function isRemoteSource(source: unknown): source is RemoteModelSource {
  return typeof source === 'string' || source instanceof URL || (typeof Response === 'function' && source instanceof Response)
    || (typeof source === 'object' && source !== null && typeof (source as Promise<unknown>).then === 'function');
}
