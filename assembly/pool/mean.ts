// Mean over a contiguous run of axes with requantization to the output's parameters (TFLite's int8 MEAN):
//   out = clamp(zpOut + MultiplyByQuantizedMultiplier(sum(x - zpIn), M), qmin, qmax),  M = sIn / (sOut * count)
// The input is viewed as [outer, reduce, inner] (NHWC global average pool: [N, H*W, C]); SIMD runs over 16
// inner elements at a time, so no scratch is needed and the [N, H*W, C] case streams each row once.
import { requant4, requantOne, packClamp16 } from "../requant";
import { storeTail, uniformParams, UNIFORM_ROW } from "../elementwise/vec";
import { windowSum16 } from "./window-sum";

/**
 * out[o, i] = requant(sum over r of (in[o, r, i] - zpIn)) with the (multiplier, shift) pair QuantizeMultiplier
 * made from sIn / (sOut * reduce). reduce >= 1; reduce * 256 must fit int32 (checked in TS).
 */
export function meanReduce(
  input: usize, output: usize, outer: i32, reduce: i32, inner: i32,
  zpIn: i32, multiplier: i32, shift: i32, zpOut: i32, qmin: i32, qmax: i32,
): void {
  const params = uniformParams(0, multiplier, shift);
  const bias = i32x4.splat(-reduce * zpIn);
  const vzp = i16x8.splat(<i16>zpOut), lo = i16x8.splat(<i16>qmin), hi = i16x8.splat(<i16>qmax);
  const stride = <usize>inner;
  for (let o = 0; o < outer; o++) {
    const src = input + <usize>o * <usize>reduce * stride;
    const dst = output + <usize>o * stride;
    let i = 0;
    for (; i + 16 <= inner; i += 16) {
      const s = windowSum16(src + <usize>i, 1, 0, reduce, stride);
      v128.store(dst + <usize>i, packClamp16(
        requant4(i32x4.add(v128.load(s), bias), params, UNIFORM_ROW, 0),
        requant4(i32x4.add(v128.load(s, 16), bias), params, UNIFORM_ROW, 4),
        requant4(i32x4.add(v128.load(s, 32), bias), params, UNIFORM_ROW, 8),
        requant4(i32x4.add(v128.load(s, 48), bias), params, UNIFORM_ROW, 12),
        vzp, lo, hi,
      ));
    }
    if (i < inner) {
      // The tail lanes read past the row (allowed); they are computed but only `inner - i` are stored.
      const s = windowSum16(src + <usize>i, 1, 0, reduce, stride);
      if (inner - i <= 4) {
        // Small inner sizes (e.g. Mean over the last axis, inner = 1) are common: skip the unused lanes.
        for (let j = 0; j < inner - i; j++) {
          const acc = load<i32>(s + (<usize>j << 2)) - reduce * zpIn;
          store<i8>(dst + <usize>(i + j), <i8>requantOne(acc, params, UNIFORM_ROW, j, zpOut, qmin, qmax));
        }
      } else {
        storeTail(dst + <usize>i, packClamp16(
          requant4(i32x4.add(v128.load(s), bias), params, UNIFORM_ROW, 0),
          requant4(i32x4.add(v128.load(s, 16), bias), params, UNIFORM_ROW, 4),
          requant4(i32x4.add(v128.load(s, 32), bias), params, UNIFORM_ROW, 8),
          requant4(i32x4.add(v128.load(s, 48), bias), params, UNIFORM_ROW, 12),
          vzp, lo, hi,
        ), inner - i);
      }
    }
  }
}
