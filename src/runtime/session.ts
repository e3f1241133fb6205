// A session owns one arena and runs the graph on it: feeds in at the edges, one kernel call per op, outputs
// copied out. Every check on the feeds happens before anything is written, so a rejected call leaves the
// session as it was.
import type { DType } from '../format/model.js';
import type { Eval } from '../ops/types.js';
import type { TensorInfo } from './info.js';
import type { WasmHeap } from './heap.js';
import { InputError } from './model-error.js';
import { WasmqError } from './errors.js';
import type { ElementwiseExports } from './kernels/elementwise.js';
import { ROUND_HALF_AWAY } from './kernels/elementwise.js';
import { emitObserved, type ObservedTensors, type TensorObserver } from './observe.js';

export type InputData = Float32Array | Int8Array | Uint8Array;
export type OutputData = Float32Array | Int8Array | Uint8Array;
export type Feeds = Record<string, InputData>;
export type Outputs = Record<string, OutputData>;

export interface RunOptions {
  /** return the quantized outputs as stored (Int8Array, or Uint8Array for uint8 models) instead of Float32Array */
  raw?: boolean;
  /** time every op (performance.now around each kernel call) */
  profile?: boolean;
  /**
   * called with every activation tensor's values as it is produced (graph inputs first, then each op's output
   * right after the op); the values are a view valid only during the call. See TensorObserver.
   */
  observe?: TensorObserver;
}

export interface OpTiming {
  /** op index in execution order */
  op: number;
  kind: string;
  name?: string;
  ms: number;
}

export interface ProfiledRun {
  outputs: Outputs;
  /** one entry per op, in execution order */
  profile: OpTiming[];
}

/** One graph edge as the session sees it: the public description plus where and how it is stored. */
export interface Edge {
  info: TensorInfo;
  /** element count */
  length: number;
  /** arena offset */
  offset: number;
  /** storage type after uint8 normalization */
  stored: 'float32' | 'int8';
  /** [outer, axisLen, inner] view of the elements: axisLen 1 when quantized per tensor */
  outer: number;
  axisLen: number;
  inner: number;
  /** one per slice of the axis */
  scales: Float32Array;
  zeroPoints: Int32Array;
  /** int8 edges: address of the f32 scales, followed by the i32 zero points (edge-staging.ts) the kernels read */
  params: number;
}

/** What a session needs from its model (shared, read-only). */
export interface SessionPlan {
  heap: WasmHeap;
  kernels: ElementwiseExports;
  /** arena offset of the float staging area, as large as the largest int8 edge's float32 data */
  stagingOffset: number;
  inputs: Edge[];
  outputs: Edge[];
  ops: { kind: string; name?: string }[];
  /** makes this session's eval closures for an arena at `base` */
  bind(base: number): (Eval | null)[];
  /** what RunOptions.observe reports */
  observed: ObservedTensors;
}

function arrayType(data: unknown): string | undefined {
  if (data instanceof Float32Array) return 'Float32Array';
  if (data instanceof Int8Array) return 'Int8Array';
  if (data instanceof Uint8Array) return 'Uint8Array'; // Node Buffers included
  return undefined;
}

function typeName(data: unknown): string {
  return data === null ? 'null' : ArrayBuffer.isView(data) ? (data.constructor?.name ?? 'a typed array') : typeof data;
}

function accepted(edge: Edge): string[] {
  const raw: Record<DType, string | undefined> = { float32: undefined, int8: 'Int8Array', uint8: 'Uint8Array', int32: undefined };
  return ['Float32Array', ...(raw[edge.info.dtype] ? [raw[edge.info.dtype]!] : [])];
}

export class Session {
  private readonly evals: (Eval | null)[];
  private closed = false;

  constructor(private readonly plan: SessionPlan, private readonly base: number, private readonly onRelease: (base: number) => void) {
    this.evals = plan.bind(base);
  }

  get inputNames(): string[] {
    return this.plan.inputs.map((e) => e.info.name);
  }

  get outputNames(): string[] {
    return this.plan.outputs.map((e) => e.info.name);
  }

  run(feeds: Feeds, options: RunOptions & { profile: true }): Promise<ProfiledRun>;
  run(feeds: Feeds, options?: RunOptions): Promise<Outputs>;
  async run(feeds: Feeds, options: RunOptions = {}): Promise<Outputs | ProfiledRun> {
    return this.runSync(feeds, options);
  }

