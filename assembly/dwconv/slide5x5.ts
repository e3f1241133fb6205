// Column-sliding int8 depthwise kernel for 5x5 windows (column dilation 1, column stride 1 or 2, rows of at least
// 5 / 12 outputs: slides5x5): the 5x5 depthwise layers of MobileNetV3 and EfficientNet-lite.
// Per chunk of a row and 16 channels, the 5 input rows are first copied into a window ([ky][column][16 bytes]),
// the padding columns filled with zpIn, so the passes read every column the same way. Then per group of 4
// channels two passes over the window's columns, each with its accumulators and weights in registers (all 13
// weight vectors and 5 accumulators at once would spill: V8 has 15 SIMD registers):
//   A: tap rows 0-1, paired in one i32x4.dot_i16x8_s per column (rows01), starting the accumulators at the bias;
//   B: tap rows 2-3 the same way, plus tap row 4 paired across columns kx 0-1 and 2-3 (pair2) and kx 4 alone
//      (single2, against [w, 0]), adding to A's accumulators.
// Each column is widened once per pass and serves every output whose window holds it (5 at stride 1, 2 or 3 at
// stride 2): 13 dots per output and 4 channels for 25 taps. The first and last 4 columns (2 iterations at stride
// 2), which feed fewer outputs, are peeled off: rows of 7 outputs ran 12% faster than with a uniform loop whose
// edge columns also fed outputs outside the row. Then one requantization pass per 16 channels, in slide3x3.ts's
// accumulator row (requantAccRow).
// Exactness: the same operands and bounds as the general loop (int8.ts): raw x against w - zpW, the zpIn terms
// folded into the bias, so padding pixels of zpIn add nothing.
import { REQUANT_F64, REQUANT_F64_SIGNED, REQUANT_NEGATIVE, REQUANT_GENERAL } from "../requant";
import {
  field, beginRow, tapRow, D_BATCH, D_IN_C, D_IN_W, D_OUT_H, D_OUT_W, D_K_H, D_K_W, D_STRIDE_W, D_DIL_W, D_PAD_LEFT,
  D_ZP_IN, D_ZP_OUT, D_QMIN, D_QMAX,
} from "./geometry";
import { slideWeights, SLIDE5_GROUP_BYTES } from "./pack";
import { accRow, requantAccRow, rows01, pair2, single2, dot, SLIDE_CHUNK } from "./slide3x3";

/** Most outputs per call (static memory is small: the window takes 10.5 KB). */
const CHUNK = 64;
/** Most window columns: stride 2, CHUNK outputs. */
const WINDOW_COLUMNS = 2 * CHUNK + 3;
// The 5 input rows of one chunk, 16 channels: [ky][column][16 bytes], columns outside the input holding zpIn
// (plus 16 bytes that the last column's 8-byte loads at channel 12 reach into).
const window = memory.data(5 * WINDOW_COLUMNS * 16 + 16, 16);
// Input pixel of column 0 in tap rows 0..4 (0 for a padding row).
const rowTable = memory.data(5 * 4, 16);

// @ts-ignore: decorator
@inline
function add3(a: v128, b: v128, c: v128): v128 {
  return i32x4.add(i32x4.add(a, b), c);
}

// @ts-ignore: decorator
@inline
function add4(a: v128, b: v128, c: v128, d: v128): v128 {
  return i32x4.add(i32x4.add(i32x4.add(a, b), c), d);
}

/**
 * Pass A: window rows 0-1 (p, p + R; channel j of the 16, 16 bytes per column), weights w[0..4] (V[0][kx] of
 * pack.ts), over `count` outputs (at least 4 at stride 1, 2 at stride 2) whose accumulators, started at `bias`,
 * go to dst (64 bytes apart). The first and last columns, which feed fewer outputs, are peeled off.
 */
