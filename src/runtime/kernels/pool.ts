// Typed signatures of the 'pool' kernel family's exports (assembly/pool/) and the prepare-time helpers that
// compute their parameters. Pointers are byte offsets into wasm memory. Browser-safe.
//   MaxPool2D, AveragePool2D   maxPool2d / averagePool2d on poolDescriptor(poolGeometry(shape, options)), clamp
//                              from the fused activation; input and output must share scale and zero point
//   Mean                       meanReduce on meanDescriptor(meanParams(shape, axes, ...)) (contiguous axes)
import { quantizeMultiplier } from '../../quant/multiplier.js';
import type { PoolOptions } from '../../format/model.js';
import { KernelParamsError, checkInt, checkClamp, checkScale, checkZeroPoint } from './params-error.js';

export { checkScale, checkZeroPoint };

/** Bytes the kernels write after a descriptor's fields: a 16-lane requant params block and its arguments. */
export const KERNEL_SCRATCH_BYTES = 512;

export interface PoolExports {
  /**
   * MaxPool2D, NHWC int8: out = clamp(max of the window's valid cells, qmin, qmax). Input and output share
   * scale and zero point. `geom` points to the 12 i32 of poolDescriptor(). Windows are clipped to the input.
   */
  maxPool2d(input: number, output: number, geom: number, qmin: number, qmax: number): void;
  /**
   * AveragePool2D, NHWC int8: out = clamp(round_half_away(sum / count), qmin, qmax), count = the window's valid
   * cells (padding excluded, as TFLite). Same scale and zero point in and out. `geom` as maxPool2d.
   */
  averagePool2d(input: number, output: number, geom: number, qmin: number, qmax: number): void;
  /**
   * Mean over the middle axis of an int8 tensor viewed as [outer, reduce, inner] (NHWC global average pool:
   * outer = N, reduce = H*W, inner = C): out = clamp(zpOut + MBQM(sum(x - zpIn), M), qmin, qmax) with
   * M = quantizeMultiplier(sIn / (sOut * reduce)). `desc` = meanDescriptor(meanParams(...)), MEAN_DESCRIPTOR_BYTES
   * in wasm memory; the kernel writes its scratch tail, so one descriptor must not serve concurrent calls.
   */
  meanReduce(input: number, output: number, desc: number): void;
}

/** Pooling geometry in NHWC. Bottom/right padding is implied by outH/outW. */
export interface PoolGeometry {
  batch: number; inH: number; inW: number; channels: number;
  outH: number; outW: number;
  filterH: number; filterW: number;
  strideH: number; strideW: number;
  padTop: number; padLeft: number;
}

/** Bytes of the descriptor poolDescriptor() returns. */
export const POOL_DESCRIPTOR_BYTES = 48;

/**
 * Geometry of a pooling op from its NHWC input shape and options: outH = floor((inH + padTop + padBottom -
 * filterH) / strideH) + 1 (likewise W). Throws KernelParamsError when a window would hold no input cell.
 * The op layer should compare outH/outW with the model's output shape.
 */
export function poolGeometry(inputShape: readonly number[], o: PoolOptions, op = 'pool'): PoolGeometry {
  if (inputShape.length !== 4) throw new KernelParamsError('BAD_SHAPE', `${op}: input must be 4-D NHWC, got [${inputShape}]`);
  const [batch, inH, inW, channels] = inputShape;
  for (const [name, v] of Object.entries({ batch, inH, inW, channels, filterH: o.filterH, filterW: o.filterW, strideH: o.strideH, strideW: o.strideW })) {
    checkInt(op, name, v, 1);
  }
  for (const [name, v] of Object.entries({ padTop: o.padTop, padBottom: o.padBottom, padLeft: o.padLeft, padRight: o.padRight })) {
    checkInt(op, name, v, 0);
  }
  const outH = Math.floor((inH + o.padTop + o.padBottom - o.filterH) / o.strideH) + 1;
  const outW = Math.floor((inW + o.padLeft + o.padRight - o.filterW) / o.strideW) + 1;
  const g: PoolGeometry = {
    batch, inH, inW, channels, outH, outW, filterH: o.filterH, filterW: o.filterW,
    strideH: o.strideH, strideW: o.strideW, padTop: o.padTop, padLeft: o.padLeft,
  };
  checkPoolGeometry(g, op);
  return g;
}

