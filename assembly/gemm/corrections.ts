// The data-dependent zero-point term of QUANTIZATION.md §2 for weights with a zero point (legacy uint8 models):
//   corr[row] = -zpW * sum_k x[row, k]
// computed once per output row (per output pixel for conv, where padding taps count as zpIn because they
// point at a zpIn-filled row). Symmetric weights (zpW = 0) never call this.
import { MR } from "./layout";

/** Wrapping int32 sum of kc int8 values. */
export function rowSum(p: usize, kc: i32): i32 {
  let acc = i32x4.splat(0);
  let k = 0;
  for (; k + 16 <= kc; k += 16) {
    acc = i32x4.add(acc, i32x4.extadd_pairwise_i16x8_s(i16x8.extadd_pairwise_i8x16_s(v128.load(p + <usize>k))));
  }
  let s = i32x4.extract_lane(acc, 0) + i32x4.extract_lane(acc, 1) + i32x4.extract_lane(acc, 2) + i32x4.extract_lane(acc, 3);
  for (; k < kc; k++) s += <i32>load<i8>(p + <usize>k);
  return s;
}

/** corr[0..rows) for a pointer table [tiles][taps][MR] (row r of tile i is output row i * MR + r). */
export function indirectCorrections(ind: usize, rows: i32, taps: i32, kc: i32, zpW: i32, corr: usize): void {
  for (let r = 0; r < rows; r++) {
    const tile = <usize>(r / MR);
    const lane = <usize>(r % MR);
    let s: i32 = 0;
    for (let t = 0; t < taps; t++) {
      s += rowSum(<usize>load<u32>(ind + ((tile * <usize>taps + <usize>t) * <usize>MR + lane) * 4), kc);
    }
    store<i32>(corr + (<usize>r << 2), -zpW * s);
  }
}

/** corr[0..m) for a plain row-major A (row stride lda). */
export function denseCorrections(a: usize, lda: usize, m: i32, k: i32, zpW: i32, corr: usize): void {
  for (let r = 0; r < m; r++) store<i32>(corr + (<usize>r << 2), -zpW * rowSum(a + <usize>r * lda, k));
}
