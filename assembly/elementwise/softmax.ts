// Softmax over the last axis, int8 in, int8 out with TFLite's output parameters (scale 1/256, zero point -128).
// The algorithm is defined to be exact and deterministic, so a TS reference reproduces it bit for bit:
//   1. m = max of the row (int8).
//   2. e_i = table[255 + x_i - m]: a 256-entry f32 table of exp(beta * s_in * d) for d in [-255, 0], built once in
//      TS (softmaxTable in src/runtime/kernels/elementwise.ts); table[255] = 1, so the sum below is >= 1.
//   3. sum = e_0 + e_1 + ... in f32, in index order (plain sequential adds: no reassociation).
//   4. inv = f32(256 / sum);  out_i = min(nearest_even(f32(e_i * inv)), 255) - 128.
// Every step is one IEEE f32 operation, identical on every engine. (TFLite's own int8 softmax uses a
// fixed-point exp and can differ by one unit.)

/** Softmax of `rows` rows of `length` int8 values each (length >= 1); `table` is 256 f32. */
export function softmaxInt8(input: usize, output: usize, rows: i32, length: i32, table: usize): void {
  const n = <usize>length;
  for (let r = 0; r < rows; r++) {
    const src = input + <usize>r * n;
    const dst = output + <usize>r * n;
    const base = table + ((255 - <usize>rowMax(src, length)) << 2);
    let sum: f32 = 0;
    for (let i: usize = 0; i < n; i++) sum += load<f32>(base + (<usize>load<i8>(src + i) << 2));
    const inv: f32 = <f32>256 / sum;
    for (let i: usize = 0; i < n; i++) {
      const q = <i32>nearest<f32>(load<f32>(base + (<usize>load<i8>(src + i) << 2)) * inv);
      store<i8>(dst + i, <i8>(min(q, 255) - 128));
    }
  }
}

// @ts-ignore: decorator
@inline
function rowMax(src: usize, length: i32): i32 {
  let m = i8x16.splat(-128);
  let i = 0;
  for (; i + 16 <= length; i += 16) m = i8x16.max_s(m, v128.load(src + <usize>i));
  // Fold the 16 lanes: max of the vector halves, three times, then the last pair.
  m = i8x16.max_s(m, i8x16.shuffle(m, m, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7));
  m = i8x16.max_s(m, i8x16.shuffle(m, m, 4, 5, 6, 7, 0, 1, 2, 3, 4, 5, 6, 7, 0, 1, 2, 3));
  m = i8x16.max_s(m, i8x16.shuffle(m, m, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3, 0, 1));
  let best = max(<i32>i8x16.extract_lane_s(m, 0), <i32>i8x16.extract_lane_s(m, 1));
  for (; i < length; i++) best = max(best, <i32>load<i8>(src + <usize>i));
  return best;
}
