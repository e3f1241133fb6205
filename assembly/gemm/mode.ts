// The requantization mode of a GEMM / conv call. requantMode keeps a whole layer on the 64-bit path when one
// channel's real multiplier is tiny (e >= 21: its H, the accumulator where outputs saturate, is huge). Such
// channels are usually dead (all-zero weights, a large bias: MobileNetV2 has them in its first conv and two
// expansion layers), so their accumulators span a known, narrow range, read from the packed weights, on which
// the f64 path (requant4F64) can be shown exact; then the layer takes it.
//
// REQUANT_F64_OFFSET (the 4x8c2 kernel, clamp [-128, 127] with zero point -128) adds each channel's offset beta
// to its accumulators; its constants are exact for every accumulator with acc + beta in int32
// (requant-offsets.ts). The accumulators lie within the packed bias +- spread (below), so a channel takes it when
// |bias| + spread + |beta| stays in int32; a channel without constants (beta = 0 then) when its whole range
// gives one output both ways, e.g. a dead channel. REQUANT_F64_OFFSET_SIGNED (any zero point and clamp with
// qmin < zp) adds beta' instead on negative accumulators, and needs both offsets on every channel.
import {
  requantMode, requantCapacity, channelFitsF64, requantOne, requantOneF64, requantOneF64Offset, offsetAt,
  offsetNegAt, requantShiftsNegative, REQUANT_F64, REQUANT_F64_OFFSET, REQUANT_F64_OFFSET_SIGNED, REQUANT_NEGATIVE,
} from "../requant";
import { NR, NR_C8, usesC8, blockBytes, blockBytesC8, pairedK, groupedK } from "./layout";

// Channels whose whole accumulator range is at most this wide are checked value by value.
const CHECK_EACH_MAX: i64 = 1024;
const INT32_MAX: i64 = 2147483647;

/**
 * Whether gemm / conv layers with kk values per output (K, or taps * cin) can take the offset forms: only the 4x8c2
 * layout has them, so params for the others need not carry their constants (requantParamsPack's `offsets`).
 */
export function gemmUsesOffsets(kk: i32): bool {
  return !usesC8(1, kk);
}

/** The mode for requantizing a layer whose weights were packed by gemmPack(packed, .., n, 1, kc, zpIn, zpW). */
export function gemmRequantMode(params: usize, n: i32, zpOut: i32, qmin: i32, qmax: i32, packed: usize, kc: i32, zpW: i32): i32 {
  if (gemmUsesOffsets(kc)) {
    if (zpOut == -128 && qmin == -128 && qmax == 127 && offsetsApply(params, n, packed, kc, zpW, false)) return REQUANT_F64_OFFSET;
    // no fused ReLU: negative outputs matter (otherwise REQUANT_NEGATIVE's 64-bit double rounding)
    if (qmin < zpOut && offsetsApply(params, n, packed, kc, zpW, true)) return REQUANT_F64_OFFSET_SIGNED;
  }
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
 * True when every channel of a 4x8c2-packed layer can take REQUANT_F64_OFFSET (signed: REQUANT_F64_OFFSET_SIGNED,
 * which also needs the negative side's offset beta', and acc + beta' in int32) (the note at the top).
 */
function offsetsApply(params: usize, n: i32, packed: usize, kc: i32, zpW: i32, signed: bool): bool {
  // (a left shift wraps in int32: outputs not monotone in acc, so not for the end check below)
  if (!requantShiftsNegative(params, n)) return false;
  const row = <usize>requantCapacity(n) << 2;
  // accumulatorSpread with |w| <= 128: a bound that needs no pass over the weights
  const bound = <i64>128 * (128 + <i64>abs<i32>(zpW)) * <i64>kc;
  for (let c = 0; c < n; c++) {
    const at = offsetAt(params, row, c), neg = offsetNegAt(params, row, c);
    const beta = <i64>load<i32>(at);
    const found = signed ? load<i32>(neg + 2 * row) != 0 : load<i32>(at + row) != 0;
    const betaNeg = signed ? beta + <i64>load<i32>(neg) : beta;
    const b = packedBias(packed, kc, c);
    const most = max(abs<i64>(beta), abs<i64>(betaNeg));
    if (found && abs<i64>(b) + bound + most <= INT32_MAX) continue;
    if (signed && !found) return false;
    const spread = accumulatorSpread(packed, kc, zpW, c);
    const lo = b - spread, hi = b + spread;
    if (lo - most < -INT32_MAX - 1 || hi + most > INT32_MAX) return false;
    if (found) continue;
    // beta = 0 here; monotone both ways, so equal ends mean equal everywhere between
    const want = requantOne(<i32>lo, params, row, c, -128, -128, 127);
    if (requantOne(<i32>hi, params, row, c, -128, -128, 127) != want) return false;
    if (requantOneF64Offset(<i32>lo, params, row, c) != want || requantOneF64Offset(<i32>hi, params, row, c) != want) return false;
  }
  return true;
}

/**
 * How far channel c's accumulators can lie from its packed bias: 128 sum_k |w| + 128 |zpW| kc (int8 rows:
 * |x| <= 128; the row correction is -zpW sum_k x).
 */
function accumulatorSpread(packed: usize, kc: i32, zpW: i32, c: i32): i64 {
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
  return 128 * sum + 128 * <i64>abs<i32>(zpW) * <i64>kc;
}

/** Channel c's packed (effective) bias. */
function packedBias(packed: usize, kc: i32, c: i32): i64 {
  const c8 = usesC8(1, kc);
  const nr = c8 ? NR_C8 : NR;
  const block = packed + <usize>(c / nr) * (c8 ? blockBytesC8(1, kc) : blockBytes(1, kc));
  return <i64>load<i32>(block + (<usize>(c % nr) << 2));
}

/**
 * True when requant4F64 gives channel c's exact outputs for every accumulator its weights allow:
 *   acc in [b - s, b + s], b = the packed (effective) bias, s = accumulatorSpread. requantMode's note: below 0 and from H on the f64
 * path is right by monotonicity alone (it is exact at -1 and, with a margin of one step r >> its rounding
 * error, past H); in between it needs |acc M0| <= 2^52 - 2^31, or a direct check of each value.
 */
function channelExactF64(params: usize, row: usize, c: i32, zp: i32, qmin: i32, qmax: i32, packed: usize, kc: i32, zpW: i32): bool {
  const b = packedBias(packed, kc, c);
  const spread = accumulatorSpread(packed, kc, zpW, c);
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
