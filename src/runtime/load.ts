// loadModel: verify, prepare, plan and check the memory budget before anything is allocated, then pack.
import type { Model } from '../format/model.js';
import type { KernelExports } from './kernel-abi.js';
import { instantiateKernels, type WasmSource } from './wasm.js';
import { OVERREAD, WasmHeap } from './heap.js';
import { WasmqError } from './errors.js';
import { ModelError } from './model-error.js';
import { alignUp } from './planner.js';
import { prepareGraph } from './graph.js';
import { readModel } from '../format/read.js';
import { verifyModel } from '../format/verify-model.js';
import { fetchModelBytes, isRemoteSource, type ProgressCallback, type RemoteModelSource } from './fetch-model.js';
import { WasmqModel } from './loaded-model.js';

export const DEFAULT_MEMORY_LIMIT = 2 ** 30;

export interface LoadOptions {
  /** where the kernel .wasm comes from (default: build/wasmq.wasm beside the package, found from import.meta.url) */
  wasm?: WasmSource;
  /** bytes of wasm memory one session's arena plus the packed weights may take (default 1 GiB) */
  memoryLimit?: number;
  /** called as the model's bytes arrive, when the source is a URL, a path or a Response */
  onProgress?: ProgressCallback;
}

/**
 * The bytes of a .wasmq file; where to get them (a URL, a path under Node, a fetch Response or its promise);
 * or an in-memory model (verified the same way).
 */
export type ModelSource = Uint8Array | ArrayBuffer | Model | RemoteModelSource;

function isModel(source: Uint8Array | ArrayBuffer | Model): source is Model {
  return !(source instanceof ArrayBuffer) && !ArrayBuffer.isView(source);
}

export async function loadModel(source: ModelSource, options: LoadOptions = {}): Promise<WasmqModel> {
  const limit = options.memoryLimit ?? DEFAULT_MEMORY_LIMIT;
  if (!(limit > 0) || !Number.isFinite(limit)) throw new WasmqError('BAD_OPTION', `memoryLimit must be a positive number of bytes, got ${limit}`);
  if (isRemoteSource(source)) source = await fetchModelBytes(source, options.onProgress);
  let model: Model;
  if (isModel(source)) {
    verifyModel(source);
    model = source;
  } else {
    // Buffers are copied out of the file: the caller's bytes are never kept or changed.
    model = readModel(source instanceof ArrayBuffer ? new Uint8Array(source) : source);
  }
  const kernels = await instantiateKernels(options.wasm);
  const exports = kernels.exports as KernelExports;
  const heap = new WasmHeap(kernels);
  const graph = prepareGraph(model, exports, heap);
  const arenaCost = alignUp(graph.arenaBytes + OVERREAD);
  if (arenaCost + graph.weightBytes > limit) {
    throw new ModelError('MEMORY_BUDGET', `the model needs ${arenaCost} bytes of arena and ${graph.weightBytes} of packed weights, over the memory limit of ${limit} bytes`);
  }
  return new WasmqModel(graph, heap, exports, limit);
}
