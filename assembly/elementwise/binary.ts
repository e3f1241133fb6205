// Add and Mul of two int8 tensors with broadcasting, TFLite's integer schemes (QUANTIZATION.md §3):
//   Add: x_i = (q_i - zp_i) << 20, scaled by M_i = s_i / (2 max(s1, s2)); out = zp_out + MBQM(x_1 + x_2, M_out)
//        with M_out = 2 max(s1, s2) / (2^20 s_out)
//   Mul: out = zp_out + MBQM((q_1 - zp_1) * (q_2 - zp_2), s1 s2 / s_out)
// then clamp to [qmin, qmax]. The output MBQM is requantUniform4 (elementwise/vec.ts: one shift for all lanes);
// Add's input scaling uses an exact 32-bit form of the same arithmetic (scaleShifted4 below).
// Broadcasting is a general strided loop over a 4-D output whose innermost axis has stride 1 or 0 (broadcast)
// in each input; the TS helper collapses shapes so equal shapes become one long row.
// Descriptor, 23 i32 (built by binaryDescriptor in src/runtime/kernels/elementwise.ts):
//   [0..3] output dims d0..d3 · [4..7] a's strides · [8..11] b's strides (elements; 0 = broadcast)
//   [12] zpA [13] zpB [14] zpOut [15] qmin [16] qmax [17] mOut [18] shiftOut [19] mA [20] shiftA [21] mB [22] shiftB
// (shiftA, shiftB <= 0: the input multipliers s_i / (2 max(s1, s2)) are at most 1/2.) Read only.
import { packClamp16 } from "../requant";
import { storeTail, requantUniform4, rdbpotUniform4, uniformRound, uniformNeg } from "./vec";

const ADD = 0;
const MUL = 1;

/** out = clamp(zpOut + MBQM(MBQM((a - zpA) << 20, mA) + MBQM((b - zpB) << 20, mB), mOut)); see descriptor above. */
export function addInt8(a: usize, b: usize, out: usize, desc: usize): void {
  binary(a, b, out, desc, ADD);
}

/** out = clamp(zpOut + MBQM((a - zpA) * (b - zpB), mOut)); descriptor as addInt8 (fields 19..22 unused). */
export function mulInt8(a: usize, b: usize, out: usize, desc: usize): void {
  binary(a, b, out, desc, MUL);
}

// The TFLite input multiplier of the input with the larger scale is exactly 1/2 (2^30, shift 0): its scaling is
// x = (q - zp) << 19 (SRDHM(d 2^20, 2^30) = d 2^19 exactly, and no rounding shift).
const HALF_M: i32 = 1 << 30;

// Add's loop forms: a and b both by scaleShifted4 (GENERIC); a by a shift, b by scaleShifted4 (HALF: unequal
// input scales, e.g. MobileNetV2's residual Adds); both by a shift (BOTH_HALF: equal input scales, so
// x_a + x_b = (d_a + d_b) << 19 with d_a + d_b summed in int16).
const GENERIC = 0;
const HALF = 1;
const BOTH_HALF = 2;

// @ts-ignore: decorator
@inline
function binary(a: usize, b: usize, out: usize, desc: usize, op: i32): void {
  if (op == MUL) {
    mulAll(a, b, out, desc);
    return;
  }
  const mA = load<i32>(desc, 76), sA = load<i32>(desc, 80), mB = load<i32>(desc, 84), sB = load<i32>(desc, 88);
  const halfA = mA == HALF_M && sA == 0, halfB = mB == HALF_M && sB == 0;
  // Add is symmetric: put the input whose multiplier is exactly 1/2 (if any) first, where a shift scales it.
  const swap = !halfA && halfB;
  const sOther = swap ? sA : sB;
  // HALF needs b's shift in [1, 20] (scaleShiftedRounded4); TFLite's smaller-scale multiplier is below 1/2, so
  // its shift is at least 1, and 20 covers input scales up to 2^19 apart.
  if (halfA && halfB) addBothHalf(a, b, out, desc);
  else if ((halfA || halfB) && sOther <= -1 && sOther >= -20) addHalf(a, b, out, desc, swap);
  else addGeneric(a, b, out, desc);
}

