// GEMM cases: 256x256x256 int8 (packed microkernels) and its plain-loop twin.
// Shared helpers build the seeded inputs and per-channel requantization every int8 case uses.
//
// How the tiles were picked (AMD EPYC Zen 4, node 20, one thread; microkernels alone, int32 out, best of 15,
// GOP/s for 256x256x256 | 3136x144x24 | 49x1280x320):
//   4x8c2 (int8 weights widened in the loop) 62.8 | 58.3 | 59.5     4x8c2, i16 weights   65.6 | 59.6 | 62.3
//   4x16c2 (XNNPACK's wasm default)          66.5 | 59.4 | 62.7     4x16c2, i16 weights  69.3 | 59.9 | 65.9
//   2x4c8, i16 weights                       78.6 | 54.9 | 77.7     3x4c8 / 4x4c8        60.8 / 54.6 | ...
//   (f32 4x8 and 2x16 broadcast kernels: 35.8 and 41.8 on 256^3)
// With the fused requantization (~0.45 ns per output) the c8 lead at long K shrinks to 0-10%, so 4x8c2 with
// i16 weights serves K < 192 (with its rows widened once per tile) and 2x4c8 the longer rows.
import type { KernelExports } from '../../src/runtime/kernel-abi.js';
import type { WasmHeap } from '../../src/runtime/heap.js';
import { packRequantParams } from '../../src/runtime/requant-params.js';
import { packGemmWeights } from '../../src/runtime/kernels/gemm.js';
import { prng, randomInt8, randomInt32 } from '../../test/ref/prng.js';
import { GEMM_SHAPE, type KernelCase } from './case.js';

/** Seeded int8 data copied into wasm memory. */
export function putInt8(heap: WasmHeap, n: number, seed: number, lo = -128, hi = 127): number {
  return heap.put(randomInt8(prng(seed), n, lo, hi));
}

/** A layer's per-channel requantization as a converter would make it (multipliers ~ 2^-9). */
export function putLayerRequant(k: KernelExports, heap: WasmHeap, channels: number, seed: number): number {
  const rng = prng(seed);
  return packRequantParams(k, heap, Array.from({ length: channels }, () => 0.001 + rng.float() * 0.003));
}

export function layerWeights(n: number, kk: number, seed: number): { weights: Int8Array; bias: Int32Array } {
  const rng = prng(seed);
  return { weights: randomInt8(rng, n * kk, -127, 127), bias: randomInt32(rng, n, -20000, 20000) };
}

const { m, n, k: K } = GEMM_SHAPE;
const shape = `${m}x${n}x${K}`;
const macs = m * n * K;
const ZP_IN = 3, ZP_OUT = -5;

export const cases: KernelCase[] = [
  {
    kernel: 'gemm', shape, variant: 'int8-simd', macs, quick: true,
    setup(k, heap) {
      const { weights, bias } = layerWeights(n, K, 2);
      const { packed } = packGemmWeights(k, heap, weights, bias, n, K, ZP_IN, 0);
      const a = putInt8(heap, m * K, 1), c = heap.alloc(m * n), params = putLayerRequant(k, heap, n, 3);
      return () => k.gemm(m, n, K, a, K, packed, c, n, params, ZP_OUT, -128, 127, 0, 0);
    },
  },
  {
    kernel: 'gemm', shape, variant: 'int8-no-requant', macs, quick: true,
    setup(k, heap) {
      const { weights, bias } = layerWeights(n, K, 2);
      const { packed } = packGemmWeights(k, heap, weights, bias, n, K, ZP_IN, 0);
      const a = putInt8(heap, m * K, 1), c = heap.alloc(m * n), params = putLayerRequant(k, heap, n, 3);
      return () => k.gemmRequantSkippedForBench(m, n, K, a, K, packed, c, n, params, ZP_OUT, -128, 127, 0, 0);
    },
  },
  {
    kernel: 'gemm', shape, variant: 'int8-scalar', macs, quick: true,
    setup(k, heap) {
      const { weights, bias } = layerWeights(n, K, 2);
      const w = heap.put(weights), b = heap.put(bias);
      const a = putInt8(heap, m * K, 1), c = heap.alloc(m * n), params = putLayerRequant(k, heap, n, 3);
      return () => k.gemmScalar(m, n, K, a, K, w, b, c, n, params, ZP_IN, 0, ZP_OUT, -128, 127);
    },
  },
];
