// Fixed-point requantization of int32 accumulators to int8 (QUANTIZATION.md §2, TFLite's double rounding):
//   out = clamp(zp_out + RDBPOT(SRDHM(acc * 2^ls, M0), e), qmin, qmax)
// with ls = max(shift, 0) and e = max(-shift, 0). Wasm SIMD shifts take one count for all lanes, so the
// per-channel right shift is done as a 64-bit multiply (floor(x / 2^e) = (x * 2^(31-e)) >> 31), and all
// per-channel constants are precomputed once, at prepare time, into a params block:
//   [ M0 | 2^ls | 2^(31-e) | 2^e - 1 | (2^e - 1) >> 1 | e == 0 ? -1 : 0 ]   each an i32 array of `cap` lanes
// where cap = channels rounded up to 16, so every vector load of 4 channels stays inside its row.
// Then three f64 arrays of `cap` lanes (each as wide as two i32 rows) for the single-rounding paths (requant4F64,
// requant4F64Signed):
//   [ r = M0 * 2^-(31+e) | h = 2^-(1+e) + 2^-(32+e) | g = -2^-e ]   (0 for channels with e == 0 or M0 == 0)
// Then REQUANT_F64_OFFSET's constants (requant-offsets.ts) for accumulators >= 0: two i32 rows and one f64 array,
//   [ beta | found (1 or 0) | 1.5 * 2^52 - 128 - K ]   (beta = K = 0 where not found)
// and for accumulators < 0 (REQUANT_F64_OFFSET_SIGNED), as differences from those: three i32 rows
//   [ beta' - beta | K' - K | found' (1 or 0) ]
import { channelOffset, offsetFound, offsetBeta, offsetK } from "./requant-offsets";

const ROWS = 19;
const F64_R_ROW = 6;
const OFFSET_ROW = 12;
const OFFSET_FOUND_ROW = 13;
const OFFSET_MAGIC_ROW = 14;
const OFFSET_NEG_ROW = 16;

/** How a layer's requantization runs, decided once per kernel call by requantMode. */
export const REQUANT_GENERAL: i32 = 0;  // any shift: requant4(.., true)
export const REQUANT_NEGATIVE: i32 = 1; // every shift negative: requant4(.., false)
export const REQUANT_F64: i32 = 2;      // negative shifts, qmin >= zp and small enough products: requant4F64
export const REQUANT_F64_SIGNED: i32 = 3; // negative shifts, qmin < zp, small enough products: requant4F64Signed
                                          // (only from requantModeSigned)
export const REQUANT_F64_OFFSET: i32 = 4; // clamp [-128, 127], zp -128, offsets found for every channel:
                                          // requant4F64Offset (only from gemmRequantMode)
export const REQUANT_F64_OFFSET_SIGNED: i32 = 5; // qmin < zp, offsets for both signs on every channel:
                                          // requant4F64OffsetSigned (only from gemmRequantMode)

/** 2^-k as an f64, k in [0, 1022]. */
// @ts-ignore: decorator
@inline
function pow2neg(k: i32): f64 {
  return reinterpret<f64>(<i64>(1023 - k) << 52);
}

/** Channels rounded up to a whole vector of int8 outputs. */
export function requantCapacity(channels: i32): i32 {
  return (channels + 15) & ~15;
}

/** Bytes of the params block for `channels` output channels. */
export function requantParamsSize(channels: i32): i32 {
  return ROWS * 4 * requantCapacity(channels);
}

/**
 * Fills a params block from per-channel (multiplier, shift) pairs as QuantizeMultiplier makes them:
 * multiplier in [0, 2^31), shift in [-31, 30] (positive = left). The caller validates those ranges.
 * Padding lanes get multiplier 0, so whatever they compute is never stored.
 * requantParamsPackInt fills only the six i32 rows (enough for requant4 / requantOne: the per-tensor blocks of
 * elementwise/vec.ts, 6 rows long); requantParamsPack fills the whole block.
 */
