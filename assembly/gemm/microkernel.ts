// The int8 GEMM microkernel: a 4 x 8 output tile, K in pairs ("4x8c2"), i16 weights and i16 rows, fused
// requantization. Per K pair: each row's pair of (pre-widened) activations is splat-loaded to all lanes and
// i32x4.dot_i16x8_s against 4 channels x 2 k of weights gives 8 MACs. 8 accumulators + 2 weight vectors + the
// splat fit the 16 registers V8 has; 4x16 and c8 (horizontal-reduce) tiles were measured too (the measurements
// are noted in bench/kernels/gemm.ts). The K loop is one pair per iteration: unrolling it 2 or 4 pairs deep
// measured 5-20% slower on pointwise layers (K = 24..96).
// A tile's rows (GEMM's widened rows, conv's gathered windows) are C2_ROW_BYTES apart for every layer, so the
// loop reads them at static offsets from one pointer: one address increment per pair instead of MR (5-9% faster
// on 112x112:32->16 than a table of row pointers). A partial tile's spare rows hold any values: their outputs
// are stored first, to the bytes the last valid row then overwrites. One call runs many tiles, so the per-call
// set-up is paid once per widening pass, not per tile.
import {
  requant4By, requant4F64, requant4F64Offset, requant4F64OffsetSigned, offsetAt, offsetMagicAt, offsetNegAt, f64Constants,
  packClamp16, packSat16, narrowSat16, F64_ROUND, REQUANT_F64, REQUANT_F64_OFFSET, REQUANT_F64_OFFSET_SIGNED, REQUANT_GENERAL,
  REQUANT_NEGATIVE,
} from "../requant";
import { MR, NR, C2_ROW_BYTES, blockBytes, REQUANT_SKIPPED } from "./layout";

/**
 * Two rows' accumulators (a: row 0, b: row 1; lo: channels c..c+3, hi: c+4..c+7) requantized by `mode` (a constant
 * at each call, so the branch folds), zero point and clamp: 16 int8, row 0 first.
 */
// @ts-ignore: decorator
@inline
function packRowsBy(
  mode: i32, alo: v128, ahi: v128, blo: v128, bhi: v128, params: usize, prow: usize, c: i32, zp: v128, lo: v128, hi: v128,
): v128 {
  return packClamp16(
    requant4By(mode, alo, params, prow, c), requant4By(mode, ahi, params, prow, c + 4),
    requant4By(mode, blo, params, prow, c), requant4By(mode, bhi, params, prow, c + 4), zp, lo, hi);
}

/** Writes the low `count` (< 8) bytes of the 64-bit lane `lane` of v to dst. */
// @ts-ignore: decorator
@inline
function storePartial(dst: usize, v: v128, lane: i32, count: i32): void {
  let x = lane == 0 ? i64x2.extract_lane(v, 0) : i64x2.extract_lane(v, 1);
  if (count & 4) { store<u32>(dst, <u32>x); dst += 4; x >>>= 32; }
  if (count & 2) { store<u16>(dst, <u16>x); dst += 2; x >>>= 16; }
  if (count & 1) store<u8>(dst, <u8>x);
}

/**
 * Tiles of MR output rows x all n channels, for `rows` rows (the last tile may be partial).
 * a: the first row: kc i16 values (widened beforehand, see widen.ts; one value past kc is read when kc is odd,
 * against a zero weight), row i at a + i * C2_ROW_BYTES. A partial tile also reads its spare rows (any values).
 * corr: 0, or `rows` i32 per-row additions (the -zpW * sum x term).
 * c: row 0's outputs, ldc bytes per row. params/prow: the requantization block and its row stride; pc: the block
 * channel of this call's channel 0. mode: requantMode's choice, or REQUANT_SKIPPED (benchmark only: accumulators
 * narrowed straight to int8).
 */
