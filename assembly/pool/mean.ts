// Mean over a contiguous run of axes with requantization to the output's parameters (TFLite's int8 MEAN):
//   out = clamp(zpOut + MultiplyByQuantizedMultiplier(sum(x - zpIn), M), qmin, qmax),  M = sIn / (sOut * count)
// The input is viewed as [outer, reduce, inner] (NHWC global average pool: [N, H*W, C]); SIMD runs over 16
// inner elements at a time, so no scratch is needed and the [N, H*W, C] case streams each row once.
import { requant4, requantOne, packClamp16 } from "../requant";
import { storeTail, uniformParams, UNIFORM_ROW } from "../elementwise/vec";
import { windowSum16, sum0, sum1, sum2, sum3 } from "./window-sum";

/** Bytes before the descriptor's uniformParams scratch area. */
const SCRATCH_AT: usize = 64;

/**
 * out[o, i] = clamp(zpOut + MBQM(sum over r of (in[o, r, i] - zpIn), M), qmin, qmax), M from QuantizeMultiplier
 * of sIn / (sOut * reduce). Descriptor (meanDescriptor in TS): [outer, reduce, inner, zpIn, multiplier, shift,
 * zpOut, qmin, qmax] then, at byte 64, scratch the kernel writes. reduce >= 1; reduce * 256 fits int32.
 */
export function meanReduce(input: usize, output: usize, desc: usize): void {
  const outer = load<i32>(desc), reduce = load<i32>(desc, 4), inner = load<i32>(desc, 8), zpIn = load<i32>(desc, 12);
  const zpOut = load<i32>(desc, 24), qmin = load<i32>(desc, 28), qmax = load<i32>(desc, 32);
  const params = uniformParams(desc + SCRATCH_AT, load<i32>(desc, 16), load<i32>(desc, 20));
  const bias = i32x4.splat(-reduce * zpIn);
  const vzp = i16x8.splat(<i16>zpOut), lo = i16x8.splat(<i16>qmin), hi = i16x8.splat(<i16>qmax);
  const stride = <usize>inner;
  for (let o = 0; o < outer; o++) {
    const src = input + <usize>o * <usize>reduce * stride;
    const dst = output + <usize>o * stride;
    for (let i = 0; i < inner; i += 16) {
      // Tail lanes read past the row (allowed); only `inner - i` of them are stored.
      windowSum16(src + <usize>i, 1, 0, reduce, stride);
      const left = inner - i;
      if (left < 4) {
        // Mean over the last axis (inner = 1) and similar: skip the unused lanes.
        let s = sum0;
        for (let j = 0; j < left; j++) {
          const acc = i32x4.extract_lane(s, 0) - reduce * zpIn;
          store<i8>(dst + <usize>(i + j), <i8>requantOne(acc, params, UNIFORM_ROW, 0, zpOut, qmin, qmax));
          s = i32x4.shuffle(s, s, 1, 2, 3, 0);
        }
        continue;
      }
      const r = packClamp16(
        requant4(i32x4.add(sum0, bias), params, UNIFORM_ROW, 0),
        requant4(i32x4.add(sum1, bias), params, UNIFORM_ROW, 4),
        requant4(i32x4.add(sum2, bias), params, UNIFORM_ROW, 8),
        requant4(i32x4.add(sum3, bias), params, UNIFORM_ROW, 12),
        vzp, lo, hi,
      );
      if (left >= 16) v128.store(dst + <usize>i, r);
      else storeTail(dst + <usize>i, r, left);
    }
  }
}
