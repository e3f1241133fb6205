// Small SIMD helpers shared by the pool and elementwise kernels.
import { requantParamsPack } from "../requant";

/**
 * Stores the first n (0..15) bytes of v at dst and nothing past them: the tail of a row whose length is not a
 * multiple of 16. Kernels may over-read, never over-write.
 */
// @ts-ignore: decorator
@inline
export function storeTail(dst: usize, v: v128, n: i32): void {
  if (n & 8) {
    v128.store64_lane(dst, v, 0);
    v = i8x16.shuffle(v, v, 8, 9, 10, 11, 12, 13, 14, 15, 8, 9, 10, 11, 12, 13, 14, 15);
    dst += 8;
  }
  if (n & 4) {
    v128.store32_lane(dst, v, 0);
    v = i64x2.shr_u(v, 32);
    dst += 4;
  }
  if (n & 2) {
    v128.store16_lane(dst, v, 0);
    v = i64x2.shr_u(v, 16);
    dst += 2;
  }
  if (n & 1) v128.store8_lane(dst, v, 0);
}

// Requantization params blocks (assembly/requant.ts layout) for kernels whose multiplier is one per tensor:
// 16 identical lanes, so requant4(acc, block, UNIFORM_ROW, c) works for c in {0, 4, 8, 12} and requantOne for
// c in 0..15. Packed by requantParamsPack itself, so there is one copy of the arithmetic.
const UNIFORM_LANES = 16;
export const UNIFORM_ROW: usize = UNIFORM_LANES * 4;
const UNIFORM_BLOCK: usize = 6 * UNIFORM_ROW;
const uniformBlocks = memory.data(3 * 6 * 16 * 4, 16);
const uniformArgs = memory.data(2 * UNIFORM_LANES * 4, 16);

/** Packs (m0, shift) into uniform block `slot` (0..2) and returns its address. */
export function uniformParams(slot: i32, m0: i32, shift: i32): usize {
  const mults = uniformArgs;
  const shifts = uniformArgs + UNIFORM_ROW;
  v128.store(mults, i32x4.splat(m0));
  v128.store(mults, i32x4.splat(m0), 16);
  v128.store(mults, i32x4.splat(m0), 32);
  v128.store(mults, i32x4.splat(m0), 48);
  v128.store(shifts, i32x4.splat(shift));
  v128.store(shifts, i32x4.splat(shift), 16);
  v128.store(shifts, i32x4.splat(shift), 32);
  v128.store(shifts, i32x4.splat(shift), 48);
  const block = uniformBlocks + <usize>slot * UNIFORM_BLOCK;
  requantParamsPack(block, mults, shifts, UNIFORM_LANES);
  return block;
}
