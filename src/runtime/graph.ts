// Turns a model into what a session needs: every op prepared, every activation placed in one arena.
import type { Model, OpDef, TensorDef } from '../format/model.js';
import type { KernelExports } from './kernel-abi.js';
import type { OpImpl, PrepareContext, PreparedOp } from '../ops/types.js';
import { OP_REGISTRY } from '../ops/registry.js';
import { tensorBytes } from '../ops/common.js';
import { ModelError } from './model-error.js';
import { WasmqError } from './errors.js';
import { toInt8Model } from './normalize.js';
import { planArena, type ArenaPlan, type BufferRequest } from './planner.js';

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
  /** per op, the arena offset of its scratch area (0 when none) */
  scratchOffsets: number[];
  arena: ArenaPlan;
  /** declared upper bound of the packed constants' bytes */
  weightBytes: number;
}

function opLabel(op: OpDef, index: number): string {
  return `op ${index} (${op.kind}${op.name ? ` '${op.name}'` : ''})`;
}

function checkStructure(model: Model): void {
  const n = model.tensors.length;
  const ref = (i: number, where: string): void => {
    if (!Number.isInteger(i) || i < 0 || i >= n) throw new ModelError('BAD_TENSOR_INDEX', `${where} refers to tensor ${i}; the model has ${n}`);
  };
  model.inputs.forEach((i) => ref(i, 'a graph input'));
  model.outputs.forEach((i) => ref(i, 'a graph output'));
  model.ops.forEach((op, k) => {
    op.inputs.forEach((i) => ref(i, opLabel(op, k)));
    op.outputs.forEach((i) => ref(i, opLabel(op, k)));
  });
  // Every activation is written exactly once (by the caller for graph inputs), before it is read.
  const written = new Set<number>();
  const label = (i: number): string => `tensor ${i} '${model.tensors[i].name}'`;
  for (const i of model.inputs) {
    const t = model.tensors[i];
    if (t.buffer !== undefined) throw new ModelError('BAD_GRAPH', `graph input ${label(i)} is a constant`);
    if (!['float32', 'int8', 'uint8'].includes(t.dtype)) throw new ModelError('BAD_TYPE', `graph input ${label(i)} is ${t.dtype}; inputs must be float32, int8 or uint8`);
    if (written.has(i)) throw new ModelError('BAD_GRAPH', `${label(i)} is listed twice as a graph input`);
    written.add(i);
  }
  model.ops.forEach((op, k) => {
    for (const i of op.inputs) {
      if (model.tensors[i].buffer === undefined && !written.has(i)) throw new ModelError('BAD_GRAPH', `${opLabel(op, k)} reads ${label(i)} before any op writes it`);
    }
    for (const i of op.outputs) {
      if (model.tensors[i].buffer !== undefined) throw new ModelError('BAD_GRAPH', `${opLabel(op, k)} writes the constant ${label(i)}`);
      if (written.has(i)) throw new ModelError('BAD_GRAPH', `${opLabel(op, k)} writes ${label(i)}, which is already written`);
      written.add(i);
    }
  });
  for (const i of model.outputs) {
    const t = model.tensors[i];
    if (!written.has(i)) throw new ModelError('BAD_GRAPH', `graph output ${label(i)} is never written`);
    if (!['float32', 'int8', 'uint8'].includes(t.dtype)) throw new ModelError('BAD_TYPE', `graph output ${label(i)} is ${t.dtype}; outputs must be float32, int8 or uint8`);
  }
  for (const t of model.tensors) {
    if (!t.shape.every((d) => Number.isSafeInteger(d) && d >= 1)) throw new ModelError('BAD_SHAPE', `tensor '${t.name}' has shape [${t.shape}]; dimensions must be integers >= 1`);
  }
}

export function prepareGraph(source: Model, kernels: KernelExports): PreparedGraph {
  checkStructure(source);
  const model = toInt8Model(source);
  const ops = model.ops.map((op, opIndex) => {
    const fail = (code: string, message: string): never => {
      throw new ModelError(code, `${opLabel(op, opIndex)}: ${message}`);
    };
    const impl = OP_REGISTRY[op.kind] as OpImpl | undefined;
    if (!impl) fail('UNSUPPORTED_OP', `wasmq has no ${op.kind} kernel yet`);
    const ctx: PrepareContext = { model, kernels, opIndex, tensor: (i: number): TensorDef => model.tensors[i], fail };
    try {
      return impl!.prepare(ctx, op);
    } catch (e) {
      // Kernel helpers throw their own parameter errors: report them as model errors naming the op.
      if (e instanceof WasmqError && !(e instanceof ModelError)) throw new ModelError(e.code, `${opLabel(op, opIndex)}: ${e.message}`, { cause: e });
      throw e;
    }
  });
  return { source, model, ops, ...planGraph(model, ops) };
}

function planGraph(model: Model, ops: PreparedOp[]): Pick<PreparedGraph, 'placements' | 'scratchOffsets' | 'arena' | 'weightBytes'> {
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
  const scratchOffsets = ops.map(() => 0);
  scratchOps.forEach((k, j) => (scratchOffsets[k] = arena.offsets[roots.length + j]));
  return { placements, scratchOffsets, arena, weightBytes: ops.reduce((a, p) => a + p.weightBytes, 0) };
}