export function requantParamsPackInt(dst: usize, multipliers: usize, shifts: usize, channels: i32): void {
  const cap = requantCapacity(channels);
  const row = <usize>cap << 2;
  for (let c = 0; c < cap; c++) {
    let m: i32 = 0;
    let shift: i32 = 0;
    if (c < channels) {
      m = load<i32>(multipliers + (<usize>c << 2));
      shift = load<i32>(shifts + (<usize>c << 2));
    }
    const ls = shift > 0 ? shift : 0;
    const e = shift < 0 ? -shift : 0;
    const mask = e == 0 ? 0 : <i32>((<u32>0xffffffff) >> <u32>(32 - e));
    const at = dst + (<usize>c << 2);
    store<i32>(at, m);
    store<i32>(at + row, 1 << ls);
    store<i32>(at + 2 * row, e == 0 ? 0 : <i32>(<u32>1 << <u32>(31 - e)));
    store<i32>(at + 3 * row, mask);
    store<i32>(at + 4 * row, mask >> 1);
    store<i32>(at + 5 * row, e == 0 ? -1 : 0);
  }
}

/**
 * requantParamsPack: the i32 rows, then the f64 rows derived from them, then (offsets: for GEMM / conv layers; about
 * 3.6 us per channel) the offset forms' constants, else none found.
 */
export function requantParamsPack(dst: usize, multipliers: usize, shifts: usize, channels: i32, offsets: bool): void {
  requantParamsPackInt(dst, multipliers, shifts, channels);
  const cap = requantCapacity(channels);
  const row = <usize>cap << 2;
  for (let c = 0; c < cap; c++) {
    const at = dst + (<usize>c << 2);
    const m = load<i32>(at);
    const e = <i32>popcnt<u32>(<u32>load<i32>(at + 3 * row));
    const f = dst + <usize>F64_R_ROW * row + (<usize>c << 3);
    const single = e != 0 && m != 0;
    store<f64>(f, single ? <f64>m * pow2neg(31 + e) : 0.0);
    store<f64>(f + 2 * row, single ? pow2neg(1 + e) + pow2neg(32 + e) : 0.0);
    store<f64>(f + 4 * row, single ? -pow2neg(e) : 0.0);
    // (M0 = 0: beta = K = 0 give 0 everywhere, found; e == 0: not found)
    let found = m == 0, beta = 0, k = 0, foundNeg = m == 0, betaNeg = 0, kNeg = 0;
    if (!offsets) {
      found = foundNeg = false;
    } else if (single) {
      channelOffset(m, e, load<f64>(f), F64_ROUND, false);
      found = offsetFound; beta = offsetBeta; k = offsetK;
      channelOffset(m, e, load<f64>(f), F64_ROUND, true);
      foundNeg = found && offsetFound; betaNeg = offsetBeta; kNeg = offsetK;
    }
    store<i32>(at + <usize>OFFSET_ROW * row, beta);
    store<i32>(at + <usize>OFFSET_FOUND_ROW * row, found ? 1 : 0);
    store<f64>(dst + <usize>OFFSET_MAGIC_ROW * row + (<usize>c << 3), F64_ROUND - 128.0 - <f64>k);
    store<i32>(at + <usize>OFFSET_NEG_ROW * row, foundNeg ? betaNeg - beta : 0);
    store<i32>(at + <usize>(OFFSET_NEG_ROW + 1) * row, foundNeg ? kNeg - k : 0);
    store<i32>(at + <usize>(OFFSET_NEG_ROW + 2) * row, foundNeg ? 1 : 0);
  }
}

/** Byte address of channel c's offset beta (its found flag at + row). */
// @ts-ignore: decorator
@inline
export function offsetAt(params: usize, row: usize, c: i32): usize {
  return params + <usize>OFFSET_ROW * row + (<usize>c << 2);
}

/** Byte address of channel c's REQUANT_F64_OFFSET rounding constant (f64). */
// @ts-ignore: decorator
@inline
export function offsetMagicAt(params: usize, row: usize, c: i32): usize {
  return params + <usize>OFFSET_MAGIC_ROW * row + (<usize>c << 3);
}

/** Byte address of channel c's REQUANT_F64_OFFSET_SIGNED rows: beta' - beta, K' - K (at + row), found' (at + 2 row). */
// @ts-ignore: decorator
@inline
export function offsetNegAt(params: usize, row: usize, c: i32): usize {
  return params + <usize>OFFSET_NEG_ROW * row + (<usize>c << 2);
}

