// Float feeds and outputs of a quantized graph edge are converted by the wasm kernels (quantizeF32 /
// dequantize8), not in TypeScript: the float data is staged in wasm memory (one area at the end of each
// session's arena, as large as the largest such edge) and each edge's scale and zero point sit in wasm memory
// once per model, as the kernels' per-tensor parameter arrays.
import type { Model } from '../format/model.js';
import type { WasmHeap } from './heap.js';
import { OVERREAD } from './heap.js';
import { alignUp } from './planner.js';
import { elementCount } from '../ops/common.js';

/** Each edge's parameters: f32 scale then i32 zero point, the one-entry arrays quantizeF32/dequantize8 take. */
export const EDGE_PARAM_BYTES = 8;

/** Graph inputs then outputs that run as int8 (uint8 edges included, after normalization). */
export function quantizedEdges(model: Model): number[] {
  return [...model.inputs, ...model.outputs].filter((t) => model.tensors[t].dtype === 'int8');
}

/** Bytes of the float staging area: 4 per element of the largest quantized edge (0 when there is none). */
export function stagingBytes(model: Model): number {
  return alignUp(Math.max(0, ...quantizedEdges(model).map((t) => 4 * elementCount(model.tensors[t].shape))));
}

/** Bytes of the edges' parameter block in wasm memory, as the weight budget counts it. */
export function edgeParamBytes(model: Model): number {
  const n = quantizedEdges(model).length;
  return n ? alignUp(EDGE_PARAM_BYTES * n + OVERREAD) : 0;
}

/** Writes the parameter pairs into wasm memory; returns each pair's address (in `params` order). */
export function packEdgeParams(heap: WasmHeap, params: readonly { scale: number; zeroPoint: number }[]): number[] {
  if (params.length === 0) return [];
  const block = new ArrayBuffer(EDGE_PARAM_BYTES * params.length);
  const f = new Float32Array(block), z = new Int32Array(block);
  params.forEach((p, i) => { f[2 * i] = p.scale; z[2 * i + 1] = p.zeroPoint; });
  const ptr = heap.put(new Uint8Array(block));
  return params.map((_, i) => ptr + EDGE_PARAM_BYTES * i);
}
