// Typed signatures of the kernel module's exports (pointers are byte offsets into wasm memory).
// Each kernel family declares its block in src/runtime/kernels/<family>.ts, mirroring assembly/<family>/.
import type { RawExports } from './wasm.js';
import type { GemmExports } from './kernels/gemm.js';
import type { ConvExports } from './kernels/conv.js';
import type { DwconvExports } from './kernels/dwconv.js';
import type { F32Exports } from './kernels/f32.js';
import type { PoolExports } from './kernels/pool.js';
import type { ElementwiseExports } from './kernels/elementwise.js';

export interface RequantExports {
  requantCapacity(channels: number): number;
  requantParamsSize(channels: number): number;
  /** offsets: also the GEMM / conv offset forms' constants (assembly/requant-offsets.ts; ~3.6 us per channel). */
  requantParamsPack(dst: number, multipliers: number, shifts: number, channels: number, offsets: boolean): void;
  /** 0: general requantization, 1: every shift negative, 2: single-rounding f64 path (see assembly/requant.ts) */
  requantMode(params: number, channels: number, zp: number, qmin: number, qmax: number): number;
  /** requantMode, or 3 (single-rounding f64 with a sign term) where it says 1 and the products fit; used by dwconvInt8. */
  requantModeSigned(params: number, channels: number, zp: number, qmin: number, qmax: number): number;
  /**
   * The offset beta of channel c for gemm's f64 offset forms (assembly/requant-offsets.ts), for accumulators >= 0 or
   * (negative) < 0, or INT32_MIN where it has none.
   */
  requantOffset(params: number, channels: number, c: number, negative: boolean): number;
  /** The clamp-[-128, 127] form on one accumulator of channel c, zero point -128: the int8 output. */
  requantOneOffset(acc: number, params: number, channels: number, c: number): number;
  /** The signed form (both offsets) on one accumulator of channel c, with zero point and clamp: the int8 output. */
  requantOneOffsetSigned(acc: number, params: number, channels: number, c: number, zp: number, qmin: number, qmax: number): number;
  requantizeRows(acc: number, out: number, rows: number, channels: number, params: number, zp: number, qmin: number, qmax: number): void;
  requantizeRowsScalar(acc: number, out: number, rows: number, channels: number, params: number, zp: number, qmin: number, qmax: number): void;
  srdhmScalar(a: number, b: number): number;
  rdbpotScalar(x: number, e: number): number;
}

export type KernelExports = RawExports & RequantExports & GemmExports & ConvExports & DwconvExports & F32Exports & PoolExports & ElementwiseExports;