/**
 * Channel c's offset beta (negative: beta', for accumulators < 0) in a params block for `channels`, or INT32_MIN
 * where the search found none.
 */
export function requantOffset(params: usize, channels: i32, c: i32, negative: bool): i32 {
  const row = <usize>requantCapacity(channels) << 2;
  const at = offsetAt(params, row, c), neg = offsetNegAt(params, row, c);
  if (!negative) return load<i32>(at + row) != 0 ? load<i32>(at) : i32.MIN_VALUE;
  return load<i32>(neg + 2 * row) != 0 ? load<i32>(at) + load<i32>(neg) : i32.MIN_VALUE;
}

/** requantOneF64Offset for a params block of `channels` (tests). */
export function requantOneOffset(acc: i32, params: usize, channels: i32, c: i32): i32 {
  return requantOneF64Offset(acc, params, <usize>requantCapacity(channels) << 2, c);
}

/** requant4F64Offset of one accumulator of channel c: the output, clamped to [-128, 127]. */
export function requantOneF64Offset(acc: i32, params: usize, row: usize, c: i32): i32 {
  const r = load<f64>(f64Constants(params, row, c)), magic = load<f64>(offsetMagicAt(params, row, c));
  const y = <i32>reinterpret<i64>(<f64>(acc + load<i32>(offsetAt(params, row, c))) * r + magic);
  return min(max(y, -128), 127);
}

/** requant4F64OffsetSigned of one accumulator of channel c, then zero point zp and clamp [qmin, qmax]. */
export function requantOneOffsetSigned(acc: i32, params: usize, channels: i32, c: i32, zp: i32, qmin: i32, qmax: i32): i32 {
  const row = <usize>requantCapacity(channels) << 2;
  const r = load<f64>(f64Constants(params, row, c)), magic = load<f64>(offsetMagicAt(params, row, c));
  const neg = offsetNegAt(params, row, c);
  const a = acc + load<i32>(offsetAt(params, row, c)) + (acc < 0 ? load<i32>(neg) : 0);
  const y = <i64><i32>reinterpret<i64>(<f64>a * r + magic) - (acc < 0 ? <i64>load<i32>(neg + row) : 0) + 128 + <i64>zp;
  return <i32>min<i64>(max<i64>(y, <i64>qmin), <i64>qmax);
}

/** Saturating rounding doubling high multiply; exact for every pair (TFLite SaturatingRoundingDoublingHighMul). */
// @ts-ignore: decorator
@inline
export function srdhm(a: i32, b: i32): i32 {
  if (a == i32.MIN_VALUE && b == i32.MIN_VALUE) return i32.MAX_VALUE;
  return <i32>((<i64>a * <i64>b + (1 << 30)) >> 31);
}

/** Rounding divide by 2^e, half away from zero (gemmlowp RoundingDivideByPOT), e in [0, 31]. */
// @ts-ignore: decorator
@inline
export function rdbpot(x: i32, e: i32): i32 {
  const mask = e == 0 ? 0 : <i32>((<u32>0xffffffff) >> <u32>(32 - e));
  const threshold = (mask >> 1) + (x < 0 ? 1 : 0);
  return (x >> e) + ((x & mask) > threshold ? 1 : 0);
}

/** Scalar requantization of one accumulator of channel `c`, reading the same params block as the SIMD form. */
// @ts-ignore: decorator
@inline
export function requantOne(acc: i32, params: usize, row: usize, c: i32, zp: i32, qmin: i32, qmax: i32): i32 {
  const at = params + (<usize>c << 2);
  const m = load<i32>(at);
  const x = srdhm(acc * load<i32>(at + row), m);
  const mask = load<i32>(at + 3 * row);
  const e = <i32>popcnt<u32>(<u32>mask);
  const y = <i64>rdbpot(x, e) + <i64>zp;
  return <i32>(y < <i64>qmin ? <i64>qmin : y > <i64>qmax ? <i64>qmax : y);
}

/**
 * SRDHM on four lanes. Exact whenever b != INT32_MIN, which packed multipliers never are.
 * floor((a*b + 2^30) / 2^31) is taken as the high half of (a*b + 2^30) << 1 (no overflow: |a*b| < 2^62 - 2^31),
 * which avoids i64x2.shr_s (a 6-instruction sequence on x64 without AVX-512).
 */
