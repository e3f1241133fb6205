// int8 depthwise convolution, SIMD over 16 channels (QUANTIZATION.md §2; weights packed by pack.ts).
// Two loops: slide3x3.ts for whole rows of 3x3 windows (column stride 1 or 2, MobileNet's layers), and the
// general one below for any other window.
// General loop, per output pixel and group of 16 channels: acc = effective bias + sum over tap pairs of
// i32x4.dot_i16x8_s(x interleaved by tap pair, packed weights), then per-channel requantization.
// Why dot and not XNNPACK's mul16/add16: dot products are exact for any weight, so the same loop serves
// zpW != 0 (weights w - zpW in [-255, 255]) at no cost. Bound: |x| <= 128, |w - zpW| <= 255, so each pair
// sum is <= 65280 and the int32 accumulator is exact for up to 32768 tap pairs (the TS helper caps taps far lower).
// The requantization mode (requantModeSigned) is fixed per call, so each loop is inlined once per mode; layers
// without a fused ReLU (qmin < zpOut) take the signed single-rounding f64 path where its bounds hold.
// Measured (AMD EPYC Zen 4, Node 20, bench/kernels dwconv, ReLU6 quantization): the sliding kernel took
// 112x112x32 s1 from 0.91x to 1.30x the f32 twin's speed, 14x14x576 s1 from 0.90x to 1.20x, 56x56x144 s2 from
// 0.95x to 1.12x; the requantization pass is now about 45% of the time (~10 SIMD ops per 4 outputs, about as many
// as the sliding multiply-adds). With the signed f64 path the '(general requant)' rows went from 0.70x / 0.73x /
// 0.71x to 1.03x / 0.92x / 0.97x (64-bit fixed point before).
// Then (bench/kernels/dwconv-ab.ts, old vs new build in one process, all MobileNetV2 depthwise shapes, ReLU6):
// f64 constants hoisted out of the row pass 5-8%, the clamp-free packing for [-128, 127] ~3%, L1-sized chunks of
// wide rows 6.5% on 112x112x96 s2, several rows per call for small images ~6% on 7x7x960 / 14x14x576 s2: in all
// 6-17% faster, f32/int8 1.38x 112x112x32 s1, 1.17-1.22x 112x112x96 s2, 1.26-1.30x 56x56x144 s1, 1.22-1.25x
// 56x56x144 s2, 1.26-1.29x 28x28x192 s1, 1.09x 28x28x192 s2, 1.34x 14x14x384 s1, 1.32x 14x14x576 s1, 1.06-1.09x
// 14x14x576 s2, 1.18x 7x7x960 s1. Stride 2 stays weakest: two input columns widened per output (~21 SIMD ops per
// 4 channels against ~17 at stride 1) while the f32 twin's cost per output does not depend on the stride.
// Also dropped then: the signed path's g folded into h (h + g chosen per lane by bitselect: 2x slower in V8);
// zpOut folded into the magic constant with no clamp for [-128, 127] (2-3% slower than add_sat); the signed
// path's 24 constants hoisted (no gain) or requant4F64Of used with per-pixel loads (14% slower); slide calls
// split into one wasm function per mode (the signed loop 14% slower); several rows per call without an L1 bound
// (56x56x144 s2 37% slower); 8 channels per slide pass, each column widened once for two groups of 4 (the
// widening shuffles bound the loop, but 12 weight/bias vectors spill): stride 2 3-5% faster, stride 1 neutral,
// 7x7x960 and 14x14x576 s2 4-7% slower (with sign-extended inputs and the bias in the loop; see below).
// Then (dwconv-ab.ts against main's build, 15-41 rounds, medians; f32/int8 after): the sliding kernel's inputs
// zipped and widened by unpacking against zero (x << 8, slide3x3.ts) instead of load8x8_s + interleave, the lone
// tap (2, 2) dotted on the neighbouring ky 2 pair (Z2 / Z2') instead of its own widening, 8 channels per pass at
// stride 2 and for multi-row calls, and the bias folded into the f64 rounding constant (foldBiases): 56x56x144 s2
// 11% faster (1.38x), 112x112x96 s2 10% (1.28x), 28x28x192 s2 14% (1.26x), 14x14x576 s2 10% (1.15x), 112x112x32
// s1 11% (1.58x), 56x56x144 s1 8% (1.38x), 28x28x192 s1 7% (1.39x), 14x14x384 s1 9% (1.48x), 14x14x576 s1 7%
// (1.40x), 7x7x960 s1 0% (1.15x). Per output and 4 channels at stride 2: 6 shuffles (was 10), 4 adds (was 5).
// Measured on the way: without the fold (bias added in int32 in the pass: 2 more ops per 4 outputs) ReLU6 layers
// 8-12% slower than with it, 7x7x960 s1 8.5%; the fold's per-call constants as a scalar loop cost 7x7x960 ~7%
// (now SIMD pairs). The signed path's fold too (sign test against -bias r, a third row of constants): the
// '(general requant)' rows 2.5-5% faster, 7x7x960 s1 neutral. After these the stride-2 time is ~54% slide
// (9 shuffles, 10 dots, 8 adds per 8 channels and output: the floor of this layout) and ~46% requantization (16
// f64 adds of 32 FP ops per 16 outputs). Dropped: ROWS_L1_BYTES 20000 (chunks for 56x56x144: 2-4% slower);
// CHUNK_L1_BYTES 24576 / 10240 (112x112x96 s2 3% / 4% slower, the rest -2% to +2%); weights loaded in the loop
// instead of held in registers (2-5% slower); slide8 for single rows at stride 1 (1% slower on 112x112x32 and
// 28x28x192: 15 live vectors; multi-row calls 2-5% faster); the unsigned f64 pass in two halves of 8 channels (8
// constants each, no spills, 8-byte stores): -1% to +3% (kept for the signed pass, 32 constants: 1-3% faster,
// 7x7x960 s1 2%). Per call, requantModeSigned costs ~5 ns per channel (7x7x960 s1: ~15% of the layer; a mode
// fixed at prepare time would remove it); the division in channelFitsF64 is not what costs (skipping it: no gain).
// Tried and dropped before: channel group outermost over each row in the general loop (slower on 576 channels); a
// table of column addresses instead of padding-column registers (5% slower on 112x112); the requantization's
// high half converted from a 64-bit load instead of a shuffle (10% slower); slide chunks of 16-48 instead of 128
// (no gain, slower at stride 1); zpOut folded into the f64 rounding constant with the clamp in int8 (6-9% slower);
// the general loop with int8 x int8 products from i16x8.extmul_low/high_i8x16_s, two taps summed in int16 and
// widened once per pair (31% slower than its dot form on 112x112x32, and exact only for |w - zpW| <= 127).
// 5x5 windows (column stride 1 with rows of at least 5 outputs, stride 2 with at least 12) take slide5x5.ts.
// Measured (npx tsx bench/kernels/dwconv-ab.ts GENERAL NEW --5x5 --rounds 11, GENERAL a build with slides5x5
// false; ReLU6; two runs), f32/int8 general loop -> slide: 56x56x72 s2 1.22-1.26x -> 1.47-1.51x, 28x28x120 s1
// 1.23-1.27x -> 1.76-1.78x, 56x56x144 s2 1.30-1.35x -> 1.46-1.48x, 28x28x240 s1 1.37-1.40x -> 1.80-1.81x,
// 14x14x672 s1 1.26-1.31x -> 1.63-1.65x, 7x7x960 s1 1.19-1.23x -> 1.35-1.38x (the slide 9-30% faster);
// 14x14x672 s2 (7-wide rows) stays with the general loop at 1.25x.
// Dropped there: one pass for all 25 taps with the weights loaded per use (15-24% slower than register-resident
// weights in two passes); reading padding columns through a per-column select instead of the padded window (the
// scalar selects made it slower than the general loop); unrolling stride 1 by 5 to drop the accumulator moves
// (no gain); a uniform column loop whose edge columns fed outputs outside the row (12% slower on 7-wide rows
// than peeling those columns off); the window widened to int16 and interleaved once for all 4 groups (fewer
// shuffles in the passes, but 1-11% slower: more work in the fill); chunks of 16 KB of input rows (7-16% slower).
// Without a fused ReLU ('--general', the signed f64 path) the slide is 13-30% faster on the same shapes.
import {
  requantCapacity, requant4By, requantModeSigned, packClamp16, f64Constants, f64HWithBias2,
  REQUANT_F64, REQUANT_F64_SIGNED, REQUANT_NEGATIVE, REQUANT_GENERAL,
} from "../requant";
import {
  field, tapSlots, tapScratchSize, beginTaps, beginRow, pixelTaps, tapBase, tapRow,
  D_BATCH, D_IN_C, D_IN_W, D_OUT_H, D_OUT_W, D_OUT_C, D_K_H, D_K_W, D_ZP_IN, D_ZP_OUT, D_QMIN, D_QMAX, D_STRIDE_W, D_DIL_W,
  D_PAD_LEFT, D_STRIDE_H, D_DIL_H,
} from "./geometry";
import { slideWeights } from "./pack";
import { slideRows3x3, SLIDE_CHUNK, SLIDE_ROW_ENTRY } from "./slide3x3";
import { slides5x5, slideLayer5x5 } from "./slide5x5";
import { dwconvBands, repeatTable, repeatBand, repeatedInput, bandOutputOffset } from "./multiplier";

