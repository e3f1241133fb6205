// Turns a model into what a session needs: every op prepared, every activation placed in one arena.
import type { Model, TensorDef } from '../format/model.js';
import type { KernelExports } from './kernel-abi.js';
import type { WasmHeap } from './heap.js';
import type { OpImpl, PrepareContext, PreparedOp } from '../ops/types.js';
import { OP_REGISTRY } from '../ops/registry.js';
import { floatImpl } from '../ops/float/registry.js';
import { tensorBytes } from '../ops/common.js';
import { ModelError, type ModelErrorCode } from './model-error.js';
import { opLabel, tensorLabel } from '../format/verify-model.js';
import { WasmqError } from './errors.js';
import { toInt8Model } from './normalize.js';
import { alignUp, planArena, type BufferRequest } from './planner.js';
import { edgeParamBytes, stagingBytes } from './edge-staging.js';

export interface TensorPlacement {
  tensor: number;
  /** byte offset in the arena */
  offset: number;
  bytes: number;
  /** first and last op step the memory is live (graph inputs start at 0, graph outputs end at ops.length) */
  first: number;
  last: number;
  /** the tensor whose memory this one shares (Reshape), or its own index */
  storage: number;
}

export interface PreparedGraph {
  /** the model as given */
  source: Model;
  /** uint8 turned into int8: what the ops run */
  model: Model;
  ops: PreparedOp[];
  /** per tensor, undefined for constants */
  placements: (TensorPlacement | undefined)[];
  /** per op, the arena offset of its scratch area (-1 when none) */
  scratchOffsets: number[];
  /** per op, the arena offset of its per-session state (-1 when none) */
  stateOffsets: number[];
  /**
   * bytes of one session's arena: the planned activations and scratch, then every op's per-session state, then
   * the float staging area of the quantized graph edges (edge-staging.ts)
   */
  arenaBytes: number;
  /** arena offset of the float staging area (its size is stagingBytes(model), possibly 0) */
  stagingOffset: number;
  /** no placement of these lifetimes can need fewer bytes */
  arenaLowerBound: number;
  /** declared upper bound of the packed constants' bytes, the edges' parameter block included */
  weightBytes: number;
}

const EDGE_TYPES = ['float32', 'int8', 'uint8'];

/** What the verifier allows but sessions cannot feed or return. Assumes a verified model. */
function checkEdges(model: Model): void {
  for (const [list, what] of [[model.inputs, 'input'], [model.outputs, 'output']] as const) {
    for (const i of list) {
      const t = model.tensors[i];
      if (!EDGE_TYPES.includes(t.dtype)) throw new ModelError('BAD_TYPE', `graph ${what} ${tensorLabel(model, i)} is ${t.dtype}; graph ${what}s must be float32, int8 or uint8`);
    }
  }
}

/** Kernel helpers throw their own parameter errors; they become model errors naming the op. */
function asModelError(e: unknown, where: string): unknown {
  if (!(e instanceof WasmqError) || e instanceof ModelError) return e;
  const code: ModelErrorCode = e.code === 'UNSUPPORTED' || e.code === 'BAD_SHAPE' ? e.code : e.code === 'BAD_SCALE' || e.code === 'BAD_ZERO_POINT' ? 'BAD_QUANT' : 'BAD_OPTIONS';
  return new ModelError(code, `${where}: ${e.message}`, { cause: e });
}

