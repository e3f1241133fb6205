// Typed signatures of the 'dwconv' kernel family's exports (assembly/dwconv/) and the prepare-time helpers that
// build their inputs: the convolution descriptor (shared with the f32 conv and depthwise kernels), packed
// weights and scratch. Pointers are byte offsets into wasm memory. Browser-safe.
import type { WasmHeap } from '../heap.js';
import { KernelParamsError, checkInt } from './params-error.js';

export interface DwconvExports {
  /**
   * Scratch bytes a depthwise kernel needs for the call `desc` (a descriptor in memory) describes, elemBytes 1 for
   * int8, 4 for f32; with a depth multiplier > 1 it holds a band of input rows with each channel repeated.
   */
  dwconvScratchSize(desc: number, elemBytes: number): number;
  /** Bytes of dwconvInt8Pack's block for `channels` output channels and taps = kH * kW. */
  dwconvInt8PackedSize(channels: number, taps: number): number;
  /**
   * Packs 1HWC int8 weights (`weights`: [kH*kW][channels], channels = inC * depthMultiplier) and an optional int32
   * bias (0 = none), folding -zpIn * sum(w - zpW) into the bias. zpW is the per-tensor weight zero point (0 for
   * symmetric weights). Use packDepthwiseInt8().
   */
  dwconvInt8Pack(dst: number, weights: number, bias: number, channels: number, taps: number, zpIn: number, zpW: number): void;
  /**
   * NHWC int8 depthwise conv, SIMD over 16 channels: out = clamp(zpOut + requant(acc), qmin, qmax) with
   * acc = bias + sum_t (x_t - zpIn)(w_t - zpW), padded taps reading zpIn (QUANTIZATION.md §2).
   * `desc`: writeDepthwiseDescriptor() with the quantization fields; `packed`: packDepthwiseInt8(); `params`: the
   * requantization params block of outC channels (packRequantParams); `scratch`: depthwiseScratch(g, 1) bytes.
   * Depth multiplier > 1 runs on a copy of the input in scratch, each channel repeated. Input and output must not overlap.
   */
  dwconvInt8(desc: number, input: number, output: number, packed: number, params: number, scratch: number): void;
  /** The same computation in scalar code (int8-scalar benchmark baseline), any depth multiplier. */
  dwconvInt8Scalar(desc: number, input: number, output: number, packed: number, params: number, scratch: number): void;
}

/** NHWC convolution geometry. Bottom/right padding is implied by outH/outW. */
export interface ConvGeometry {
  batch: number; inH: number; inW: number; inC: number;
  outH: number; outW: number; outC: number;
  kH: number; kW: number;
  strideH: number; strideW: number;
  dilationH: number; dilationW: number;
  padTop: number; padLeft: number;
}

/** The int8 kernels' quantization fields: input and output zero points and the fused clamp. */
export interface ConvQuant {
  zpIn: number; zpOut: number; qmin: number; qmax: number;
}

export interface ConvGeometryOptions {
  strideH: number; strideW: number;
  dilationH: number; dilationW: number;
  padTop: number; padBottom: number; padLeft: number; padRight: number;
}

/** Bytes of the descriptor (20 i32). */
export const CONV_DESCRIPTOR_BYTES = 80;
/** Largest kH * kW the kernels take (keeps every int32 accumulator exact). */
export const MAX_TAPS = 4096;

/**
 * Geometry of a conv / depthwise conv from its NHWC input shape, kernel size, output channels and options:
 * outH = floor((inH + padTop + padBottom - dilationH * (kH - 1) - 1) / strideH) + 1 (likewise W).
 */
