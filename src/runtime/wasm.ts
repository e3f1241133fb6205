// Locates, compiles and instantiates the kernel module. Browser-safe: Node's fs is imported lazily,
// only when the module has to be read from a file: URL.
import { RuntimeSupportError } from './errors.js';

export const KERNEL_ABI_VERSION = 1;

/** Where the kernel .wasm comes from: a URL or path, its bytes, a compiled module, or a fetch Response. */
export type WasmSource = string | URL | ArrayBuffer | Uint8Array | WebAssembly.Module | Response | Promise<Response>;

/** The module's raw exports; each kernel family adds its signatures in kernel-abi.ts. */
export type RawExports = Record<string, unknown> & {
  abiVersion(): number;
  heapBase(): number;
};

export interface KernelInstance {
  readonly exports: RawExports;
  readonly memory: WebAssembly.Memory;
  /** First byte of memory the TypeScript side owns. */
  readonly heapBase: number;
}

const WASM_PAGE = 65536;
// 4 GiB / 64 KiB: the wasm32 ceiling.
const MAX_PAGES = 65536;

export function defaultWasmUrl(): URL {
  // src/runtime/wasm.ts sits two folders below the package root, the compiled dist/src/runtime/wasm.js three.
  // Both forms are literal `new URL(..., import.meta.url)` so that bundlers can find and copy the file.
  return /\/dist\/src\/runtime\/[^/]+$/.test(import.meta.url)
    ? new URL('../../../build/wasmq.wasm', import.meta.url)
    : new URL('../../build/wasmq.wasm', import.meta.url);
}

// The smallest module that uses a v128 instruction: (func (result v128) v128.const 0 ...).
const SIMD_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 22, 1, 20, 0, 253, 12, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 11,
]);

export function simdSupported(): boolean {
  return typeof WebAssembly === 'object' && WebAssembly.validate(SIMD_PROBE);
}

async function readBytes(url: URL): Promise<ArrayBuffer | Response> {
  if (url.protocol === 'file:') {
    // A computed specifier: bundlers targeting browsers leave it alone (this branch only runs on file: URLs).
    const fsModule = 'node:fs/promises';
    const fs: typeof import('node:fs/promises') = await import(/* webpackIgnore: true */ /* @vite-ignore */ fsModule);
    try {
      const buf = await fs.readFile(url);
      return buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer;
    } catch (cause) {
      throw new RuntimeSupportError('WASM_NOT_FOUND', `cannot read the kernel module ${url.pathname}: ${(cause as Error).message}`, { cause });
    }
  }
  let res: Response;
  try {
    res = await fetch(url);
  } catch (cause) {
    throw new RuntimeSupportError('WASM_NOT_FOUND', `cannot fetch the kernel module from ${url.href}: ${(cause as Error).message}`, { cause });
  }
  if (!res.ok) throw new RuntimeSupportError('WASM_NOT_FOUND', `fetching the kernel module from ${url.href} failed: HTTP ${res.status}`);
  return res;
}

async function compile(source: WasmSource): Promise<WebAssembly.Module> {
  if (source instanceof WebAssembly.Module) return source;
  if (typeof source === 'string' || source instanceof URL) {
    const url = typeof source === 'string' ? new URL(source, typeof location === 'object' ? location.href : `file://${process.cwd()}/`) : source;
    return compile(await readBytes(url));
  }
  try {
    if (source instanceof ArrayBuffer || ArrayBuffer.isView(source)) return await WebAssembly.compile(source as BufferSource);
    const res = await source;
    const streaming = typeof WebAssembly.compileStreaming === 'function' && res.headers?.get('content-type')?.startsWith('application/wasm');
    return streaming ? await WebAssembly.compileStreaming(res) : await WebAssembly.compile(await res.arrayBuffer());
  } catch (cause) {
    if (cause instanceof RuntimeSupportError) throw cause;
    throw new RuntimeSupportError('WASM_COMPILE', `the kernel module does not compile on this engine: ${(cause as Error).message}`, { cause });
  }
}

// Modules compiled from a URL or path, by href: loading several models compiles the kernels once.
const compiledByUrl = new Map<string, Promise<WebAssembly.Module>>();

function compileCached(source: WasmSource): Promise<WebAssembly.Module> {
  if (typeof source !== 'string' && !(source instanceof URL)) return compile(source);
  const key = typeof source === 'string' ? source : source.href;
  let module = compiledByUrl.get(key);
  if (!module) {
    module = compile(source);
    compiledByUrl.set(key, module);
    module.catch(() => compiledByUrl.delete(key)); // a failed load is retried next time
  }
  return module;
}

/** Compiles (once per URL or path) and instantiates the kernels over a fresh memory owned by the caller. */
export async function instantiateKernels(source: WasmSource = defaultWasmUrl()): Promise<KernelInstance> {
  if (!simdSupported()) {
    throw new RuntimeSupportError('NO_SIMD', 'this engine has no WebAssembly SIMD (v128); wasmq needs it (Chrome 91+, Firefox 89+, Safari 16.4+, Node 16.4+)');
  }
  const module = await compileCached(source);
  const memory = new WebAssembly.Memory({ initial: 16, maximum: MAX_PAGES });
  const instance = await WebAssembly.instantiate(module, { env: { memory, abort: abortFromWasm } });
  const exports = instance.exports as unknown as RawExports;
  const abi = exports.abiVersion();
  if (abi !== KERNEL_ABI_VERSION) {
    throw new RuntimeSupportError('WASM_ABI', `the kernel module has ABI version ${abi}, this runtime needs ${KERNEL_ABI_VERSION}: rebuild it with npm run build:wasm`);
  }
  return { exports, memory, heapBase: exports.heapBase() };
}

function abortFromWasm(): never {
  throw new RuntimeSupportError('WASM_ABORT', 'a kernel aborted (this is a wasmq bug: inputs are validated before any kernel runs)');
}

export { WASM_PAGE, MAX_PAGES };
