// The tensor observer (RunOptions.observe): which activation tensors a run reports, where they live in the
// arena, and how their values are handed over. Built once per model; nothing here runs unless a caller observes.
import type { DType } from '../format/model.js';
import type { PreparedGraph } from './graph.js';
import type { WasmHeap } from './heap.js';
import { int8ToUint8 } from './edge.js';
import { elementCount } from '../ops/common.js';

/**
 * Called once per activation tensor and run: for each graph input before the first op, then for each op's
 * output right after that op, in execution order. `values` is a view of wasm memory that is only valid during
 * the call (later ops overwrite the arena) and must not be written to: copy it or fold it into statistics before
 * returning. float32 tensors come as Float32Array, int8 ones raw as Int8Array (dequantize with the tensor's
 * quantization: model.tensorInfo(index) or the Model), uint8 ones (legacy models) as a Uint8Array of the file's
 * values. Throwing aborts the run; the session stays usable.
 */
export type TensorObserver = (tensorIndex: number, values: Float32Array | Int8Array | Uint8Array) => void;

export interface ObservedTensor {
  tensor: number;
  /** arena offset */
  offset: number;
  length: number;
  /** as the model declares it (uint8 is stored as int8 after normalization) */
  dtype: DType;
}

export interface ObservedTensors {
  inputs: ObservedTensor[];
  /** per op, its output */
  ops: ObservedTensor[];
}

export function observedTensors(graph: PreparedGraph): ObservedTensors {
  const { source, placements } = graph;
  const observed = (tensor: number): ObservedTensor => ({
    tensor,
    offset: placements[tensor]!.offset,
    length: elementCount(source.tensors[tensor].shape),
    dtype: source.tensors[tensor].dtype,
  });
  return { inputs: source.inputs.map(observed), ops: source.ops.map((op) => observed(op.outputs[0])) };
}

/** Hands one tensor of the arena at `base` to the observer. */
export function emitObserved(observe: TensorObserver, heap: WasmHeap, base: number, t: ObservedTensor): void {
  const at = base + t.offset;
  if (t.dtype === 'float32') return observe(t.tensor, heap.f32(at, t.length));
  const q = heap.i8(at, t.length);
  if (t.dtype !== 'uint8') return observe(t.tensor, q);
  const u = new Uint8Array(t.length);
  int8ToUint8(q, u);
  observe(t.tensor, u);
}
