// The TypeScript side owns wasm memory: a bump allocator above the module's static data.
// Views are re-created on every call because memory.grow detaches the old ArrayBuffer.
import type { KernelInstance } from './wasm.js';
import { WASM_PAGE, MAX_PAGES } from './wasm.js';
import { WasmqError } from './errors.js';

/** Kernels may read (never write) up to this many bytes past the end of a buffer. */
export const OVERREAD = 16;

export class WasmHeap {
  readonly memory: WebAssembly.Memory;
  private top: number;
  readonly base: number;

  constructor(kernels: KernelInstance) {
    this.memory = kernels.memory;
    this.base = align(kernels.heapBase, 64);
    this.top = this.base;
  }

  /** Reserves `bytes` (plus the kernels' over-read slack), aligned; grows memory as needed. */
  alloc(bytes: number, alignment = 64): number {
    if (!Number.isSafeInteger(bytes) || bytes < 0) throw new WasmqError('HEAP', `invalid allocation size ${bytes}`);
    const ptr = align(this.top, alignment);
    const end = ptr + bytes + OVERREAD;
    this.ensure(end);
    this.top = end;
    return ptr;
  }

  /** The current top, to pass to `release` later. */
  mark(): number {
    return this.top;
  }

  /** Frees everything allocated after `mark` was taken. */
  release(mark: number): void {
    if (mark < this.base || mark > this.top) throw new WasmqError('HEAP', `invalid heap mark ${mark}`);
    this.top = mark;
  }

  get used(): number {
    return this.top - this.base;
  }

  private ensure(end: number): void {
    const have = this.memory.buffer.byteLength;
    if (end <= have) return;
    const pages = Math.ceil((end - have) / WASM_PAGE);
    if (have / WASM_PAGE + pages > MAX_PAGES) {
      throw new WasmqError('OUT_OF_MEMORY', `wasm memory would exceed 4 GiB (needs ${end} bytes)`);
    }
    try {
      this.memory.grow(pages);
    } catch (cause) {
      throw new WasmqError('OUT_OF_MEMORY', `the engine refused to grow wasm memory to ${end} bytes`, { cause });
    }
  }

  i8(ptr: number, length: number): Int8Array {
    return new Int8Array(this.memory.buffer, ptr, length);
  }
  u8(ptr: number, length: number): Uint8Array {
    return new Uint8Array(this.memory.buffer, ptr, length);
  }
  i16(ptr: number, length: number): Int16Array {
    return new Int16Array(this.memory.buffer, ptr, length);
  }
  i32(ptr: number, length: number): Int32Array {
    return new Int32Array(this.memory.buffer, ptr, length);
  }
  f32(ptr: number, length: number): Float32Array {
    return new Float32Array(this.memory.buffer, ptr, length);
  }

  /** Copies a typed array into freshly allocated memory and returns its pointer. */
  put(data: Int8Array | Uint8Array | Int16Array | Int32Array | Float32Array, alignment = 64): number {
    const ptr = this.alloc(data.byteLength, alignment);
    new Uint8Array(this.memory.buffer, ptr, data.byteLength).set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    return ptr;
  }
}

export function align(n: number, a: number): number {
  return Math.ceil(n / a) * a;
}
