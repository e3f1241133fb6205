// Column-sliding int8 depthwise kernel for 5x5 windows (column dilation 1, column stride 1 or 2): the 5x5
// depthwise layers of MobileNetV3 and EfficientNet-lite. Per group of 4 channels and output row, three passes
// over the row's input columns, each with its accumulators and weights in registers (all of them at once would
// need 13 weight vectors and 5 accumulators, more than V8's 15 SIMD registers):
//   A: tap rows 0-1, paired in one i32x4.dot_i16x8_s per column (rows01), starting the accumulators at the bias;
//   B: tap rows 2-3 the same way, adding to A's accumulators;
//   C: tap row 4, paired across columns kx 0-1 and 2-3 (pair2), kx 4 alone (single2, against [w, 0]).
// Each input column is widened once per pass and serves every output whose window holds it (5 at stride 1, 2 or 3
// at stride 2): 13 dots per output and 4 channels for 25 taps (the general loop: 13 tap pairs, each with its own
// loads and interleave). Accumulators go to slide3x3's row buffer, then its requantization pass (requantAccRow).
// Padding: a padding tap row points at a pixel of zpIn with column step 0 (as in slide3x3); a column outside the
// input is read from that pixel too (its address chosen per column by `select`, a scalar cmov), so any padding works.
// The passes run a uniform loop over columns: outputs before the first (whose accumulators the first columns
// would complete) are stored to a junk slot, outputs after the last read accumulators past the row (never stored).
// Exactness: the same operands and bounds as the general loop (int8.ts): raw x against w - zpW, the zpIn terms
// folded into the bias, so padding pixels of zpIn add nothing.
import { REQUANT_F64, REQUANT_F64_SIGNED, REQUANT_NEGATIVE, REQUANT_GENERAL } from "../requant";
import {
  field, beginRow, tapRow, D_BATCH, D_IN_C, D_IN_W, D_OUT_H, D_OUT_W, D_K_H, D_K_W, D_STRIDE_W, D_DIL_W, D_PAD_LEFT,
  D_ZP_OUT, D_QMIN, D_QMAX,
} from "./geometry";
import { slideWeights, SLIDE5_GROUP_BYTES } from "./pack";
import { accRow, requantAccRow, rows01, pair2, single2, dot, SLIDE_CHUNK } from "./slide3x3";

/** Most outputs per call: the accumulator row less the 4 outputs past the end whose slots the passes read. */
const CHUNK = SLIDE_CHUNK - 4;
/** Bytes of one row's entry in the row table: r0..r4, then s0..s4, as usize. */
const ENTRY = 40;
const rowTable = memory.data(CHUNK * ENTRY, 16);
/** Where the passes store the accumulators of outputs before the first. */
const junk = memory.data(64, 16);

/**
 * Pass A (first) or B: tap rows a and b (pointers pa, pb at channel cj of input column `col`, steps sa, sb per
 * column), weights w[0..4] (V[p][kx] of pack.ts), over `count` outputs whose accumulators are at dst (64 bytes
 * apart). `col`: the absolute input column of the first one (may be negative), inW: the input width; columns
 * outside [0, inW) read `pad` (zpIn in every lane).
 */
// @ts-ignore: decorator
@inline
function pairPass(
  stride: i32, first: bool, pa: usize, pb: usize, sa: usize, sb: usize, col: i32, inW: i32, pad: usize,
  count: i32, w: usize, bias: v128, dst: usize,
): void {
  const w0 = v128.load(w), w1 = v128.load(w, 16), w2 = v128.load(w, 32), w3 = v128.load(w, 48), w4 = v128.load(w, 64);
  const width = <u32>inW;
  let a1 = bias, a2 = bias, a3 = bias, a4 = bias;
  if (stride == 1) {
    // Column j: output j starts (kx 0), j-1 .. j-3 take kx 1..3, j-4 takes kx 4 and is stored.
    let at = dst;
    const end = dst + (<usize>(count + 4) << 6);
    let j = 0;
    for (; at < end; at += 64) {
      const real = <u32>col < width;
      const v = rows01(select<usize>(pa, pad, real), select<usize>(pb, pad, real));
      const a0 = i32x4.add(first ? bias : v128.load(at), dot(v, w0));
      v128.store(select<usize>(at - 256, junk, j >= 4), i32x4.add(a4, dot(v, w4)));
      a4 = i32x4.add(a3, dot(v, w3));
      a3 = i32x4.add(a2, dot(v, w2));
      a2 = i32x4.add(a1, dot(v, w1));
      a1 = a0;
      pa += sa; pb += sb; col++; j++;
    }
  } else {
    // Columns 2m, 2m+1: output m starts (kx 0, 1), m-1 takes kx 2, 3, m-2 takes kx 4 (column 2m) and is stored.
    let at = dst;
    const end = dst + (<usize>(count + 2) << 6);
    let m = 0;
    for (; at < end; at += 64) {
      const ra = <u32>col < width, rb = <u32>(col + 1) < width;
      const va = rows01(select<usize>(pa, pad, ra), select<usize>(pb, pad, ra));
      pa += sa; pb += sb;
      const vb = rows01(select<usize>(pa, pad, rb), select<usize>(pb, pad, rb));
      pa += sa; pb += sb;
      const a0 = i32x4.add(i32x4.add(first ? bias : v128.load(at), dot(va, w0)), dot(vb, w1));
      v128.store(select<usize>(at - 128, junk, m >= 2), i32x4.add(a2, dot(va, w4)));
      a2 = i32x4.add(i32x4.add(a1, dot(va, w2)), dot(vb, w3));
      a1 = a0;
      col += 2; m++;
    }
  }
}