// Rows whose three input rows pass ROWS_L1_BYTES (a 32 KB L1 less the accumulator row and weights) are slid
// in chunks of about CHUNK_L1_BYTES of input: each 16-channel pass over a chunk then finds it still in L1.
// Measured: 112x112x96 s2 (32 KB of rows) 6.5% faster; chunking rows below that (56x56x144, 14x14x576 s1)
// was 3-10% slower.
const CHUNK_L1_BYTES = 16384;
const ROWS_L1_BYTES = 28672;
// slideRows3x3's row table: at most SLIDE_CHUNK rows.
const rowTable = memory.data(SLIDE_CHUNK * SLIDE_ROW_ENTRY, 16);
// Where a partial last group is assembled before its valid lanes are copied out.
const tail = memory.data(16, 16);

// Per-call constants (module globals, set once per kernel call).
let kPacked: usize = 0;
let kParams: usize = 0;
let kRow: usize = 0;
let kChannels: i32 = 0;
let kSlots: i32 = 0;
let kZp: i32 = 0;
let kZpIn: i32 = 0;
let kQmin: i32 = 0;
let kQmax: i32 = 0;
let kFolded: usize = 0;

/**
 * For the sliding kernel's f64 passes: rows of r / 256, h' = h + bias r (requant.ts f64HWithBias2) and, when
 * `signed`, the sign thresholds -bias r, at `dst`, each 2 * row bytes after the last (the params block's f64 row
 * stride), so its accumulators (256 acc0, no bias: slide3x3.ts) go straight in: fl(256 acc0 * r / 256) =
 * fl(acc0 r), exact as |acc0 M0| < 2^50. False where some channel's h' is not provably exact (|bias M0| above
 * about 2^51): then the pass adds the bias in int32 first. SIMD over channel pairs: a scalar loop cost 7x7x960 s1
 * ~7% per call.
 */
