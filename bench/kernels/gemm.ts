// GEMM cases: 256x256x256 int8 (packed microkernels) and its plain-loop twin.
// Shared helpers build the seeded inputs and per-channel requantization every int8 case uses.
//
// How the tiles were picked (AMD EPYC Zen 4, node 20, one thread; microkernels alone, int32 out, best of 15,
// GOP/s for 256x256x256 | 3136x144x24 | 49x1280x320):
//   4x8c2 (int8 weights widened in the loop) 62.8 | 58.3 | 59.5     4x8c2, i16 weights   65.6 | 59.6 | 62.3
//   4x16c2 (XNNPACK's wasm default)          66.5 | 59.4 | 62.7     4x16c2, i16 weights  69.3 | 59.9 | 65.9
//   2x4c8, i16 weights                       78.6 | 54.9 | 77.7     3x4c8 / 4x4c8        60.8 / 54.6 | ...
//   (f32 4x8 and 2x16 broadcast kernels: 35.8 and 41.8 on 256^3)
// Then, fused requantization included (gemm calls, F64 mode, medians of 21 side-by-side rounds):
// - the 4x8c2 K loop one pair per iteration instead of 4 pairs: +14-18% at K = 16..32 (12544x96x16 33.1 -> 39.1,
//   3136x144x24 41.9 -> 47.9, 784x192x32 47.3 -> 53.7 GOP/s), +9% at K = 96; unrolled by 2 it was 0-10% slower.
// - with that loop 4x8c2 beats 2x4c8 up to K = 384 (13% at K = 192), so c8 now starts at K = 400.
// - single row pointer at a constant stride, params hoisted by hand, zero point folded into the f64 rounding
//   constant with the clamp done in int8: each within +-3% (noise), not kept.
// - requant share (1 - t(gemmRequantSkippedForBench) / t(gemm)), F64 | 64-bit (REQUANT_NEGATIVE) mode:
//   K = 16: 29% | 45%, K = 24: 24% | 38%, K = 32 (N = 192): 21% | 32%, K = 32 (N = 16): 14% | 26%,
//   K = 96: 9% | 15%, K = 256..320 (4x8c2 since K < 400): 3-7% | 10%.
//   Why: SIMD128 has no 32x32->64 high multiply and no per-lane shift, so the exact double rounding takes
//   10 ops per 4 outputs in f64 (2 convert + 1 shuffle, 2 mul, 2 add h, 2 add 1.5*2^52, 1 shuffle), ~24 in
//   64-bit integer lanes, plus ~2.3 for zero point, clamp and narrowing, against K/2 dot + K/2 add for the
//   multiply-adds (24 at K = 24): at short K it is a third of the vector ops.
//   The signed f64 variant (requant4F64Signed, qmin < zpOut) measured 7-9% slower than the 64-bit path here.
// - clamp [-128, 127] (MobileNet's ReLU6 outputs, zpOut = -128) on the f64 path: zpOut folded into the rounding
//   constant and the saturating narrowings as the clamp (no add_sat/max/min): 56x56:24->144 -5%, 28x28:32->192 -4%,
//   others +-1% (medians of 21 side-by-side rounds, tmp A/B of the two builds); with zpOut as a runtime splat
//   instead of the constant it gained nothing. An upper bound, measured by dropping also the f64 add of h (not
//   exact): requant shares 10.6% (K = 24) and 9.6% (K = 32), so that add is the other half of the gap.
// - the coral MobileNetV2's 56x56:24->144 (first), 14x14:96->576 (first) and first conv fell to the 64-bit path:
//   a few channels have real multipliers 3e-7..1e-5 (beyond requantMode's f64 bound), all dead (zero weights,
//   huge biases). gemmRequantMode (assembly/gemm/mode.ts) shows f64 exact on those channels' accumulator ranges:
//   0.547 -> 0.449, 0.345 -> 0.324 and 0.643 -> 0.561 ms in the model profile. A single layer-wide |acc| bound
//   summed over all N * K weights per call did not rescue them (the biases) and cost 20% on 14x14:96->576.
// - first conv (224x224x3 -> 32, 3x3 s2, K = 27): copying the windows' taps was ~20% of the layer (timing it
//   twice cost +20%); tiles wholly inside the input now copy each window row's 3 taps (9 contiguous bytes) as one
//   run straight from the input (assembly/conv/runs.ts): 0.561 -> 0.515 ms (-8%, side by side, medians of 41).
//   Runs found by checking the table's tap pointers for contiguity instead were 4-10% slower than taps.
// - 112x112:32->16 (N = 16: two 8-channel blocks per 4-row tile): the A-row widening is ~10% of the layer (timing
//   it twice cost +10%). Widening 8 tiles (32 rows, packed at their own length) per pass instead of one tile, with
//   the tiles' pointer tables written in the same pass (widen.ts widenTiles): 12544x16x32 -7.5% (0.295 -> 0.273 ms
//   F64, 0.338 -> 0.312 ms 64-bit), 12544x96x16 and 3136x144x24 -3%, 784x192x32 and 196x576x96 -2..3% (medians of
//   41 side-by-side rounds; 4 tiles per pass with 832-byte rows gave -6% on N = 16).
//   Not kept, side by side against the then-current build: widening 16 values per load
//   (+-0.5%), widening straight from A without the row-pointer table (+-5%, noise), one 4x8c2 copy per requant
//   mode with the mode folded (+2%), and the 64-bit layers (qmin < zpOut: MobileNetV2's projections) on
//   requant4F64Signed in the microkernel: 26% (12544x16x32) to 41% (12544x96x16) slower.
// - The 4x8c2 rows C2_ROW_BYTES (832) apart for every layer, read at static offsets from one pointer, and one
//   kernel call per widening pass (8 tiles) instead of one per tile: 112x112:32->16 -9% (ReLU6) / -5% (no ReLU),
//   its no-requant twin -5%, 14x14:96->576 and 7x7:320->1280 -4%, 56x56:24->144 +-1%, first conv +2% (medians of
//   21-41 rotating rounds, tmp A/B of the builds). With K = 2 (12544x16x2), one call per tile cost 18% more.
//   Interleaving each tile's rows by K pair instead (one pointer, 16 bytes a pair) lost its gain to the
//   widening's transposing shuffles (+-2%); unrolling the K loop by 2 on top of either: 3-8% slower.
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

/** The packed int8 GEMM, through `gemm` itself or its bench-only twin that skips the requantization. */
function packedCase(variant: 'int8-simd' | 'int8-no-requant'): KernelCase {
  return {
    kernel: 'gemm', shape, variant, macs, quick: true,
    setup(k, heap) {
      const { weights, bias } = layerWeights(n, K, 2);
      const { packed } = packGemmWeights(k, heap, weights, bias, n, K, ZP_IN, 0);
      const a = putInt8(heap, m * K, 1), c = heap.alloc(m * n), params = putLayerRequant(k, heap, n, 3);
      const kernel = variant === 'int8-simd' ? k.gemm : k.gemmRequantSkippedForBench;
      return () => kernel(m, n, K, a, K, packed, c, n, params, ZP_OUT, -128, 127, 0, 0);
    },
  };
}

export const cases: KernelCase[] = [
  packedCase('int8-simd'),
  packedCase('int8-no-requant'),
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