// One wasm function per (op, form), each with its four stride loops: every function stays small enough for
// the engine to compile its loops well (one function holding all sixteen ran ~20% slower).
function mulAll(a: usize, b: usize, out: usize, desc: usize): void {
  nest(a, b, out, desc, false, MUL, GENERIC);
}
function addGeneric(a: usize, b: usize, out: usize, desc: usize): void {
  nest(a, b, out, desc, false, ADD, GENERIC);
}
function addHalf(a: usize, b: usize, out: usize, desc: usize, swap: bool): void {
  nest(a, b, out, desc, swap, ADD, HALF);
}
function addBothHalf(a: usize, b: usize, out: usize, desc: usize): void {
  nest(a, b, out, desc, false, ADD, BOTH_HALF);
}

/** The loop nest over the 4-D output, with a and b exchanged (descriptor fields too) when `swap`. */
// @ts-ignore: decorator
@inline
function nest(a0: usize, b0: usize, out: usize, desc: usize, swap: bool, op: i32, form: i32): void {
  const a = swap ? b0 : a0, b = swap ? a0 : b0;
  const fa: usize = swap ? 4 : 0, fb: usize = swap ? 0 : 4; // field offsets (bytes) of "a" and "b" in pairs
  const d0 = load<i32>(desc), d1 = load<i32>(desc, 4), d2 = load<i32>(desc, 8), d3 = load<i32>(desc, 12);
  const sa = desc + 16 + (fa << 2), sb = desc + 16 + (fb << 2); // each input's four strides
  const as0 = <usize>load<i32>(sa), as1 = <usize>load<i32>(sa, 4), as2 = <usize>load<i32>(sa, 8), as3 = load<i32>(sa, 12);
  const bs0 = <usize>load<i32>(sb), bs1 = <usize>load<i32>(sb, 4), bs2 = <usize>load<i32>(sb, 8), bs3 = load<i32>(sb, 12);
  const mA = load<i32>(desc + 76 + (fa << 1)), eA = -load<i32>(desc + 80 + (fa << 1));
  const mB = load<i32>(desc + 76 + (fb << 1)), eB = -load<i32>(desc + 80 + (fb << 1));
  // Constants splatted once per call.
  const zpA = i16x8.splat(<i16>load<i32>(desc + 48 + fa)), zpB = i16x8.splat(<i16>load<i32>(desc + 48 + fb));
  const zpOut = i16x8.splat(<i16>load<i32>(desc, 56));
  const lo = i16x8.splat(<i16>load<i32>(desc, 60)), hi = i16x8.splat(<i16>load<i32>(desc, 64));
  // Add's input scalings (see scaleShifted4).
  const hiA = i32x4.splat(mA >> 11), loA = i32x4.splat(mA & 2047), rndA = i32x4.splat(uniformRound(eA)), negA = i32x4.splat(uniformNeg(eA));
  const hiB = i32x4.splat(mB >> 11), loB = i32x4.splat(mB & 2047), negB = i32x4.splat(uniformNeg(eB));
  const rndB = i32x4.splat(op == ADD && form == HALF ? (1 << 10) + (1 << (10 + eB)) : uniformRound(eB));
  // The output requantization (requantUniform4).
  const shiftOut = load<i32>(desc, 72), lsOut = max(shiftOut, 0), eOut = max(-shiftOut, 0);
  const mOut = i32x4.splat(load<i32>(desc, 68)), rndOut = i32x4.splat(uniformRound(eOut)), negOut = i32x4.splat(uniformNeg(eOut));
  let o = out;
  for (let i0 = 0; i0 < d0; i0++) for (let i1 = 0; i1 < d1; i1++) for (let i2 = 0; i2 < d2; i2++) {
    const pa = a + <usize>i0 * as0 + <usize>i1 * as1 + <usize>i2 * as2;
    const pb = b + <usize>i0 * bs0 + <usize>i1 * bs1 + <usize>i2 * bs2;
    // One specialized loop per (a, b) inner stride: loads or splats are decided outside the loop.
    if (as3 != 0 && bs3 != 0) row(pa, true, pb, true, o, d3, op, form, zpA, zpB, zpOut, lo, hi, hiA, loA, rndA, negA, eA, hiB, loB, rndB, negB, eB, mOut, lsOut, rndOut, negOut, eOut);
    else if (as3 != 0) row(pa, true, pb, false, o, d3, op, form, zpA, zpB, zpOut, lo, hi, hiA, loA, rndA, negA, eA, hiB, loB, rndB, negB, eB, mOut, lsOut, rndOut, negOut, eOut);
    else if (bs3 != 0) row(pa, false, pb, true, o, d3, op, form, zpA, zpB, zpOut, lo, hi, hiA, loA, rndA, negA, eA, hiB, loB, rndB, negB, eB, mOut, lsOut, rndOut, negOut, eOut);
    else row(pa, false, pb, false, o, d3, op, form, zpA, zpB, zpOut, lo, hi, hiA, loA, rndA, negA, eA, hiB, loB, rndB, negB, eB, mOut, lsOut, rndOut, negOut, eOut);
    o += <usize>d3;
  }
}

