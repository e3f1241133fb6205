// GEMM cases: 256x256x256 int8 (packed 4x8c2 microkernel) and its plain-loop twin.
// Shared helpers build the seeded inputs and per-channel requantization every int8 case uses.
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
    kernel: 'gemm', shape, variant: 'int8-scalar', macs, quick: true,
    setup(k, heap) {
      const { weights, bias } = layerWeights(n, K, 2);
      const w = heap.put(weights), b = heap.put(bias);
      const a = putInt8(heap, m * K, 1), c = heap.alloc(m * n), params = putLayerRequant(k, heap, n, 3);
      return () => k.gemmScalar(m, n, K, a, K, w, b, c, n, params, ZP_IN, 0, ZP_OUT, -128, 127);
    },
  },
];
