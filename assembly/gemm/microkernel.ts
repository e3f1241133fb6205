// The int8 GEMM microkernel: a 4 x 8 output tile, K in pairs ("4x8c2"), i16 weights, fused requantization.
// Per K pair: each row's pair of activations is broadcast to all lanes (widened to i16 once per 8 k), and
// i32x4.dot_i16x8_s against 4 channels x 2 k of weights gives 8 MACs. 8 accumulators + 4 activation rows +
// 2 weight vectors fit the 16 registers V8 has; 4x16 and c8 (horizontal-reduce) tiles were measured too
// (the measurements are noted in bench/kernels/gemm.ts).
// A rows come from a table of MR row pointers per tap (GEMM and conv's gathered windows use one tap). Rows past the tile's end repeat the last valid row,
// so they compute identical values that land on the same bytes.
import { requant4, requant4F64, packClamp16, REQUANT_F64, REQUANT_GENERAL } from "../requant";
import { NR, MR, blockBytes } from "./layout";

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
 * One row of tiles: MR (or fewer, `mr`) output rows x all n channels.
 * ind: [taps][MR] i32 row pointers, each to kc int8 values. corr: 0, or MR i32 per-row additions
 * (the -zpW * sum x term). params/prow: the requantization block and its row stride; pc: the block channel of this call's channel 0.
 * T: i8 rows are read as they are; i16 rows were widened beforehand (see widen.ts), which turns the
 * per-pair broadcast shuffles into splat loads: fewer ALU operations when a row is reused across many channels.
 */
