// Typed signatures of the 'elementwise' kernel family's exports (assembly/elementwise/) and the prepare-time
// helpers that compute their parameters, so the op layer never re-derives them. Pointers are byte offsets
// into wasm memory. Browser-safe (no node: imports). Descriptors are built once at prepare time, copied into
// wasm memory (one per op; only the pool family's Mean still writes a scratch tail), and passed by pointer.
//   Add, Mul            addInt8 / mulInt8 on binaryDescriptor(broadcast4(a, b), addParams|mulParams, clamp)
//   Logistic, Tanh, HardSwish, LeakyRelu (and Relu/Relu6 with differing in/out parameters)
//                       lut8 on a table from src/quant/lut.ts
//   Relu, Relu6         clamp8 with activationRange() when in/out parameters are equal
//   Softmax             softmaxInt8 on softmaxTable(beta, inputScale); output (1/256, -128)
//   Concatenation       copyRows8 once per input, as concatPlan() says
//   Pad                 pad8 on padDescriptor()
//   Quantize            f32 -> 8-bit: quantizeF32 with quantizeLayout(); 8-bit -> 8-bit: requantize8 on
//                       requantDescriptor(), or lut8 on requantTable8() (same bytes, faster); uint8 <-> int8
//                       with the same scale: flipSign8
//   Dequantize          dequantize8 (int8/uint8) or dequantizeI32 with quantizeLayout()
import { quantizeMultiplier } from '../../quant/multiplier.js';
import { KernelParamsError, checkClamp, checkScale, checkZeroPoint } from './params-error.js';
import { KERNEL_SCRATCH_BYTES } from './pool.js';
import type { KernelExports } from '../kernel-abi.js';
import type { WasmHeap } from '../heap.js';

export { KernelParamsError, KERNEL_SCRATCH_BYTES, checkClamp };

export interface ElementwiseExports {
  /**
   * Add (TFLite int8 scheme), with broadcasting: `desc` points to binaryDescriptor() (BINARY_DESCRIPTOR_BYTES,
   * read only). Writes exactly d0*d1*d2*d3 bytes of `out` (the broadcast output
   * shape, row-major). `out` may be `a` or `b` when that input has the output's shape (in place).
   */
  addInt8(a: number, b: number, out: number, desc: number): void;
  /** Mul (TFLite int8 scheme), with broadcasting; `desc` from binaryDescriptor(). */
  mulInt8(a: number, b: number, out: number, desc: number): void;
  /**
   * out[i] = table[in[i] & 0xff] for i < n: any element-wise function of an int8/uint8 tensor, SIMD
   * (16 i8x16.swizzle per 16 bytes; ~1.5x the scalar loop). `table` holds 256 bytes from src/quant/lut.ts.
   * In place (out == input) is allowed.
   */
  lut8(input: number, output: number, n: number, table: number): void;
  /** Scalar twin of lut8 (the benchmark baseline). */
  lut8Scalar(input: number, output: number, n: number, table: number): void;
  /**
   * out[i] = clamp(in[i], qmin, qmax), int8: Relu ([max(-128, zp), 127]) and Relu6 (activationRange('relu6'))
   * when input and output share scale and zero point. In place allowed.
   */
  clamp8(input: number, output: number, n: number, qmin: number, qmax: number): void;
  /**
   * Softmax over the last axis: `rows` rows of `length` (>= 1) int8 values; output int8 with scale 1/256 and
   * zero point -128. `table` points to the 256 f32 of softmaxTable(beta, inputScale). The exact algorithm is
   * in assembly/elementwise/softmax.ts (f32 table, sequential f32 sum, nearest-even of e * (256 / sum)).
   */
  softmaxInt8(input: number, output: number, rows: number, length: number, table: number): void;
  /**
   * 8-bit -> 8-bit requantization of n bytes, out = clamp(zpOut + MBQM(q - zpIn, sIn / sOut)): TFLite QUANTIZE
   * with an int8/uint8 input. `desc` = the 8 i32 of requantDescriptor(). In place allowed.
   */
  requantize8(input: number, output: number, n: number, desc: number): void;
  /**
   * Concatenation: copies `rows` rows of `rowBytes` from a contiguous input to `output` + r * outStride
   * (`output` already offset to the input's place along the axis). desc = 0: byte copy; otherwise each row is
   * requantized with a requantDescriptor(). Use concatPlan() for every argument.
   */
  copyRows8(input: number, output: number, rows: number, rowBytes: number, outStride: number, desc: number): void;
  /** out = in ^ 0x80 on n bytes: uint8 (zp z) <-> int8 (zp z - 128) with the same scale. In place allowed. */
  flipSign8(input: number, output: number, n: number): void;
  /** Constant pad of an 8-bit tensor, rank <= 6, pad value = the zero point; `desc` from padDescriptor(). */
  pad8(input: number, output: number, desc: number): void;
  /**
   * float32 -> int8/uint8 over [outer, axisLen, inner] with per-slice scales (f32) and zero points (i32):
   * q = clamp(round(x / scale) + zp, qmin, qmax), x / scale in f32; mode ROUND_HALF_AWAY (TFLite) or
   * ROUND_HALF_EVEN (ONNX QuantizeLinear). NaN -> zp; +-Infinity saturate. Use quantizeLayout().
   */
  quantizeF32(input: number, output: number, outer: number, axisLen: number, inner: number,
    scales: number, zeroPoints: number, qmin: number, qmax: number, mode: number): void;
  /** int8 (signed = 1) or uint8 (signed = 0) -> float32: x = f32(scale * (q - zp)), per slice as quantizeF32. */
  dequantize8(input: number, output: number, outer: number, axisLen: number, inner: number,
    scales: number, zeroPoints: number, signed: number): void;
  /** int32 -> float32: x = f32(f64(scale) * (q - zp)), per slice as quantizeF32. */
  dequantizeI32(input: number, output: number, outer: number, axisLen: number, inner: number,
    scales: number, zeroPoints: number): void;
}