// @ts-ignore: decorator
@inline
function upperPass(stride: i32, p: usize, R: usize, count: i32, w: usize, bias: v128, dst: usize): void {
  const w0 = v128.load(w), w1 = v128.load(w, 16), w2 = v128.load(w, 32), w3 = v128.load(w, 48), w4 = v128.load(w, 64);
  if (stride == 1) {
    // Column j: output j starts (kx 0), j-1 .. j-3 take kx 1..3, j-4 takes kx 4 and is stored; a1..a4 hold
    // outputs j-1..j-4. Columns 0-3 start outputs 0-3.
    let v = rows01(p, p + R);
    let a1 = i32x4.add(bias, dot(v, w0));
    v = rows01(p + 16, p + R + 16);
    let a2 = i32x4.add(a1, dot(v, w1));
    a1 = i32x4.add(bias, dot(v, w0));
    v = rows01(p + 32, p + R + 32);
    let a3 = i32x4.add(a2, dot(v, w2));
    a2 = i32x4.add(a1, dot(v, w1));
    a1 = i32x4.add(bias, dot(v, w0));
    v = rows01(p + 48, p + R + 48);
    let a4 = i32x4.add(a3, dot(v, w3));
    a3 = i32x4.add(a2, dot(v, w2));
    a2 = i32x4.add(a1, dot(v, w1));
    a1 = i32x4.add(bias, dot(v, w0));
    p += 64;
    let at = dst;
    const end = dst + (<usize>(count - 4) << 6);
    for (; at < end; at += 64) {
      v = rows01(p, p + R);
      v128.store(at, i32x4.add(a4, dot(v, w4)));
      a4 = i32x4.add(a3, dot(v, w3));
      a3 = i32x4.add(a2, dot(v, w2));
      a2 = i32x4.add(a1, dot(v, w1));
      a1 = i32x4.add(bias, dot(v, w0));
      p += 16;
    }
    // Columns count .. count + 3 finish outputs count-4 .. count-1.
    v = rows01(p, p + R);
    v128.store(at, i32x4.add(a4, dot(v, w4)));
    a4 = i32x4.add(a3, dot(v, w3));
    a3 = i32x4.add(a2, dot(v, w2));
    a2 = i32x4.add(a1, dot(v, w1));
    v = rows01(p + 16, p + R + 16);
    v128.store(at, i32x4.add(a4, dot(v, w4)), 64);
    a4 = i32x4.add(a3, dot(v, w3));
    a3 = i32x4.add(a2, dot(v, w2));
    v = rows01(p + 32, p + R + 32);
    v128.store(at, i32x4.add(a4, dot(v, w4)), 128);
    a4 = i32x4.add(a3, dot(v, w3));
    v = rows01(p + 48, p + R + 48);
    v128.store(at, i32x4.add(a4, dot(v, w4)), 192);
  } else {
    // Columns 2m, 2m+1: output m starts (kx 0, 1), m-1 takes kx 2, 3, m-2 takes kx 4 (column 2m) and is stored;
    // a1, a2 hold outputs m-1, m-2. Iterations 0-1 start outputs 0-1.
    let va = rows01(p, p + R), vb = rows01(p + 16, p + R + 16);
    let a1 = add3(bias, dot(va, w0), dot(vb, w1));
    va = rows01(p + 32, p + R + 32); vb = rows01(p + 48, p + R + 48);
    let a2 = add3(a1, dot(va, w2), dot(vb, w3));
    a1 = add3(bias, dot(va, w0), dot(vb, w1));
    p += 64;
    let at = dst;
    const end = dst + (<usize>(count - 2) << 6);
    for (; at < end; at += 64) {
      va = rows01(p, p + R); vb = rows01(p + 16, p + R + 16);
      v128.store(at, i32x4.add(a2, dot(va, w4)));
      a2 = add3(a1, dot(va, w2), dot(vb, w3));
      a1 = add3(bias, dot(va, w0), dot(vb, w1));
      p += 32;
    }
    // Columns 2 count .. 2 count + 2 finish outputs count-2, count-1.
    va = rows01(p, p + R); vb = rows01(p + 16, p + R + 16);
    v128.store(at, i32x4.add(a2, dot(va, w4)));
    a2 = add3(a1, dot(va, w2), dot(vb, w3));
    va = rows01(p + 32, p + R + 32);
    v128.store(at, i32x4.add(a2, dot(va, w4)), 64);
  }
}

/**
 * Pass B: window rows 2-3 (p, p + R) with weights w[0..4] (V[1][kx]) and row 4 (p + 2 R) with h (H4[0], H4[1],
 * Z4), adding to pass A's accumulators at dst; peeled like upperPass. Row 4 at stride 1: columns j-1, j paired
 * serve output j-1 (kx 0-1) and j-3 (kx 2-3), column j alone output j-4 (kx 4); at stride 2: columns 2m, 2m+1
 * paired serve output m (kx 0-1) and m-1 (kx 2-3), column 2m alone output m-2 (kx 4).
 */
