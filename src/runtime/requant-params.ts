// Writes a per-channel requantization params block into wasm memory, once, at prepare time.
import type { KernelExports } from './kernel-abi.js';
import type { WasmHeap } from './heap.js';
import { quantizeMultipliers } from '../quant/multiplier.js';

/**
 * Packs the real multipliers of `reals.length` channels and returns the block's pointer. offsets: with the
 * constants of GEMM / conv's offset forms (assembly/requant-offsets.ts); depthwise and elementwise kernels never
 * use them, and finding them takes ~3.6 us per channel (1280 channels: 4.7 ms).
 */
export function packRequantParams(k: KernelExports, heap: WasmHeap, reals: ArrayLike<number>, offsets = true): number {
  const { multipliers, shifts } = quantizeMultipliers(reals);
  return packFixedPointParams(k, heap, multipliers, shifts, offsets);
}

/** Same, from already quantized (M0, shift) pairs. */
export function packFixedPointParams(k: KernelExports, heap: WasmHeap, multipliers: Int32Array, shifts: Int32Array, offsets = true): number {
  const dst = heap.alloc(k.requantParamsSize(multipliers.length));
  const scratch = heap.mark();
  k.requantParamsPack(dst, heap.put(multipliers), heap.put(shifts), multipliers.length, offsets);
  heap.release(scratch);
  return dst;
}