/** Fixed-point parameters of Add: per-input multipliers and the output multiplier (TFLite, left shift 20). */
export interface AddParams {
  kind: 'add';
  zpA: number; zpB: number; zpOut: number;
  mA: number; shiftA: number; mB: number; shiftB: number; mOut: number; shiftOut: number;
}

/** Fixed-point parameters of Mul: one multiplier s1 * s2 / sOut. */
export interface MulParams {
  kind: 'mul';
  zpA: number; zpB: number; zpOut: number;
  mOut: number; shiftOut: number;
}

/** The left shift TFLite's int8 Add applies to each input after subtracting its zero point. */
export const ADD_LEFT_SHIFT = 20;

function checkQuant(op: string, s1: number, zp1: number, s2: number, zp2: number, sOut: number, zpOut: number): void {
  checkScale(op, 'first input scale', s1);
  checkScale(op, 'second input scale', s2);
  checkScale(op, 'output scale', sOut);
  checkZeroPoint(op, 'first input zero point', zp1);
  checkZeroPoint(op, 'second input zero point', zp2);
  checkZeroPoint(op, 'output zero point', zpOut);
}

/**
 * Add: twiceMax = 2 max(s1, s2); M_i = s_i / twiceMax; M_out = twiceMax / (2^20 sOut), each via
 * quantizeMultiplier. Throws KernelParamsError / WasmqError('BAD_MULTIPLIER') for unusable scales.
 */
export function addParams(s1: number, zp1: number, s2: number, zp2: number, sOut: number, zpOut: number): AddParams {
  checkQuant('Add', s1, zp1, s2, zp2, sOut, zpOut);
  const twiceMax = 2 * Math.max(s1, s2);
  const a = quantizeMultiplier(s1 / twiceMax), b = quantizeMultiplier(s2 / twiceMax);
  const o = quantizeMultiplier(twiceMax / (2 ** ADD_LEFT_SHIFT * sOut));
  return { kind: 'add', zpA: zp1, zpB: zp2, zpOut, mA: a.multiplier, shiftA: a.shift, mB: b.multiplier, shiftB: b.shift, mOut: o.multiplier, shiftOut: o.shift };
}

/** Mul: M = s1 * s2 / sOut via quantizeMultiplier. */
export function mulParams(s1: number, zp1: number, s2: number, zp2: number, sOut: number, zpOut: number): MulParams {
  checkQuant('Mul', s1, zp1, s2, zp2, sOut, zpOut);
  const o = quantizeMultiplier(s1 * s2 / sOut);
  return { kind: 'mul', zpA: zp1, zpB: zp2, zpOut, mOut: o.multiplier, shiftOut: o.shift };
}

/** A broadcast of two shapes collapsed to 4-D: output dims and each input's element strides (0 = broadcast). */
export interface Broadcast4 {
  /** the full broadcast output shape (rank = max of the inputs' ranks) */
  outShape: number[];
  dims: [number, number, number, number];
  stridesA: [number, number, number, number];
  stridesB: [number, number, number, number];
}