function foldBiases(signed: bool, packed: usize, params: usize, row: usize, channels: i32, dst: usize): bool {
  let inexact = i32x4.splat(0);
  for (let c = 0; c < channels; c += 2) { // an odd count's last pair reads a padding channel: bias, r and h 0
    const f = f64Constants(params, row, c);
    const r = v128.load(f);
    const bias = f64x2.convert_low_i32x4_s(v128.load64_zero(packed + (<usize>c << 2)));
    const h = f64HWithBias2(r, v128.load(f + 2 * row), bias);
    inexact = v128.or(inexact, f64x2.ne(h, h));
    const at = dst + (<usize>c << 3);
    v128.store(at, f64x2.mul(r, f64x2.splat(1.0 / 256)));
    v128.store(at + 2 * row, h);
    if (signed) v128.store(at + 4 * row, f64x2.neg(f64x2.mul(bias, r))); // exact where h is
  }
  return !v128.any_true(inexact);
}

/** Output pixels ox0 <= ox < ox1 of the current row (beginRow), all channels, by the general loop. */
// @ts-ignore: decorator
@inline
function pixels(mode: i32, ox0: i32, ox1: i32, out: usize): void {
  const channels = kChannels, packed = kPacked, params = kParams, row = kRow;
  const weights = packed + (<usize>((channels + 15) >> 4) << 6);
  const slots = kSlots;
  const vzp = i16x8.splat(<i16>kZp), vlo = i16x8.splat(<i16>kQmin), vhi = i16x8.splat(<i16>kQmax);
  for (let ox = ox0; ox < ox1; ox++) {
    const tab = pixelTaps(ox);
    const base = tapBase;
    const tEnd = tab + (<usize>slots << 2);
    let w = weights;
    for (let c = 0; c < channels; c += 16) {
      const b = packed + (<usize>c << 2);
      let a0 = v128.load(b), a1 = v128.load(b, 16), a2 = v128.load(b, 32), a3 = v128.load(b, 48);
      let t = tab;
      const bc = base + <usize>c;
      while (t < tEnd) {
        // Sign-extending 8-byte loads, then interleave the two taps' i16 lanes: [a0 b0 a1 b1 a2 b2 a3 b3].
        const pa = bc + load<usize>(t), pb = bc + load<usize>(t, 4);
        const xa0 = v128.load8x8_s(pa), xb0 = v128.load8x8_s(pb);
        const xa1 = v128.load8x8_s(pa, 8), xb1 = v128.load8x8_s(pb, 8);
        a0 = i32x4.add(a0, i32x4.dot_i16x8_s(v128.shuffle<i16>(xa0, xb0, 0, 8, 1, 9, 2, 10, 3, 11), v128.load(w)));
        a1 = i32x4.add(a1, i32x4.dot_i16x8_s(v128.shuffle<i16>(xa0, xb0, 4, 12, 5, 13, 6, 14, 7, 15), v128.load(w, 16)));
        a2 = i32x4.add(a2, i32x4.dot_i16x8_s(v128.shuffle<i16>(xa1, xb1, 0, 8, 1, 9, 2, 10, 3, 11), v128.load(w, 32)));
        a3 = i32x4.add(a3, i32x4.dot_i16x8_s(v128.shuffle<i16>(xa1, xb1, 4, 12, 5, 13, 6, 14, 7, 15), v128.load(w, 48)));
        t += 8;
        w += 64;
      }
      const v = packClamp16(
        requant4By(mode, a0, params, row, c), requant4By(mode, a1, params, row, c + 4),
        requant4By(mode, a2, params, row, c + 8), requant4By(mode, a3, params, row, c + 12),
        vzp, vlo, vhi,
      );
      const o = out + <usize>(ox - ox0) * <usize>channels + <usize>c;
      if (c + 16 <= channels) {
        v128.store(o, v);
      } else {
        v128.store(tail, v);
        memory.copy(o, tail, <usize>(channels - c));
      }
    }
  }
}

