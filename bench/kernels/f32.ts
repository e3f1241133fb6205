// f32 SIMD benchmark cases: the baselines the int8 kernels are compared with, under the same (kernel, shape)
// names as the int8 rows (gemm, pointwise, conv in the gemm family's file; dwconv in ./dwconv.ts).
import type { KernelExports } from '../../src/runtime/kernel-abi.js';
import type { WasmHeap } from '../../src/runtime/heap.js';
import { convGeometry, writeConvDescriptor, writeDepthwiseDescriptor, depthwiseScratch, type ConvGeometry } from '../../src/runtime/kernels/dwconv.js';
import { packF32Gemm, packF32Conv, packF32Depthwise, f32ConvScratch } from '../../src/runtime/kernels/f32.js';
import { prng, randomFloat32 } from '../../test/ref/prng.js';
import { DEPTHWISE_SHAPES, DEPTHWISE_5X5_SHAPES, DEPTHWISE_MULTIPLIER_SHAPES, FIRST_CONV_SHAPE, GEMM_SHAPE, POINTWISE_SHAPES, type KernelCase } from './case.js';
import { depthwiseBenchGeometry, depthwiseShapeName, type DepthwiseShape } from './dwconv.js';

function gemmCase(): KernelCase {
  const { m, n, k: kd } = GEMM_SHAPE;
  return {
    kernel: 'gemm', shape: `${m}x${n}x${kd}`, variant: 'f32-simd', macs: m * n * kd, quick: true,
    setup(k: KernelExports, heap: WasmHeap) {
      const rng = prng(1);
      const packed = packF32Gemm(k, heap, randomFloat32(rng, n * kd), randomFloat32(rng, n), n, kd);
      const a = heap.put(randomFloat32(rng, m * kd));
      const c = heap.alloc(m * n * 4);
      return () => k.f32Gemm(a, kd, packed, c, n, m, n, kd, 0, 6);
    },
  };
}

function convCase(kernel: string, shape: string, g: ConvGeometry, quick: boolean): KernelCase {
  return {
    kernel, shape, variant: 'f32-simd', macs: g.outH * g.outW * g.outC * g.kH * g.kW * g.inC, quick,
    setup(k: KernelExports, heap: WasmHeap) {
      const rng = prng(g.inH + g.outC);
      const desc = writeConvDescriptor(heap, g);
      const packed = packF32Conv(k, heap, randomFloat32(rng, g.outC * g.kH * g.kW * g.inC, 0.1), randomFloat32(rng, g.outC), g);
      const scratch = f32ConvScratch(k, heap, desc);
      const input = heap.put(randomFloat32(rng, g.inH * g.inW * g.inC));
      const output = heap.alloc(g.outH * g.outW * g.outC * 4);
      return () => k.f32Conv(desc, input, output, packed, scratch, 0, 6);
    },
  };
}

const noPad = { strideH: 1, strideW: 1, dilationH: 1, dilationW: 1, padTop: 0, padBottom: 0, padLeft: 0, padRight: 0 };
const first = FIRST_CONV_SHAPE;

/** The f32 depthwise layer of a bench shape (3x3 unless s.k), seeded; returns the call to time. */
export function setupF32Depthwise(k: KernelExports, heap: WasmHeap, s: DepthwiseShape): () => void {
  const g = depthwiseBenchGeometry(s);
  const rng = prng(s.h * 1000 + s.c);
  const desc = writeDepthwiseDescriptor(heap, g);
  const packed = packF32Depthwise(k, heap, { weights: randomFloat32(rng, g.kH * g.kW * g.outC, 0.3), bias: randomFloat32(rng, g.outC), channels: g.outC, kH: g.kH, kW: g.kW });
  const scratch = depthwiseScratch(k, heap, g, 4);
  const input = heap.put(randomFloat32(rng, g.inH * g.inW * g.inC));
  const output = heap.alloc(g.outH * g.outW * g.outC * 4);
  return () => k.f32Dwconv(desc, input, output, packed, scratch, 0, 6);
}

function depthwiseCase(s: DepthwiseShape): KernelCase {
  const g = depthwiseBenchGeometry(s);
  return {
    kernel: 'dwconv', shape: depthwiseShapeName(s), variant: 'f32-simd', macs: g.outH * g.outW * g.outC * g.kH * g.kW, quick: g.kH === 3 && g.outC === g.inC,
    setup: (k: KernelExports, heap: WasmHeap) => setupF32Depthwise(k, heap, s),
  };
}

export const cases: KernelCase[] = [
  gemmCase(),
  ...POINTWISE_SHAPES.map((s, i) => convCase('pointwise', `${s.h}x${s.w}:${s.cin}->${s.cout}`, convGeometry([1, s.h, s.w, s.cin], 1, 1, s.cout, noPad), i === 1 || i === 3)),
  convCase('conv', `${first.h}x${first.w}:${first.cin}->${first.cout} ${first.kernel}x${first.kernel} s${first.stride}`,
    convGeometry([1, first.h, first.w, first.cin], first.kernel, first.kernel, first.cout,
      { ...noPad, strideH: first.stride, strideW: first.stride, padBottom: 1, padRight: 1 }), true),
  ...DEPTHWISE_SHAPES.map(depthwiseCase),
  ...DEPTHWISE_5X5_SHAPES.map(depthwiseCase),
  ...DEPTHWISE_MULTIPLIER_SHAPES.map(depthwiseCase),
];