// @ts-ignore: decorator
@inline
function row(
  pa: usize, aVec: bool, pb: usize, bVec: bool, po: usize, n: i32, op: i32, form: i32,
  zpA: v128, zpB: v128, zpOut: v128, lo: v128, hi: v128,
  hiA: v128, loA: v128, rndA: v128, negA: v128, eA: i32, hiB: v128, loB: v128, rndB: v128, negB: v128, eB: i32,
  mOut: v128, lsOut: i32, rndOut: v128, negOut: v128, eOut: i32,
): void {
  const sa = i8x16.splat(load<i8>(pa)), sb = i8x16.splat(load<i8>(pb));
  // Whole vectors, then the tail (a store-size branch inside the loop costs ~2x on short-bodied loops).
  let j = 0;
  for (; j + 16 <= n; j += 16) {
    const va = aVec ? v128.load(pa + <usize>j) : sa, vb = bVec ? v128.load(pb + <usize>j) : sb;
    v128.store(po + <usize>j, binary16(va, vb, op, form, zpA, zpB, zpOut, lo, hi, hiA, loA, rndA, negA, eA, hiB, loB, rndB, negB, eB, mOut, lsOut, rndOut, negOut, eOut));
  }
  if (j < n) {
    const va = aVec ? v128.load(pa + <usize>j) : sa, vb = bVec ? v128.load(pb + <usize>j) : sb;
    storeTail(po + <usize>j, binary16(va, vb, op, form, zpA, zpB, zpOut, lo, hi, hiA, loA, rndA, negA, eA, hiB, loB, rndB, negB, eB, mOut, lsOut, rndOut, negOut, eOut), n - j);
  }
}

/** Sixteen outputs of Add or Mul from sixteen a and b values (row's constants). */
// @ts-ignore: decorator
@inline
function binary16(
  va: v128, vb: v128, op: i32, form: i32, zpA: v128, zpB: v128, zpOut: v128, lo: v128, hi: v128,
  hiA: v128, loA: v128, rndA: v128, negA: v128, eA: i32, hiB: v128, loB: v128, rndB: v128, negB: v128, eB: i32,
  mOut: v128, lsOut: i32, rndOut: v128, negOut: v128, eOut: i32,
): v128 {
  // Zero points subtracted in int16: q - zp lies in [-255, 255].
  const xa0 = i16x8.sub(i16x8.extend_low_i8x16_s(va), zpA), xa1 = i16x8.sub(i16x8.extend_high_i8x16_s(va), zpA);
  const xb0 = i16x8.sub(i16x8.extend_low_i8x16_s(vb), zpB), xb1 = i16x8.sub(i16x8.extend_high_i8x16_s(vb), zpB);
  if (op == ADD && form == BOTH_HALF) {
    // |d_a + d_b| <= 510: the int16 sum is exact, and (d_a + d_b) << 19 < 2^29 keeps requantUniform4 exact.
    const s0 = i16x8.add(xa0, xb0), s1 = i16x8.add(xa1, xb1);
    return packClamp16(
      requantUniform4(i32x4.shl(i32x4.extend_low_i16x8_s(s0), 19), lsOut, mOut, rndOut, negOut, eOut),
      requantUniform4(i32x4.shl(i32x4.extend_high_i16x8_s(s0), 19), lsOut, mOut, rndOut, negOut, eOut),
      requantUniform4(i32x4.shl(i32x4.extend_low_i16x8_s(s1), 19), lsOut, mOut, rndOut, negOut, eOut),
      requantUniform4(i32x4.shl(i32x4.extend_high_i16x8_s(s1), 19), lsOut, mOut, rndOut, negOut, eOut),
      zpOut, lo, hi,
    );
  }
  if (op == ADD) {
    return packClamp16(
      add4(i32x4.extend_low_i16x8_s(xa0), i32x4.extend_low_i16x8_s(xb0), form, hiA, loA, rndA, negA, eA, hiB, loB, rndB, negB, eB, mOut, lsOut, rndOut, negOut, eOut),
      add4(i32x4.extend_high_i16x8_s(xa0), i32x4.extend_high_i16x8_s(xb0), form, hiA, loA, rndA, negA, eA, hiB, loB, rndB, negB, eB, mOut, lsOut, rndOut, negOut, eOut),
      add4(i32x4.extend_low_i16x8_s(xa1), i32x4.extend_low_i16x8_s(xb1), form, hiA, loA, rndA, negA, eA, hiB, loB, rndB, negB, eB, mOut, lsOut, rndOut, negOut, eOut),
      add4(i32x4.extend_high_i16x8_s(xa1), i32x4.extend_high_i16x8_s(xb1), form, hiA, loA, rndA, negA, eA, hiB, loB, rndB, negB, eB, mOut, lsOut, rndOut, negOut, eOut),
      zpOut, lo, hi,
    );
  }
  return packClamp16(
    requantUniform4(i32x4.extmul_low_i16x8_s(xa0, xb0), lsOut, mOut, rndOut, negOut, eOut),
    requantUniform4(i32x4.extmul_high_i16x8_s(xa0, xb0), lsOut, mOut, rndOut, negOut, eOut),
    requantUniform4(i32x4.extmul_low_i16x8_s(xa1, xb1), lsOut, mOut, rndOut, negOut, eOut),
    requantUniform4(i32x4.extmul_high_i16x8_s(xa1, xb1), lsOut, mOut, rndOut, negOut, eOut),
    zpOut, lo, hi,
  );
}