function pixelsBy(mode: i32, ox0: i32, ox1: i32, out: usize): void {
  if (mode == REQUANT_F64) pixels(REQUANT_F64, ox0, ox1, out);
  else if (mode == REQUANT_F64_SIGNED) pixels(REQUANT_F64_SIGNED, ox0, ox1, out);
  else if (mode == REQUANT_NEGATIVE) pixels(REQUANT_NEGATIVE, ox0, ox1, out);
  else pixels(REQUANT_GENERAL, ox0, ox1, out);
}

/** slideRows3x3 with the mode and column stride as constants. */
function slideBy(mode: i32, stride: i32, rows: i32, count: i32, table: usize, padFirst: bool, padLast: bool, slide: usize, out: usize): void {
  const zpIn = kZpIn;
  const channels = kChannels, packed = kPacked, params = kParams, row = kRow, folded = kFolded;
  const vzp = i16x8.splat(<i16>kZp), vlo = i16x8.splat(<i16>kQmin), vhi = i16x8.splat(<i16>kQmax);
  if (stride == 1) {
    if (mode == REQUANT_F64) slideRows3x3(REQUANT_F64, 1, rows, count, table, padFirst, padLast, zpIn, channels, packed, slide, params, row, folded, vzp, vlo, vhi, out);
    else if (mode == REQUANT_F64_SIGNED) slideRows3x3(REQUANT_F64_SIGNED, 1, rows, count, table, padFirst, padLast, zpIn, channels, packed, slide, params, row, folded, vzp, vlo, vhi, out);
    else if (mode == REQUANT_NEGATIVE) slideRows3x3(REQUANT_NEGATIVE, 1, rows, count, table, padFirst, padLast, zpIn, channels, packed, slide, params, row, folded, vzp, vlo, vhi, out);
    else slideRows3x3(REQUANT_GENERAL, 1, rows, count, table, padFirst, padLast, zpIn, channels, packed, slide, params, row, folded, vzp, vlo, vhi, out);
  } else {
    if (mode == REQUANT_F64) slideRows3x3(REQUANT_F64, 2, rows, count, table, padFirst, padLast, zpIn, channels, packed, slide, params, row, folded, vzp, vlo, vhi, out);
    else if (mode == REQUANT_F64_SIGNED) slideRows3x3(REQUANT_F64_SIGNED, 2, rows, count, table, padFirst, padLast, zpIn, channels, packed, slide, params, row, folded, vzp, vlo, vhi, out);
    else if (mode == REQUANT_NEGATIVE) slideRows3x3(REQUANT_NEGATIVE, 2, rows, count, table, padFirst, padLast, zpIn, channels, packed, slide, params, row, folded, vzp, vlo, vhi, out);
    else slideRows3x3(REQUANT_GENERAL, 2, rows, count, table, padFirst, padLast, zpIn, channels, packed, slide, params, row, folded, vzp, vlo, vhi, out);
  }
}