/**
 * NumPy-style broadcast of shapes a and b (any ranks). Size-1 output axes are dropped and adjacent axes merged
 * wherever both inputs are contiguous (or both broadcast) across them, so equal shapes become a single row and
 * [N,H,W,C] + [C] becomes [N*H*W, C]. Throws KernelParamsError if the shapes do not broadcast or need more
 * than 4 axes after merging.
 */
export function broadcast4(a: readonly number[], b: readonly number[], op = 'binary op'): Broadcast4 {
  const rank = Math.max(a.length, b.length);
  const pa = [...Array(rank - a.length).fill(1), ...a], pb = [...Array(rank - b.length).fill(1), ...b];
  const outShape: number[] = [];
  for (let i = 0; i < rank; i++) {
    const x = pa[i], y = pb[i];
    if (!Number.isInteger(x) || !Number.isInteger(y) || x < 1 || y < 1) throw new KernelParamsError('BAD_SHAPE', `${op}: shapes [${a}] and [${b}] have a dimension < 1`);
    if (x !== y && x !== 1 && y !== 1) throw new KernelParamsError('BAD_BROADCAST', `${op}: shapes [${a}] and [${b}] do not broadcast (axis ${i}: ${x} vs ${y})`);
    outShape.push(Math.max(x, y));
  }
  const size = outShape.reduce((p, d) => p * d, 1);
  if (size > 0x7fffffff) throw new KernelParamsError('BAD_SHAPE', `${op}: output of ${size} elements is too large`);
  const stridesOf = (shape: number[]) => {
    const s = new Array<number>(rank);
    let acc = 1;
    for (let i = rank - 1; i >= 0; i--) {
      s[i] = shape[i] === 1 ? 0 : acc;
      acc *= shape[i];
    }
    return s;
  };
  const sa = stridesOf(pa), sb = stridesOf(pb);
  // Keep the non-trivial axes, merging each into the previous one when both inputs allow it.
  const dims: number[] = [], A: number[] = [], B: number[] = [];
  for (let i = 0; i < rank; i++) {
    if (outShape[i] === 1) continue;
    const n = dims.length - 1;
    if (n >= 0 && A[n] === sa[i] * outShape[i] && B[n] === sb[i] * outShape[i]) {
      dims[n] *= outShape[i];
      A[n] = sa[i];
      B[n] = sb[i];
    } else {
      dims.push(outShape[i]);
      A.push(sa[i]);
      B.push(sb[i]);
    }
  }
  if (dims.length === 0) { dims.push(1); A.push(1); B.push(1); }
  if (dims.length > 4) throw new KernelParamsError('UNSUPPORTED', `${op}: broadcasting [${a}] with [${b}] needs ${dims.length} axes, the kernel handles 4`);
  while (dims.length < 4) { dims.unshift(1); A.unshift(0); B.unshift(0); }
  return { outShape, dims: dims as Broadcast4['dims'], stridesA: A as Broadcast4['stridesA'], stridesB: B as Broadcast4['stridesB'] };
}

/** Bytes of the descriptor binaryDescriptor() returns: 23 i32, padded to 128 (the kernel only reads it). */
export const BINARY_DESCRIPTOR_BYTES = 128;

/** The descriptor addInt8 / mulInt8 read: shapes broadcast by broadcast4, params by addParams / mulParams. */
export function binaryDescriptor(bc: Broadcast4, p: AddParams | MulParams, qmin: number, qmax: number): Int32Array {
  checkClamp(p.kind === 'add' ? 'Add' : 'Mul', qmin, qmax);
  const d = new Int32Array(BINARY_DESCRIPTOR_BYTES / 4);
  d.set(bc.dims, 0);
  d.set(bc.stridesA, 4);
  d.set(bc.stridesB, 8);
  d.set([p.zpA, p.zpB, p.zpOut, qmin, qmax, p.mOut, p.shiftOut], 12);
  if (p.kind === 'add') {
    // The kernel's input stage takes right shifts only (input multipliers are <= 1/2 by construction).
    if (p.shiftA > 0 || p.shiftB > 0) throw new KernelParamsError('BAD_MULTIPLIER', `Add: input multipliers must be < 1 (shifts ${p.shiftA}, ${p.shiftB})`);
    d.set([p.mA, p.shiftA, p.mB, p.shiftB], 19);
  }
  return d;
}

