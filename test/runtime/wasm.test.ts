import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { instantiateKernels, simdSupported, KERNEL_ABI_VERSION } from '../../src/runtime/wasm.js';
import { RuntimeSupportError } from '../../src/runtime/errors.js';
import { WasmHeap } from '../../src/runtime/heap.js';

test('the SIMD probe validates on Node 20', () => {
  assert.ok(simdSupported());
});

test('the kernel module loads from its default location and reports the expected ABI', async () => {
  const k = await instantiateKernels();
  assert.is(k.exports.abiVersion(), KERNEL_ABI_VERSION);
  assert.ok(k.heapBase >= 0 && k.heapBase < k.memory.buffer.byteLength);
});

test('a missing wasm file is a typed error that names the path', async () => {
  try {
    await instantiateKernels(new URL('file:///nonexistent/wasmq.wasm'));
    assert.unreachable();
  } catch (e) {
    assert.instance(e, RuntimeSupportError);
    assert.is((e as RuntimeSupportError).code, 'WASM_NOT_FOUND');
    assert.match((e as Error).message, '/nonexistent/wasmq.wasm');
  }
});

test('bytes that are not wasm are a typed compile error', async () => {
  try {
    await instantiateKernels(new Uint8Array([1, 2, 3, 4]));
    assert.unreachable();
  } catch (e) {
    assert.instance(e, RuntimeSupportError);
    assert.is((e as RuntimeSupportError).code, 'WASM_COMPILE');
  }
});

test('the heap grows memory and keeps allocations aligned and disjoint', async () => {
  const heap = new WasmHeap(await instantiateKernels());
  const a = heap.alloc(100);
  const b = heap.alloc(3 << 20);
  assert.is(a % 64, 0);
  assert.is(b % 64, 0);
  assert.ok(b >= a + 100 + 16);
  assert.ok(heap.memory.buffer.byteLength >= b + (3 << 20));
  const m = heap.mark();
  heap.alloc(10);
  heap.release(m);
  assert.is(heap.mark(), m);
});

test.run();
