// Column-sliding int8 depthwise kernel for whole rows of 3x3 windows (column dilation 1, column stride 1 or 2,
// at most one padding column each side): MobileNet's depthwise layers. Taps ky 0 and 1 of a column are paired in
// one i32x4.dot_i16x8_s, so the interleaved vectors of input column ix serve every output whose window holds ix
// (three at stride 1) instead of being rebuilt per output; ky 2 is paired across columns kx 0-1, and its kx 2
// runs against a zero weight. The accumulators of those outputs stay in registers, with 5 weight vectors per
// group of 4 channels.
// Padding: a padding tap row is a pixel of zpIn that the pointer does not advance over; a padding first or last
// column (padLeft 1, or padRight 1) is a column of zpIn, taken from registers instead of memory.
// Small images go several whole output rows per call (slideRows3x3), each channel group's weights loaded once.
// Accumulators go to a row buffer, then one requantization pass per 16 channels (requant4By, packClamp16; for
// the f64 modes with the channels' constants hoisted out of the pixel loop).
// Exactness: the same operands and bounds as the general loop (int8.ts): raw x against w - zpW, the zpIn terms
// being folded into the bias, so padding pixels of zpIn add nothing.
import { requant4By, requant4F64Of, f64Constants, packClamp16, packSat16, REQUANT_F64, REQUANT_F64_SIGNED } from "../requant";
import { SLIDE_GROUP_BYTES } from "./pack";

/** Most output pixels per slide call (the caller splits longer runs). */
export const SLIDE_CHUNK = 128;
// [pixel][16 channels] int32 accumulators of one chunk.
const accRow = memory.data(SLIDE_CHUNK * 64, 16);
const tail = memory.data(16, 16);

/** Ky 0 and 1 of one input column, 4 channels, interleaved: [a0 b0 a1 b1 a2 b2 a3 b3]. */
// @ts-ignore: decorator
@inline
export function rows01(p0: usize, p1: usize): v128 {
  return v128.shuffle<i16>(v128.load8x8_s(p0), v128.load8x8_s(p1), 0, 8, 1, 9, 2, 10, 3, 11);
}

/** Ky 2 of two neighbouring columns (kx, kx + 1), 4 channels, interleaved like rows01. */
// @ts-ignore: decorator
@inline
export function pair2(x2a: v128, x2b: v128): v128 {
  return v128.shuffle<i16>(x2a, x2b, 0, 8, 1, 9, 2, 10, 3, 11);
}

/** Ky 2 of one column, 4 channels, as i32 lanes: as i16 pairs [x, sign], dotted with [w, 0]. */
// @ts-ignore: decorator
@inline
export function single2(x2: v128): v128 {
  return i32x4.extend_low_i16x8_s(x2);
}

// @ts-ignore: decorator
@inline
export function dot(x: v128, w: v128): v128 {
  return i32x4.dot_i16x8_s(x, w);
}

/**
 * Accumulators of `count` outputs, 4 channels, into accRow from `start` (the first pixel's lanes for them), one
 * pixel per 64 bytes. p0, p1, p2: channel c of the first input column in tap rows 0..2, advancing s0..s2 bytes per
 * column (0 for a padding row); w0..z2: the group's 5 weight vectors (pack.ts); `bias`: its 4 effective biases; `padFirst` /
 * `padLast`: the first / last column is padding (never read; `zp` = zpIn in every i16 lane stands in).
 * Reads input columns 0 .. stride * (count - 1) + 2 only. Per output: ky 0-1 of each column in one dot, ky 2 of
 * columns kx 0-1 in one dot (pair2), ky 2 of kx 2 in one (single2): 5 dots for 9 taps.
 */