// @ts-ignore: decorator
@inline
export function srdhm4(a: v128, b: v128): v128 {
  const nudge = i64x2.splat(1 << 30);
  const lo = i64x2.shl(i64x2.add(i64x2.extmul_low_i32x4_s(a, b), nudge), 1);
  const hi = i64x2.shl(i64x2.add(i64x2.extmul_high_i32x4_s(a, b), nudge), 1);
  return v128.shuffle<i32>(lo, hi, 1, 3, 5, 7);
}

/**
 * Four accumulators of channels c..c+3 to their requantized int32 values (before the zero point).
 * `general` = false skips the left shift and the e == 0 select: exact when requantShiftsNegative(params) holds.
 */
// @ts-ignore: decorator
@inline
export function requant4(acc: v128, params: usize, row: usize, c: i32, general: bool = true): v128 {
  const at = params + (<usize>c << 2);
  const x = srdhm4(general ? i32x4.mul(acc, v128.load(at + row)) : acc, v128.load(at));
  // RDBPOT(x, e) = floor((x - [x < 0] + 2^(e-1)) / 2^e) for e >= 1 (x - 1 cannot wrap: |x| < 2^31 since
  // M0 < 2^31), taken as the high half of ((x - [x < 0]) * 2^(31-e) + 2^30) << 1, exact in 64-bit lanes.
  const xm = i32x4.add(x, i32x4.shr_s(x, 31));
  const floorMul = v128.load(at + 2 * row);
  const nudge = i64x2.splat(1 << 30);
  const lo = i64x2.shl(i64x2.add(i64x2.extmul_low_i32x4_s(xm, floorMul), nudge), 1);
  const hi = i64x2.shl(i64x2.add(i64x2.extmul_high_i32x4_s(xm, floorMul), nudge), 1);
  const rounded = v128.shuffle<i32>(lo, hi, 1, 3, 5, 7);
  // e == 0 lanes keep x itself (2^31 does not fit the multiplier lane).
  return general ? v128.bitselect(x, rounded, v128.load(at + 5 * row)) : rounded;
}

/**
 * True when every channel with a non-zero multiplier has e >= 1, i.e. a negative shift (the usual case: real
 * multipliers below 0.5), which also means no left shift. Zero multipliers give 0 either way. Then
 * requant4(.., false) is exact.
 */
export function requantShiftsNegative(params: usize, channels: i32): bool {
  const row = <usize>requantCapacity(channels) << 2;
  for (let c = 0; c < channels; c++) {
    const at = params + (<usize>c << 2);
    if (load<i32>(at + 5 * row) != 0 && load<i32>(at) != 0) return false;
  }
  return true;
}

/**
 * Picks the cheapest exact requantization for a layer (params for `channels`, output zero point and clamp).
 *
 * REQUANT_F64 rests on this (e >= 1, no left shift): the double rounding of QUANTIZATION.md §2 collapses to one,
 * because floor(floor(v / a) / b) = floor(v / (a b)) for integer v:
 *   RDBPOT(SRDHM(acc, M0), e) = floor((p + 2^30 + 2^31 (2^(e-1) - [x < 0])) / 2^(31+e)),  p = acc M0,
 * where x < 0 iff p < -2^30. For acc >= 0 (so [x < 0] = 0) that equals round(w), w = (2p + 2^31 + 1) / 2^(32+e),
 * since w = u - 1/2 + 2^-(32+e) for the floored u, and u has no bits below 2^-(31+e): w is never a tie.
 * In f64, w = acc * r + h (r, h in the params block) is exact while 2p + 2^31 + 1 <= 2^53, and adding 1.5 * 2^52 rounds
 * it to the integer in the low mantissa bits. Outside [0, H], with H the least acc whose output reaches qmax,
 * exactness is not needed, only order: f64 multiply/add/round are monotone, so acc > H still gives >= qmax, and
 * acc < 0 gives y <= 0 (exact y(-1) <= 0), which clamps to qmin because qmin >= zp (fused ReLU/ReLU6, where
 * the [x < 0] term would have mattered). So the condition is qmin >= zp and H * M0 <= 2^52 - 2^31 on every
 * channel: roughly (qmax - zp) * 2^e < 2^21, e.g. e <= 12 for a full 8-bit output range.
 */
