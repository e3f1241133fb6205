// What the float32 ops share: dtype checks, the fused activation as a clamp, constant weights and biases as
// float32 (int8 weight-only weights dequantized once), and a float view of wasm memory for the TS loops.
import type { Activation } from '../../format/model.js';
import type { PrepareContext } from '../types.js';
import type { WasmHeap } from '../../runtime/heap.js';
import { constFloat32, constInt8, describe, elementCount, expectShape, tensorBytes } from '../common.js';

export function expectFloat(ctx: PrepareContext, ...indices: number[]): void {
  for (const i of indices) {
    const t = ctx.tensor(i);
    if (t.dtype !== 'float32') ctx.fail('BAD_TYPE', `${describe(ctx, i)} is ${t.dtype}; a float op takes float32 activations`);
    if (t.buffer !== undefined) ctx.fail('BAD_OP', `${describe(ctx, i)} is a constant where this op needs an activation`);
  }
}

/** The fused activation's bounds on a float output. */
export function floatClamp(activation: Activation): { min: number; max: number } {
  switch (activation) {
    case 'none':
      return { min: -Infinity, max: Infinity };
    case 'relu':
      return { min: 0, max: Infinity };
    case 'relu6':
      return { min: 0, max: 6 };
  }
}

/**
 * Constant weights as float32, checked now and made when called (at pack time, so a model's weights are not all
 * copied at once): float32 data as is, or int8 data dequantized per slice along `axis` (w = scale[c] *
 * (q - zeroPoint[c]), rounded to float32) for weight-only models.
 */
export function floatWeights(ctx: PrepareContext, index: number, axis: number): () => Float32Array {
  const t = ctx.tensor(index);
  if (t.dtype === 'float32') {
    const b = t.buffer === undefined ? undefined : ctx.model.buffers[t.buffer];
    if (!b || b.byteLength !== tensorBytes(t)) ctx.fail('BUFFER_SIZE', `${describe(ctx, index)} needs ${tensorBytes(t)} bytes of constant data, has ${b?.byteLength ?? 'none'}`);
    return () => constFloat32(ctx, index);
  }
  if (t.dtype !== 'int8') ctx.fail('BAD_TYPE', `${describe(ctx, index)} is ${t.dtype}; float ops take float32 or int8 weights`);
  const q = t.quant;
  if (!q) ctx.fail('BAD_QUANT', `${describe(ctx, index)} has no quantization`);
  const data = constInt8(ctx, index); // a view, no copy
  const perSlice = q.scales.length !== 1;
  if (perSlice && (q.axis !== axis || q.scales.length !== t.shape[axis])) {
    ctx.fail('BAD_QUANT', `${describe(ctx, index)} is quantized along axis ${q.axis}; float ops dequantize weights per tensor or along axis ${axis}`);
  }
  // Elements between consecutive slices along `axis` (the product of the later dims).
  const inner = elementCount(t.shape.slice(axis + 1));
  const slices = perSlice ? q.scales.length : 1;
  return () => {
    const out = new Float32Array(data.length);
    for (let i = 0; i < data.length; i++) {
      const c = perSlice ? Math.floor(i / inner) % slices : 0;
      out[i] = Math.fround(q.scales[c]) * (data[i] - q.zeroPoints[c]);
    }
    return out;
  };
}

/** An optional float32 bias of `channels` values (input `at`), or undefined. */
export function floatBias(ctx: PrepareContext, inputs: number[], at: number, channels: number): Float32Array | undefined {
  if (inputs.length <= at || inputs[at] < 0) return undefined;
  expectShape(ctx, inputs[at], [channels]);
  return constFloat32(ctx, inputs[at]);
}

/**
 * A Float32Array over all of wasm memory, re-made only when memory has grown (which detaches the old one).
 * Index it with `ptr >> 2`: every float tensor starts 4-byte aligned.
 */
export function floatMemory(heap: WasmHeap): () => Float32Array {
  let buffer: ArrayBuffer | undefined;
  let view = new Float32Array(0);
  return () => {
    if (heap.memory.buffer !== buffer) {
      buffer = heap.memory.buffer;
      view = new Float32Array(buffer);
    }
    return view;
  };
}