  runSync(feeds: Feeds, options: RunOptions & { profile: true }): ProfiledRun;
  runSync(feeds: Feeds, options?: RunOptions): Outputs;
  runSync(feeds: Feeds, options: RunOptions = {}): Outputs | ProfiledRun {
    if (this.closed) throw new WasmqError('SESSION_RELEASED', 'this session was released; create a new one with model.createSession()');
    const observe = options.observe;
    if (observe !== undefined && typeof observe !== 'function') throw new WasmqError('BAD_OPTION', `options.observe must be a function, got ${typeName(observe)}`);
    this.checkFeeds(feeds);
    for (const edge of this.plan.inputs) this.writeInput(edge, feeds[edge.info.name]);
    let profile: OpTiming[] | undefined;
    if (options.profile || observe) {
      const { heap, observed } = this.plan;
      if (observe) for (const t of observed.inputs) emitObserved(observe, heap, this.base, t);
      if (options.profile) profile = [];
      for (let i = 0; i < this.evals.length; i++) {
        const t0 = profile ? performance.now() : 0;
        this.evals[i]?.();
        if (profile) {
          const op = this.plan.ops[i];
          profile.push({ op: i, kind: op.kind, ...(op.name ? { name: op.name } : {}), ms: performance.now() - t0 });
        }
        if (observe) emitObserved(observe, heap, this.base, observed.ops[i]);
      }
    } else {
      for (const e of this.evals) e?.();
    }
    const outputs: Outputs = {};
    for (const edge of this.plan.outputs) outputs[edge.info.name] = this.readOutput(edge, options.raw ?? false);
    return profile ? { outputs, profile } : outputs;
  }

  /** Returns the arena to the model for reuse by the next session; the session cannot run afterwards. */
  release(): void {
    if (this.closed) return;
    this.closed = true;
    this.onRelease(this.base);
  }

  private checkFeeds(feeds: Feeds): void {
    if (typeof feeds !== 'object' || feeds === null) throw new InputError('BAD_INPUT', `feeds must be an object mapping input names to typed arrays`);
    const names = this.inputNames;
    for (const key of Object.keys(feeds)) {
      if (!names.includes(key)) throw new InputError('BAD_INPUT', `unknown input '${key}'; the model's inputs are ${names.map((n) => `'${n}'`).join(', ')}`);
    }
    for (const edge of this.plan.inputs) {
      const name = edge.info.name;
      const data = feeds[name];
      if (data === undefined) throw new InputError('BAD_INPUT', `missing input '${name}' (shape [${edge.info.shape}], ${edge.info.dtype})`);
      const ok = accepted(edge);
      if (!ok.includes(arrayType(data) ?? '')) {
        throw new InputError('BAD_INPUT', `input '${name}' is ${typeName(data)}; it takes ${ok.join(' or ')}`);
      }
      if (data.length !== edge.length) {
        throw new InputError('BAD_INPUT', `input '${name}' has ${data.length} elements; shape [${edge.info.shape}] needs ${edge.length}`);
      }
    }
  }

  // Float data crosses an int8 edge through the staging area: one copy and one kernel call. uint8 data is
  // flipped to int8 (and back) by flipSign8; the caller's arrays are never written.
  private writeInput(edge: Edge, data: InputData): void {
    const { heap, kernels: k } = this.plan;
    const at = this.base + edge.offset, n = edge.length;
    if (edge.stored === 'float32') {
      heap.f32(at, n).set(data as Float32Array);
    } else if (data instanceof Float32Array) {
      const staging = this.base + this.plan.stagingOffset;
      heap.f32(staging, n).set(data);
      k.quantizeF32(staging, at, edge.outer, edge.axisLen, edge.inner, edge.params, edge.params + 4 * edge.axisLen, -128, 127, ROUND_HALF_AWAY);
    } else if (data instanceof Uint8Array) {
      heap.u8(at, n).set(data);
      k.flipSign8(at, at, n);
    } else {
      heap.i8(at, n).set(data);
    }
  }

  private readOutput(edge: Edge, raw: boolean): OutputData {
    const { heap, kernels: k } = this.plan;
    const at = this.base + edge.offset, n = edge.length;
    if (edge.stored === 'float32') return heap.f32(at, n).slice();
    const staging = this.base + this.plan.stagingOffset;
    if (!raw) {
      k.dequantize8(at, staging, edge.outer, edge.axisLen, edge.inner, edge.params, edge.params + 4 * edge.axisLen, 1);
      return heap.f32(staging, n).slice();
    }
    if (edge.info.dtype === 'uint8') {
      k.flipSign8(at, staging, n);
      return heap.u8(staging, n).slice();
    }
    return heap.i8(at, n).slice();
  }
}