export function gemmRowOfTiles<T>(
  mr: i32, n: i32, taps: i32, kc: i32, ind: usize, packed: usize,
  c: usize, ldc: usize, corr: usize, params: usize, prow: usize, pc: i32,
  zpOut: i32, qmin: i32, qmax: i32, mode: i32,
): void {
  const vzp = i16x8.splat(<i16>zpOut);
  const vlo = i16x8.splat(<i16>qmin);
  const vhi = i16x8.splat(<i16>qmax);
  const c0 = c;
  const c1 = mr > 1 ? c0 + ldc : c0;
  const c2 = mr > 2 ? c1 + ldc : c1;
  const c3 = mr > 3 ? c2 + ldc : c2;
  let w = packed;
  const block = blockBytes(taps, kc);
  for (let n0 = 0; n0 < n; n0 += NR) {
    let wp = w;
    let a0lo = v128.load(wp);
    let a0hi = v128.load(wp, 16);
    let a1lo = a0lo, a1hi = a0hi, a2lo = a0lo, a2hi = a0hi, a3lo = a0lo, a3hi = a0hi;
    wp += <usize>(NR * 4);
    let ip = ind;
    for (let t = 0; t < taps; t++) {
      let p0 = <usize>load<u32>(ip);
      let p1 = <usize>load<u32>(ip, 4);
      let p2 = <usize>load<u32>(ip, 8);
      let p3 = <usize>load<u32>(ip, 12);
      ip += <usize>(MR * 4);
      let k = kc;
      let b0: v128, b1: v128, s: v128;
      for (; k >= 8; k -= 8) {
        // int8 rows: widen 8 k once, then broadcast each pair with a shuffle; i16 rows: splat-load each pair.
        const x0 = sizeof<T>() == 1 ? v128.load8x8_s(p0) : i32x4.splat(0);
        const x1 = sizeof<T>() == 1 ? v128.load8x8_s(p1) : i32x4.splat(0);
        const x2 = sizeof<T>() == 1 ? v128.load8x8_s(p2) : i32x4.splat(0);
        const x3 = sizeof<T>() == 1 ? v128.load8x8_s(p3) : i32x4.splat(0);
        // pair 0
        b0 = v128.load(wp);
        b1 = v128.load(wp, 16);
        s = sizeof<T>() == 1 ? v128.shuffle<i32>(x0, x0, 0, 0, 0, 0) : v128.load32_splat(p0);
        a0lo = i32x4.add(a0lo, i32x4.dot_i16x8_s(s, b0)); a0hi = i32x4.add(a0hi, i32x4.dot_i16x8_s(s, b1));
        s = sizeof<T>() == 1 ? v128.shuffle<i32>(x1, x1, 0, 0, 0, 0) : v128.load32_splat(p1);
        a1lo = i32x4.add(a1lo, i32x4.dot_i16x8_s(s, b0)); a1hi = i32x4.add(a1hi, i32x4.dot_i16x8_s(s, b1));
        s = sizeof<T>() == 1 ? v128.shuffle<i32>(x2, x2, 0, 0, 0, 0) : v128.load32_splat(p2);
        a2lo = i32x4.add(a2lo, i32x4.dot_i16x8_s(s, b0)); a2hi = i32x4.add(a2hi, i32x4.dot_i16x8_s(s, b1));
        s = sizeof<T>() == 1 ? v128.shuffle<i32>(x3, x3, 0, 0, 0, 0) : v128.load32_splat(p3);
        a3lo = i32x4.add(a3lo, i32x4.dot_i16x8_s(s, b0)); a3hi = i32x4.add(a3hi, i32x4.dot_i16x8_s(s, b1));
        // pair 1
        b0 = v128.load(wp, 32);
        b1 = v128.load(wp, 48);
        s = sizeof<T>() == 1 ? v128.shuffle<i32>(x0, x0, 1, 1, 1, 1) : v128.load32_splat(p0, 4);
        a0lo = i32x4.add(a0lo, i32x4.dot_i16x8_s(s, b0)); a0hi = i32x4.add(a0hi, i32x4.dot_i16x8_s(s, b1));
        s = sizeof<T>() == 1 ? v128.shuffle<i32>(x1, x1, 1, 1, 1, 1) : v128.load32_splat(p1, 4);
        a1lo = i32x4.add(a1lo, i32x4.dot_i16x8_s(s, b0)); a1hi = i32x4.add(a1hi, i32x4.dot_i16x8_s(s, b1));
        s = sizeof<T>() == 1 ? v128.shuffle<i32>(x2, x2, 1, 1, 1, 1) : v128.load32_splat(p2, 4);
        a2lo = i32x4.add(a2lo, i32x4.dot_i16x8_s(s, b0)); a2hi = i32x4.add(a2hi, i32x4.dot_i16x8_s(s, b1));
        s = sizeof<T>() == 1 ? v128.shuffle<i32>(x3, x3, 1, 1, 1, 1) : v128.load32_splat(p3, 4);
        a3lo = i32x4.add(a3lo, i32x4.dot_i16x8_s(s, b0)); a3hi = i32x4.add(a3hi, i32x4.dot_i16x8_s(s, b1));
        // pair 2
        b0 = v128.load(wp, 64);
        b1 = v128.load(wp, 80);
        s = sizeof<T>() == 1 ? v128.shuffle<i32>(x0, x0, 2, 2, 2, 2) : v128.load32_splat(p0, 8);
        a0lo = i32x4.add(a0lo, i32x4.dot_i16x8_s(s, b0)); a0hi = i32x4.add(a0hi, i32x4.dot_i16x8_s(s, b1));
        s = sizeof<T>() == 1 ? v128.shuffle<i32>(x1, x1, 2, 2, 2, 2) : v128.load32_splat(p1, 8);
        a1lo = i32x4.add(a1lo, i32x4.dot_i16x8_s(s, b0)); a1hi = i32x4.add(a1hi, i32x4.dot_i16x8_s(s, b1));
        s = sizeof<T>() == 1 ? v128.shuffle<i32>(x2, x2, 2, 2, 2, 2) : v128.load32_splat(p2, 8);
        a2lo = i32x4.add(a2lo, i32x4.dot_i16x8_s(s, b0)); a2hi = i32x4.add(a2hi, i32x4.dot_i16x8_s(s, b1));
        s = sizeof<T>() == 1 ? v128.shuffle<i32>(x3, x3, 2, 2, 2, 2) : v128.load32_splat(p3, 8);
        a3lo = i32x4.add(a3lo, i32x4.dot_i16x8_s(s, b0)); a3hi = i32x4.add(a3hi, i32x4.dot_i16x8_s(s, b1));
        // pair 3
        b0 = v128.load(wp, 96);
        b1 = v128.load(wp, 112);
        s = sizeof<T>() == 1 ? v128.shuffle<i32>(x0, x0, 3, 3, 3, 3) : v128.load32_splat(p0, 12);
        a0lo = i32x4.add(a0lo, i32x4.dot_i16x8_s(s, b0)); a0hi = i32x4.add(a0hi, i32x4.dot_i16x8_s(s, b1));
        s = sizeof<T>() == 1 ? v128.shuffle<i32>(x1, x1, 3, 3, 3, 3) : v128.load32_splat(p1, 12);
        a1lo = i32x4.add(a1lo, i32x4.dot_i16x8_s(s, b0)); a1hi = i32x4.add(a1hi, i32x4.dot_i16x8_s(s, b1));
        s = sizeof<T>() == 1 ? v128.shuffle<i32>(x2, x2, 3, 3, 3, 3) : v128.load32_splat(p2, 12);
        a2lo = i32x4.add(a2lo, i32x4.dot_i16x8_s(s, b0)); a2hi = i32x4.add(a2hi, i32x4.dot_i16x8_s(s, b1));
        s = sizeof<T>() == 1 ? v128.shuffle<i32>(x3, x3, 3, 3, 3, 3) : v128.load32_splat(p3, 12);
        a3lo = i32x4.add(a3lo, i32x4.dot_i16x8_s(s, b0)); a3hi = i32x4.add(a3hi, i32x4.dot_i16x8_s(s, b1));
        p0 += 8 * sizeof<T>(); p1 += 8 * sizeof<T>(); p2 += 8 * sizeof<T>(); p3 += 8 * sizeof<T>();
        wp += 128;
      }
      // Remaining 1..7 k, one pair at a time (an odd kc reads one value past the row, against a zero weight).
      for (; k > 0; k -= 2) {
        b0 = v128.load(wp);
        b1 = v128.load(wp, 16);
        s = sizeof<T>() == 1 ? i16x8.extend_low_i8x16_s(v128.load16_splat(p0)) : v128.load32_splat(p0);
        a0lo = i32x4.add(a0lo, i32x4.dot_i16x8_s(s, b0)); a0hi = i32x4.add(a0hi, i32x4.dot_i16x8_s(s, b1));
        s = sizeof<T>() == 1 ? i16x8.extend_low_i8x16_s(v128.load16_splat(p1)) : v128.load32_splat(p1);
        a1lo = i32x4.add(a1lo, i32x4.dot_i16x8_s(s, b0)); a1hi = i32x4.add(a1hi, i32x4.dot_i16x8_s(s, b1));
        s = sizeof<T>() == 1 ? i16x8.extend_low_i8x16_s(v128.load16_splat(p2)) : v128.load32_splat(p2);
        a2lo = i32x4.add(a2lo, i32x4.dot_i16x8_s(s, b0)); a2hi = i32x4.add(a2hi, i32x4.dot_i16x8_s(s, b1));
        s = sizeof<T>() == 1 ? i16x8.extend_low_i8x16_s(v128.load16_splat(p3)) : v128.load32_splat(p3);
        a3lo = i32x4.add(a3lo, i32x4.dot_i16x8_s(s, b0)); a3hi = i32x4.add(a3hi, i32x4.dot_i16x8_s(s, b1));
        p0 += 2 * sizeof<T>(); p1 += 2 * sizeof<T>(); p2 += 2 * sizeof<T>(); p3 += 2 * sizeof<T>();
        wp += 32;
      }
    }
    if (corr != 0) {
      // Only when the weights have a zero point: -zpW * sum_k x of each row (duplicated rows repeat the last).
      let v = i32x4.splat(load<i32>(corr));
      a0lo = i32x4.add(a0lo, v); a0hi = i32x4.add(a0hi, v);
      if (mr > 1) v = i32x4.splat(load<i32>(corr, 4));
      a1lo = i32x4.add(a1lo, v); a1hi = i32x4.add(a1hi, v);
      if (mr > 2) v = i32x4.splat(load<i32>(corr, 8));
      a2lo = i32x4.add(a2lo, v); a2hi = i32x4.add(a2hi, v);
      if (mr > 3) v = i32x4.splat(load<i32>(corr, 12));
      a3lo = i32x4.add(a3lo, v); a3hi = i32x4.add(a3hi, v);
    }
    // The requantization mode (requantMode) is decided once per call; each branch inlines its own arithmetic.
    let q01: v128, q23: v128;
    if (mode == REQUANT_F64) {
      q01 = packClamp16(
        requant4F64(a0lo, params, prow, pc + n0), requant4F64(a0hi, params, prow, pc + n0 + 4),
        requant4F64(a1lo, params, prow, pc + n0), requant4F64(a1hi, params, prow, pc + n0 + 4), vzp, vlo, vhi);
      q23 = packClamp16(
        requant4F64(a2lo, params, prow, pc + n0), requant4F64(a2hi, params, prow, pc + n0 + 4),
        requant4F64(a3lo, params, prow, pc + n0), requant4F64(a3hi, params, prow, pc + n0 + 4), vzp, vlo, vhi);
    } else if (mode == REQUANT_GENERAL) {
      q01 = packClamp16(
        requant4(a0lo, params, prow, pc + n0, true), requant4(a0hi, params, prow, pc + n0 + 4, true),
        requant4(a1lo, params, prow, pc + n0, true), requant4(a1hi, params, prow, pc + n0 + 4, true), vzp, vlo, vhi);
      q23 = packClamp16(
        requant4(a2lo, params, prow, pc + n0, true), requant4(a2hi, params, prow, pc + n0 + 4, true),
        requant4(a3lo, params, prow, pc + n0, true), requant4(a3hi, params, prow, pc + n0 + 4, true), vzp, vlo, vhi);
    } else {
      q01 = packClamp16(
        requant4(a0lo, params, prow, pc + n0, false), requant4(a0hi, params, prow, pc + n0 + 4, false),
        requant4(a1lo, params, prow, pc + n0, false), requant4(a1hi, params, prow, pc + n0 + 4, false), vzp, vlo, vhi);
      q23 = packClamp16(
        requant4(a2lo, params, prow, pc + n0, false), requant4(a2hi, params, prow, pc + n0 + 4, false),
        requant4(a3lo, params, prow, pc + n0, false), requant4(a3hi, params, prow, pc + n0 + 4, false), vzp, vlo, vhi);
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
  }
}