// @ts-ignore: decorator
@inline
function slide4(
  stride: i32, p0: usize, p1: usize, p2: usize, s0: usize, s1: usize, s2: usize, count: i32,
  w0: v128, w1: v128, w2: v128, h2: v128, z2: v128, bias: v128, start: usize, padFirst: bool, padLast: bool, zp: v128,
): void {
  let dst = start;
  const end = dst + (<usize>count << 6);
  const loopEnd = end - 64; // the last output is peeled off: nothing to start for the outputs after it
  let v01 = padFirst ? zp : rows01(p0, p1);
  let x2prev = padFirst ? zp : v128.load8x8_s(p2);
  let a = i32x4.add(bias, dot(v01, w0));
  p0 += s0; p1 += s1; p2 += s2;
  let x2: v128;
  if (stride == 1) {
    v01 = rows01(p0, p1); x2 = v128.load8x8_s(p2);
    a = i32x4.add(a, i32x4.add(dot(v01, w1), dot(pair2(x2prev, x2), h2)));
    let b = i32x4.add(bias, dot(v01, w0));
    x2prev = x2;
    p0 += s0; p1 += s1; p2 += s2;
    while (dst < loopEnd) {
      v01 = rows01(p0, p1); x2 = v128.load8x8_s(p2);
      v128.store(dst, i32x4.add(a, i32x4.add(dot(v01, w2), dot(single2(x2), z2))));
      a = i32x4.add(b, i32x4.add(dot(v01, w1), dot(pair2(x2prev, x2), h2)));
      b = i32x4.add(bias, dot(v01, w0));
      x2prev = x2;
      p0 += s0; p1 += s1; p2 += s2;
      dst += 64;
    }
  } else {
    while (dst < loopEnd) {
      v01 = rows01(p0, p1); x2 = v128.load8x8_s(p2);
      a = i32x4.add(a, i32x4.add(dot(v01, w1), dot(pair2(x2prev, x2), h2)));
      p0 += s0; p1 += s1; p2 += s2;
      v01 = rows01(p0, p1); x2 = v128.load8x8_s(p2);
      v128.store(dst, i32x4.add(a, i32x4.add(dot(v01, w2), dot(single2(x2), z2))));
      a = i32x4.add(bias, dot(v01, w0));
      x2prev = x2;
      p0 += s0; p1 += s1; p2 += s2;
      dst += 64;
    }
    v01 = rows01(p0, p1); x2 = v128.load8x8_s(p2);
    a = i32x4.add(a, i32x4.add(dot(v01, w1), dot(pair2(x2prev, x2), h2)));
    p0 += s0; p1 += s1; p2 += s2;
  }
  if (padLast) {
    v01 = zp; x2 = zp;
  } else {
    v01 = rows01(p0, p1); x2 = v128.load8x8_s(p2);
  }
  v128.store(dst, i32x4.add(a, i32x4.add(dot(v01, w2), dot(single2(x2), z2))));
}

/**
 * The requantization pass of the f64 modes over `count` pixels of `acc0` (16 channels from c) to `out` (pixel
 * stride `channels`). The channels' f64 constants stay in locals across the row (V8 keeps most in registers):
 * REQUANT_F64 5-8% faster than loading them per pixel. `full`: the clamp is [-128, 127], which the saturating
 * narrowing does alone (packSat16, 3% faster).
 */
// @ts-ignore: decorator
@inline
function f64RowPass(
  signed: bool, full: bool, acc0: usize, count: i32, out: usize, channels: i32, c: i32, params: usize, row: usize, zp: v128, lo: v128, hi: v128,
): void {
  const f = f64Constants(params, row, c), h = f + 2 * row, g = f + 4 * row;
  const zero = f64x2.splat(0.0);
  const r0 = v128.load(f), r1 = v128.load(f, 16), r2 = v128.load(f, 32), r3 = v128.load(f, 48);
  const r4 = v128.load(f, 64), r5 = v128.load(f, 80), r6 = v128.load(f, 96), r7 = v128.load(f, 112);
  const h0 = v128.load(h), h1 = v128.load(h, 16), h2 = v128.load(h, 32), h3 = v128.load(h, 48);
  const h4 = v128.load(h, 64), h5 = v128.load(h, 80), h6 = v128.load(h, 96), h7 = v128.load(h, 112);
  const g0 = signed ? v128.load(g) : zero, g1 = signed ? v128.load(g, 16) : zero;
  const g2 = signed ? v128.load(g, 32) : zero, g3 = signed ? v128.load(g, 48) : zero;
  const g4 = signed ? v128.load(g, 64) : zero, g5 = signed ? v128.load(g, 80) : zero;
  const g6 = signed ? v128.load(g, 96) : zero, g7 = signed ? v128.load(g, 112) : zero;
  const end = acc0 + (<usize>count << 6);
  let o = out;
  for (let acc = acc0; acc < end; acc += 64) {
    const a = requant4F64Of(signed, v128.load(acc), r0, r1, h0, h1, g0, g1);
    const b = requant4F64Of(signed, v128.load(acc, 16), r2, r3, h2, h3, g2, g3);
    const d = requant4F64Of(signed, v128.load(acc, 32), r4, r5, h4, h5, g4, g5);
    const e = requant4F64Of(signed, v128.load(acc, 48), r6, r7, h6, h7, g6, g7);
    v128.store(o, full ? packSat16(a, b, d, e, zp) : packClamp16(a, b, d, e, zp, lo, hi));
    o += <usize>channels;
  }
}

/**
 * The requantization pass over `pixels` pixels of accumulators from `acc0` ([pixel][16 channels from c] int32;
 * fewer channels in the last group) to `out` (channel c of the first pixel; pixel stride `channels`). `full`: the
 * clamp is [-128, 127]. Serves slide5x5.ts too.
 */