/** Pass C: tap row 4 (p, step s), weights h (H4[0], H4[1], Z4 of pack.ts); otherwise as pairPass (not first). */
// @ts-ignore: decorator
@inline
function lastRowPass(stride: i32, p: usize, s: usize, col: i32, inW: i32, pad: usize, count: i32, h: usize, dst: usize): void {
  const h0 = v128.load(h), h1 = v128.load(h, 16), z = v128.load(h, 32);
  const width = <u32>inW;
  const zero = v128.splat<i32>(0);
  if (stride == 1) {
    // Column j pairs with j-1: output j-1 takes kx 0-1, j-3 takes kx 2-3; j-4 takes kx 4 (column j alone) and is stored.
    let prev = v128.load8x8_s(select<usize>(p, pad, <u32>col < width));
    p += s; col++;
    let a1 = zero, a2 = zero, a3 = zero; // outputs j-2, j-3, j-4
    let at = dst; // output j-1
    const end = dst + (<usize>(count + 3) << 6);
    let j = 1;
    for (; at < end; at += 64) {
      const x = v128.load8x8_s(select<usize>(p, pad, <u32>col < width));
      const pair = pair2(prev, x);
      const a0 = i32x4.add(v128.load(at), dot(pair, h0));
      v128.store(select<usize>(at - 192, junk, j >= 4), i32x4.add(a3, dot(single2(x), z)));
      a3 = i32x4.add(a2, dot(pair, h1));
      a2 = a1;
      a1 = a0;
      prev = x;
      p += s; col++; j++;
    }
  } else {
    // Columns 2m, 2m+1 paired: output m takes kx 0-1, m-1 takes kx 2-3; m-2 takes kx 4 (column 2m) and is stored.
    let a1 = zero, a2 = zero; // outputs m-1, m-2
    let at = dst;
    const end = dst + (<usize>(count + 2) << 6);
    let m = 0;
    for (; at < end; at += 64) {
      const xa = v128.load8x8_s(select<usize>(p, pad, <u32>col < width));
      p += s;
      const xb = v128.load8x8_s(select<usize>(p, pad, <u32>(col + 1) < width));
      p += s;
      const pair = pair2(xa, xb);
      const a0 = i32x4.add(v128.load(at), dot(pair, h0));
      v128.store(select<usize>(at - 128, junk, m >= 2), i32x4.add(a2, dot(single2(xa), z)));
      a2 = i32x4.add(a1, dot(pair, h1));
      a1 = a0;
      col += 2; m++;
    }
  }
}

/**
 * The three passes for channels cj..cj+3 over `rows` rows of `count` outputs (row table `table`), accumulators
 * from `start` (rows one after another).
 */
// @ts-ignore: decorator
@inline
function slideGroup(stride: i32, rows: i32, count: i32, table: usize, col: i32, inW: i32, pad: usize, cj: usize, w: usize, bias: v128, start: usize): void {
  const tableEnd = table + <usize>rows * ENTRY;
  const rowBytes = <usize>count << 6;
  let dst = start;
  for (let t = table; t < tableEnd; t += ENTRY) {
    pairPass(stride, true, load<usize>(t) + cj, load<usize>(t, 4) + cj, load<usize>(t, 20), load<usize>(t, 24), col, inW, pad, count, w, bias, dst);
    pairPass(stride, false, load<usize>(t, 8) + cj, load<usize>(t, 12) + cj, load<usize>(t, 28), load<usize>(t, 32), col, inW, pad, count, w + 80, bias, dst);
    lastRowPass(stride, load<usize>(t, 16) + cj, load<usize>(t, 36), col, inW, pad, count, w + 160, dst);
    dst += rowBytes;
  }
}

function slideGroupS1(rows: i32, count: i32, table: usize, col: i32, inW: i32, pad: usize, cj: usize, w: usize, bias: v128, start: usize): void {
  slideGroup(1, rows, count, table, col, inW, pad, cj, w, bias, start);
}

function slideGroupS2(rows: i32, count: i32, table: usize, col: i32, inW: i32, pad: usize, cj: usize, w: usize, bias: v128, start: usize): void {
  slideGroup(2, rows, count, table, col, inW, pad, cj, w, bias, start);
}