// @ts-ignore: decorator
@inline
function lowerPass(stride: i32, p: usize, R: usize, count: i32, w: usize, h: usize, dst: usize): void {
  const w0 = v128.load(w), w1 = v128.load(w, 16), w2 = v128.load(w, 32), w3 = v128.load(w, 48), w4 = v128.load(w, 64);
  const h0 = v128.load(h), h1 = v128.load(h, 16), z = v128.load(h, 32);
  const r4 = R << 1;
  if (stride == 1) {
    let v = rows01(p, p + R);
    let prev = v128.load8x8_s(p + r4);
    let a1 = i32x4.add(v128.load(dst), dot(v, w0));
    v = rows01(p + 16, p + R + 16);
    let x = v128.load8x8_s(p + r4 + 16);
    let pair = pair2(prev, x);
    let a2 = add3(a1, dot(v, w1), dot(pair, h0));
    a1 = i32x4.add(v128.load(dst, 64), dot(v, w0));
    prev = x;
    v = rows01(p + 32, p + R + 32);
    x = v128.load8x8_s(p + r4 + 32);
    pair = pair2(prev, x);
    let a3 = i32x4.add(a2, dot(v, w2));
    a2 = add3(a1, dot(v, w1), dot(pair, h0));
    a1 = i32x4.add(v128.load(dst, 128), dot(v, w0));
    prev = x;
    v = rows01(p + 48, p + R + 48);
    x = v128.load8x8_s(p + r4 + 48);
    pair = pair2(prev, x);
    let a4 = add3(a3, dot(v, w3), dot(pair, h1));
    a3 = i32x4.add(a2, dot(v, w2));
    a2 = add3(a1, dot(v, w1), dot(pair, h0));
    a1 = i32x4.add(v128.load(dst, 192), dot(v, w0));
    prev = x;
    p += 64;
    let at = dst;
    const end = dst + (<usize>(count - 4) << 6);
    for (; at < end; at += 64) {
      v = rows01(p, p + R);
      x = v128.load8x8_s(p + r4);
      pair = pair2(prev, x);
      v128.store(at, add3(a4, dot(v, w4), dot(single2(x), z)));
      a4 = add3(a3, dot(v, w3), dot(pair, h1));
      a3 = i32x4.add(a2, dot(v, w2));
      a2 = add3(a1, dot(v, w1), dot(pair, h0));
      a1 = i32x4.add(v128.load(at, 256), dot(v, w0));
      prev = x;
      p += 16;
    }
    v = rows01(p, p + R);
    x = v128.load8x8_s(p + r4);
    pair = pair2(prev, x);
    v128.store(at, add3(a4, dot(v, w4), dot(single2(x), z)));
    a4 = add3(a3, dot(v, w3), dot(pair, h1));
    a3 = i32x4.add(a2, dot(v, w2));
    a2 = add3(a1, dot(v, w1), dot(pair, h0));
    prev = x;
    v = rows01(p + 16, p + R + 16);
    x = v128.load8x8_s(p + r4 + 16);
    pair = pair2(prev, x);
    v128.store(at, add3(a4, dot(v, w4), dot(single2(x), z)), 64);
    a4 = add3(a3, dot(v, w3), dot(pair, h1));
    a3 = i32x4.add(a2, dot(v, w2));
    prev = x;
    v = rows01(p + 32, p + R + 32);
    x = v128.load8x8_s(p + r4 + 32);
    pair = pair2(prev, x);
    v128.store(at, add3(a4, dot(v, w4), dot(single2(x), z)), 128);
    a4 = add3(a3, dot(v, w3), dot(pair, h1));
    x = v128.load8x8_s(p + r4 + 48);
    v128.store(at, add3(a4, dot(rows01(p + 48, p + R + 48), w4), dot(single2(x), z)), 192);
  } else {
    let va = rows01(p, p + R), vb = rows01(p + 16, p + R + 16);
    let xa = v128.load8x8_s(p + r4), xb = v128.load8x8_s(p + r4 + 16);
    let pair = pair2(xa, xb);
    let a1 = add4(v128.load(dst), dot(va, w0), dot(vb, w1), dot(pair, h0));
    va = rows01(p + 32, p + R + 32); vb = rows01(p + 48, p + R + 48);
    xa = v128.load8x8_s(p + r4 + 32); xb = v128.load8x8_s(p + r4 + 48);
    pair = pair2(xa, xb);
    let a2 = add4(a1, dot(va, w2), dot(vb, w3), dot(pair, h1));
    a1 = add4(v128.load(dst, 64), dot(va, w0), dot(vb, w1), dot(pair, h0));
    p += 64;
    let at = dst;
    const end = dst + (<usize>(count - 2) << 6);
    for (; at < end; at += 64) {
      va = rows01(p, p + R); vb = rows01(p + 16, p + R + 16);
      xa = v128.load8x8_s(p + r4); xb = v128.load8x8_s(p + r4 + 16);
      pair = pair2(xa, xb);
      v128.store(at, add3(a2, dot(va, w4), dot(single2(xa), z)));
      a2 = add4(a1, dot(va, w2), dot(vb, w3), dot(pair, h1));
      a1 = add4(v128.load(at, 128), dot(va, w0), dot(vb, w1), dot(pair, h0));
      p += 32;
    }
    va = rows01(p, p + R); vb = rows01(p + 16, p + R + 16);
    xa = v128.load8x8_s(p + r4); xb = v128.load8x8_s(p + r4 + 16);
    v128.store(at, add3(a2, dot(va, w4), dot(single2(xa), z)));
    a2 = add4(a1, dot(va, w2), dot(vb, w3), dot(pair2(xa, xb), h1));
    xa = v128.load8x8_s(p + r4 + 32);
    v128.store(at, add3(a2, dot(rows01(p + 32, p + R + 32), w4), dot(single2(xa), z)), 64);
  }
}

