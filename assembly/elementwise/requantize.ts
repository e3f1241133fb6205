// 8-bit to 8-bit requantization (TFLite QUANTIZE with an int8/uint8 input; Concatenation inputs whose
// parameters differ from the output's):  out = clamp(zpOut + MBQM(q - zpIn, M), qmin, qmax),  M = sIn / sOut.
// uint8 sides are handled as int8 by flipping the top bit (q ^ 0x80 = q - 128) on the way in and/or out;
// the descriptor's zero points and bounds are already shifted to match (requantDescriptor in TS).
// Descriptor, 8 i32, read only: [zpIn, zpOut, multiplier, shift, qmin, qmax, flipIn (0 or 0x80), flipOut (0 or 0x80)].
import { packClamp16 } from "../requant";
import { storeTail, requantUniform4, uniformRound, uniformNeg } from "./vec";

// The (multiplier, shift) QuantizeMultiplier gives a real multiplier of exactly 1: MBQM(x, 2^30, 1) =
// SRDHM(2x, 2^30) = floor((2^31 x + 2^30) / 2^31) = x for every x in [-2^30, 2^30) (2x fits int32; here
// |x| <= 255), so the requantization is
// clamp(q - zpIn + zpOut): a saturating byte add (offsetRow), no multiply.
const UNIT_M: i32 = 1 << 30;
const UNIT_SHIFT: i32 = 1;

// @ts-ignore: decorator
@inline
function isUnit(desc: usize): bool {
  return load<i32>(desc, 8) == UNIT_M && load<i32>(desc, 12) == UNIT_SHIFT;
}

/** Requantizes n bytes (see the descriptor above). In place allowed. */
export function requantize8(input: usize, output: usize, n: i32, desc: usize): void {
  if (isUnit(desc)) offsetRow(input, output, n, desc);
  else requantizeRow(input, output, n, desc);
}

/**
 * Concatenation's copy: `rows` rows of `rowBytes` from a contiguous input into an output whose rows are
 * `outStride` bytes apart (the op layer offsets `output` by the input's position along the axis).
 * desc == 0 copies bytes; otherwise each row is requantized with the requantize8 descriptor at desc.
 */
export function copyRows8(input: usize, output: usize, rows: i32, rowBytes: i32, outStride: i32, desc: usize): void {
  const unit = desc != 0 && isUnit(desc);
  for (let r = 0; r < rows; r++) {
    const src = input + <usize>r * <usize>rowBytes, dst = output + <usize>r * <usize>outStride;
    if (desc == 0) memory.copy(dst, src, <usize>rowBytes);
    else if (unit) offsetRow(src, dst, rowBytes, desc);
    else requantizeRow(src, dst, rowBytes, desc);
  }
}

/** Flips the top bit of n bytes: uint8 <-> int8 with zero point +-128 and the same scale. In place allowed. */
export function flipSign8(input: usize, output: usize, n: i32): void {
  const m = i8x16.splat(-128);
  let i = 0;
  for (; i + 16 <= n; i += 16) v128.store(output + <usize>i, v128.xor(v128.load(input + <usize>i), m));
  for (; i < n; i++) store<u8>(output + <usize>i, load<u8>(input + <usize>i) ^ 0x80);
}

// @ts-ignore: decorator
@inline
function requantizeRow(src: usize, dst: usize, n: i32, desc: usize): void {
  const zpIn = load<i32>(desc), zpOut = load<i32>(desc, 4), qmin = load<i32>(desc, 16), qmax = load<i32>(desc, 20);
  const flipIn = load<i32>(desc, 24), flipOut = load<i32>(desc, 28);
  const vzpIn = i16x8.splat(<i16>zpIn), vzpOut = i16x8.splat(<i16>zpOut);
  const lo = i16x8.splat(<i16>qmin), hi = i16x8.splat(<i16>qmax);
  const fIn = i8x16.splat(<i8>flipIn), fOut = i8x16.splat(<i8>flipOut);
  const shift = load<i32>(desc, 12), ls = max(shift, 0), e = max(-shift, 0);
  const m = i32x4.splat(load<i32>(desc, 8)), rnd = i32x4.splat(uniformRound(e)), neg = i32x4.splat(uniformNeg(e));
  let i = 0;
  for (; i + 16 <= n; i += 16) {
    v128.store(dst + <usize>i, requant16(v128.load(src + <usize>i), fIn, fOut, vzpIn, vzpOut, lo, hi, m, ls, rnd, neg, e));
  }
  if (i < n) storeTail(dst + <usize>i, requant16(v128.load(src + <usize>i), fIn, fOut, vzpIn, vzpOut, lo, hi, m, ls, rnd, neg, e), n - i);
}

