// Float feeds and outputs of a quantized graph edge are converted by the wasm kernels (quantizeF32 /
// dequantize8), not in TypeScript: the float data is staged in wasm memory (one area at the end of each
// session's arena, as large as the largest such edge) and each edge's scale and zero point sit in wasm memory
// once per model, as the kernels' parameter arrays (per tensor, or per axis at a Quantize/Dequantize edge).
import type { Model } from '../format/model.js';
import type { WasmHeap } from './heap.js';
import { OVERREAD } from './heap.js';
import { alignUp } from './planner.js';
import { elementCount } from '../ops/common.js';

/** Bytes per scale of an edge: an f32 scale and an i32 zero point (see packEdgeParams). */
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
  const n = quantizedEdges(model).reduce((a, t) => a + (model.tensors[t].quant?.scales.length ?? 1), 0);
  return n ? alignUp(EDGE_PARAM_BYTES * n + OVERREAD) : 0;
}

/**
 * Writes each edge's parameter arrays into wasm memory, the f32 scales then the i32 zero points (one of each
 * per tensor, one per slice of the axis when quantized per axis), as quantizeF32/dequantize8 take them; returns
 * the address of each edge's scales (its zero points follow them).
 */
export function packEdgeParams(heap: WasmHeap, params: readonly { scales: Float32Array; zeroPoints: Int32Array }[]): number[] {
  const total = params.reduce((a, p) => a + p.scales.length, 0);
  if (total === 0) return [];
  const block = new ArrayBuffer(EDGE_PARAM_BYTES * total);
  const f = new Float32Array(block), z = new Int32Array(block);
  const offsets: number[] = [];
  let at = 0;
  for (const p of params) {
    offsets.push(4 * at);
    f.set(p.scales, at);
    z.set(p.zeroPoints, at + p.scales.length);
    at += 2 * p.scales.length;
  }
  const ptr = heap.put(new Uint8Array(block));
  return offsets.map((o) => ptr + o);
}