/**
 * Fills the window with channels c..c+15 of the chunk's 5 input rows, `columns` columns from input column `col`
 * (may be negative); columns outside [0, inW) and padding rows hold zpIn (zpv).
 */
function fillWindow(columns: i32, col: i32, inW: i32, channels: i32, c: i32, zpv: v128): void {
  const pixel = <usize>channels;
  const first = min(max(-col, 0), columns), last = max(min(inW - col, columns), first);
  let dst = window;
  for (let ky = 0; ky < 5; ky++) {
    const r = load<usize>(rowTable + (<usize>ky << 2));
    const end = dst + (<usize>columns << 4);
    if (r == 0) {
      for (; dst < end; dst += 16) v128.store(dst, zpv);
      continue;
    }
    const mid = dst + (<usize>first << 4), right = dst + (<usize>last << 4);
    for (; dst < mid; dst += 16) v128.store(dst, zpv);
    let src = r + <usize>(col + first) * pixel + <usize>c;
    for (; dst < right; dst += 16) {
      v128.store(dst, v128.load(src));
      src += pixel;
    }
    for (; dst < end; dst += 16) v128.store(dst, zpv);
  }
}

/** The three passes for channels cj..cj+3 (window offset j) over `count` outputs, accumulators from `dst`. */
// @ts-ignore: decorator
@inline
function slideGroup(stride: i32, count: i32, rowBytes: usize, j: usize, w: usize, bias: v128, dst: usize): void {
  upperPass(stride, window + j, rowBytes, count, w, bias, dst);
  lowerPass(stride, window + 2 * rowBytes + j, rowBytes, count, w + 80, w + 160, dst);
}

function slideGroupS1(count: i32, rowBytes: usize, j: usize, w: usize, bias: v128, dst: usize): void {
  slideGroup(1, count, rowBytes, j, w, bias, dst);
}

function slideGroupS2(count: i32, rowBytes: usize, j: usize, w: usize, bias: v128, dst: usize): void {
  slideGroup(2, count, rowBytes, j, w, bias, dst);
}

/**
 * `count` outputs (<= CHUNK) of one row, all channels, to `out` (pixel stride `channels`); the row table holds the
 * input rows, `col` the input column of the first output's first tap.
 */
