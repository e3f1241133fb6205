// Sum of int8 values over a 2-D window, for 16 adjacent channels at once. Shared by average pooling and Mean.
// Cells are summed in int16 lanes (at most 256 between widenings, so |sum| <= 256 * 128 fits), then widened
// and added to int32 lanes: three SIMD ops per 16 bytes in the inner loop instead of ten, and one widening
// per window for windows of up to 256 cells.

const CHUNK = 256;

// The 16 int32 sums of the last call, in wasm globals (per instance, so threads sharing memory do not collide).
export let sum0 = i32x4.splat(0);
export let sum1 = i32x4.splat(0);
export let sum2 = i32x4.splat(0);
export let sum3 = i32x4.splat(0);

/**
 * Sums rows x cols cells of 16 int8 lanes starting at `base` (cell (r, c) at base + r*rowStride + c*colStride)
 * into sum0..sum3 (channels 0-3, 4-7, 8-11, 12-15).
 * Reads 16 bytes per cell: callers rely on the 16-byte over-read allowance for the last channels.
 */
export function windowSum16(base: usize, rows: i32, rowStride: usize, cols: i32, colStride: usize): void {
  let a0 = i32x4.splat(0), a1 = i32x4.splat(0), a2 = i32x4.splat(0), a3 = i32x4.splat(0);
  let lo = i16x8.splat(0), hi = i16x8.splat(0);
  // Cells summed into lo/hi since they were last widened into a0..a3; widened before exceeding CHUNK.
  let pending = 0;
  for (let r = 0; r < rows; r++) {
    let p = base + <usize>r * rowStride;
    for (let c0 = 0; c0 < cols; c0 += CHUNK) {
      const n = min(cols - c0, CHUNK);
      if (pending + n > CHUNK) {
        a0 = i32x4.add(a0, i32x4.extend_low_i16x8_s(lo));
        a1 = i32x4.add(a1, i32x4.extend_high_i16x8_s(lo));
        a2 = i32x4.add(a2, i32x4.extend_low_i16x8_s(hi));
        a3 = i32x4.add(a3, i32x4.extend_high_i16x8_s(hi));
        lo = i16x8.splat(0);
        hi = i16x8.splat(0);
        pending = 0;
      }
      for (let c = 0; c < n; c++) {
        const v = v128.load(p);
        lo = i16x8.add(lo, i16x8.extend_low_i8x16_s(v));
        hi = i16x8.add(hi, i16x8.extend_high_i8x16_s(v));
        p += colStride;
      }
      pending += n;
    }
  }
  sum0 = i32x4.add(a0, i32x4.extend_low_i16x8_s(lo));
  sum1 = i32x4.add(a1, i32x4.extend_high_i16x8_s(lo));
  sum2 = i32x4.add(a2, i32x4.extend_low_i16x8_s(hi));
  sum3 = i32x4.add(a3, i32x4.extend_high_i16x8_s(hi));
}
