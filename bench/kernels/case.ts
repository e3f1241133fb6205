// One timed kernel call in the kernel benchmark. Each kernel family lists its cases in bench/kernels/<family>.ts;
// bench/kernels/index.ts runs them, pairs variants of the same (kernel, shape) and prints the ratios.
import type { KernelExports } from '../../src/runtime/kernel-abi.js';
import type { WasmHeap } from '../../src/runtime/heap.js';

/** int8-no-requant: the int8-simd kernel with its requantization skipped (gemmRequantSkippedForBench), for the requant share. */
export type Variant = 'int8-simd' | 'f32-simd' | 'int8-scalar' | 'int8-no-requant';

export interface KernelCase {
  /** 'gemm' | 'pointwise' | 'conv' | 'dwconv' | 'requant' */
  kernel: string;
  /** e.g. '256x256x256', '56x56:24->144', '56x56x144 s2' */
  shape: string;
  variant: Variant;
  /** multiply-accumulates per call; gops = 2 * macs / seconds / 1e9 */
  macs: number;
  /** included in --quick runs */
  quick?: boolean;
  /** Allocates and fills inputs (and packs weights) in `heap`; returns the call to time. */
  setup(k: KernelExports, heap: WasmHeap): () => void;
}

/** The MobileNetV2 1.0 224 shapes the issue names; families build their cases from these. */
export const POINTWISE_SHAPES = [
  { h: 112, w: 112, cin: 32, cout: 16 },
  { h: 56, w: 56, cin: 24, cout: 144 },
  { h: 28, w: 28, cin: 32, cout: 192 },
  { h: 14, w: 14, cin: 96, cout: 576 },
  { h: 7, w: 7, cin: 320, cout: 1280 },
];
export const DEPTHWISE_SHAPES = [
  { h: 112, w: 112, c: 32, stride: 1 },
  { h: 56, w: 56, c: 144, stride: 2 },
  { h: 14, w: 14, c: 576, stride: 1 },
];
/** 5x5 depthwise layers of EfficientNet-lite0 (k: window side; 3 when absent). Not in --quick (about 1 s each). */
export const DEPTHWISE_5X5_SHAPES = [
  { h: 28, w: 28, c: 240, stride: 1, k: 5 },
  { h: 56, w: 56, c: 144, stride: 2, k: 5 },
];
/** A depth multiplier 2 layer (m: depth multiplier; outputs c * m channels). Not in --quick. */
export const DEPTHWISE_MULTIPLIER_SHAPES = [
  { h: 112, w: 112, c: 32, stride: 1, m: 2 },
];
export const GEMM_SHAPE = { m: 256, n: 256, k: 256 };
export const FIRST_CONV_SHAPE = { h: 224, w: 224, cin: 3, cout: 32, kernel: 3, stride: 2 };
