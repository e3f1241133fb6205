// Typed signatures of the kernel module's exports (pointers are byte offsets into wasm memory).
// Each kernel family adds its block here; keep it in step with assembly/index.ts.
import type { RawExports } from './wasm.js';

export interface RequantExports {
  requantCapacity(channels: number): number;
  requantParamsSize(channels: number): number;
  requantParamsPack(dst: number, multipliers: number, shifts: number, channels: number): void;
  requantizeRows(acc: number, out: number, rows: number, channels: number, params: number, zp: number, qmin: number, qmax: number): void;
  requantizeRowsScalar(acc: number, out: number, rows: number, channels: number, params: number, zp: number, qmin: number, qmax: number): void;
  srdhmScalar(a: number, b: number): number;
  rdbpotScalar(x: number, e: number): number;
}

export type KernelExports = RawExports & RequantExports;
