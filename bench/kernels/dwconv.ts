// int8 depthwise benchmark cases (SIMD and scalar) on the MobileNetV2 depthwise shapes, plus two 5x5 layers of
// EfficientNet-lite0 (SIMD, ReLU6 quantization). The f32 twin's rows
// are in ./f32.ts under the same (kernel, shape), so the runner can print int8 / f32 ratios.
// Two quantizations per shape:
// - the plain shape name: what MobileNetV2's depthwise layers have, a fused ReLU6 (zpIn = zpOut = qmin = -128)
//   and real multipliers of 0.001-0.01, which takes requant.ts's REQUANT_F64 path;
// - '<shape> (general requant)': zpOut 5 with qmin -128 < zpOut (no fused ReLU, negative outputs matter) and
//   multipliers of 0.0005-0.0015: the parameters this benchmark had before; they take requantModeSigned's
//   signed f64 path (64-bit fixed point before it). Same f32 twin (the runner pairs it by the shape before ' (').
import type { KernelExports } from '../../src/runtime/kernel-abi.js';
import type { WasmHeap } from '../../src/runtime/heap.js';
import { convGeometry, writeDepthwiseDescriptor, packDepthwiseInt8, depthwiseScratch, type ConvGeometry } from '../../src/runtime/kernels/dwconv.js';
import { packRequantParams } from '../../src/runtime/requant-params.js';
import { prng, randomInt8 } from '../../test/ref/prng.js';
import { DEPTHWISE_SHAPES, DEPTHWISE_5X5_SHAPES, DEPTHWISE_MULTIPLIER_SHAPES, type KernelCase } from './case.js';

/** A depthwise layer: input h x w x c, stride, window k x k (3 when absent), depth multiplier m (1 when absent). */
export type DepthwiseShape = { h: number; w: number; c: number; stride: number; k?: number; m?: number };

/** TensorFlow SAME padding of one axis: the total split with the extra on the bottom/right. */
function samePad(size: number, k: number, stride: number): [number, number] {
  const total = Math.max((Math.ceil(size / stride) - 1) * stride + k - size, 0);
  return [total >> 1, total - (total >> 1)];
}

/** k x k depthwise with TensorFlow SAME padding (3x3 stride 2 pads only bottom/right on even inputs). */
export function depthwiseBenchGeometry(s: DepthwiseShape): ConvGeometry {
  const k = s.k ?? 3;
  const [padTop, padBottom] = samePad(s.h, k, s.stride), [padLeft, padRight] = samePad(s.w, k, s.stride);
  return convGeometry([1, s.h, s.w, s.c], k, k, s.c * (s.m ?? 1), { strideH: s.stride, strideW: s.stride, dilationH: 1, dilationW: 1, padTop, padBottom, padLeft, padRight });
}

/** '56x56x144 s2' for 3x3 windows, '56x56x144 5x5 s2' for others, ' m2' after a depth multiplier. */
export function depthwiseShapeName(s: DepthwiseShape): string {
  const k = s.k ?? 3, m = s.m ?? 1;
  return `${s.h}x${s.w}x${s.c}${k === 3 ? '' : ` ${k}x${k}`}${m === 1 ? '' : ` m${m}`} s${s.stride}`;
}

export interface BenchQuant {
  label: string;
  zpIn: number; zpOut: number; qmin: number; qmax: number;
  /** real multipliers are drawn from [lo, lo + span) */
  lo: number; span: number;
}

export const RELU6: BenchQuant = { label: '', zpIn: -128, zpOut: -128, qmin: -128, qmax: 127, lo: 0.001, span: 0.009 };
export const GENERAL: BenchQuant = { label: ' (general requant)', zpIn: -3, zpOut: 5, qmin: -128, qmax: 127, lo: 0.0005, span: 0.001 };

function int8Case(s: DepthwiseShape, variant: 'int8-simd' | 'int8-scalar', q: BenchQuant): KernelCase {
  const g = depthwiseBenchGeometry(s);
  return {
    kernel: 'dwconv',
    shape: depthwiseShapeName(s) + q.label,
    variant,
    macs: g.outH * g.outW * g.outC * g.kH * g.kW,
    quick: g.kH === 3 && g.outC === g.inC,
    setup(k: KernelExports, heap: WasmHeap) {
      const rng = prng(s.h * 1000 + s.c);
      const desc = writeDepthwiseDescriptor(heap, g, { zpIn: q.zpIn, zpOut: q.zpOut, qmin: q.qmin, qmax: q.qmax });
      const packed = packDepthwiseInt8(k, heap, {
        weights: randomInt8(rng, g.kH * g.kW * g.outC, -127, 127), bias: Int32Array.from({ length: g.outC }, () => rng.int(-5000, 5000)),
        channels: g.outC, kH: g.kH, kW: g.kW, zpIn: q.zpIn,
      });
      const params = packRequantParams(k, heap, Array.from({ length: g.outC }, () => q.lo + rng.float() * q.span));
      const scratch = depthwiseScratch(k, heap, g, 1);
      const input = heap.put(randomInt8(rng, g.inH * g.inW * g.inC));
      const output = heap.alloc(g.outH * g.outW * g.outC);
      const kernel = variant === 'int8-simd' ? k.dwconvInt8 : k.dwconvInt8Scalar;
      return () => kernel(desc, input, output, packed, params, scratch);
    },
  };
}

export const cases: KernelCase[] = DEPTHWISE_SHAPES.flatMap((s) => [
  int8Case(s, 'int8-simd', RELU6), int8Case(s, 'int8-scalar', RELU6), int8Case(s, 'int8-simd', GENERAL),
]).concat(DEPTHWISE_5X5_SHAPES.map((s) => int8Case(s, 'int8-simd', RELU6)))
  // int8-scalar is what a depth multiplier > 1 ran before the repeated-input path (dwconv/multiplier.ts).
  .concat(DEPTHWISE_MULTIPLIER_SHAPES.flatMap((s) => [int8Case(s, 'int8-simd', RELU6), int8Case(s, 'int8-scalar', RELU6)]));
