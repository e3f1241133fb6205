// Sum of int8 values over a 2-D window, for 16 adjacent channels at once. Shared by average pooling and Mean.
// Each window row is summed in int16 lanes (at most 256 cells per chunk, so |sum| <= 256 * 128 fits), then
// widened and added to int32 lanes: three SIMD ops per 16 bytes in the inner loop instead of ten.

const sums = memory.data(64, 16);
const CHUNK = 256;

/**
 * Sums rows x cols cells of 16 int8 lanes starting at `base` (cell (r, c) at base + r*rowStride + c*colStride)
 * and returns the address of 16 int32 sums (static scratch, overwritten by the next call).
 * Reads 16 bytes per cell: callers rely on the 16-byte over-read allowance for the last channels.
 */
export function windowSum16(base: usize, rows: i32, rowStride: usize, cols: i32, colStride: usize): usize {
  let a0 = i32x4.splat(0), a1 = i32x4.splat(0), a2 = i32x4.splat(0), a3 = i32x4.splat(0);
  for (let r = 0; r < rows; r++) {
    let p = base + <usize>r * rowStride;
    for (let c0 = 0; c0 < cols; c0 += CHUNK) {
      const n = min(cols - c0, CHUNK);
      let lo = i16x8.splat(0), hi = i16x8.splat(0);
      for (let c = 0; c < n; c++) {
        const v = v128.load(p);
        lo = i16x8.add(lo, i16x8.extend_low_i8x16_s(v));
        hi = i16x8.add(hi, i16x8.extend_high_i8x16_s(v));
        p += colStride;
      }
      a0 = i32x4.add(a0, i32x4.extend_low_i16x8_s(lo));
      a1 = i32x4.add(a1, i32x4.extend_high_i16x8_s(lo));
      a2 = i32x4.add(a2, i32x4.extend_low_i16x8_s(hi));
      a3 = i32x4.add(a3, i32x4.extend_high_i16x8_s(hi));
    }
  }
  v128.store(sums, a0);
  v128.store(sums, a1, 16);
  v128.store(sums, a2, 32);
  v128.store(sums, a3, 48);
  return sums;
}