/** Sixteen bytes of requantizeRow (|q - zpIn| <= 255: requantUniform4 is exact). */
// @ts-ignore: decorator
@inline
function requant16(
  x: v128, fIn: v128, fOut: v128, vzpIn: v128, vzpOut: v128, lo: v128, hi: v128, m: v128, ls: i32, rnd: v128, neg: v128, e: i32,
): v128 {
  const v = v128.xor(x, fIn);
  const x0 = i16x8.sub(i16x8.extend_low_i8x16_s(v), vzpIn), x1 = i16x8.sub(i16x8.extend_high_i8x16_s(v), vzpIn);
  return v128.xor(packClamp16(
    requantUniform4(i32x4.extend_low_i16x8_s(x0), ls, m, rnd, neg, e),
    requantUniform4(i32x4.extend_high_i16x8_s(x0), ls, m, rnd, neg, e),
    requantUniform4(i32x4.extend_low_i16x8_s(x1), ls, m, rnd, neg, e),
    requantUniform4(i32x4.extend_high_i16x8_s(x1), ls, m, rnd, neg, e),
    vzpOut, lo, hi,
  ), fOut);
}

/**
 * requantizeRow for a unit multiplier (isUnit): out = clamp(q + (zpOut - zpIn), qmin, qmax) in int8 (flips as
 * requantizeRow). The offset, in [-255, 255], is added as up to three int8 parts of its sign with saturating
 * adds: once a same-sign chain saturates, the exact sum is past that bound too, and [qmin, qmax] lies inside
 * [-128, 127], so clamping the saturated sum gives the clamp of the exact one.
 */
// @ts-ignore: decorator
@inline
function offsetRow(src: usize, dst: usize, n: i32, desc: usize): void {
  const delta = load<i32>(desc, 4) - load<i32>(desc);
  const d1 = clampI8(delta), d2 = clampI8(delta - d1), d3 = delta - d1 - d2;
  const v1 = i8x16.splat(<i8>d1), v2 = i8x16.splat(<i8>d2), v3 = i8x16.splat(<i8>d3);
  const lo = i8x16.splat(<i8>load<i32>(desc, 16)), hi = i8x16.splat(<i8>load<i32>(desc, 20));
  const fIn = i8x16.splat(<i8>load<i32>(desc, 24)), fOut = i8x16.splat(<i8>load<i32>(desc, 28));
  let i = 0;
  for (; i + 16 <= n; i += 16) v128.store(dst + <usize>i, offset16(v128.load(src + <usize>i), v1, v2, v3, lo, hi, fIn, fOut));
  if (i < n) storeTail(dst + <usize>i, offset16(v128.load(src + <usize>i), v1, v2, v3, lo, hi, fIn, fOut), n - i);
}

// @ts-ignore: decorator
@inline
function offset16(x: v128, v1: v128, v2: v128, v3: v128, lo: v128, hi: v128, fIn: v128, fOut: v128): v128 {
  const s = i8x16.add_sat_s(i8x16.add_sat_s(i8x16.add_sat_s(v128.xor(x, fIn), v1), v2), v3);
  return v128.xor(i8x16.min_s(i8x16.max_s(s, lo), hi), fOut);
}

// @ts-ignore: decorator
@inline
function clampI8(x: i32): i32 {
  return x < -128 ? -128 : x > 127 ? 127 : x;
}