// @ts-ignore: decorator
@inline
export function requantAccRow(
  mode: i32, full: bool, acc0: usize, pixels: i32, out: usize, channels: i32, c: i32, params: usize, row: usize, zp: v128, lo: v128, hi: v128,
): void {
  let o = out;
  let acc = acc0;
  const end = acc0 + (<usize>pixels << 6);
  if ((mode == REQUANT_F64 || mode == REQUANT_F64_SIGNED) && c + 16 <= channels) {
    const signed = mode == REQUANT_F64_SIGNED;
    if (full) f64RowPass(signed, true, acc0, pixels, o, channels, c, params, row, zp, lo, hi);
    else f64RowPass(signed, false, acc0, pixels, o, channels, c, params, row, zp, lo, hi);
  } else if (c + 16 <= channels) {
    for (; acc < end; acc += 64) {
      v128.store(o, packClamp16(
        requant4By(mode, v128.load(acc), params, row, c), requant4By(mode, v128.load(acc, 16), params, row, c + 4),
        requant4By(mode, v128.load(acc, 32), params, row, c + 8), requant4By(mode, v128.load(acc, 48), params, row, c + 12),
        zp, lo, hi));
      o += <usize>channels;
    }
  } else {
    for (; acc < end; acc += 64) {
      v128.store(tail, packClamp16(
        requant4By(mode, v128.load(acc), params, row, c), requant4By(mode, v128.load(acc, 16), params, row, c + 4),
        requant4By(mode, v128.load(acc, 32), params, row, c + 8), requant4By(mode, v128.load(acc, 48), params, row, c + 12),
        zp, lo, hi));
      memory.copy(o, tail, <usize>(channels - c));
      o += <usize>channels;
    }
  }
}

/** Bytes of one row's entry in a slideRows3x3 row table: r0, r1, r2, s0, s1, s2 as usize. */
export const SLIDE_ROW_ENTRY = 24;

/**
 * `rows` rows of `count` outputs each (rows * count <= SLIDE_CHUNK), all channels, written to `out` (pixel stride
 * `channels`; the rows' outputs consecutive: several rows are whole output rows). `table`: per row, r0..r2, the
 * first input column's pixel in tap rows 0..2 (for padding rows: a pixel of zpIn), and s0..s2, their column steps
 * (0 for padding rows); padFirst / padLast: the first / last input column is padding; zpIn: the input zero point;
 * `packed`: the dwconvInt8Pack block (biases first), `slide`: its 3x3 section.
 * Small images go several rows per call, so the weights, biases and requantization constants of each channel
 * group are loaded once for all of them.
 */
// @ts-ignore: decorator
@inline
export function slideRows3x3(
  mode: i32, stride: i32, rows: i32, count: i32, table: usize, padFirst: bool, padLast: bool, zpIn: i32,
  channels: i32, packed: usize, slide: usize, params: usize, row: usize, zp: v128, lo: v128, hi: v128, out: usize,
): void {
  const full = i16x8.extract_lane_s(lo, 0) == -128 && i16x8.extract_lane_s(hi, 0) == 127;
  const zpv = i16x8.splat(<i16>zpIn);
  const tableEnd = table + <usize>rows * SLIDE_ROW_ENTRY;
  const rowBytes = <usize>count << 6;
  for (let c = 0; c < channels; c += 16) {
    // Groups of 4 from c up to the last holding a real channel: loads stay within 7 bytes past a pixel (the heap
    // keeps 16 of slack); the accumulators of skipped padding lanes are never stored.
    const groupEnd = min(16, channels - c);
    for (let j = 0; j < groupEnd; j += 4) {
      const cj = <usize>(c + j);
      const w = slide + (cj >> 2) * SLIDE_GROUP_BYTES;
      const w0 = v128.load(w), w1 = v128.load(w, 16), w2 = v128.load(w, 32), h2 = v128.load(w, 48), z2 = v128.load(w, 64);
      const bias = v128.load(packed + (cj << 2));
      let start = accRow + (<usize>j << 2);
      if (rows == 1) { // its own copy: inside the row loop, the single-row case (large images) ran 2-5% slower
        slide4(stride, load<usize>(table) + cj, load<usize>(table, 4) + cj, load<usize>(table, 8) + cj,
          load<usize>(table, 12), load<usize>(table, 16), load<usize>(table, 20), count, w0, w1, w2, h2, z2, bias, start, padFirst, padLast, zpv);
        continue;
      }
      for (let t = table; t < tableEnd; t += SLIDE_ROW_ENTRY) {
        slide4(stride, load<usize>(t) + cj, load<usize>(t, 4) + cj, load<usize>(t, 8) + cj,
          load<usize>(t, 12), load<usize>(t, 16), load<usize>(t, 20), count, w0, w1, w2, h2, z2, bias, start, padFirst, padLast, zpv);
        start += rowBytes;
      }
    }
    requantAccRow(mode, full, accRow, rows * count, out + <usize>c, channels, c, params, row, zp, lo, hi);
  }
}
