// Small SIMD helpers shared by the pool and elementwise kernels.
import { requantParamsPackInt, srdhm4 } from "../requant";

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
// c in 0..15. Packed by requantParamsPack itself, so there is one copy of the arithmetic. The block lives in a
// scratch area at the end of the kernel's descriptor (owned by one op), not in static data, so instances that
// share one memory (threads) never write the same bytes.
export const UNIFORM_LANES = 16;
export const UNIFORM_ROW: usize = UNIFORM_LANES * 4;
const UNIFORM_BLOCK: usize = 6 * UNIFORM_ROW;
/** Bytes of the scratch area uniformParams packs into: the block, then its (multiplier, shift) arguments. */
export const UNIFORM_SCRATCH_BYTES: usize = UNIFORM_BLOCK + 2 * UNIFORM_ROW;

/** Packs (m0, shift) into a 16-lane params block at `scratch` (UNIFORM_SCRATCH_BYTES) and returns its address. */
export function uniformParams(scratch: usize, m0: i32, shift: i32): usize {
  const mults = scratch + UNIFORM_BLOCK;
  const shifts = mults + UNIFORM_ROW;
  for (let i: usize = 0; i < UNIFORM_ROW; i += 16) {
    v128.store(mults + i, i32x4.splat(m0));
    v128.store(shifts + i, i32x4.splat(shift));
  }
  requantParamsPackInt(scratch, mults, shifts, UNIFORM_LANES); // the six i32 rows requant4 reads
  return scratch;
}

// Per-tensor requantization without a params block: with one shift e for every lane, RDBPOT is a vector shift
// by a scalar count instead of requant4's per-channel 64-bit multiply. The constants come from
// uniformRound / uniformNeg (e = max(-shift, 0)) and are splatted once per call or row.

/** 2^(e-1), RDBPOT's rounding term for a right shift e (0 for e = 0). */
// @ts-ignore: decorator
@inline
export function uniformRound(e: i32): i32 {
  return e == 0 ? 0 : 1 << (e - 1);
}

/** -1 where RDBPOT subtracts [x < 0] (e >= 1), else 0. */
// @ts-ignore: decorator
@inline
export function uniformNeg(e: i32): i32 {
  return e == 0 ? 0 : -1;
}

/**
 * RDBPOT(x, e) on four lanes with one e in [0, 31]: (x - [x < 0] + 2^(e-1)) >> e, i.e. round half away from
 * zero (floor((x + 2^(e-1)) / 2^e) for x >= 0; for x < 0 the -1 turns the tie upward into the tie downward).
 * rnd = splat(uniformRound(e)), neg = splat(uniformNeg(e)); e = 0 gives x. Needs |x| < 2^30 when e >= 1 (no
 * overflow in x + 2^(e-1)).
 */
// @ts-ignore: decorator
@inline
export function rdbpotUniform4(x: v128, rnd: v128, neg: v128, e: i32): v128 {
  return i32x4.shr_s(i32x4.add(i32x4.add(x, rnd), v128.and(i32x4.shr_s(x, 31), neg)), e);
}

/**
 * requant4 for a per-tensor (M0, shift): RDBPOT(SRDHM(acc << ls, M0), e) with ls = max(shift, 0) (wrapping,
 * as requant4's multiply by 2^ls), m = splat(M0), e = max(-shift, 0). Exact when e = 0 or |acc| < 2^30 (then
 * |SRDHM| <= |acc|): Add's sums, Mul's products and 8-bit differences all are.
 */
// @ts-ignore: decorator
@inline
export function requantUniform4(acc: v128, ls: i32, m: v128, rnd: v128, neg: v128, e: i32): v128 {
  return rdbpotUniform4(srdhm4(i32x4.shl(acc, ls), m), rnd, neg, e);
}
