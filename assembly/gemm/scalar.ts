// Plain-loop int8 GEMM from unpacked weights: the int8-scalar benchmark baseline and a second check.
import { requantCapacity, requantOne } from "../requant";

/**
 * C[m][n] = clamp(zpOut + requant(bias[n] + sum_k (A[m][k] - zpIn) * (W[n][k] - zpW))).
 * W int8 [n][k] (row stride k), bias int32 [n] or 0.
 */
export function gemmScalar(
  m: i32, n: i32, k: i32, a: usize, lda: usize, w: usize, bias: usize, c: usize, ldc: usize,
  params: usize, zpIn: i32, zpW: i32, zpOut: i32, qmin: i32, qmax: i32,
): void {
  const prow = <usize>requantCapacity(n) << 2;
  for (let i = 0; i < m; i++) {
    const ar = a + <usize>i * lda;
    for (let j = 0; j < n; j++) {
      const wr = w + <usize>j * <usize>k;
      let acc: i32 = bias != 0 ? load<i32>(bias + (<usize>j << 2)) : 0;
      for (let q = 0; q < k; q++) {
        acc += (<i32>load<i8>(ar + <usize>q) - zpIn) * (<i32>load<i8>(wr + <usize>q) - zpW);
      }
      store<i8>(c + <usize>i * ldc + <usize>j, <i8>requantOne(acc, params, prow, j, zpOut, qmin, qmax));
    }
  }
}
