// The op contract (TFLite Micro's Prepare/Eval split). `prepare` runs once per model: it validates what the
// file verifier cannot know, computes quantization parameters and declares the memory it needs. `pack`
// writes constants into wasm memory once; the binder it returns makes, per session, an eval closure that
// allocates nothing and makes one kernel call on arena pointers.
import type { Model, OpDef, OpKind, TensorDef } from '../format/model.js';
import type { KernelExports } from '../runtime/kernel-abi.js';
import type { WasmHeap } from '../runtime/heap.js';
import type { ModelErrorCode } from '../format/errors.js';

export type OpOf<K extends OpKind> = Extract<OpDef, { kind: K }>;

export interface PrepareContext {
  /** the normalized model: every uint8 tensor has been turned into int8 */
  readonly model: Model;
  /** for pure size queries only (nothing may stay allocated at prepare time) */
  readonly kernels: KernelExports;
  /** runs a size query that needs data in wasm memory (e.g. a descriptor); everything it allocates is freed */
  temp<T>(query: (heap: WasmHeap) => T): T;
  readonly opIndex: number;
  tensor(index: number): TensorDef;
  /** a ModelError naming this op */
  fail(code: ModelErrorCode, message: string): never;
}

/** Pointers of one session's tensors. */
export interface TensorAddresses {
  /** arena address of an activation tensor's first byte (ops place constants themselves, with `put`) */
  ptr(tensor: number): number;
  /** this op's scratch area in the arena, overwritten by other ops between calls (0 when none) */
  readonly scratch: number;
  /** this op's per-session state in the arena, kept across runs (0 when none) */
  readonly state: number;
}

export type Eval = () => void;
/** Makes one session's eval closure; null when the op has nothing to do (e.g. Reshape). */
export type Binder = (at: TensorAddresses) => Eval | null;

/** Allocation in the weights region, checked against what `prepare` declared. */
export interface WeightPacker {
  readonly kernels: KernelExports;
  readonly heap: WasmHeap;
  /** copies a typed array into the weights region */
  put(data: Int8Array | Uint8Array | Int16Array | Int32Array | Float32Array): number;
  /** reserves bytes in the weights region */
  alloc(bytes: number): number;
  /**
   * per-channel requantization params from real multipliers (QuantizeMultiplier, packed for the kernels); offsets
   * (default true): with GEMM / conv's offset-form constants, which other kernels do not use
   */
  requant(reals: ArrayLike<number>, offsets?: boolean): number;
}

export interface PreparedOp {
  /** upper bound of the bytes `pack` allocates (use weightCost/requantCost); checked before allocating */
  weightBytes: number;
  /** arena bytes the op needs while it runs, live for this op only */
  scratchBytes?: number;
  /** arena bytes of per-session state the op keeps across runs (e.g. an indirection table built at bind time) */
  stateBytes?: number;
  /** the output is input 0 viewed with another shape: same memory, no copy */
  aliasesInput?: boolean;
  pack(packer: WeightPacker): Binder;
}

export interface OpImpl<K extends OpKind = OpKind> {
  prepare(ctx: PrepareContext, op: OpOf<K>): PreparedOp;
}