// @ts-ignore: decorator
@inline
function slideRow5x5(
  mode: i32, stride: i32, count: i32, col: i32, inW: i32, zpv: v128,
  channels: i32, packed: usize, params: usize, row: usize, zp: v128, lo: v128, hi: v128, out: usize,
): void {
  const full = i16x8.extract_lane_s(lo, 0) == -128 && i16x8.extract_lane_s(hi, 0) == 127;
  const slide = slideWeights(packed, channels, 25);
  const columns = stride * (count - 1) + 5;
  const rowBytes = <usize>columns << 4;
  for (let c = 0; c < channels; c += 16) {
    fillWindow(columns, col, inW, channels, c, zpv);
    // Groups of 4 up to the last holding a real channel.
    const groupEnd = min(16, channels - c);
    for (let j = 0; j < groupEnd; j += 4) {
      const cj = <usize>(c + j);
      const w = slide + (cj >> 2) * SLIDE5_GROUP_BYTES;
      const bias = v128.load(packed + (cj << 2));
      if (stride == 1) slideGroupS1(count, rowBytes, <usize>j, w, bias, accRow + (<usize>j << 2));
      else slideGroupS2(count, rowBytes, <usize>j, w, bias, accRow + (<usize>j << 2));
    }
    requantAccRow(mode, full, false, 0, 0, accRow, count, out + <usize>c, channels, c, params, row, zp, lo, hi);
  }
}

function slideBy(
  mode: i32, stride: i32, count: i32, col: i32, inW: i32, zpv: v128,
  channels: i32, packed: usize, params: usize, row: usize, zp: v128, lo: v128, hi: v128, out: usize,
): void {
  if (mode == REQUANT_F64) slideRow5x5(REQUANT_F64, stride, count, col, inW, zpv, channels, packed, params, row, zp, lo, hi, out);
  else if (mode == REQUANT_F64_SIGNED) slideRow5x5(REQUANT_F64_SIGNED, stride, count, col, inW, zpv, channels, packed, params, row, zp, lo, hi, out);
  else if (mode == REQUANT_NEGATIVE) slideRow5x5(REQUANT_NEGATIVE, stride, count, col, inW, zpv, channels, packed, params, row, zp, lo, hi, out);
  else slideRow5x5(REQUANT_GENERAL, stride, count, col, inW, zpv, channels, packed, params, row, zp, lo, hi, out);
}

/**
 * Whether dwconvInt8 gives the layer `desc` (depth multiplier 1) to slideLayer5x5: 5x5, column dilation 1, column
 * stride 1 with at least 5 outputs per row or stride 2 with at least 12. Narrower rows stay with the general loop:
 * the sliding kernel's work per row is that of (outputs + 4 / stride) outputs, and below these widths that costs
 * more than the sliding saves (measured: 4-wide rows 3-11% slower at stride 1, 7-wide 3% slower at stride 2).
 */
export function slides5x5(desc: usize): bool {
  const sw = field(desc, D_STRIDE_W), outW = field(desc, D_OUT_W);
  return field(desc, D_K_H) == 5 && field(desc, D_K_W) == 5 && field(desc, D_DIL_W) == 1 && (sw == 1 ? outW >= 5 : sw == 2 && outW >= 12);
}

/**
 * The whole layer `desc` (slides5x5) by the sliding kernel, after beginTaps (row addresses come from tapRow).
 * `packed`, `params`, `output` as for dwconvInt8; `mode`: its requantization mode; `row`: the params block's row bytes.
 */
export function slideLayer5x5(mode: i32, desc: usize, output: usize, packed: usize, params: usize, row: usize): void {
  const channels = field(desc, D_IN_C), inW = field(desc, D_IN_W), sw = field(desc, D_STRIDE_W), padLeft = field(desc, D_PAD_LEFT);
  const batch = field(desc, D_BATCH), outH = field(desc, D_OUT_H), outW = field(desc, D_OUT_W);
  const zpv = i8x16.splat(<i8>field(desc, D_ZP_IN));
  const zp = i16x8.splat(<i16>field(desc, D_ZP_OUT)), lo = i16x8.splat(<i16>field(desc, D_QMIN)), hi = i16x8.splat(<i16>field(desc, D_QMAX));
  const pixel = <usize>channels;
  let out = output;
  for (let n = 0; n < batch; n++) {
    for (let oy = 0; oy < outH; oy++) {
      beginRow(n, oy);
      for (let ky = 0; ky < 5; ky++) store<usize>(rowTable + (<usize>ky << 2), tapRow(ky));
      for (let ox = 0, count = 0; ox < outW; ox += count) {
        // Chunks of at least 4 outputs (the passes' peeled columns): a remainder under 4 takes 4 from this one.
        const rest = outW - ox;
        count = rest <= CHUNK ? rest : rest - CHUNK < 4 ? CHUNK - 4 : CHUNK;
        slideBy(mode, sw, count, ox * sw - padLeft, inW, zpv, channels, packed, params, row, zp, lo, hi, out + <usize>ox * pixel);
      }
      out += <usize>outW * pixel;
    }
  }
}
