// Column-sliding int8 depthwise kernel for whole rows of 3x3 windows (column dilation 1, column stride 1 or 2,
// at most one padding column each side): MobileNet's depthwise layers. Taps ky 0 and 1 of a column are paired in
// one i32x4.dot_i16x8_s, so the interleaved vectors of input column ix serve every output whose window holds ix
// (three at stride 1) instead of being rebuilt per output; ky 2 is paired across columns kx 0-1, and its kx 2
// rides on the neighbouring pair against a weight that is zero on the other lane. The accumulators of those
// outputs stay in registers, with 5 weight vectors per group of 4 channels.
// Input bytes are zipped (two rows' bytes interleaved) and widened by unpacking against zero, which makes each
// i16 lane x << 8: one shuffle widens 8 bytes, where sign extension took one per 4 channels plus the pairing. So
// the accumulators are 256 acc0, acc0 = sum x (w - zpW) without the bias, which the requantization pass adds back,
// or finds folded into its f64 rounding constant (int8.ts foldBiases).
// Padding: a padding tap row is a pixel of zpIn that the pointer does not advance over; a padding first or last
// column (padLeft 1, or padRight 1) is a column of zpIn, taken from registers instead of memory.
// Small images go several whole output rows per call (slideRows3x3), each channel group's weights loaded once.
// Accumulators go to a row buffer, then one requantization pass per 16 channels (requantAccRow: requant4By,
// packClamp16; for the f64 modes with the channels' constants hoisted out of the pixel loop).
// Exactness: the same operands and bounds as the general loop (int8.ts): raw x against w - zpW, the zpIn terms
// being folded into the bias, so padding pixels of zpIn add nothing.
import { requant4By, requant4F64Of, f64Constants, packClamp16, packSat16, REQUANT_F64, REQUANT_F64_SIGNED } from "../requant";
import { SLIDE_GROUP_BYTES } from "./pack";

/** Most output pixels per slide call (the caller splits longer runs). */
export const SLIDE_CHUNK = 128;
// [pixel][16 channels] int32 accumulators of one chunk (slide5x5.ts fills it too).
export const accRow = memory.data(SLIDE_CHUNK * 64, 16);
const tail = memory.data(16, 16);

/** Ky 0 and 1 of one input column, 4 channels, sign-extended and interleaved: [a0 b0 a1 b1 a2 b2 a3 b3] (slide5x5.ts). */
// @ts-ignore: decorator
@inline
export function rows01(p0: usize, p1: usize): v128 {
  return v128.shuffle<i16>(v128.load8x8_s(p0), v128.load8x8_s(p1), 0, 8, 1, 9, 2, 10, 3, 11);
}

/** The last tap row of two neighbouring columns (kx, kx + 1), 4 channels, interleaved like rows01 (slide5x5.ts). */
// @ts-ignore: decorator
@inline
export function pair2(x2a: v128, x2b: v128): v128 {
  return v128.shuffle<i16>(x2a, x2b, 0, 8, 1, 9, 2, 10, 3, 11);
}

/** The last tap row of one column, 4 channels, as i32 lanes: i16 pairs [x, sign], dotted with [w, 0] (slide5x5.ts). */
// @ts-ignore: decorator
@inline
export function single2(x2: v128): v128 {
  return i32x4.extend_low_i16x8_s(x2);
}

// Every input byte x enters the dots as the i16 x << 8: unpacking bytes against a zero vector widens them and
// scales them exactly by 256 in one shuffle, where sign-extending (load8x8_s) used one per 4 channels plus the tap
// pairing. So the accumulators hold 256 * acc0, acc0 = sum x (w - zpW) without the bias: |acc0| <= 9 * 128 * 255,
// |256 acc0| < 2^27, and each dot pair is at most 2 * 32768 * 255 (exact in int32, as pmaddwd is for any pair but
// four -32768).
const ZERO = i32x4.splat(0);