/**
 * The clamp range of a fused activation on a quantized output (QUANTIZATION.md §2): none -> [qmin, qmax];
 * relu -> [max(qmin, zp), qmax]; relu6 -> [max(qmin, zp), min(qmax, zp + round(6 / scale))].
 */
export function activationRange(activation: 'none' | 'relu' | 'relu6', scale: number, zeroPoint: number, qmin = -128, qmax = 127): { qmin: number; qmax: number } {
  if (activation === 'none') return { qmin, qmax };
  const lo = Math.max(qmin, zeroPoint);
  if (activation === 'relu') return { qmin: lo, qmax };
  const six = 6 / scale;
  return { qmin: lo, qmax: Math.max(lo, Math.min(qmax, zeroPoint + (six < 0 ? -Math.round(-six) : Math.round(six)))) };
}

/** Output quantization softmaxInt8 produces (TFLite's int8 softmax output). */
export const SOFTMAX_OUTPUT = { scale: 1 / 256, zeroPoint: -128 } as const;

/**
 * The f32 table softmaxInt8 reads: table[255 + d] = f32(exp(beta * inputScale * d)) for d in [-255, 0]
 * (exp evaluated in double, then rounded to f32 once).
 */
export function softmaxTable(beta: number, inputScale: number): Float32Array {
  if (!(beta > 0) || !Number.isFinite(beta)) throw new KernelParamsError('BAD_PARAM', `Softmax: beta must be a positive finite number, got ${beta}`);
  checkScale('Softmax', 'input scale', inputScale);
  const t = new Float32Array(256);
  for (let k = 0; k < 256; k++) t[k] = Math.exp(beta * inputScale * (k - 255));
  return t;
}

/** An 8-bit tensor's quantization, as the requantize / concat helpers take it. */
export interface Quant8 {
  scale: number;
  zeroPoint: number;
  type?: 'int8' | 'uint8'; // default int8
}

const RANGE8 = { int8: { qmin: -128, qmax: 127 }, uint8: { qmin: 0, qmax: 255 } } as const;

function range8(op: string, field: string, q: Quant8): { qmin: number; qmax: number } {
  const type = q.type ?? 'int8';
  const r = RANGE8[type];
  if (!r) throw new KernelParamsError('BAD_TYPE', `${op}: ${field} type ${type} is not int8 or uint8`);
  checkScale(op, `${field} scale`, q.scale);
  checkZeroPoint(op, `${field} zero point`, q.zeroPoint, r.qmin, r.qmax);
  return r;
}

/** Bytes of requantDescriptor(): 8 i32 (requantize8 / copyRows8 only read it). */
export const REQUANT_DESCRIPTOR_BYTES = 32;

/**
 * The descriptor requantize8 / copyRows8 read to map `input`'s parameters to `output`'s: M = sIn / sOut via
 * quantizeMultiplier; [qmin, qmax] (in the output type's values; default its full range) is the fused clamp.
 */
export function requantDescriptor(input: Quant8, output: Quant8, qmin?: number, qmax?: number, op = 'Requantize'): Int32Array {
  range8(op, 'input', input);
  const r = range8(op, 'output', output);
  const lo = qmin ?? r.qmin, hi = qmax ?? r.qmax;
  checkClamp(op, lo, hi, r.qmin, r.qmax);
  const { multiplier, shift } = quantizeMultiplier(input.scale / output.scale);
  const flipIn = input.type === 'uint8' ? 128 : 0, flipOut = output.type === 'uint8' ? 128 : 0;
  const d = new Int32Array(REQUANT_DESCRIPTOR_BYTES / 4);
  d.set([input.zeroPoint - flipIn, output.zeroPoint - flipOut, multiplier, shift, lo - flipOut, hi - flipOut, flipIn, flipOut]);
  return d;
}

/**
 * The 256-byte table (for lut8) of the 8-bit requantization requantDescriptor(input, output, qmin, qmax)
 * describes, computed by requantize8 itself on every byte: the same fixed-point results as requantize8, at the
 * speed of a table lookup (about 2x). Prepare-time only: allocates and releases wasm memory in `heap`.
 */
export function requantTable8(k: KernelExports, heap: WasmHeap, input: Quant8, output: Quant8, qmin?: number, qmax?: number): Uint8Array {
  const desc = requantDescriptor(input, output, qmin, qmax);
  const mark = heap.mark();
  try {
    const bytes = heap.put(Uint8Array.from({ length: 256 }, (_, i) => i));
    const d = heap.put(desc);
    k.requantize8(bytes, bytes, 256, d);
    return heap.u8(bytes, 256).slice();
  } finally {
    heap.release(mark);
  }
}