/** Prepares every op of a verified model and plans its arena. */
export function prepareGraph(source: Model, kernels: KernelExports, heap: WasmHeap): PreparedGraph {
  checkEdges(source);
  const model = toInt8Model(source);
  const ops = model.ops.map((op, opIndex) => {
    const fail = (code: ModelErrorCode, message: string): never => {
      throw new ModelError(code, `${opLabel(op, opIndex)}: ${message}`);
    };
    // float32 outputs take the float twins (src/ops/float), everything else the int8 ops.
    const impl = floatImpl(model, op) ?? (OP_REGISTRY[op.kind] as OpImpl | undefined);
    if (!impl) fail('UNSUPPORTED_OP', `wasmq has no ${op.kind} kernel yet`);
    const temp = <T>(query: (h: WasmHeap) => T): T => {
      const mark = heap.mark();
      try {
        return query(heap);
      } finally {
        heap.release(mark);
      }
    };
    const ctx: PrepareContext = { model, kernels, opIndex, tensor: (i: number): TensorDef => model.tensors[i], fail, temp };
    try {
      return impl!.prepare(ctx, op);
    } catch (e) {
      throw asModelError(e, opLabel(op, opIndex));
    }
  });
  return { source, model, ops, ...planGraph(model, ops) };
}

function planGraph(model: Model, ops: PreparedOp[]): Pick<PreparedGraph, 'placements' | 'scratchOffsets' | 'stateOffsets' | 'arenaBytes' | 'stagingOffset' | 'arenaLowerBound' | 'weightBytes'> {
  const end = model.ops.length;
  // Reshape outputs share their input's storage; lifetimes are tracked per storage root.
  const storage = model.tensors.map((_, i) => i);
  model.ops.forEach((op, k) => {
    if (ops[k].aliasesInput) storage[op.outputs[0]] = storage[op.inputs[0]];
  });
  const first = new Map<number, number>(), last = new Map<number, number>();
  const touch = (t: number, step: number): void => {
    const root = storage[t];
    first.set(root, Math.min(first.get(root) ?? step, step));
    last.set(root, Math.max(last.get(root) ?? step, step));
  };
  model.inputs.forEach((t) => touch(t, 0));
  model.ops.forEach((op, k) => {
    for (const t of [...op.inputs, ...op.outputs]) if (model.tensors[t].buffer === undefined) touch(t, k);
  });
  model.outputs.forEach((t) => touch(t, end));

  const roots = [...first.keys()];
  const requests: BufferRequest[] = roots.map((r) => ({ size: tensorBytes(model.tensors[r]), first: first.get(r)!, last: last.get(r)! }));
  // Scratch lives for its op's step and shares memory like any tensor.
  const scratchOps: number[] = [];
  ops.forEach((p, k) => {
    if (p.scratchBytes) {
      scratchOps.push(k);
      requests.push({ size: p.scratchBytes, first: k, last: k });
    }
  });
  const arena = planArena(requests);
  const rootOffset = new Map(roots.map((r, i) => [r, arena.offsets[i]]));
  const placements = model.tensors.map((t, i): TensorPlacement | undefined => {
    const root = storage[i];
    if (!rootOffset.has(root)) return undefined;
    return { tensor: i, offset: rootOffset.get(root)!, bytes: tensorBytes(t), first: first.get(root)!, last: last.get(root)!, storage: root };
  });
  const scratchOffsets = ops.map(() => -1), stateOffsets = ops.map(() => -1);
  scratchOps.forEach((k, j) => (scratchOffsets[k] = arena.offsets[roots.length + j]));
  // Per-session state is live for the whole run and never shared: it is stacked above the planned region.
  let arenaBytes = arena.peak, stateBytes = 0;
  ops.forEach((p, k) => {
    if (!p.stateBytes) return;
    stateOffsets[k] = arenaBytes;
    arenaBytes += alignUp(p.stateBytes);
    stateBytes += alignUp(p.stateBytes);
  });
  // The float staging area is live for the whole run too (between runs it holds nothing), stacked last.
  const stagingOffset = arenaBytes, staging = stagingBytes(model);
  arenaBytes += staging;
  const weightBytes = ops.reduce((a, p) => a + p.weightBytes, 0) + edgeParamBytes(model);
  return { placements, scratchOffsets, stateOffsets, arenaBytes, stagingOffset, arenaLowerBound: arena.lowerBound + stateBytes + staging, weightBytes };
}