/** 8 channels of two rows' bytes (a, b: 8 bytes each) interleaved: [a0 b0 a1 b1 .. a7 b7]. */
// @ts-ignore: decorator
@inline
function zip8(a: v128, b: v128): v128 {
  return v128.shuffle<u8>(a, b, 0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
}

/** Bytes 0-7 of v as i16 lanes v[k] << 8 (the low byte 0): channels 0-3 of a zip8 as dot pairs. */
// @ts-ignore: decorator
@inline
function wideLo(v: v128): v128 {
  return v128.shuffle<u8>(ZERO, v, 0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
}

/** Bytes 8-15 of v as i16 lanes v[k] << 8: channels 4-7 of a zip8. */
// @ts-ignore: decorator
@inline
function wideHi(v: v128): v128 {
  return v128.shuffle<u8>(ZERO, v, 8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31);
}

// @ts-ignore: decorator
@inline
export function dot(x: v128, w: v128): v128 {
  return i32x4.dot_i16x8_s(x, w);
}

// @ts-ignore: decorator
@inline
function load8(p: usize): v128 {
  return v128.load64_zero(p);
}

// @ts-ignore: decorator
@inline
function load4(p: usize): v128 {
  return v128.load32_zero(p);
}

/** Ky 0-1 of one input column (rows at p0, p1), 4 channels, as dot pairs [a0 b0 .. a3 b3] << 8. */
// @ts-ignore: decorator
@inline
function column(p0: usize, p1: usize): v128 {
  return wideLo(zip8(load4(p0), load4(p1)));
}

/**
 * 256 * acc0 of `count` outputs, 4 channels, into accRow from `start` (the first pixel's lanes for them), one pixel
 * per 64 bytes. p0, p1, p2: channel c of the first input column in tap rows 0..2, advancing s0..s2 bytes per column
 * (0 for a padding row); w0, w1, w2, h2, z2: the group's V01[0..2], H2, and Z2 (stride 2) or Z2' (stride 1)
 * (pack.ts); `padFirst` / `padLast`: the first / last column is padding (never read; `zp` = zpIn in every byte
 * stands in). Reads 4 bytes of input columns 0 .. stride * (count - 1) + 2 only.
 * Per column: ky 0-1 zipped and widened (2 shuffles) into one dot per output holding the column; ky 2 zipped with
 * the previous column's and widened (2 shuffles): the H2 dot of the output whose kx 0-1 they are, and the lone
 * tap (2, 2) of the output whose kx 2 is one of them, against a weight vector that is zero on the other lane (Z2'
 * on the current column at stride 1; Z2 on the previous one at stride 2, one column later). 5 dots for 9 taps.
 */
// @ts-ignore: decorator
@inline
function slide4(
  stride: i32, p0: usize, p1: usize, p2: usize, s0: usize, s1: usize, s2: usize, count: i32,
  w0: v128, w1: v128, w2: v128, h2: v128, z2: v128, start: usize, padFirst: bool, padLast: bool, zp: v128,
): void {
  let dst = start;
  const loopEnd = dst + (<usize>(count - 1) << 6); // the last output is peeled off: its lone tap has no next pair
  let v = padFirst ? wideLo(zp) : column(p0, p1);
  let x2prev = padFirst ? zp : load4(p2);
  let x2: v128, pr: v128;
  // b: the output whose kx 0 is the current column
  let b = dot(v, w0);
  p0 += s0; p1 += s1; p2 += s2;
  v = column(p0, p1); x2 = load4(p2);
  pr = wideLo(zip8(x2prev, x2));
  b = i32x4.add(b, i32x4.add(dot(v, w1), dot(pr, h2)));
  p0 += s0; p1 += s1; p2 += s2;
  if (stride == 1) {
    // a: the output whose kx 0-1 are done; b its successor
    let a = b;
    b = dot(v, w0);
    x2prev = x2;
    while (dst < loopEnd) {
      v = column(p0, p1); x2 = load4(p2);
      pr = wideLo(zip8(x2prev, x2));
      v128.store(dst, i32x4.add(a, i32x4.add(dot(v, w2), dot(pr, z2))));
      a = i32x4.add(b, i32x4.add(dot(v, w1), dot(pr, h2)));
      b = dot(v, w0);
      x2prev = x2;
      p0 += s0; p1 += s1; p2 += s2;
      dst += 64;
    }
    b = a;
  } else {
    while (dst < loopEnd) {
      v = column(p0, p1); x2prev = load4(p2);
      const a = i32x4.add(b, dot(v, w2)); // waits for its lone tap, in the next pair
      b = dot(v, w0);
      p0 += s0; p1 += s1; p2 += s2;
      v = column(p0, p1); x2 = load4(p2);
      pr = wideLo(zip8(x2prev, x2));
      v128.store(dst, i32x4.add(a, dot(pr, z2)));
      b = i32x4.add(b, i32x4.add(dot(v, w1), dot(pr, h2)));
      p0 += s0; p1 += s1; p2 += s2;
      dst += 64;
    }
  }
  // the last output: b, kx 0-1 done
  if (padLast) {
    v = wideLo(zp); x2 = zp;
  } else {
    v = column(p0, p1); x2 = load4(p2);
  }
  v128.store(dst, i32x4.add(b, i32x4.add(dot(v, w2), dot(wideLo(zip8(x2, x2)), z2))));
}

/** slide4 for 8 channels (c..c+7; a*, b*: the two groups' weights, as for slide4): one zip serves both groups. */
// @ts-ignore: decorator
@inline
function slide8(
  stride: i32, p0: usize, p1: usize, p2: usize, s0: usize, s1: usize, s2: usize, count: i32,
  a0: v128, a1: v128, a2: v128, ah: v128, az: v128, b0: v128, b1: v128, b2: v128, bh: v128, bz: v128,
  start: usize, padFirst: bool, padLast: bool, zp: v128,
): void {
  let dst = start;
  const loopEnd = dst + (<usize>(count - 1) << 6);
  let t = padFirst ? zp : zip8(load8(p0), load8(p1));
  let x2prev = padFirst ? zp : load8(p2);
  let lo = wideLo(t), hi = wideHi(t);
  let blo = dot(lo, a0), bhi = dot(hi, b0);
  p0 += s0; p1 += s1; p2 += s2;
  t = zip8(load8(p0), load8(p1));
  let x2 = load8(p2);
  let pr = zip8(x2prev, x2);
  lo = wideLo(t); hi = wideHi(t);
  blo = i32x4.add(blo, i32x4.add(dot(lo, a1), dot(wideLo(pr), ah)));
  bhi = i32x4.add(bhi, i32x4.add(dot(hi, b1), dot(wideHi(pr), bh)));
  p0 += s0; p1 += s1; p2 += s2;
  if (stride == 1) {
    let alo = blo, ahi = bhi;
    blo = dot(lo, a0); bhi = dot(hi, b0);
    x2prev = x2;
    while (dst < loopEnd) {
      t = zip8(load8(p0), load8(p1)); x2 = load8(p2);
      pr = zip8(x2prev, x2);
      lo = wideLo(t);
      let plo = wideLo(pr);
      v128.store(dst, i32x4.add(alo, i32x4.add(dot(lo, a2), dot(plo, az))));
      alo = i32x4.add(blo, i32x4.add(dot(lo, a1), dot(plo, ah)));
      blo = dot(lo, a0);
      hi = wideHi(t); plo = wideHi(pr);
      v128.store(dst, i32x4.add(ahi, i32x4.add(dot(hi, b2), dot(plo, bz))), 16);
      ahi = i32x4.add(bhi, i32x4.add(dot(hi, b1), dot(plo, bh)));
      bhi = dot(hi, b0);
      x2prev = x2;
      p0 += s0; p1 += s1; p2 += s2;
      dst += 64;
    }
    blo = alo; bhi = ahi;
  } else while (dst < loopEnd) {
    t = zip8(load8(p0), load8(p1)); x2prev = load8(p2);
    lo = wideLo(t);
    const alo = i32x4.add(blo, dot(lo, a2));
    blo = dot(lo, a0);
    hi = wideHi(t);
    const ahi = i32x4.add(bhi, dot(hi, b2));
    bhi = dot(hi, b0);
    p0 += s0; p1 += s1; p2 += s2;
    t = zip8(load8(p0), load8(p1)); x2 = load8(p2);
    pr = zip8(x2prev, x2);
    let plo = wideLo(pr);
    v128.store(dst, i32x4.add(alo, dot(plo, az)));
    blo = i32x4.add(blo, i32x4.add(dot(wideLo(t), a1), dot(plo, ah)));
    plo = wideHi(pr);
    v128.store(dst, i32x4.add(ahi, dot(plo, bz)), 16);
    bhi = i32x4.add(bhi, i32x4.add(dot(wideHi(t), b1), dot(plo, bh)));
    p0 += s0; p1 += s1; p2 += s2;
    dst += 64;
  }
  if (padLast) {
    t = zp; x2 = zp;
  } else {
    t = zip8(load8(p0), load8(p1)); x2 = load8(p2);
  }
  pr = zip8(x2, x2);
  v128.store(dst, i32x4.add(blo, i32x4.add(dot(wideLo(t), a2), dot(wideLo(pr), az))));
  v128.store(dst, i32x4.add(bhi, i32x4.add(dot(wideHi(t), b2), dot(wideHi(pr), bz))), 16);
}

/** 4 of slide4's accumulators as acc = acc0 + bias: exact, the low 8 bits of 256 acc0 being 0. */
// @ts-ignore: decorator
@inline
function unscale(acc: v128, bias: v128): v128 {
  return i32x4.add(i32x4.shr_s(acc, 8), bias);
}

/**
 * The requantization pass of the f64 modes over `count` pixels of accumulators at `from` (16 channels from c) to
 * `out` (pixel stride `channels`). `f`: channel c's r in a row of f64 constants, h at f + span, g (signed) at `g`.
 * `unscaled`: the accumulators are 256 acc0 without the bias (slide4, slide8), made acc = acc0 + bias first
 * (`bias`: the 16 effective biases); otherwise they go in as they are: acc itself (slide5x5), or 256 acc0 against
 * foldBiases' rows (f: r / 256, h' = h + bias r: fl(256 acc0 r / 256) = fl(acc0 r); `s` != 0: the signed path's
 * sign thresholds -bias r, at f + 2 span). The channels' f64 constants stay in locals across the row (V8 keeps most in registers):
 * REQUANT_F64 5-8% faster than loading them per pixel. `full`: the clamp is [-128, 127], which the saturating
 * narrowing does alone (packSat16, 3% faster). The signed path goes in two halves of 8 channels (16 constants
 * each instead of 32: '(general requant)' rows 1-3% faster; the unsigned path's halves were -1% to +3%).
 */
// @ts-ignore: decorator
@inline
function f64RowPass(
  signed: bool, full: bool, unscaled: bool, from: usize, count: i32, out: usize, channels: i32, f: usize, span: usize,
  g: usize, s: usize, bias: usize, zp: v128, lo: v128, hi: v128,
): void {
  if (!signed) {
    f64Rows(true, false, full, unscaled, from, count, out, channels, f, span, g, s, bias, zp, lo, hi);
    return;
  }
  f64Rows(false, true, full, unscaled, from, count, out, channels, f, span, g, s, bias, zp, lo, hi);
  f64Rows(false, true, full, unscaled, from + 32, count, out + 8, channels, f + 64, span, g + 64, s != 0 ? s + 64 : 0, bias + 32, zp, lo, hi);
}

/**
 * f64RowPass over 16 channels (`wide`) or 8 of them (accumulators from + 64 p and on, outputs out + channels p
 * and on, 16 or 8 bytes).
 */
// @ts-ignore: decorator
@inline
function f64Rows(
  wide: bool, signed: bool, full: bool, unscaled: bool, from: usize, count: i32, out: usize, channels: i32, f: usize,
  span: usize, g: usize, s: usize, bias: usize, zp: v128, lo: v128, hi: v128,
): void {
  const h = f + span;
  const zero = f64x2.splat(0.0);
  const r0 = v128.load(f), r1 = v128.load(f, 16), r2 = v128.load(f, 32), r3 = v128.load(f, 48);
  const r4 = wide ? v128.load(f, 64) : zero, r5 = wide ? v128.load(f, 80) : zero;
  const r6 = wide ? v128.load(f, 96) : zero, r7 = wide ? v128.load(f, 112) : zero;
  const h0 = v128.load(h), h1 = v128.load(h, 16), h2 = v128.load(h, 32), h3 = v128.load(h, 48);
  const h4 = wide ? v128.load(h, 64) : zero, h5 = wide ? v128.load(h, 80) : zero;
  const h6 = wide ? v128.load(h, 96) : zero, h7 = wide ? v128.load(h, 112) : zero;
  const g0 = signed ? v128.load(g) : zero, g1 = signed ? v128.load(g, 16) : zero;
  const g2 = signed ? v128.load(g, 32) : zero, g3 = signed ? v128.load(g, 48) : zero;
  const g4 = signed && wide ? v128.load(g, 64) : zero, g5 = signed && wide ? v128.load(g, 80) : zero;
  const g6 = signed && wide ? v128.load(g, 96) : zero, g7 = signed && wide ? v128.load(g, 112) : zero;
  const folds = signed && s != 0;
  const s0 = folds ? v128.load(s) : zero, s1 = folds ? v128.load(s, 16) : zero;
  const s2 = folds ? v128.load(s, 32) : zero, s3 = folds ? v128.load(s, 48) : zero;
  const s4 = folds && wide ? v128.load(s, 64) : zero, s5 = folds && wide ? v128.load(s, 80) : zero;
  const s6 = folds && wide ? v128.load(s, 96) : zero, s7 = folds && wide ? v128.load(s, 112) : zero;
  const c0 = unscaled ? v128.load(bias) : ZERO, c1 = unscaled ? v128.load(bias, 16) : ZERO;
  const c2 = unscaled && wide ? v128.load(bias, 32) : ZERO, c3 = unscaled && wide ? v128.load(bias, 48) : ZERO;
  const end = from + (<usize>count << 6);
  let o = out;
  for (let acc = from; acc < end; acc += 64) {
    let v0 = v128.load(acc), v1 = v128.load(acc, 16);
    if (unscaled) {
      v0 = unscale(v0, c0); v1 = unscale(v1, c1);
    }
    const a = requant4F64Of(signed, v0, r0, r1, h0, h1, g0, g1, s0, s1);
    const b = requant4F64Of(signed, v1, r2, r3, h2, h3, g2, g3, s2, s3);
    if (wide) {
      let v2 = v128.load(acc, 32), v3 = v128.load(acc, 48);
      if (unscaled) {
        v2 = unscale(v2, c2); v3 = unscale(v3, c3);
      }
      const d = requant4F64Of(signed, v2, r4, r5, h4, h5, g4, g5, s4, s5);
      const e = requant4F64Of(signed, v3, r6, r7, h6, h7, g6, g7, s6, s7);
      v128.store(o, full ? packSat16(a, b, d, e, zp) : packClamp16(a, b, d, e, zp, lo, hi));
    } else {
      let x = i16x8.add_sat_s(i16x8.narrow_i32x4_s(a, b), zp);
      if (!full) x = i16x8.min_s(i16x8.max_s(x, lo), hi);
      v128.store64_lane(o, i8x16.narrow_i16x8_s(x, x), 0);
    }
    o += <usize>channels;
  }
}

/**
 * The requantization pass over `pixels` pixels of accumulators at `from` (accRow, or slide5x5.ts's buffer; 16
 * channels from c, fewer in the last group) to `out` (channel c of the first pixel; pixel stride `channels`).
 * `full`: the clamp is [-128, 127]. `scaled`: the accumulators are slide4's 256 acc0 without the bias (`bias`:
 * the group's 16 effective biases; `folded`: 0, or for the f64 modes the foldBiases rows, int8.ts); otherwise acc
 * itself (slide5x5.ts).
 */
// @ts-ignore: decorator
@inline
export function requantAccRow(
  mode: i32, full: bool, scaled: bool, folded: usize, bias: usize, from: usize, pixels: i32, out: usize, channels: i32,
  c: i32, params: usize, row: usize, zp: v128, lo: v128, hi: v128,
): void {
  if ((mode == REQUANT_F64 || mode == REQUANT_F64_SIGNED) && c + 16 <= channels) {
    const signed = mode == REQUANT_F64_SIGNED;
    const span = row + row;
    const p = f64Constants(params, row, c), g = p + 2 * span;
    if (scaled && folded != 0) {
      const f = folded + (<usize>c << 3), s = f + 2 * span;
      if (full) f64RowPass(signed, true, false, from, pixels, out, channels, f, span, g, s, bias, zp, lo, hi);
      else f64RowPass(signed, false, false, from, pixels, out, channels, f, span, g, s, bias, zp, lo, hi);
    } else {
      if (full) f64RowPass(signed, true, scaled, from, pixels, out, channels, p, span, g, 0, bias, zp, lo, hi);
      else f64RowPass(signed, false, scaled, from, pixels, out, channels, p, span, g, 0, bias, zp, lo, hi);
    }
    return;
  }
  const c0 = scaled ? v128.load(bias) : ZERO, c1 = scaled ? v128.load(bias, 16) : ZERO;
  const c2 = scaled ? v128.load(bias, 32) : ZERO, c3 = scaled ? v128.load(bias, 48) : ZERO;
  const end = from + (<usize>pixels << 6);
  let o = out;
  for (let acc = from; acc < end; acc += 64) {
    let v0 = v128.load(acc), v1 = v128.load(acc, 16), v2 = v128.load(acc, 32), v3 = v128.load(acc, 48);
    if (scaled) {
      v0 = unscale(v0, c0); v1 = unscale(v1, c1); v2 = unscale(v2, c2); v3 = unscale(v3, c3);
    }
    const v = packClamp16(
      requant4By(mode, v0, params, row, c), requant4By(mode, v1, params, row, c + 4),
      requant4By(mode, v2, params, row, c + 8), requant4By(mode, v3, params, row, c + 12), zp, lo, hi);
    if (c + 16 <= channels) {
      v128.store(o, v);
    } else {
      v128.store(tail, v);
      memory.copy(o, tail, <usize>(channels - c));
    }
    o += <usize>channels;
  }
}

/** Bytes of one row's entry in a slideRows3x3 row table: r0, r1, r2, s0, s1, s2 as usize. */
export const SLIDE_ROW_ENTRY = 24;

/**
 * `rows` rows of `count` outputs each (rows * count <= SLIDE_CHUNK), all channels, written to `out` (pixel stride
 * `channels`; the rows' outputs consecutive: several rows are whole output rows). `table`: per row, r0..r2, the
 * first input column's pixel in tap rows 0..2 (for padding rows: a pixel of zpIn), and s0..s2, their column steps
 * (0 for padding rows); padFirst / padLast: the first / last input column is padding; zpIn: the input zero point;
 * `packed`: the dwconvInt8Pack block (biases first), `slide`: its 3x3 section. `folded`: 0, or (REQUANT_F64 only)
 * rows of r / 256 and h' laid out like the params block's f64 rows r, h (foldBiases in int8.ts).
 * Small images go several rows per call, so the weights, biases and requantization constants of each channel
 * group are loaded once for all of them.
 */
// @ts-ignore: decorator
@inline
export function slideRows3x3(
  mode: i32, stride: i32, rows: i32, count: i32, table: usize, padFirst: bool, padLast: bool, zpIn: i32,
  channels: i32, packed: usize, slide: usize, params: usize, row: usize, folded: usize, zp: v128, lo: v128, hi: v128, out: usize,
): void {
  const full = i16x8.extract_lane_s(lo, 0) == -128 && i16x8.extract_lane_s(hi, 0) == 127;
  const zpv = i8x16.splat(<i8>zpIn);
  const tableEnd = table + <usize>rows * SLIDE_ROW_ENTRY;
  const rowBytes = <usize>count << 6;
  for (let c = 0; c < channels; c += 16) {
    // Groups of 4 or 8 from c up to the last holding a real channel: loads stay within 7 bytes past a pixel (the
    // heap keeps 16 of slack); the accumulators of padding lanes are never stored.
    // 8 channels per pass (slide8) at stride 2 and for several rows per call; single rows at stride 1 take slide4
    // (8 was 1% slower there: slide8 keeps 15 vectors live at stride 1).
    const groupEnd = min(16, channels - c);
    const eight = stride == 2 || rows > 1;
    for (let j = 0; j < groupEnd; j += eight ? 8 : 4) {
      const cj = <usize>(c + j);
      const w = slide + (cj >> 2) * SLIDE_GROUP_BYTES;
      const w0 = v128.load(w), w1 = v128.load(w, 16), w2 = v128.load(w, 32), h2 = v128.load(w, 48);
      const z2 = stride == 1 ? v128.load(w, 80) : v128.load(w, 64); // Z2' at stride 1, Z2 at stride 2
      let start = accRow + (<usize>j << 2);
      if (!eight) {
        slide4(stride, load<usize>(table) + cj, load<usize>(table, 4) + cj, load<usize>(table, 8) + cj,
          load<usize>(table, 12), load<usize>(table, 16), load<usize>(table, 20), count,
          w0, w1, w2, h2, z2, start, padFirst, padLast, zpv);
        continue;
      }
      const wb = w + SLIDE_GROUP_BYTES;
      const b0 = v128.load(wb), b1 = v128.load(wb, 16), b2 = v128.load(wb, 32), bh = v128.load(wb, 48);
      const bz = stride == 1 ? v128.load(wb, 80) : v128.load(wb, 64);
      if (rows == 1) { // its own copy: inside the row loop, the single-row case (large images) ran 2-5% slower
        slide8(stride, load<usize>(table) + cj, load<usize>(table, 4) + cj, load<usize>(table, 8) + cj,
          load<usize>(table, 12), load<usize>(table, 16), load<usize>(table, 20), count,
          w0, w1, w2, h2, z2, b0, b1, b2, bh, bz, start, padFirst, padLast, zpv);
        continue;
      }
      for (let t = table; t < tableEnd; t += SLIDE_ROW_ENTRY) {
        slide8(stride, load<usize>(t) + cj, load<usize>(t, 4) + cj, load<usize>(t, 8) + cj,
          load<usize>(t, 12), load<usize>(t, 16), load<usize>(t, 20), count,
          w0, w1, w2, h2, z2, b0, b1, b2, bh, bz, start, padFirst, padLast, zpv);
        start += rowBytes;
      }
    }
    requantAccRow(mode, full, true, folded, packed + (<usize>c << 2), accRow, rows * count, out + <usize>c, channels, c, params, row, zp, lo, hi);
  }
}
