// Relu / Relu6 (and any clamp) on an int8 tensor whose input and output share scale and zero point:
// out = min(max(x, qmin), qmax), 16 bytes per op pair. Differing parameters need a lookup table (lut8).

/** out[i] = clamp(in[i], qmin, qmax) for int8 (SIMD). In place allowed. */
export function clamp8(input: usize, output: usize, n: i32, qmin: i32, qmax: i32): void {
  const lo = i8x16.splat(<i8>qmin), hi = i8x16.splat(<i8>qmax);
  let i = 0;
  for (; i + 16 <= n; i += 16) v128.store(output + <usize>i, i8x16.min_s(i8x16.max_s(v128.load(input + <usize>i), lo), hi));
  for (; i < n; i++) store<i8>(output + <usize>i, <i8>min(max(<i32>load<i8>(input + <usize>i), qmin), qmax));
}
