// A loaded model: prepared ops, packed weights in wasm memory, and the arena plan sessions are made from.
import type { Binder, WeightPacker } from '../ops/types.js';
import type { KernelExports } from './kernel-abi.js';
import type { PreparedGraph } from './graph.js';
import { type WasmHeap, OVERREAD } from './heap.js';
import { WasmqError } from './errors.js';
import { InputError, ModelError } from './model-error.js';
import { alignUp } from './planner.js';
import { packRequantParams } from './requant-params.js';
import { modelInfo, tensorInfo, type ModelInfo, type TensorInfo } from './info.js';
import { Session, type Edge, type SessionPlan } from './session.js';
import { observedTensors } from './observe.js';
import { elementCount } from '../ops/common.js';
import { packEdgeParams } from './edge-staging.js';
import { quantizeLayout } from './kernels/elementwise.js';

export class WasmqModel {
  readonly info: ModelInfo;
  private readonly plan: SessionPlan;
  private readonly freeArenas: number[] = [];
  private arenas = 0;

  /** Use loadModel(). */
  constructor(private readonly graph: PreparedGraph, heap: WasmHeap, kernels: KernelExports, private readonly memoryLimit: number) {
    // Grow wasm memory once to what the weights and a first arena need, instead of page by page while packing.
    const mark = heap.mark();
    heap.alloc(graph.weightBytes + alignUp(graph.arenaBytes + OVERREAD));
    heap.release(mark);
    const binders = packWeights(graph, heap, kernels);
    this.info = modelInfo(graph, memoryLimit);
    const { model, placements, scratchOffsets, stateOffsets } = graph;
    const edge = (i: number): Edge => {
      const t = model.tensors[i];
      const q = t.quant;
      if (t.dtype === 'int8' && !q) throw new ModelError('BAD_QUANT', `graph edge tensor ${i} '${t.name}' has no quantization`);
      // per tensor, or per axis where a Quantize output or Dequantize input is a graph edge
      const l = q && t.dtype === 'int8'
        ? quantizeLayout(t.shape, q.scales, q.zeroPoints, q.axis, 'int8', `graph edge tensor ${i} '${t.name}'`)
        : { outer: 1, axisLen: 1, inner: elementCount(t.shape), scales: Float32Array.of(1), zeroPoints: Int32Array.of(0) };
      return {
        info: tensorInfo(graph.source, i),
        length: elementCount(t.shape),
        offset: placements[i]!.offset,
        stored: t.dtype === 'float32' ? 'float32' : 'int8',
        outer: l.outer, axisLen: l.axisLen, inner: l.inner,
        scales: l.scales,
        zeroPoints: l.zeroPoints,
        params: 0,
      };
    };
    const inputs = model.inputs.map(edge), outputs = model.outputs.map(edge);
    const quantized = [...inputs, ...outputs].filter((e) => e.stored === 'int8');
    packEdgeParams(heap, quantized).forEach((ptr, i) => (quantized[i].params = ptr));
    this.plan = {
      heap,
      kernels,
      stagingOffset: graph.stagingOffset,
      inputs,
      outputs,
      ops: model.ops.map((op) => ({ kind: op.kind, name: op.name })),
      observed: observedTensors(graph),
      bind: (base) => binders.map((bind, k) => bind({
        ptr: (t) => {
          const p = placements[t];
          if (!p) throw new WasmqError('INTERNAL', `op ${k} asked for the arena address of tensor ${t}, which has none`);
          return base + p.offset;
        },
        scratch: scratchOffsets[k] >= 0 ? base + scratchOffsets[k] : 0,
        state: stateOffsets[k] >= 0 ? base + stateOffsets[k] : 0,
      })),
    };
  }

  /**
   * Name, shape, dtype and quantization of any tensor by its index in the model (e.g. one a run's observer
   * reported), as the file declares it.
   */
  tensorInfo(index: number): TensorInfo {
    const n = this.graph.source.tensors.length;
    if (!Number.isInteger(index) || index < 0 || index >= n) throw new InputError('BAD_INPUT', `tensor index ${index} is not in [0, ${n})`);
    return tensorInfo(this.graph.source, index);
  }

  /** A new session with its own arena; sessions of one model share its packed weights. */
  async createSession(): Promise<Session> {
    return this.createSessionSync();
  }

  createSessionSync(): Session {
    let base = this.freeArenas.pop();
    if (base === undefined) {
      const arenaCost = alignUp(this.graph.arenaBytes + OVERREAD);
      const total = this.info.memory.weightBytes + (this.arenas + 1) * arenaCost;
      if (total > this.memoryLimit) {
        throw new ModelError('MEMORY_BUDGET', `session ${this.arenas + 1} would bring wasm memory to ${total} bytes, over the limit of ${this.memoryLimit}; release a session first`);
      }
      base = this.plan.heap.alloc(this.graph.arenaBytes);
      this.arenas++;
    }
    return new Session(this.plan, base, (b) => this.freeArenas.push(b));
  }
}

function packWeights(graph: PreparedGraph, heap: WasmHeap, kernels: KernelExports): Binder[] {
  return graph.ops.map((op, k) => {
    // Measured from the next aligned address: each op's first allocation starts there.
    const before = alignUp(heap.mark()) - heap.base;
    const packer: WeightPacker = {
      kernels,
      heap,
      put: (data) => heap.put(data),
      alloc: (bytes) => heap.alloc(bytes),
      requant: (reals, offsets) => packRequantParams(kernels, heap, reals, offsets),
    };
    const binder = op.pack(packer);
    const used = heap.used - before;
    if (used > op.weightBytes) {
      throw new WasmqError('INTERNAL', `op ${k} (${graph.model.ops[k].kind}) packed ${used} bytes but declared ${op.weightBytes}: the memory budget check was wrong`);
    }
    return binder;
  });
}