/**
 * Fills slideRows3x3 row-table entry `entry` for output row oy of image n, its input columns starting at
 * `column` (may be -1: a padding column, never read): tap rows' pixel addresses and column steps, padding rows
 * pointing at padRow with step 0.
 */
function rowEntry(entry: usize, n: i32, oy: i32, column: i32, pixel: usize, padRow: usize): void {
  beginRow(n, oy);
  for (let ky = 0; ky < 3; ky++) {
    const r = tapRow(ky);
    const at = entry + (<usize>ky << 2);
    store<usize>(at, r != 0 ? r + <usize>column * pixel : padRow);
    store<usize>(at, r != 0 ? pixel : 0, 12);
  }
}

/**
 * NHWC int8 depthwise conv. `desc`: the geometry descriptor (geometry.ts) with zpIn, zpOut, qmin, qmax;
 * `packed`: from dwconvInt8Pack; `params`: requantParamsPack block for outC channels; `scratch`:
 * dwconvScratchSize(desc, 1) bytes (with the fold rows: kernelScratchSize). Depth multipliers > 1 run on a copy
 * of the input with each channel repeated (multiplier.ts).
 */
export function dwconvInt8(desc: usize, input: usize, output: usize, packed: usize, params: usize, scratch: usize): void {
  const channels = field(desc, D_OUT_C);
  if (channels != field(desc, D_IN_C)) { // depth multiplier > 1: bands of repeated input (multiplier.ts)
    repeatTable(desc, scratch, 1);
    for (let b = 0, bands = dwconvBands(desc, 1); b < bands; b++) {
      const desc1 = repeatBand(desc, input, scratch, b, 1);
      dwconvInt8(desc1, repeatedInput(desc1, 1), output + bandOutputOffset(desc, b, 1), packed, params, scratch);
    }
    return;
  }
  const kh = field(desc, D_K_H), kw = field(desc, D_K_W);
  const slots = tapSlots(kh * kw);
  const offsets = scratch;
  const border = scratch + (<usize>slots << 2);
  const padRow = border + (<usize>slots << 2);
  memory.fill(padRow, <u8>field(desc, D_ZP_IN), <usize>((channels + 15) & ~15));

  kPacked = packed;
  kParams = params;
  kRow = <usize>requantCapacity(channels) << 2;
  kChannels = channels;
  kSlots = slots;
  kZp = field(desc, D_ZP_OUT);
  kZpIn = field(desc, D_ZP_IN);
  kQmin = field(desc, D_QMIN);
  kQmax = field(desc, D_QMAX);
  const mode = requantModeSigned(params, channels, kZp, kQmin, kQmax);
  const batch = field(desc, D_BATCH), outH = field(desc, D_OUT_H), outW = field(desc, D_OUT_W);
  beginTaps(desc, input, 1, offsets, border, padRow);
  if (slides5x5(desc)) { // 5x5 windows (column dilation 1, column stride 1 or 2, rows wide enough): slide5x5.ts
    slideLayer5x5(mode, desc, output, packed, params, kRow);
    return;
  }
  // 3x3 windows (unit column dilation, column stride 1 or 2, at most one padding column either side) take the
  // sliding kernel, the rest the general loop.
  const sw = field(desc, D_STRIDE_W), inW = field(desc, D_IN_W), padLeft = field(desc, D_PAD_LEFT);
  const lastColumn = (outW - 1) * sw - padLeft + 2; // input column of the last output's last tap
  const slide = kh == 3 && kw == 3 && field(desc, D_DIL_W) == 1 && (sw == 1 || sw == 2) && padLeft <= 1 && lastColumn <= inW;
  const pixel = <usize>channels;
  const slideW = slideWeights(packed, channels);
  const rowBytes = 3 * inW * channels;
  const chunk = rowBytes > ROWS_L1_BYTES ? max(8, min(SLIDE_CHUNK, CHUNK_L1_BYTES / (3 * sw * channels))) : SLIDE_CHUNK;
  // Whole rows of small images go several per slide call (weights and constants loaded once per call), as many
  // as the accumulator buffer holds and whose input rows' cache lines (one per pixel from 64 channels) fit in
  // CHUNK_L1_BYTES: each channel group's pass over them then finds them in L1. Measured: 7x7x960 s1 and
  // 14x14x576 s2 6% faster; without the L1 bound, 56x56x144 s2 (4 rows) was 37% slower.
  const inRowsL1 = CHUNK_L1_BYTES / (inW * min(channels, 64));
  const rowSpan = field(desc, D_STRIDE_H), rowsTaps = 2 * field(desc, D_DIL_H) + 1;
  const rowsL1 = inRowsL1 < rowsTaps ? 1 : (inRowsL1 - rowsTaps) / rowSpan + 1;
  const rowsPerCall = slide && chunk == SLIDE_CHUNK && outW <= SLIDE_CHUNK ? min(min(outH, SLIDE_CHUNK / outW), rowsL1) : 1;
  const padFirst = padLeft == 1, padLast = lastColumn == inW;
  const foldRows = scratch + <usize>tapScratchSize(kh * kw, channels, 1); // kernelScratchSize's f64 rows
  const f64 = mode == REQUANT_F64 || mode == REQUANT_F64_SIGNED;
  kFolded = slide && f64 && foldBiases(mode == REQUANT_F64_SIGNED, packed, params, kRow, channels, foldRows) ? foldRows : 0;
  let out = output;
  for (let n = 0; n < batch; n++) {
    if (slide && rowsPerCall > 1) {
      for (let oy = 0; oy < outH; oy += rowsPerCall) {
        const rows = min(rowsPerCall, outH - oy);
        for (let t = 0; t < rows; t++) rowEntry(rowTable + <usize>t * SLIDE_ROW_ENTRY, n, oy + t, -padLeft, pixel, padRow);
        slideBy(mode, sw, rows, outW, rowTable, padFirst, padLast, slideW, out);
        out += <usize>(rows * outW) * pixel;
      }
      continue;
    }
    for (let oy = 0; oy < outH; oy++) {
      if (slide) {
        for (let ox = 0; ox < outW; ox += chunk) {
          const count = min(chunk, outW - ox);
          rowEntry(rowTable, n, oy, ox * sw - padLeft, pixel, padRow);
          slideBy(mode, sw, 1, count, rowTable, ox == 0 && padFirst, ox + count == outW && padLast, slideW, out + <usize>ox * pixel);
        }
      } else {
        beginRow(n, oy);
        pixelsBy(mode, 0, outW, out);
      }
      out += <usize>outW * pixel;
    }
  }
}
