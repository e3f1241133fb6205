// Column-sliding int8 depthwise kernel for whole rows of 3x3 windows (column dilation 1, column stride 1 or 2,
// at most one padding column each side): MobileNet's depthwise layers. Taps are paired vertically, (ky 0, ky 1) in one
// i32x4.dot_i16x8_s and ky 2 against a zero weight, so the interleaved column vectors of input column ix serve
// every output whose window holds ix (three at stride 1) instead of being rebuilt per output; the
// accumulators of those outputs stay in registers, with 6 weight vectors per group of 4 channels.
// Padding: a padding tap row is a pixel of zpIn that the pointer does not advance over; a padding first or last
// column (padLeft 1, or padRight 1) is a column of zpIn, taken from registers instead of memory.
// Accumulators go to a row buffer, then one requantization pass per 16 channels (requant4By, packClamp16).
// Exactness: the same operands and bounds as the general loop (int8.ts): raw x against w - zpW, the zpIn terms
// being folded into the bias, so padding pixels of zpIn add nothing.
import { requant4By, packClamp16 } from "../requant";
import { SLIDE_GROUP_BYTES } from "./pack";

/** Most output pixels per slide call (the caller splits longer runs). */
export const SLIDE_CHUNK = 128;
// [pixel][16 channels] int32 accumulators of one chunk.
const accRow = memory.data(SLIDE_CHUNK * 64, 16);
const tail = memory.data(16, 16);

/** Ky 0 and 1 of one input column, 4 channels, interleaved: [a0 b0 a1 b1 a2 b2 a3 b3]. */
// @ts-ignore: decorator
@inline
function rows01(p0: usize, p1: usize): v128 {
  return v128.shuffle<i16>(v128.load8x8_s(p0), v128.load8x8_s(p1), 0, 8, 1, 9, 2, 10, 3, 11);
}

/** Ky 2 of one input column, 4 channels, as i32 lanes: as i16 pairs [x, sign], dotted with [w, 0]. */
// @ts-ignore: decorator
@inline
function row2(p2: usize): v128 {
  return i32x4.extend_low_i16x8_s(v128.load8x8_s(p2));
}

// @ts-ignore: decorator
@inline
function tapsOf(v01: v128, v2: v128, w01: v128, w2: v128): v128 {
  return i32x4.add(i32x4.dot_i16x8_s(v01, w01), i32x4.dot_i16x8_s(v2, w2));
}

/**
 * Accumulators of `count` outputs, 4 channels, into accRow lanes `lane`..`lane + 3` of each pixel.
 * p0, p1, p2: channel c of the first input column in tap rows 0..2, advancing s0..s2 bytes per column (0 for a
 * padding row); `w`: the group's 6 weight vectors; `bias`: its 4 effective biases; `padFirst` / `padLast`: the
 * first / last column is padding (never read). Reads input columns 0 .. stride * (count - 1) + 2 only.
 */
// @ts-ignore: decorator
@inline
function slide4(
  stride: i32, p0: usize, p1: usize, p2: usize, s0: usize, s1: usize, s2: usize, count: i32,
  w: usize, bias: v128, lane: usize, padFirst: bool, padLast: bool, zp01: v128, zp2: v128,
): void {
  const w010 = v128.load(w), w011 = v128.load(w, 16), w012 = v128.load(w, 32);
  const w20 = v128.load(w, 48), w21 = v128.load(w, 64), w22 = v128.load(w, 80);
  let dst = accRow + lane;
  const end = dst + (<usize>count << 6);
  const loopEnd = end - 64; // the last output is peeled off: nothing to start for the outputs after it
  let v01 = padFirst ? zp01 : rows01(p0, p1), v2 = padFirst ? zp2 : row2(p2);
  let a = i32x4.add(bias, tapsOf(v01, v2, w010, w20));
  p0 += s0; p1 += s1; p2 += s2;
  if (stride == 1) {
    v01 = rows01(p0, p1); v2 = row2(p2);
    a = i32x4.add(a, tapsOf(v01, v2, w011, w21));
    let b = i32x4.add(bias, tapsOf(v01, v2, w010, w20));
    p0 += s0; p1 += s1; p2 += s2;
    while (dst < loopEnd) {
      v01 = rows01(p0, p1); v2 = row2(p2);
      v128.store(dst, i32x4.add(a, tapsOf(v01, v2, w012, w22)));
      a = i32x4.add(b, tapsOf(v01, v2, w011, w21));
      b = i32x4.add(bias, tapsOf(v01, v2, w010, w20));
      p0 += s0; p1 += s1; p2 += s2;
      dst += 64;
    }
    if (padLast) {
      v01 = zp01; v2 = zp2;
    } else {
      v01 = rows01(p0, p1); v2 = row2(p2);
    }
    v128.store(dst, i32x4.add(a, tapsOf(v01, v2, w012, w22)));
  } else {
    while (dst < loopEnd) {
      v01 = rows01(p0, p1); v2 = row2(p2);
      a = i32x4.add(a, tapsOf(v01, v2, w011, w21));
      p0 += s0; p1 += s1; p2 += s2;
      v01 = rows01(p0, p1); v2 = row2(p2);
      v128.store(dst, i32x4.add(a, tapsOf(v01, v2, w012, w22)));
      a = i32x4.add(bias, tapsOf(v01, v2, w010, w20));
      p0 += s0; p1 += s1; p2 += s2;
      dst += 64;
    }
    a = i32x4.add(a, tapsOf(rows01(p0, p1), row2(p2), w011, w21));
    p0 += s0; p1 += s1; p2 += s2;
    if (padLast) {
      v01 = zp01; v2 = zp2;
    } else {
      v01 = rows01(p0, p1); v2 = row2(p2);
    }
    v128.store(dst, i32x4.add(a, tapsOf(v01, v2, w012, w22)));
  }
}

/**
 * `count` (<= SLIDE_CHUNK) outputs of one row, all channels, written to `out` (pixel stride `channels`).
 * r0..r2: the first input column's pixel in tap rows 0..2 (for padding rows: a pixel of zpIn, s* = 0);
 * padFirst / padLast: the first / last input column is padding; zpIn: the input zero point;
 * `packed`: the dwconvInt8Pack block (biases first), `slide`: its 3x3 section.
 */
// @ts-ignore: decorator
@inline
export function slideRow3x3(
  mode: i32, stride: i32, r0: usize, r1: usize, r2: usize, s0: usize, s1: usize, s2: usize, count: i32,
  padFirst: bool, padLast: bool, zpIn: i32,
  channels: i32, packed: usize, slide: usize, params: usize, row: usize, zp: v128, lo: v128, hi: v128, out: usize,
): void {
  const zp01 = i16x8.splat(<i16>zpIn), zp2 = i32x4.splat(zpIn);
  for (let c = 0; c < channels; c += 16) {
    for (let j = 0; j < 16; j += 4) {
      const cj = <usize>(c + j);
      slide4(stride, r0 + cj, r1 + cj, r2 + cj, s0, s1, s2, count, slide + (cj >> 2) * SLIDE_GROUP_BYTES,
        v128.load(packed + (cj << 2)), <usize>j << 2, padFirst, padLast, zp01, zp2);
    }
    let o = out + <usize>c;
    let acc = accRow;
    const end = accRow + (<usize>count << 6);
    if (c + 16 <= channels) {
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
}