export function requantMode(params: usize, channels: i32, zp: i32, qmin: i32, qmax: i32): i32 {
  if (!requantShiftsNegative(params, channels)) return REQUANT_GENERAL;
  if (qmin < zp) return REQUANT_NEGATIVE;
  const y = qmax - zp;
  if (y <= 0) return REQUANT_F64; // every output is qmin == qmax == zp whatever y is
  return productsFitF64(params, channels, y, 0) ? REQUANT_F64 : REQUANT_NEGATIVE;
}

/**
 * True when every channel's |acc * M0| stays within 2^52 - 2^31 up to the least acc whose output is `y` steps
 * from the zero point, plus `slack` more accumulator steps (y > 0, shifts negative).
 */
function productsFitF64(params: usize, channels: i32, y: i32, slack: i64): bool {
  const row = <usize>requantCapacity(channels) << 2;
  for (let c = 0; c < channels; c++) if (!channelFitsF64(params, row, c, y, slack)) return false;
  return true;
}

/** productsFitF64 for channel c alone (row: the block's row stride). */
export function channelFitsF64(params: usize, row: usize, c: i32, y: i32, slack: i64): bool {
  const at = params + (<usize>c << 2);
  const m = <i64>load<i32>(at);
  if (m == 0) return true;
  const e = <i64>popcnt<u32>(<u32>load<i32>(at + 3 * row));
  if (e > 20) return false;
  // H = ceil((y 2^(31+e) - 2^30 - 2^(30+e)) / M0): everything below 2^60, exact in i64.
  const num = (<i64>y << (31 + e)) - (<i64>1 << 30) - (<i64>1 << (30 + e));
  const h = (num + m - 1) / m + slack;
  return h * m <= (<i64>1 << 52) - (<i64>1 << 31);
}

/**
 * requantMode, plus REQUANT_F64_SIGNED where it would say REQUANT_NEGATIVE for qmin < zp (no fused ReLU) but
 * the products are small enough. The single rounding of requantMode's note, for acc < 0 (where [x < 0] can be 1):
 *   RDBPOT(SRDHM(acc, M0), e) = floor((p - 2^30 + 2^(30+e)) / 2^(31+e))
 * (for -2^30 <= p < 0 both forms give 0), which is round(w - 2^-e) with the same w = acc r + h. So
 * w = acc r + h + (acc r < 0 ? g : 0), g = -2^-e, is exact while |2p +- 2^31 + 1| <= 2^53. The least |acc|
 * saturating on the negative side, A, satisfies A <= H + 1 for the H of y = zp - qmin (same numerator), so
 * the condition is (H + 1) M0 <= 2^52 - 2^31 with y = max(qmax - zp, zp - qmin); beyond, monotonicity clamps.
 */
export function requantModeSigned(params: usize, channels: i32, zp: i32, qmin: i32, qmax: i32): i32 {
  const mode = requantMode(params, channels, zp, qmin, qmax);
  if (mode != REQUANT_NEGATIVE || qmin >= zp) return mode;
  return productsFitF64(params, channels, max(qmax - zp, zp - qmin), 1) ? REQUANT_F64_SIGNED : mode;
}

/** requant4F64 of one accumulator of channel c, before the zero point: the same f64 operations, lane by lane. */
export function requantOneF64(acc: i32, params: usize, row: usize, c: i32): i32 {
  const at = params + <usize>F64_R_ROW * row + (<usize>c << 3);
  return <i32>reinterpret<i64>(<f64>acc * load<f64>(at) + load<f64>(at + 2 * row) + 6755399441055744.0);
}

