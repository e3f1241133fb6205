// Typed signatures of the 'elementwise' kernel family's exports (assembly/elementwise/) and the prepare-time
// helpers that compute their parameters, so the op layer never re-derives them. Pointers are byte offsets
// into wasm memory. Browser-safe (no node: imports).
import { quantizeMultiplier } from '../../quant/multiplier.js';
import { KernelParamsError } from './params-error.js';
import { checkScale, checkZeroPoint } from './pool.js';

export { KernelParamsError };

export interface ElementwiseExports {
  /**
   * Add (TFLite int8 scheme), with broadcasting: `desc` points to the 23 i32 of binaryDescriptor(). Writes
   * exactly d0*d1*d2*d3 bytes of `out` (the broadcast output shape, row-major).
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

/** Bytes of the descriptor binaryDescriptor() returns. */
export const BINARY_DESCRIPTOR_BYTES = 92;

/** The descriptor addInt8 / mulInt8 read: shapes broadcast by broadcast4, params by addParams / mulParams. */
export function binaryDescriptor(bc: Broadcast4, p: AddParams | MulParams, qmin: number, qmax: number): Int32Array {
  checkClamp(p.kind === 'add' ? 'Add' : 'Mul', qmin, qmax);
  const d = new Int32Array(BINARY_DESCRIPTOR_BYTES / 4);
  d.set(bc.dims, 0);
  d.set(bc.stridesA, 4);
  d.set(bc.stridesB, 8);
  d.set([p.zpA, p.zpB, p.zpOut, qmin, qmax, p.mOut, p.shiftOut], 12);
  if (p.kind === 'add') d.set([p.mA, p.shiftA, p.mB, p.shiftB], 19);
  return d;
}

/** Clamp bounds inside int8 with qmin <= qmax. */
export function checkClamp(op: string, qmin: number, qmax: number, lo = -128, hi = 127): void {
  if (!Number.isInteger(qmin) || !Number.isInteger(qmax) || qmin < lo || qmax > hi || qmin > qmax) {
    throw new KernelParamsError('BAD_CLAMP', `${op}: clamp range [${qmin}, ${qmax}] is not inside [${lo}, ${hi}]`);
  }
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