export function convGeometry(inputShape: readonly number[], kH: number, kW: number, outC: number, o: ConvGeometryOptions, op = 'conv'): ConvGeometry {
  if (inputShape.length !== 4) throw new KernelParamsError('BAD_SHAPE', `${op}: input must be 4-D NHWC, got [${inputShape}]`);
  const [batch, inH, inW, inC] = inputShape;
  for (const [name, v] of Object.entries({ padTop: o.padTop, padBottom: o.padBottom, padLeft: o.padLeft, padRight: o.padRight })) checkInt(op, name, v, 0);
  for (const [name, v] of Object.entries({ kH, kW, dilationH: o.dilationH, dilationW: o.dilationW, strideH: o.strideH, strideW: o.strideW })) checkInt(op, name, v, 1);
  const outH = Math.floor((inH + o.padTop + o.padBottom - o.dilationH * (kH - 1) - 1) / o.strideH) + 1;
  const outW = Math.floor((inW + o.padLeft + o.padRight - o.dilationW * (kW - 1) - 1) / o.strideW) + 1;
  const g: ConvGeometry = {
    batch, inH, inW, inC, outH, outW, outC, kH, kW, strideH: o.strideH, strideW: o.strideW,
    dilationH: o.dilationH, dilationW: o.dilationW, padTop: o.padTop, padLeft: o.padLeft,
  };
  checkConvGeometry(g, op);
  return g;
}

/** Validates a geometry: positive sizes, int32-sized tensors, a kernel of at most MAX_TAPS taps. */
export function checkConvGeometry(g: ConvGeometry, op = 'conv'): void {
  for (const [name, v] of Object.entries(g)) checkInt(op, name, v, name === 'padTop' || name === 'padLeft' ? 0 : 1);
  if (g.kH * g.kW > MAX_TAPS) throw new KernelParamsError('BAD_KERNEL', `${op}: kernel ${g.kH}x${g.kW} has more than ${MAX_TAPS} taps`);
  const sizes = [g.batch * g.inH * g.inW * g.inC, g.batch * g.outH * g.outW * g.outC, g.kH * g.kW * g.inC * g.outC];
  // Byte offsets of f32 tensors must stay in int32 too, and reach of the (dilated) window.
  if (sizes.some((s) => s * 4 > 0x7fffffff) || (g.inH + g.kH * g.dilationH) * g.inW * g.inC * 4 > 0x7fffffff) {
    throw new KernelParamsError('BAD_SHAPE', `${op}: tensors of [${sizes}] elements are too large`);
  }
}

/** Checks a depthwise geometry: outC a whole multiple of inC (the depth multiplier). */
export function checkDepthwiseGeometry(g: ConvGeometry, op = 'depthwise'): void {
  checkConvGeometry(g, op);
  if (g.outC % g.inC !== 0) throw new KernelParamsError('BAD_SHAPE', `${op}: output channels ${g.outC} are not a multiple of input channels ${g.inC}`);
  // A depth multiplier > 1 repeats the input's channels in scratch, a band of rows at a time (at least one
  // window's rows): they must stay int32-addressable as f32.
  if (((g.kH - 1) * g.dilationH + 1) * g.inW * g.outC * 4 > 0x7fffffff) {
    throw new KernelParamsError('BAD_SHAPE', `${op}: input rows with their channels repeated ${g.outC / g.inC} times are too large`);
  }
}

function checkQuant(q: ConvQuant, op: string): void {
  for (const [name, v] of Object.entries(q)) {
    if (!Number.isInteger(v) || v < -128 || v > 127) throw new KernelParamsError('BAD_PARAM', `${op}: ${name} must be an integer in [-128, 127], got ${v}`);
  }
  if (q.qmin > q.qmax) throw new KernelParamsError('BAD_PARAM', `${op}: clamp [${q.qmin}, ${q.qmax}] is empty`);
}

/** The 20-i32 descriptor the kernels read (write it into wasm memory once, at prepare time). */
export function convDescriptor(g: ConvGeometry, q: ConvQuant = { zpIn: 0, zpOut: 0, qmin: -128, qmax: 127 }, op = 'conv'): Int32Array {
  checkConvGeometry(g, op);
  checkQuant(q, op);
  return Int32Array.of(
    g.batch, g.inH, g.inW, g.inC, g.outH, g.outW, g.outC, g.kH, g.kW, g.strideH, g.strideW,
    g.dilationH, g.dilationW, g.padTop, g.padLeft, q.zpIn, q.zpOut, q.qmin, q.qmax, 0,
  );
}