/**
 * Two channels' f64 rounding constants h with int32 biases (as f64x2) folded in, h' = h + bias r (r: their f64
 * constants), for loops whose accumulators leave the bias out (acc = acc0 + bias); NaN lanes where not provably
 * exact. Exact where |fl(bias r)| <= 2^21 h: beyond |bias M0| = 2^53, fl(bias r) >= 2^(22-e) > 2^21 h, so then
 * bias r is exact, |bias M0| <= 2^51 + 2^20, and h + bias r = (2 bias M0 + 2^31 + 1) / 2^(32+e) has a numerator
 * below 2^53. With such h' (and fl(acc0 r) exact), fl(acc0 r) + h' is the exact acc r + h wherever requantMode's
 * bound makes that an f64, and monotone in acc0 elsewhere: REQUANT_F64's argument holds unchanged, and
 * requantModeSigned's with the sign test against -bias r, also exact then (requant4F64Of's slo, shi).
 */
// @ts-ignore: decorator
@inline
export function f64HWithBias2(r: v128, h: v128, bias: v128): v128 {
  const q = f64x2.mul(bias, r);
  const exact = f64x2.le(f64x2.abs(q), f64x2.mul(h, f64x2.splat(2097152.0)));
  return v128.bitselect(f64x2.add(h, q), f64x2.splat(NaN), exact);
}

/** 1.5 * 2^52: adding it rounds an f64 of magnitude below 2^51 to the integer in its low 32 bits. */
export const F64_ROUND: f64 = 6755399441055744.0;

/**
 * requant4 for layers where requantMode gave REQUANT_F64: the single rounding in f64 explained there.
 * `magic`: f64x2.splat(F64_ROUND), or F64_ROUND + zpOut to add the zero point in the same rounding (exact: an
 * integer added to the exact w before rounding; |w| < 2^30 + 1 as r < 1/2, so the lanes never wrap).
 */
// @ts-ignore: decorator
@inline
export function requant4F64(acc: v128, params: usize, row: usize, c: i32, magic: v128 = f64x2.splat(F64_ROUND)): v128 {
  const at = params + <usize>F64_R_ROW * row + (<usize>c << 3);
  const lo = f64x2.convert_low_i32x4_s(acc);
  const hi = f64x2.convert_low_i32x4_s(v128.shuffle<i32>(acc, acc, 2, 3, 2, 3));
  const wlo = f64x2.add(f64x2.add(f64x2.mul(lo, v128.load(at)), v128.load(at + 2 * row)), magic);
  const whi = f64x2.add(f64x2.add(f64x2.mul(hi, v128.load(at, 16)), v128.load(at + 2 * row, 16)), magic);
  // the low 32 bits of each f64 are the rounded integer (|w| < 2^31)
  return v128.shuffle<i32>(wlo, whi, 0, 2, 4, 6);
}

/**
 * requant4 for REQUANT_F64_OFFSET (requant-offsets.ts), with zero point -128: accumulators that already include
 * the channels' offsets beta, one f64 multiply and one add of a per-channel rounding constant per lane pair
 * (requant4F64's h rides in beta). The caller's saturating narrowings clamp to [-128, 127].
 * at, mt: the first channel's r (f64Constants) and rounding constant (offsetMagicAt).
 */
// @ts-ignore: decorator
@inline
export function requant4F64Offset(acc: v128, at: usize, mt: usize): v128 {
  const lo = f64x2.convert_low_i32x4_s(acc);
  const hi = f64x2.convert_low_i32x4_s(v128.shuffle<i32>(acc, acc, 2, 3, 2, 3));
  const wlo = f64x2.add(f64x2.mul(lo, v128.load(at)), v128.load(mt));
  const whi = f64x2.add(f64x2.mul(hi, v128.load(at, 16)), v128.load(mt, 16));
  return v128.shuffle<i32>(wlo, whi, 0, 2, 4, 6);
}

/**
 * requant4 for REQUANT_F64_OFFSET_SIGNED, before the zero point and less 128 (the rounding constants hold the
 * -128 of REQUANT_F64_OFFSET; the caller adds zp + 128): accumulators acc + beta (beta: the lanes' vector
 * of offsets), their negative lanes (acc < 0) moved to acc + beta' and K' - K taken off after the rounding.
 * delta, kappa: the lanes' beta' - beta and K' - K; at, mt as requant4F64Offset.
 */