/** Validates a geometry: every window overlaps the input, and sizes stay in int32. */
export function checkPoolGeometry(g: PoolGeometry, op = 'pool'): void {
  for (const [name, v] of Object.entries(g)) checkInt(op, name, v, name === 'padTop' || name === 'padLeft' ? 0 : 1);
  if (g.filterH * g.filterW > 1 << 24) throw new KernelParamsError('BAD_POOL', `${op}: filter ${g.filterH}x${g.filterW} is too large`);
  for (const [len, out, f, s, pad, axis] of [[g.inH, g.outH, g.filterH, g.strideH, g.padTop, 'H'], [g.inW, g.outW, g.filterW, g.strideW, g.padLeft, 'W']] as const) {
    // Window starts grow with the output index: the first and the last decide whether any is empty.
    if (f <= pad || (out - 1) * s - pad >= len) {
      throw new KernelParamsError('BAD_POOL', `${op}: along ${axis} some windows hold no input cell (filter ${f}, stride ${s}, pad ${pad}, input ${len}, output ${out})`);
    }
  }
  for (const size of [g.batch * g.inH * g.inW * g.channels, g.batch * g.outH * g.outW * g.channels]) {
    if (size > 0x7fffffff) throw new KernelParamsError('BAD_SHAPE', `${op}: tensor of ${size} elements is too large`);
  }
}

/** The 12-i32 descriptor maxPool2d / averagePool2d read (write it into wasm memory once, at prepare time). */
export function poolDescriptor(g: PoolGeometry): Int32Array {
  checkPoolGeometry(g);
  return Int32Array.of(g.batch, g.inH, g.inW, g.channels, g.outH, g.outW, g.filterH, g.filterW, g.strideH, g.strideW, g.padTop, g.padLeft);
}

/** Mean's parameters, for meanDescriptor(). */
export interface MeanParams {
  outer: number; reduce: number; inner: number;
  zpIn: number; multiplier: number; shift: number; zpOut: number;
}

/**
 * Parameters of Mean over `axes` of `shape` (any rank). The reduced axes must be contiguous (e.g. [1, 2] of
 * NHWC); keepDims only changes the output shape, not the data layout.
 */
export function meanParams(shape: readonly number[], axes: readonly number[], sIn: number, zpIn: number, sOut: number, zpOut: number): MeanParams {
  const rank = shape.length;
  shape.forEach((d, i) => checkInt('Mean', `shape[${i}]`, d, 1));
  const norm = [...new Set(axes.map((a) => (a < 0 ? a + rank : a)))].sort((a, b) => a - b);
  if (norm.length === 0 || norm.some((a) => !Number.isInteger(a) || a < 0 || a >= rank)) {
    throw new KernelParamsError('BAD_AXES', `Mean: axes [${axes}] are not valid for rank ${rank}`);
  }
  if (norm[norm.length - 1] - norm[0] !== norm.length - 1) {
    throw new KernelParamsError('UNSUPPORTED', `Mean: only contiguous axes are supported, got [${axes}]`);
  }
  const prod = (a: readonly number[]) => a.reduce((x, y) => x * y, 1);
  const outer = prod(shape.slice(0, norm[0]));
  const reduce = prod(shape.slice(norm[0], norm[norm.length - 1] + 1));
  const inner = prod(shape.slice(norm[norm.length - 1] + 1));
  if (outer * reduce * inner > 0x7fffffff || reduce > 1 << 23) throw new KernelParamsError('BAD_SHAPE', `Mean: input [${shape}] is too large`);
  checkZeroPoint('Mean', 'input zero point', zpIn);
  checkZeroPoint('Mean', 'output zero point', zpOut);
  checkScale('Mean', 'input scale', sIn);
  checkScale('Mean', 'output scale', sOut);
  const { multiplier, shift } = quantizeMultiplier(sIn / (sOut * reduce));
  return { outer, reduce, inner, zpIn, multiplier, shift, zpOut };
}

/** Bytes of meanDescriptor(): 9 i32, then scratch from byte 64 that the kernel writes. */
export const MEAN_DESCRIPTOR_BYTES = 64 + KERNEL_SCRATCH_BYTES;

/** The descriptor meanReduce reads. Mean has no fused activation: the clamp defaults to the int8 range. */
export function meanDescriptor(p: MeanParams, qmin = -128, qmax = 127): Int32Array {
  checkClamp('Mean', qmin, qmax);
  const d = new Int32Array(MEAN_DESCRIPTOR_BYTES / 4);
  d.set([p.outer, p.reduce, p.inner, p.zpIn, p.multiplier, p.shift, p.zpOut, qmin, qmax]);
  return d;
}
