// The contract of an IR op: `infer` computes output shapes and types from input shapes (and constant inputs),
// `run` fills preallocated outputs from input values. Shape inference, constant folding and the reference
// executor all go through these two functions, so they cannot disagree.
import type { IrDType, IrNodeOf, IrOpKind, Layout, TensorData } from '../graph.js';
import { ConvertError } from '../errors.js';

/** What infer knows about an input: shape, type and, for constants, the data. undefined = absent optional. */
export interface InferInput {
  shape: number[];
  dtype: IrDType;
  data?: TensorData;
}

export interface Value {
  shape: number[];
  dtype: IrDType;
  data: TensorData;
}

export interface OutputInfo {
  shape: number[];
  dtype: IrDType;
  /** for shape computations: the value itself when it is known without running (e.g. Shape) */
  data?: TensorData;
}

export interface OpDef<K extends IrOpKind> {
  infer(node: IrNodeOf<K>, inputs: (InferInput | undefined)[], layout: Layout): OutputInfo[];
  run(node: IrNodeOf<K>, inputs: (Value | undefined)[], outputs: Value[], layout: Layout): void;
}

export type OpTable = { [K in IrOpKind]: OpDef<K> };

export function fail(node: { name: string; op: string }, code: ConstructorParameters<typeof ConvertError>[0], msg: string): never {
  throw new ConvertError(code, `${node.op} node '${node.name}': ${msg}`);
}

/** A required input. */
export function need<T>(node: { name: string; op: string }, inputs: (T | undefined)[], i: number): T {
  const v = inputs[i];
  if (!v) fail(node, 'DANGLING_EDGE', `input ${i} is missing`);
  return v;
}

/**
 * A parameter given as an attribute (older opsets) or as a constant input (newer opsets): the attribute wins,
 * else the input's constant data, else undefined when the input is absent. A present but non-constant input is
 * a NOT_CONSTANT error.
 */
export function param(node: { name: string; op: string }, attrValue: number[] | undefined, input: InferInput | undefined, what: string): number[] | undefined {
  if (attrValue) return attrValue;
  if (!input) return undefined;
  if (!input.data) fail(node, 'NOT_CONSTANT', `${what} must be a constant (initializer, Constant or foldable)`);
  return Array.from(input.data);
}

export function normAxis(node: { name: string; op: string }, axis: number, rank: number): number {
  const a = axis < 0 ? axis + rank : axis;
  if (!Number.isInteger(a) || a < 0 || a >= rank) fail(node, 'SHAPE_MISMATCH', `axis ${axis} out of range for rank ${rank}`);
  return a;
}

export function stridesOf(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i];
  }
  return s;
}

/** Numpy-style broadcast of two shapes. */
export function broadcastShapes(node: { name: string; op: string }, a: readonly number[], b: readonly number[]): number[] {
  const r = Math.max(a.length, b.length);
  const out = new Array<number>(r);
  for (let i = 0; i < r; i++) {
    const da = a[a.length - r + i] ?? 1, db = b[b.length - r + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) fail(node, 'SHAPE_MISMATCH', `cannot broadcast [${a}] with [${b}]`);
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/** Element offsets of `inShape` read for each element of the broadcast `outShape`. */
export function broadcastIndex(inShape: readonly number[], outShape: readonly number[]): Int32Array {
  const r = outShape.length;
  const n = outShape.reduce((a, d) => a * d, 1);
  const inStrides = stridesOf(inShape);
  const st = new Array<number>(r).fill(0);
  for (let i = 0; i < inShape.length; i++) st[r - inShape.length + i] = inShape[i] === 1 ? 0 : inStrides[i];
  const idx = new Int32Array(n);
  const pos = new Array<number>(r).fill(0);
  let off = 0;
  for (let k = 0; k < n; k++) {
    idx[k] = off;
    for (let d = r - 1; d >= 0; d--) {
      pos[d]++;
      off += st[d];
      if (pos[d] < outShape[d]) break;
      off -= st[d] * pos[d];
      pos[d] = 0;
    }
  }
  return idx;
}

export function activate(x: number, act: 'none' | 'relu' | 'relu6' | 'hardswish'): number {
  switch (act) {
    case 'none': return x;
    case 'relu': return x > 0 ? x : 0;
    case 'relu6': return x < 0 ? 0 : x > 6 ? 6 : x;
    case 'hardswish': return x * Math.min(Math.max(x + 3, 0), 6) / 6;
  }
}

export function isFloat(t: IrDType): boolean {
  return t === 'float32' || t === 'float64';
}