// @ts-ignore: decorator
@inline
export function requant4F64OffsetSigned(acc: v128, beta: v128, delta: v128, kappa: v128, at: usize, mt: usize): v128 {
  const neg = i32x4.lt_s(acc, beta);
  const y = requant4F64Offset(i32x4.add(acc, v128.and(neg, delta)), at, mt);
  return i32x4.sub(y, v128.and(neg, kappa));
}

/** Byte address of channel c's f64 constant r in a params block (h at + 2 * row, g at + 4 * row). */
// @ts-ignore: decorator
@inline
export function f64Constants(params: usize, row: usize, c: i32): usize {
  return params + <usize>F64_R_ROW * row + (<usize>c << 3);
}

/**
 * requant4F64 (signed = false) or requant4F64Signed (signed = true) with the channels' constants already loaded:
 * r, h, g as f64 pairs for channels c, c+1 (lo) and c+2, c+3 (hi); g unused unless signed. For loops that hoist
 * the constants (the int8 depthwise row pass). The same operations as those two; not merged with them because
 * passing loaded values moves the loads in V8's code, which can slow the loops that load per call.
 * slo, shi (signed only): where acc r counts as negative, below 0; for accumulators acc0 = acc - bias with h
 * replaced by f64HWithBias2's h + bias r, below -bias r (exact there: acc < 0 iff acc0 r < -bias r).
 */
// @ts-ignore: decorator
@inline
export function requant4F64Of(
  signed: bool, acc: v128, rlo: v128, rhi: v128, hlo: v128, hhi: v128, glo: v128, ghi: v128, slo: v128, shi: v128,
): v128 {
  const magic = f64x2.splat(6755399441055744.0); // 1.5 * 2^52
  const tlo = f64x2.mul(f64x2.convert_low_i32x4_s(acc), rlo);
  const thi = f64x2.mul(f64x2.convert_low_i32x4_s(v128.shuffle<i32>(acc, acc, 2, 3, 2, 3)), rhi);
  let wlo = f64x2.add(tlo, hlo), whi = f64x2.add(thi, hhi);
  if (signed) {
    wlo = f64x2.add(wlo, v128.and(f64x2.lt(tlo, slo), glo));
    whi = f64x2.add(whi, v128.and(f64x2.lt(thi, shi), ghi));
  }
  // the low 32 bits of each f64 are the rounded integer (|w| < 2^31)
  return v128.shuffle<i32>(f64x2.add(wlo, magic), f64x2.add(whi, magic), 0, 2, 4, 6);
}

/** requant4 for layers where requantModeSigned gave REQUANT_F64_SIGNED: requant4F64 plus g on negative lanes. */
// @ts-ignore: decorator
@inline
export function requant4F64Signed(acc: v128, params: usize, row: usize, c: i32): v128 {
  const at = params + <usize>F64_R_ROW * row + (<usize>c << 3);
  const magic = f64x2.splat(6755399441055744.0); // 1.5 * 2^52
  const zero = f64x2.splat(0.0);
  const tlo = f64x2.mul(f64x2.convert_low_i32x4_s(acc), v128.load(at));
  const thi = f64x2.mul(f64x2.convert_low_i32x4_s(v128.shuffle<i32>(acc, acc, 2, 3, 2, 3)), v128.load(at, 16));
  const glo = v128.and(f64x2.lt(tlo, zero), v128.load(at + 4 * row));
  const ghi = v128.and(f64x2.lt(thi, zero), v128.load(at + 4 * row, 16));
  const wlo = f64x2.add(f64x2.add(f64x2.add(tlo, v128.load(at + 2 * row)), glo), magic);
  const whi = f64x2.add(f64x2.add(f64x2.add(thi, v128.load(at + 2 * row, 16)), ghi), magic);
  return v128.shuffle<i32>(wlo, whi, 0, 2, 4, 6);
}

/** requant4 / requant4F64 / requant4F64Signed by mode (inline: hoist the branch out of hot loops where it matters). */
// @ts-ignore: decorator
@inline
export function requant4By(mode: i32, acc: v128, params: usize, row: usize, c: i32): v128 {
  if (mode == REQUANT_F64) return requant4F64(acc, params, row, c);
  if (mode == REQUANT_F64_SIGNED) return requant4F64Signed(acc, params, row, c);
  if (mode == REQUANT_NEGATIVE) return requant4(acc, params, row, c, false);
  return requant4(acc, params, row, c, true);
}