/** One copyRows8 call of a Concatenation. */
export interface ConcatPart {
  /** byte offset of this input's first row inside the output */
  outOffset: number;
  rows: number;
  rowBytes: number;
  outStride: number;
  /** requantDescriptor, or null for a plain copy (same parameters, no clamp) */
  desc: Int32Array | null;
}

/**
 * Plans a Concatenation of 8-bit inputs along `axis` (negative counts from the end): every input must match the
 * output's shape except along the axis. An input whose scale and zero point equal the output's, with the clamp
 * [qmin, qmax] covering the whole type, is copied; any other is requantized (and clamped).
 */
export function concatPlan(inputs: { shape: readonly number[]; quant: Quant8 }[], axis: number, output: Quant8, qmin?: number, qmax?: number): { outShape: number[]; parts: ConcatPart[] } {
  if (inputs.length === 0) throw new KernelParamsError('BAD_PARAM', 'Concatenation: no inputs');
  const rank = inputs[0].shape.length;
  const ax = axis < 0 ? axis + rank : axis;
  if (!Number.isInteger(ax) || ax < 0 || ax >= rank) throw new KernelParamsError('BAD_AXES', `Concatenation: axis ${axis} is not valid for rank ${rank}`);
  const outShape = [...inputs[0].shape];
  outShape[ax] = 0;
  inputs.forEach(({ shape }, n) => {
    if (shape.length !== rank || shape.some((d, i) => !Number.isInteger(d) || d < 0 || (i !== ax && d !== inputs[0].shape[i]))) {
      throw new KernelParamsError('BAD_SHAPE', `Concatenation: input ${n} has shape [${shape}], which does not match [${inputs[0].shape}] outside axis ${ax}`);
    }
    outShape[ax] += shape[ax];
  });
  const size = outShape.reduce((a, b) => a * b, 1);
  if (size > 0x7fffffff) throw new KernelParamsError('BAD_SHAPE', `Concatenation: output of ${size} elements is too large`);
  const r = range8('Concatenation', 'output', output);
  const lo = qmin ?? r.qmin, hi = qmax ?? r.qmax;
  const rows = outShape.slice(0, ax).reduce((a, b) => a * b, 1);
  const inner = outShape.slice(ax + 1).reduce((a, b) => a * b, 1);
  const outStride = outShape[ax] * inner;
  let offset = 0;
  const parts = inputs.map(({ shape, quant }, n) => {
    range8('Concatenation', `input ${n}`, quant);
    const same = Math.fround(quant.scale) === Math.fround(output.scale) && quant.zeroPoint === output.zeroPoint &&
      (quant.type ?? 'int8') === (output.type ?? 'int8') && lo === r.qmin && hi === r.qmax;
    const rowBytes = shape[ax] * inner;
    const part: ConcatPart = { outOffset: offset, rows, rowBytes, outStride, desc: same ? null : requantDescriptor(quant, output, lo, hi, 'Concatenation') };
    offset += rowBytes;
    return part;
  });
  return { outShape, parts };
}

/** Bytes of padDescriptor(). */
export const PAD_DESCRIPTOR_BYTES = 76;

/**
 * The descriptor pad8 reads, from an input shape (rank <= 6), ONNX/TFLite-style pads [before_0, after_0,
 * before_1, after_1, ...] (>= 0) and the pad value (the zero point). Unpadded inner axes are merged into the
 * row so memory.copy moves long runs. Also returns the output shape.
 */