// @ts-ignore: decorator
@inline
function add4(
  xa: v128, xb: v128, form: i32, hiA: v128, loA: v128, rndA: v128, negA: v128, eA: i32,
  hiB: v128, loB: v128, rndB: v128, negB: v128, eB: i32, mOut: v128, lsOut: i32, rndOut: v128, negOut: v128, eOut: i32,
): v128 {
  const sa = form != GENERIC ? i32x4.shl(xa, 19) : scaleShifted4(xa, hiA, loA, rndA, negA, eA);
  // HALF: rndB holds scaleShiftedRounded4's constant (row).
  const sb = form == HALF ? scaleShiftedRounded4(xb, hiB, loB, rndB, eB) : scaleShifted4(xb, hiB, loB, rndB, negB, eB);
  const sum = i32x4.add(sa, sb);
  // |sum| < 2^29: requantUniform4 is exact.
  return requantUniform4(sum, lsOut, mOut, rndOut, negOut, eOut);
}

/**
 * scaleShifted4 for 1 <= e <= 20 in 8 operations instead of 10, c = splat(2^10 + 2^(10+e)). For e >= 1 the two
 * roundings collapse (QUANTIZATION.md §2's single rounding, divided through by 2^20):
 *   RDBPOT(SRDHM(d 2^20, m), e) = floor((d m + 2^10 + 2^(10+e) - 2^11 [d < 0]) / 2^(11+e))
 * ([d < 0] for [x < 0]: they differ only when x = 0, where both give 0), and with m = hi 2^11 + lo the nested
 * floors give (d hi + ((d lo + c) >> 11) - [d < 0]) >> e, -[d < 0] being d >> 31. |d lo| + c < 2^31 for e <= 20.
 */
// @ts-ignore: decorator
@inline
function scaleShiftedRounded4(d: v128, hi: v128, lo: v128, c: v128, e: i32): v128 {
  const x = i32x4.add(i32x4.mul(d, hi), i32x4.shr_s(i32x4.add(i32x4.mul(d, lo), c), 11));
  return i32x4.shr_s(i32x4.add(x, i32x4.shr_s(d, 31)), e);
}

/**
 * RDBPOT(SRDHM(d << 20, m), e) for |d| <= 255, 0 <= m < 2^31 and a shift e >= 0 shared by all lanes, in 32-bit
 * lanes. With m = hi * 2^11 + lo (0 <= lo < 2^11), SRDHM(d * 2^20, m) = (d * m * 2^20 + 2^30) >> 31
 * = floor((d * m + 2^10) / 2^11) = x = d * hi + ((d * lo + 2^10) >> 11), |d * hi| < 2^29, |d * lo| < 2^20.
 * Then RDBPOT(x, e) by rdbpotUniform4 (|x| < 2^29). The tests compare Add with the BigInt reference.
 */
// @ts-ignore: decorator
@inline
function scaleShifted4(d: v128, hi: v128, lo: v128, rnd: v128, neg: v128, e: i32): v128 {
  const x = i32x4.add(i32x4.mul(d, hi), i32x4.shr_s(i32x4.add(i32x4.mul(d, lo), i32x4.splat(1024)), 11));
  return rdbpotUniform4(x, rnd, neg, e);
}
