// The requantization mode of a GEMM / conv call. requantMode keeps a whole layer on the 64-bit path when one
// channel's real multiplier is tiny (e >= 21: its H, the accumulator where outputs saturate, is huge). Such
// channels are usually dead (all-zero weights, a large bias: MobileNetV2 has them in its first conv and two
// expansion layers), so their accumulators span a known, narrow range, read from the packed weights, on which
// the f64 path (requant4F64) can be shown exact; then the layer takes it.
import {
  requantMode, requantCapacity, channelFitsF64, requantOne, requantOneF64, REQUANT_F64, REQUANT_NEGATIVE,
} from "../requant";
import { NR, NR_C8, usesC8, blockBytes, blockBytesC8, pairedK, groupedK } from "./layout";

// Channels whose whole accumulator range is at most this wide are checked value by value.
const CHECK_EACH_MAX: i64 = 1024;

/** The mode for requantizing a layer whose weights were packed by gemmPack(packed, .., n, 1, kc, zpIn, zpW). */
export function gemmRequantMode(params: usize, n: i32, zpOut: i32, qmin: i32, qmax: i32, packed: usize, kc: i32, zpW: i32): i32 {
  const mode = requantMode(params, n, zpOut, qmin, qmax);
  // REQUANT_NEGATIVE with qmin >= zpOut and qmax > zpOut: only the products bound refused the f64 path.
  if (mode != REQUANT_NEGATIVE || qmin < zpOut || qmax <= zpOut) return mode;
  const row = <usize>requantCapacity(n) << 2;
  for (let c = 0; c < n; c++) {
    if (channelFitsF64(params, row, c, qmax - zpOut, 0)) continue;
    if (!channelExactF64(params, row, c, zpOut, qmin, qmax, packed, kc, zpW)) return mode;
  }
  return REQUANT_F64;
}

/**
 * True when requant4F64 gives channel c's exact outputs for every accumulator its weights allow:
 *   acc in [b - s, b + s], b = the packed (effective) bias, s = 128 sum_k |w| + 128 |zpW| kc
 * (int8 rows: |x| <= 128; the row correction is -zpW sum_k x). requantMode's note: below 0 and from H on the f64
 * path is right by monotonicity alone (it is exact at -1 and, with a margin of one step r >> its rounding
 * error, past H); in between it needs |acc M0| <= 2^52 - 2^31, or a direct check of each value.
 */
function channelExactF64(params: usize, row: usize, c: i32, zp: i32, qmin: i32, qmax: i32, packed: usize, kc: i32, zpW: i32): bool {
  const c8 = usesC8(1, kc);
  const nr = c8 ? NR_C8 : NR;
  const step = c8 ? 8 : 2; // k values of one channel next to each other (pack.ts's kStep)
  const kp = c8 ? groupedK(kc) : pairedK(kc);
  const block = packed + <usize>(c / nr) * (c8 ? blockBytesC8(1, kc) : blockBytes(1, kc));
  const j = c % nr;
  let sum: i64 = 0;
  for (let k = 0; k < kp; k += step) {
    const at = block + <usize>(nr * 4) + (<usize>(k * nr + j * step) << 1);
    for (let q = 0; q < step; q++) sum += <i64>abs<i32>(<i32>load<i16>(at + (<usize>q << 1)));
  }
  const b = <i64>load<i32>(block + (<usize>j << 2));
  const spread = 128 * sum + 128 * <i64>abs<i32>(zpW) * <i64>kc;
  const lo = b - spread, hi = b + spread;
  if (lo < <i64>i32.MIN_VALUE || hi > <i64>i32.MAX_VALUE) return false; // int32 wrapping: any value
  if (hi < 0) return true;
  if (lo >= 1 && requantOne(<i32>lo - 1, params, row, c, zp, qmin, qmax) == qmax) return true; // all past H
  if (hi - lo <= CHECK_EACH_MAX) {
    for (let a = lo; a <= hi; a++) {
      const acc = <i32>a;
      const f = min(max(zp + requantOneF64(acc, params, row, c), qmin), qmax);
      if (f != requantOne(acc, params, row, c, zp, qmin, qmax)) return false;
    }
    return true;
  }
  return hi * <i64>load<i32>(params + (<usize>c << 2)) <= (<i64>1 << 52) - (<i64>1 << 31);
}
