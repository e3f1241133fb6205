// 8-bit to 8-bit requantization (TFLite QUANTIZE with an int8/uint8 input; Concatenation inputs whose
// parameters differ from the output's):  out = clamp(zpOut + MBQM(q - zpIn, M), qmin, qmax),  M = sIn / sOut.
// uint8 sides are handled as int8 by flipping the top bit (q ^ 0x80 = q - 128) on the way in and/or out;
// the descriptor's zero points and bounds are already shifted to match (requantDescriptor in TS).
// Descriptor, 8 i32: [zpIn, zpOut, multiplier, shift, qmin, qmax, flipIn (0 or 0x80), flipOut (0 or 0x80)],
// then scratch the kernel writes (uniformParams), so one descriptor must not serve two concurrent calls.
const SCRATCH_AT: usize = 32;
import { requant4, packClamp16 } from "../requant";
import { storeTail, uniformParams, UNIFORM_ROW } from "./vec";

/** Requantizes n bytes (see the descriptor above). In place allowed. */
export function requantize8(input: usize, output: usize, n: i32, desc: usize): void {
  requantizeRow(input, output, n, desc, uniformParams(desc + SCRATCH_AT, load<i32>(desc, 8), load<i32>(desc, 12)));
}

/**
 * Concatenation's copy: `rows` rows of `rowBytes` from a contiguous input into an output whose rows are
 * `outStride` bytes apart (the op layer offsets `output` by the input's position along the axis).
 * desc == 0 copies bytes; otherwise each row is requantized with the requantize8 descriptor at desc.
 */
export function copyRows8(input: usize, output: usize, rows: i32, rowBytes: i32, outStride: i32, desc: usize): void {
  const params = desc == 0 ? 0 : uniformParams(desc + SCRATCH_AT, load<i32>(desc, 8), load<i32>(desc, 12));
  for (let r = 0; r < rows; r++) {
    const src = input + <usize>r * <usize>rowBytes, dst = output + <usize>r * <usize>outStride;
    if (desc == 0) memory.copy(dst, src, <usize>rowBytes);
    else requantizeRow(src, dst, rowBytes, desc, params);
  }
}

/** Flips the top bit of n bytes: uint8 <-> int8 with zero point +-128 and the same scale. In place allowed. */
export function flipSign8(input: usize, output: usize, n: i32): void {
  const m = i8x16.splat(-128);
  let i = 0;
  for (; i + 16 <= n; i += 16) v128.store(output + <usize>i, v128.xor(v128.load(input + <usize>i), m));
  for (; i < n; i++) store<u8>(output + <usize>i, load<u8>(input + <usize>i) ^ 0x80);
}

// @ts-ignore: decorator
@inline
function requantizeRow(src: usize, dst: usize, n: i32, desc: usize, params: usize): void {
  const zpIn = load<i32>(desc), zpOut = load<i32>(desc, 4), qmin = load<i32>(desc, 16), qmax = load<i32>(desc, 20);
  const flipIn = load<i32>(desc, 24), flipOut = load<i32>(desc, 28);
  const vzpIn = i16x8.splat(<i16>zpIn), vzpOut = i16x8.splat(<i16>zpOut);
  const lo = i16x8.splat(<i16>qmin), hi = i16x8.splat(<i16>qmax);
  const fIn = i8x16.splat(<i8>flipIn), fOut = i8x16.splat(<i8>flipOut);
  let i = 0;
  for (; i < n; i += 16) {
    const v = v128.xor(v128.load(src + <usize>i), fIn);
    const x0 = i16x8.sub(i16x8.extend_low_i8x16_s(v), vzpIn), x1 = i16x8.sub(i16x8.extend_high_i8x16_s(v), vzpIn);
    const r = v128.xor(packClamp16(
      requant4(i32x4.extend_low_i16x8_s(x0), params, UNIFORM_ROW, 0),
      requant4(i32x4.extend_high_i16x8_s(x0), params, UNIFORM_ROW, 4),
      requant4(i32x4.extend_low_i16x8_s(x1), params, UNIFORM_ROW, 8),
      requant4(i32x4.extend_high_i16x8_s(x1), params, UNIFORM_ROW, 12),
      vzpOut, lo, hi,
    ), fOut);
    if (i + 16 <= n) v128.store(dst + <usize>i, r);
    else storeTail(dst + <usize>i, r, n - i);
  }
}
