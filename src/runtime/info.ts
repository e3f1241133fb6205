// What `model.info` tells a caller: the model's interface, its size and its memory plan.
import type { DType, Model, ModelMetadata, OpKind } from '../format/model.js';
import type { PreparedGraph, TensorPlacement } from './graph.js';

export interface QuantizationInfo {
  scales: number[];
  zeroPoints: number[];
  /** quantized dimension, -1 for per-tensor */
  axis: number;
}

export interface TensorInfo {
  /** index in the model's tensor table */
  index: number;
  name: string;
  shape: number[];
  /** as the file declares it: uint8 models take and give Uint8Array raw data */
  dtype: DType;
  quantization?: QuantizationInfo;
}

export interface MemoryInfo {
  /** bytes of the planned activation arena (one per session) */
  arenaBytes: number;
  /** no placement of these lifetimes can need fewer bytes */
  arenaLowerBound: number;
  /** bytes reserved for packed weights and kernel parameters in wasm memory, shared by all sessions (what the
   *  memory limit counts; packing never uses more) */
  weightBytes: number;
  /** the limit loading and sessions are held to */
  memoryLimit: number;
  /** where each activation lives in the arena */
  tensors: TensorPlacement[];
}

export interface ModelInfo {
  inputs: TensorInfo[];
  outputs: TensorInfo[];
  opCount: number;
  opsByKind: Partial<Record<OpKind, number>>;
  memory: MemoryInfo;
  metadata: ModelMetadata;
}

export function tensorInfo(model: Model, index: number): TensorInfo {
  const t = model.tensors[index];
  const info: TensorInfo = { index, name: t.name, shape: [...t.shape], dtype: t.dtype };
  if (t.quant) info.quantization = { scales: [...t.quant.scales], zeroPoints: [...t.quant.zeroPoints], axis: t.quant.axis };
  return info;
}

export function modelInfo(graph: PreparedGraph, memoryLimit: number): ModelInfo {
  const src = graph.source;
  const opsByKind: Partial<Record<OpKind, number>> = {};
  for (const op of src.ops) opsByKind[op.kind] = (opsByKind[op.kind] ?? 0) + 1;
  return {
    inputs: src.inputs.map((i) => tensorInfo(src, i)),
    outputs: src.outputs.map((i) => tensorInfo(src, i)),
    opCount: src.ops.length,
    opsByKind,
    memory: {
      arenaBytes: graph.arenaBytes,
      arenaLowerBound: graph.arenaLowerBound,
      weightBytes: graph.weightBytes,
      memoryLimit,
      tensors: graph.placements.filter((p): p is TensorPlacement => p !== undefined),
    },
    metadata: src.metadata,
  };
}