/** convDescriptor() copied into wasm memory; returns its pointer. */
export function writeConvDescriptor(heap: WasmHeap, g: ConvGeometry, q?: ConvQuant, op = 'conv'): number {
  return heap.put(convDescriptor(g, q, op), 16);
}

/** The descriptor of a depthwise conv (checkDepthwiseGeometry first) copied into wasm memory; returns its pointer. */
export function writeDepthwiseDescriptor(heap: WasmHeap, g: ConvGeometry, q?: ConvQuant, op = 'depthwise'): number {
  checkDepthwiseGeometry(g, op);
  return writeConvDescriptor(heap, g, q, op);
}

/** Scratch bytes a depthwise kernel needs for geometry g (elemBytes 1 for int8, 4 for f32); `heap` for a moment. */
export function depthwiseScratchBytes(k: DwconvExports, heap: WasmHeap, g: ConvGeometry, elemBytes: 1 | 4): number {
  const mark = heap.mark();
  try {
    return k.dwconvScratchSize(writeDepthwiseDescriptor(heap, g), elemBytes);
  } finally {
    heap.release(mark);
  }
}

/** Allocates the scratch a depthwise kernel needs (elemBytes 1 for int8, 4 for f32). */
export function depthwiseScratch(k: DwconvExports, heap: WasmHeap, g: ConvGeometry, elemBytes: 1 | 4): number {
  return heap.alloc(depthwiseScratchBytes(k, heap, g, elemBytes));
}

export interface DepthwiseInt8Weights {
  /** 1HWC int8 weights: [kH][kW][channels], channels = inC * depthMultiplier. Not modified. */
  weights: Int8Array;
  /** int32 bias per output channel (scale sIn * sW[c]), or undefined for none. */
  bias?: Int32Array;
  channels: number;
  kH: number;
  kW: number;
  /** Input zero point (folded into the bias). */
  zpIn: number;
  /** Per-tensor weight zero point, 0 for symmetric weights. */
  zpW?: number;
}

/** Packs depthwise weights and bias into wasm memory once; returns the block's pointer for dwconvInt8. */
export function packDepthwiseInt8(k: DwconvExports, heap: WasmHeap, p: DepthwiseInt8Weights, op = 'depthwise'): number {
  const zpW = p.zpW ?? 0;
  checkInt(op, 'channels', p.channels, 1);
  checkInt(op, 'kH', p.kH, 1);
  checkInt(op, 'kW', p.kW, 1);
  const taps = p.kH * p.kW;
  if (taps > MAX_TAPS) throw new KernelParamsError('BAD_KERNEL', `${op}: kernel ${p.kH}x${p.kW} has more than ${MAX_TAPS} taps`);
  if (p.weights.length !== taps * p.channels) {
    throw new KernelParamsError('BAD_SHAPE', `${op}: weights hold ${p.weights.length} values, expected ${p.kH}x${p.kW}x${p.channels}`);
  }
  if (p.bias && p.bias.length !== p.channels) throw new KernelParamsError('BAD_SHAPE', `${op}: bias holds ${p.bias.length} values, expected ${p.channels}`);
  for (const [name, v] of Object.entries({ zpIn: p.zpIn, zpW })) {
    if (!Number.isInteger(v) || v < -128 || v > 127) throw new KernelParamsError('BAD_PARAM', `${op}: ${name} must be an integer in [-128, 127], got ${v}`);
  }
  const dst = heap.alloc(k.dwconvInt8PackedSize(p.channels, taps));
  const scratch = heap.mark();
  k.dwconvInt8Pack(dst, heap.put(p.weights), p.bias ? heap.put(p.bias) : 0, p.channels, taps, p.zpIn, zpW);
  heap.release(scratch);
  return dst;
}
