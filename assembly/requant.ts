// Fixed-point requantization of int32 accumulators to int8 (QUANTIZATION.md §2, TFLite's double rounding):
//   out = clamp(zp_out + RDBPOT(SRDHM(acc * 2^ls, M0), e), qmin, qmax)
// with ls = max(shift, 0) and e = max(-shift, 0). Wasm SIMD shifts take one count for all lanes, so the
// per-channel right shift is done as a 64-bit multiply (floor(x / 2^e) = (x * 2^(31-e)) >> 31), and all
// per-channel constants are precomputed once, at prepare time, into a params block:
//   [ M0 | 2^ls | 2^(31-e) | 2^e - 1 | (2^e - 1) >> 1 | e == 0 ? -1 : 0 ]   each an i32 array of `cap` lanes
// where cap = channels rounded up to 16, so every vector load of 4 channels stays inside its row.

const ROWS = 6;

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
 */
export function requantParamsPack(dst: usize, multipliers: usize, shifts: usize, channels: i32): void {
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
function srdhm4(a: v128, b: v128): v128 {
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

/**
 * Requantizes a [rows, channels] int32 matrix to int8 (SIMD over channels, scalar remainder).
 * Used on its own after int32-output kernels, and as the reference loop the fused kernels follow.
 */
export function requantizeRows(
  acc: usize, out: usize, rows: i32, channels: i32,
  params: usize, zp: i32, qmin: i32, qmax: i32,
): void {
  const row = <usize>requantCapacity(channels) << 2;
  const general = !requantShiftsNegative(params, channels);
  const vzp = i16x8.splat(<i16>zp);
  const vlo = i16x8.splat(<i16>qmin);
  const vhi = i16x8.splat(<i16>qmax);
  for (let r = 0; r < rows; r++) {
    const src = acc + (<usize>r * <usize>channels << 2);
    const dst = out + <usize>r * <usize>channels;
    let c = 0;
    for (; c + 16 <= channels; c += 16) {
      const p = src + (<usize>c << 2);
      const v = general
        ? packClamp16(
          requant4(v128.load(p), params, row, c, true), requant4(v128.load(p, 16), params, row, c + 4, true),
          requant4(v128.load(p, 32), params, row, c + 8, true), requant4(v128.load(p, 48), params, row, c + 12, true),
          vzp, vlo, vhi)
        : packClamp16(
          requant4(v128.load(p), params, row, c, false), requant4(v128.load(p, 16), params, row, c + 4, false),
          requant4(v128.load(p, 32), params, row, c + 8, false), requant4(v128.load(p, 48), params, row, c + 12, false),
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