export function padDescriptor(shape: readonly number[], pads: readonly number[], value: number): { outShape: number[]; desc: Int32Array } {
  const rank = shape.length;
  if (rank > 6) throw new KernelParamsError('UNSUPPORTED', `Pad: rank ${rank} > 6`);
  if (pads.length !== 2 * rank) throw new KernelParamsError('BAD_PARAM', `Pad: ${pads.length} pad amounts for rank ${rank} (need ${2 * rank})`);
  shape.forEach((d, i) => { if (!Number.isInteger(d) || d < 0) throw new KernelParamsError('BAD_SHAPE', `Pad: shape[${i}] = ${d}`); });
  pads.forEach((p, i) => { if (!Number.isInteger(p) || p < 0 || p > 1 << 24) throw new KernelParamsError('BAD_PARAM', `Pad: pads[${i}] = ${p} must be an integer >= 0`); });
  if (!Number.isInteger(value) || value < -128 || value > 255) throw new KernelParamsError('BAD_ZERO_POINT', `Pad: value ${value} is not an 8-bit value`);
  const outShape = shape.map((d, i) => d + pads[2 * i] + pads[2 * i + 1]);
  const outSize = outShape.reduce((a, b) => a * b, 1);
  if (outSize > 0x7fffffff) throw new KernelParamsError('BAD_SHAPE', `Pad: output of ${outSize} elements is too large`);
  const dims = [...shape], before = pads.filter((_, i) => i % 2 === 0), after = pads.filter((_, i) => i % 2 === 1);
  // An input with no elements pads to all-value output: describe it as an empty input inside a 1-D row.
  if (shape.some((d) => d === 0)) return { outShape, desc: Int32Array.of(1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, outSize, value) };
  // Merge axis i into i+1 while i+1 is unpadded: a row of i+1 is then contiguous in input and output.
  for (let i = dims.length - 2; i >= 0; i--) {
    if (before[i + 1] === 0 && after[i + 1] === 0) {
      const n = dims[i + 1];
      dims.splice(i, 2, dims[i] * n);
      before.splice(i, 2, before[i] * n);
      after.splice(i, 2, after[i] * n);
    }
  }
  while (dims.length < 6) { dims.unshift(1); before.unshift(0); after.unshift(0); }
  return { outShape, desc: Int32Array.from([...dims, ...before, ...after, value]) };
}

/** Rounding modes of quantizeF32. */
export const ROUND_HALF_AWAY = 0;
export const ROUND_HALF_EVEN = 1;

/** The [outer, axisLen, inner] view and per-slice arrays quantizeF32 / dequantize8 / dequantizeI32 take. */
export interface QuantizeLayout {
  outer: number; axisLen: number; inner: number;
  scales: Float32Array; zeroPoints: Int32Array;
  /** output (quantize) or input (dequantize) range: int8 -128..127, uint8 0..255, int32 full */
  qmin: number; qmax: number;
}

/**
 * Layout of a (de)quantization of `shape` with scales/zero points per tensor (axis -1, one entry) or per
 * slice along `axis` (ONNX QuantizeLinear's axis). Zero points must lie in the 8-bit type's range.
 */
export function quantizeLayout(shape: readonly number[], scales: ArrayLike<number>, zeroPoints: ArrayLike<number>, axis: number, type: 'int8' | 'uint8' | 'int32', op = 'Quantize'): QuantizeLayout {
  const rank = shape.length;
  shape.forEach((d, i) => { if (!Number.isInteger(d) || d < 0) throw new KernelParamsError('BAD_SHAPE', `${op}: shape[${i}] = ${d}`); });
  const size = shape.reduce((a, b) => a * b, 1);
  if (size > 0x7fffffff) throw new KernelParamsError('BAD_SHAPE', `${op}: tensor of ${size} elements is too large`);
  const range = type === 'int32' ? { qmin: -2147483648, qmax: 2147483647 } : RANGE8[type];
  if (!range) throw new KernelParamsError('BAD_TYPE', `${op}: type ${type} is not int8, uint8 or int32`);
  let outer = 1, axisLen = 1, inner = size;
  if (axis !== -1 || scales.length !== 1) {
    const ax = axis < 0 ? axis + rank : axis;
    if (!Number.isInteger(ax) || ax < 0 || ax >= rank) throw new KernelParamsError('BAD_AXES', `${op}: axis ${axis} is not valid for rank ${rank}`);
    axisLen = shape[ax];
    outer = shape.slice(0, ax).reduce((a, b) => a * b, 1);
    inner = shape.slice(ax + 1).reduce((a, b) => a * b, 1);
  }
  if (scales.length !== axisLen || zeroPoints.length !== axisLen) {
    throw new KernelParamsError('BAD_PARAM', `${op}: ${scales.length} scales and ${zeroPoints.length} zero points for ${axisLen} slices`);
  }
  const s = Float32Array.from(scales), z = Int32Array.from(zeroPoints);
  for (let i = 0; i < axisLen; i++) {
    checkScale(op, `scale[${i}]`, s[i]);
    checkZeroPoint(op, `zero point[${i}]`, zeroPoints[i], range.qmin, range.qmax);
  }
  return { outer, axisLen, inner, scales: s, zeroPoints: z, qmin: range.qmin, qmax: range.qmax };
}