// @ts-ignore: decorator
@inline
export function gemmTiles(
  rows: i32, n: i32, kc: i32, a: usize, packed: usize,
  c: usize, ldc: usize, corr: usize, params: usize, prow: usize, pc: i32,
  zpOut: i32, qmin: i32, qmax: i32, mode: i32,
): void {
  const vzp = i16x8.splat(<i16>zpOut);
  const vlo = i16x8.splat(<i16>qmin);
  const vhi = i16x8.splat(<i16>qmax);
  const full = qmin == -128 && qmax == 127;
  const f64Full = mode == REQUANT_F64 && full;
  const block = blockBytes(1, kc);
  const offsets = mode == REQUANT_F64_OFFSET || mode == REQUANT_F64_OFFSET_SIGNED;
  const vzp128 = i16x8.splat(<i16>(zpOut + 128)); // REQUANT_F64_OFFSET_SIGNED's results are less 128
  for (let t0 = 0; t0 < rows; t0 += MR) {
    const mr = min(MR, rows - t0);
    const c0 = c + <usize>t0 * ldc;
    const c1 = mr > 1 ? c0 + ldc : c0;
    const c2 = mr > 2 ? c1 + ldc : c1;
    const c3 = mr > 3 ? c2 + ldc : c2;
    const r0 = a + <usize>t0 * C2_ROW_BYTES;
    const tileCorr = corr != 0 ? corr + (<usize>t0 << 2) : 0;
    let w = packed;
    // REQUANT_F64_OFFSET's per-channel constants of this block: offsets, r, rounding constants
    let betaAt = offsetAt(params, prow, pc), rAt = f64Constants(params, prow, pc), magicAt = offsetMagicAt(params, prow, pc);
    let negAt = offsetNegAt(params, prow, pc); // REQUANT_F64_OFFSET_SIGNED's beta' - beta (K' - K one row on)
    for (let n0 = 0; n0 < n; n0 += NR) {
      let wp = w;
      let a0lo = v128.load(wp);
      let a0hi = v128.load(wp, 16);
      if (offsets) {
        // the channels' offsets beta ride in the accumulators from the start (requant-offsets.ts)
        a0lo = i32x4.add(a0lo, v128.load(betaAt));
        a0hi = i32x4.add(a0hi, v128.load(betaAt, 16));
      }
      let a1lo = a0lo, a1hi = a0hi, a2lo = a0lo, a2hi = a0hi, a3lo = a0lo, a3hi = a0hi;
      wp += <usize>(NR * 4);
      let p = r0;
      for (let k = kc; k > 0; k -= 2) {
        const b0 = v128.load(wp);
        const b1 = v128.load(wp, 16);
        let s = v128.load32_splat(p);
        a0lo = i32x4.add(a0lo, i32x4.dot_i16x8_s(s, b0)); a0hi = i32x4.add(a0hi, i32x4.dot_i16x8_s(s, b1));
        s = v128.load32_splat(p, C2_ROW_BYTES);
        a1lo = i32x4.add(a1lo, i32x4.dot_i16x8_s(s, b0)); a1hi = i32x4.add(a1hi, i32x4.dot_i16x8_s(s, b1));
        s = v128.load32_splat(p, 2 * C2_ROW_BYTES);
        a2lo = i32x4.add(a2lo, i32x4.dot_i16x8_s(s, b0)); a2hi = i32x4.add(a2hi, i32x4.dot_i16x8_s(s, b1));
        s = v128.load32_splat(p, 3 * C2_ROW_BYTES);
        a3lo = i32x4.add(a3lo, i32x4.dot_i16x8_s(s, b0)); a3hi = i32x4.add(a3hi, i32x4.dot_i16x8_s(s, b1));
        p += 4;
        wp += 32;
      }
      if (tileCorr != 0) {
        // Only when the weights have a zero point: -zpW * sum_k x of each row (spare rows repeat the last).
        let v = i32x4.splat(load<i32>(tileCorr));
        a0lo = i32x4.add(a0lo, v); a0hi = i32x4.add(a0hi, v);
        if (mr > 1) v = i32x4.splat(load<i32>(tileCorr, 4));
        a1lo = i32x4.add(a1lo, v); a1hi = i32x4.add(a1hi, v);
        if (mr > 2) v = i32x4.splat(load<i32>(tileCorr, 8));
        a2lo = i32x4.add(a2lo, v); a2hi = i32x4.add(a2hi, v);
        if (mr > 3) v = i32x4.splat(load<i32>(tileCorr, 12));
        a3lo = i32x4.add(a3lo, v); a3hi = i32x4.add(a3hi, v);
      }
      // The requantization mode (requantMode) is decided once per call; each branch inlines its own arithmetic.
      let q01: v128, q23: v128;
      if (mode == REQUANT_F64_OFFSET) {
        // zero point -128 in the rounding constants, clamp [-128, 127] by the saturating narrowings
        const rHi = rAt + 32, magicHi = magicAt + 32; // channels n0 + 4..7
        q01 = narrowSat16(
          requant4F64Offset(a0lo, rAt, magicAt), requant4F64Offset(a0hi, rHi, magicHi),
          requant4F64Offset(a1lo, rAt, magicAt), requant4F64Offset(a1hi, rHi, magicHi));
        q23 = narrowSat16(
          requant4F64Offset(a2lo, rAt, magicAt), requant4F64Offset(a2hi, rHi, magicHi),
          requant4F64Offset(a3lo, rAt, magicAt), requant4F64Offset(a3hi, rHi, magicHi));
      } else if (mode == REQUANT_F64_OFFSET_SIGNED) {
        const blo = v128.load(betaAt), bhi = v128.load(betaAt, 16);
        const dlo = v128.load(negAt), dhi = v128.load(negAt, 16);
        const klo = v128.load(negAt + prow), khi = v128.load(negAt + prow, 16);
        const rHi = rAt + 32, magicHi = magicAt + 32;
        const y0lo = requant4F64OffsetSigned(a0lo, blo, dlo, klo, rAt, magicAt), y0hi = requant4F64OffsetSigned(a0hi, bhi, dhi, khi, rHi, magicHi);
        const y1lo = requant4F64OffsetSigned(a1lo, blo, dlo, klo, rAt, magicAt), y1hi = requant4F64OffsetSigned(a1hi, bhi, dhi, khi, rHi, magicHi);
        const y2lo = requant4F64OffsetSigned(a2lo, blo, dlo, klo, rAt, magicAt), y2hi = requant4F64OffsetSigned(a2hi, bhi, dhi, khi, rHi, magicHi);
        const y3lo = requant4F64OffsetSigned(a3lo, blo, dlo, klo, rAt, magicAt), y3hi = requant4F64OffsetSigned(a3hi, bhi, dhi, khi, rHi, magicHi);
        if (full) {
          // no ReLU (clamp [-128, 127]): the saturating narrowings clamp, after the zero point
          q01 = packSat16(y0lo, y0hi, y1lo, y1hi, vzp128);
          q23 = packSat16(y2lo, y2hi, y3lo, y3hi, vzp128);
        } else {
          q01 = packClamp16(y0lo, y0hi, y1lo, y1hi, vzp128, vlo, vhi);
          q23 = packClamp16(y2lo, y2hi, y3lo, y3hi, vzp128, vlo, vhi);
        }
      } else if (f64Full) {
        // The clamp is [-128, 127], so zpOut = qmin = -128 (REQUANT_F64 has qmin >= zpOut): the zero point rides in
        // the rounding constant (a constant: as a splat of zpOut it measured no faster than packClamp16) and the
        // saturating narrowings clamp.
        const vround = f64x2.splat(F64_ROUND - 128.0);
        q01 = narrowSat16(
          requant4F64(a0lo, params, prow, pc + n0, vround), requant4F64(a0hi, params, prow, pc + n0 + 4, vround),
          requant4F64(a1lo, params, prow, pc + n0, vround), requant4F64(a1hi, params, prow, pc + n0 + 4, vround));
        q23 = narrowSat16(
          requant4F64(a2lo, params, prow, pc + n0, vround), requant4F64(a2hi, params, prow, pc + n0 + 4, vround),
          requant4F64(a3lo, params, prow, pc + n0, vround), requant4F64(a3hi, params, prow, pc + n0 + 4, vround));
      } else if (mode == REQUANT_F64) {
        q01 = packRowsBy(REQUANT_F64, a0lo, a0hi, a1lo, a1hi, params, prow, pc + n0, vzp, vlo, vhi);
        q23 = packRowsBy(REQUANT_F64, a2lo, a2hi, a3lo, a3hi, params, prow, pc + n0, vzp, vlo, vhi);
      } else if (mode == REQUANT_GENERAL) {
        q01 = packRowsBy(REQUANT_GENERAL, a0lo, a0hi, a1lo, a1hi, params, prow, pc + n0, vzp, vlo, vhi);
        q23 = packRowsBy(REQUANT_GENERAL, a2lo, a2hi, a3lo, a3hi, params, prow, pc + n0, vzp, vlo, vhi);
      } else if (mode == REQUANT_NEGATIVE) {
        q01 = packRowsBy(REQUANT_NEGATIVE, a0lo, a0hi, a1lo, a1hi, params, prow, pc + n0, vzp, vlo, vhi);
        q23 = packRowsBy(REQUANT_NEGATIVE, a2lo, a2hi, a3lo, a3hi, params, prow, pc + n0, vzp, vlo, vhi);
      } else {
        // REQUANT_SKIPPED (benchmark only, last so the real modes never test it): saturating narrows, no requantization.
        q01 = narrowSat16(a0lo, a0hi, a1lo, a1hi);
        q23 = narrowSat16(a2lo, a2hi, a3lo, a3hi);
      }
      const nc = n - n0;
      if (nc >= NR) {
        v128.store64_lane(c3 + <usize>n0, q23, 1);
        v128.store64_lane(c2 + <usize>n0, q23, 0);
        v128.store64_lane(c1 + <usize>n0, q01, 1);
        v128.store64_lane(c0 + <usize>n0, q01, 0);
      } else {
        storePartial(c3 + <usize>n0, q23, 1, nc);
        storePartial(c2 + <usize>n0, q23, 0, nc);
        storePartial(c1 + <usize>n0, q01, 1, nc);
        storePartial(c0 + <usize>n0, q01, 0, nc);
      }
      w += block;
      betaAt += <usize>(NR * 4); rAt += <usize>(NR * 8); magicAt += <usize>(NR * 8); negAt += <usize>(NR * 4);
    }
  }
}