/**
 * Sixteen requantized int32 lanes to int8: add the zero point and clamp in saturating int16, which is exact
 * because any value outside int16 clamps to the same int8 bound either way.
 */
// @ts-ignore: decorator
@inline
export function packClamp16(a: v128, b: v128, c: v128, d: v128, zp: v128, lo: v128, hi: v128): v128 {
  const ab = i16x8.min_s(i16x8.max_s(i16x8.add_sat_s(i16x8.narrow_i32x4_s(a, b), zp), lo), hi);
  const cd = i16x8.min_s(i16x8.max_s(i16x8.add_sat_s(i16x8.narrow_i32x4_s(c, d), zp), lo), hi);
  return i8x16.narrow_i16x8_s(ab, cd);
}

/** Sixteen int32 lanes already holding zero point + value to int8 for the clamp [-128, 127]: the narrowings saturate. */
// @ts-ignore: decorator
@inline
export function narrowSat16(a: v128, b: v128, c: v128, d: v128): v128 {
  return i8x16.narrow_i16x8_s(i16x8.narrow_i32x4_s(a, b), i16x8.narrow_i32x4_s(c, d));
}

/** packClamp16 for the clamp [-128, 127]: the saturating narrowings clamp alone (same argument). */
// @ts-ignore: decorator
@inline
export function packSat16(a: v128, b: v128, c: v128, d: v128, zp: v128): v128 {
  return i8x16.narrow_i16x8_s(i16x8.add_sat_s(i16x8.narrow_i32x4_s(a, b), zp), i16x8.add_sat_s(i16x8.narrow_i32x4_s(c, d), zp));
}

/**
 * Requantizes a [rows, channels] int32 matrix to int8 (SIMD over channels, scalar remainder).
 * Used on its own after int32-output kernels, and as the reference loop the fused kernels follow.
 */
export function requantizeRows(
  acc: usize, out: usize, rows: i32, channels: i32,
  params: usize, zp: i32, qmin: i32, qmax: i32,
): void {
  const row = <usize>requantCapacity(channels) << 2;
  const mode = requantMode(params, channels, zp, qmin, qmax);
  const vzp = i16x8.splat(<i16>zp);
  const vlo = i16x8.splat(<i16>qmin);
  const vhi = i16x8.splat(<i16>qmax);
  for (let r = 0; r < rows; r++) {
    const src = acc + (<usize>r * <usize>channels << 2);
    const dst = out + <usize>r * <usize>channels;
    let c = 0;
    for (; c + 16 <= channels; c += 16) {
      const p = src + (<usize>c << 2);
      const v = packClamp16(
        requant4By(mode, v128.load(p), params, row, c), requant4By(mode, v128.load(p, 16), params, row, c + 4),
        requant4By(mode, v128.load(p, 32), params, row, c + 8), requant4By(mode, v128.load(p, 48), params, row, c + 12),
        vzp, vlo, vhi);
      v128.store(dst + c, v);
    }
    for (; c < channels; c++) {
      store<i8>(dst + c, <i8>requantOne(load<i32>(src + (<usize>c << 2)), params, row, c, zp, qmin, qmax));
    }
  }
}

/** Scalar twin of requantizeRows, for tests and as the int8-scalar benchmark baseline. */
export function requantizeRowsScalar(
  acc: usize, out: usize, rows: i32, channels: i32,
  params: usize, zp: i32, qmin: i32, qmax: i32,
): void {
  const row = <usize>requantCapacity(channels) << 2;
  for (let r = 0; r < rows; r++) {
    const src = acc + (<usize>r * <usize>channels << 2);
    const dst = out + <usize>r * <usize>channels;
    for (let c = 0; c < channels; c++) {
      store<i8>(dst + c, <i8>requantOne(load<i32>(src + (<usize>c << 2)), params, row, c, zp, qmin, qmax));
    }
  }
}

/** Exposes SRDHM and RDBPOT for the edge-value tests. */
export function srdhmScalar(a: i32, b: i32): i32 {
  return srdhm(a, b);
}
export function rdbpotScalar(x: i32, e: i32): i32 {
  return rdbpot(x, e);
}
