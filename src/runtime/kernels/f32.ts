// Typed signatures of the 'f32' kernel family's exports (assembly/f32/): float32 SIMD GEMM, conv2d and depthwise
// conv (benchmark baselines and the converter's calibration engine), and the helpers that pack their weights.
// Pointers are byte offsets into wasm memory. Geometry descriptors come from ./dwconv.ts. Browser-safe.
import type { WasmHeap } from '../heap.js';
import { KernelParamsError, checkInt } from './params-error.js';
import { checkConvGeometry, MAX_TAPS, type ConvGeometry } from './dwconv.js';

export interface F32Exports {
  /** Bytes of f32GemmPack's block for n outputs and k inputs. */
  f32GemmPackedSize(n: number, k: number): number;
  /** Packs W [n][k] row-major f32 and an optional f32 bias (0 = none) into 8-column panels. Use packF32Gemm(). */
  f32GemmPack(dst: number, weights: number, bias: number, n: number, k: number): void;
  /**
   * C[m][n] = clamp(sum_k A[m][k] * W[n][k] + bias[n], min, max) (fully connected / GEMM). `lda`, `ldc`: row
   * strides in floats (>= k, >= n); `packed`: packF32Gemm(). Pass -Infinity / Infinity for no clamp.
   */
  f32Gemm(a: number, lda: number, packed: number, c: number, ldc: number, m: number, n: number, k: number, min: number, max: number): void;
  /** Scratch bytes f32Conv needs for this descriptor. */
  f32ConvScratchSize(desc: number): number;
  /**
   * NHWC f32 conv2d: out = clamp(conv(x, W) + bias, min, max), any kernel, stride, dilation, padding; padded
   * taps read 0. `desc`: convDescriptor() (quantization fields ignored); `packed`: packF32Conv() of the OHWI
   * weights; `scratch`: f32ConvScratch() bytes.
   */
  f32Conv(desc: number, input: number, output: number, packed: number, scratch: number, min: number, max: number): void;
  /** Bytes of f32DwconvPack's block. */
  f32DwconvPackedSize(channels: number, taps: number): number;
  /** Packs 1HWC f32 weights ([taps][channels]) and an optional bias (0 = none). Use packF32Depthwise(). */
  f32DwconvPack(dst: number, weights: number, bias: number, channels: number, taps: number): void;
  /**
   * NHWC f32 depthwise conv, any depth multiplier: out[oc] = clamp(bias + sum_t x_t[oc / mult] * w_t[oc], min,
   * max), padded taps 0. `desc`: writeDepthwiseDescriptor(); `packed`: packF32Depthwise(); `scratch`: depthwiseScratch(g, 4).
   */
  f32Dwconv(desc: number, input: number, output: number, packed: number, scratch: number, min: number, max: number): void;
  /**
   * Add (op 0) or Mul (op 1): out[i] = clamp(a[i] op b[i mod bn], min, max) for i < n, where bn = n (same shape),
   * 1 (scalar) or a divisor of n (per-channel rows). `out` may alias `a`, not `b`.
   */
  f32Binary(a: number, b: number, out: number, n: number, bn: number, op: number, min: number, max: number): void;
  /** NHWC f32 max pooling: out = clamp(max of the window's valid cells, min, max); `geom`: poolDescriptor() (./pool.ts). */
  f32MaxPool2d(input: number, output: number, geom: number, min: number, max: number): void;
  /** NHWC f32 average pooling over the window's valid cells (padding excluded), clamped; `geom` as f32MaxPool2d. */
  f32AveragePool2d(input: number, output: number, geom: number, min: number, max: number): void;
  /** out[i] = clamp(x[i], min, max) for i < n (Relu, Relu6); `out` may alias `x`. */
  f32Clamp(x: number, out: number, n: number, min: number, max: number): void;
}

function checkBias(op: string, bias: Float32Array | undefined, n: number): void {
  if (bias && bias.length !== n) throw new KernelParamsError('BAD_SHAPE', `${op}: bias holds ${bias.length} values, expected ${n}`);
}

/** Packs fully-connected / GEMM weights W [n][k] (row-major, not modified) and bias once; returns the pointer. */
export function packF32Gemm(k: F32Exports, heap: WasmHeap, weights: Float32Array, bias: Float32Array | undefined, n: number, kDim: number, op = 'gemm'): number {
  checkInt(op, 'n', n, 1);
  checkInt(op, 'k', kDim, 1);
  if (weights.length !== n * kDim) throw new KernelParamsError('BAD_SHAPE', `${op}: weights hold ${weights.length} values, expected ${n}x${kDim}`);
  checkBias(op, bias, n);
  const size = k.f32GemmPackedSize(n, kDim);
  if (!(size > 0 && size <= 0x7fffffff)) throw new KernelParamsError('BAD_SHAPE', `${op}: ${n}x${kDim} weights are too large`);
  const dst = heap.alloc(size);
  const scratch = heap.mark();
  k.f32GemmPack(dst, heap.put(weights), bias ? heap.put(bias) : 0, n, kDim);
  heap.release(scratch);
  return dst;
}

/** Packs OHWI conv weights ([outC][kH][kW][inC]) and bias for f32Conv. */
export function packF32Conv(k: F32Exports, heap: WasmHeap, weights: Float32Array, bias: Float32Array | undefined, g: ConvGeometry, op = 'conv'): number {
  checkConvGeometry(g, op);
  return packF32Gemm(k, heap, weights, bias, g.outC, g.kH * g.kW * g.inC, op);
}

/** Allocates f32Conv's scratch for the descriptor at `desc` (written by writeConvDescriptor). */
export function f32ConvScratch(k: F32Exports, heap: WasmHeap, desc: number): number {
  return heap.alloc(k.f32ConvScratchSize(desc));
}

export interface DepthwiseF32Weights {
  /** 1HWC f32 weights: [kH][kW][channels], channels = inC * depthMultiplier. Not modified. */
  weights: Float32Array;
  bias?: Float32Array;
  channels: number;
  kH: number;
  kW: number;
}

/** Packs depthwise f32 weights and bias once; returns the block's pointer for f32Dwconv. */
export function packF32Depthwise(k: F32Exports, heap: WasmHeap, p: DepthwiseF32Weights, op = 'depthwise'): number {
  checkInt(op, 'channels', p.channels, 1);
  checkInt(op, 'kH', p.kH, 1);
  checkInt(op, 'kW', p.kW, 1);
  const taps = p.kH * p.kW;
  if (taps > MAX_TAPS) throw new KernelParamsError('BAD_KERNEL', `${op}: kernel ${p.kH}x${p.kW} has more than ${MAX_TAPS} taps`);
  if (p.weights.length !== taps * p.channels) throw new KernelParamsError('BAD_SHAPE', `${op}: weights hold ${p.weights.length} values, expected ${p.kH}x${p.kW}x${p.channels}`);
  checkBias(op, p.bias, p.channels);
  const dst = heap.alloc(k.f32DwconvPackedSize(p.channels, taps));
  const scratch = heap.mark();
  k.f32DwconvPack(dst, heap.put(p.weights), p.bias ? heap.put(p.bias) : 0, p.channels, taps);
  heap.release(scratch);
  return dst;
}