/**
 * `rows` rows of `count` outputs each (rows * count <= CHUNK), all channels, to `out` (pixel stride `channels`,
 * the rows' outputs consecutive). Row table entries: r0..r4, the input pixel of column `col` in tap rows 0..4
 * (padding rows: `pad`), s0..s4 their column steps (0 for padding rows).
 */
// @ts-ignore: decorator
@inline
function slideRows5x5(
  mode: i32, stride: i32, rows: i32, count: i32, table: usize, col: i32, inW: i32, pad: usize,
  channels: i32, packed: usize, params: usize, row: usize, zp: v128, lo: v128, hi: v128, out: usize,
): void {
  const full = i16x8.extract_lane_s(lo, 0) == -128 && i16x8.extract_lane_s(hi, 0) == 127;
  const slide = slideWeights(packed, channels, 25);
  for (let c = 0; c < channels; c += 16) {
    // Groups of 4 up to the last holding a real channel (loads stay within 7 bytes past a pixel).
    const groupEnd = min(16, channels - c);
    for (let j = 0; j < groupEnd; j += 4) {
      const cj = <usize>(c + j);
      const w = slide + (cj >> 2) * SLIDE5_GROUP_BYTES;
      const bias = v128.load(packed + (cj << 2));
      const start = accRow + (<usize>j << 2);
      if (stride == 1) slideGroupS1(rows, count, table, col, inW, pad, cj, w, bias, start);
      else slideGroupS2(rows, count, table, col, inW, pad, cj, w, bias, start);
    }
    requantAccRow(mode, full, rows * count, out + <usize>c, channels, c, params, row, zp, lo, hi);
  }
}

function slideBy(
  mode: i32, stride: i32, rows: i32, count: i32, table: usize, col: i32, inW: i32, pad: usize,
  channels: i32, packed: usize, params: usize, row: usize, zp: v128, lo: v128, hi: v128, out: usize,
): void {
  if (mode == REQUANT_F64) slideRows5x5(REQUANT_F64, stride, rows, count, table, col, inW, pad, channels, packed, params, row, zp, lo, hi, out);
  else if (mode == REQUANT_F64_SIGNED) slideRows5x5(REQUANT_F64_SIGNED, stride, rows, count, table, col, inW, pad, channels, packed, params, row, zp, lo, hi, out);
  else if (mode == REQUANT_NEGATIVE) slideRows5x5(REQUANT_NEGATIVE, stride, rows, count, table, col, inW, pad, channels, packed, params, row, zp, lo, hi, out);
  else slideRows5x5(REQUANT_GENERAL, stride, rows, count, table, col, inW, pad, channels, packed, params, row, zp, lo, hi, out);
}

/** Whether dwconvInt8 gives the layer `desc` (depth multiplier 1) to slideLayer5x5: 5x5, column dilation 1, column stride 1 or 2. */
export function slides5x5(desc: usize): bool {
  const sw = field(desc, D_STRIDE_W);
  return field(desc, D_K_H) == 5 && field(desc, D_K_W) == 5 && field(desc, D_DIL_W) == 1 && (sw == 1 || sw == 2);
}

/**
 * The whole layer `desc` (slides5x5) by the sliding kernel, after beginTaps (row addresses come from tapRow).
 * `packed`, `params`, `output` as for dwconvInt8; `mode`: its requantization mode; `row`: the params block's row
 * bytes; `pad`: a pixel of zpIn (16 bytes of slack after it).
 */
export function slideLayer5x5(mode: i32, desc: usize, output: usize, packed: usize, params: usize, row: usize, pad: usize): void {
  const channels = field(desc, D_IN_C), inW = field(desc, D_IN_W), sw = field(desc, D_STRIDE_W), padLeft = field(desc, D_PAD_LEFT);
  const batch = field(desc, D_BATCH), outH = field(desc, D_OUT_H), outW = field(desc, D_OUT_W);
  const zp = i16x8.splat(<i16>field(desc, D_ZP_OUT)), lo = i16x8.splat(<i16>field(desc, D_QMIN)), hi = i16x8.splat(<i16>field(desc, D_QMAX));
  const pixel = <usize>channels;
  let out = output;
  for (let n = 0; n < batch; n++) {
    for (let oy = 0; oy < outH; oy++) {
      beginRow(n, oy);
      for (let ox = 0; ox < outW; ox += CHUNK) {
        const count = min(CHUNK, outW - ox);
        const col = ox * sw - padLeft;
        for (let ky = 0; ky < 5; ky++) {
          const r = tapRow(ky);
          store<usize>(rowTable + (<usize>ky << 2), r != 0 ? r + <usize>(col * channels) : pad);
          store<usize>(rowTable + (<usize>ky << 2), r != 0 ? pixel : 0, 20);
        }
        slideBy(mode, sw, 1, count, rowTable, col, inW, pad, channels, packed, params, row, zp, lo, hi, out + <usize>ox * pixel);
      }
      out += <usize>outW * pixel;
    }
  }
}
