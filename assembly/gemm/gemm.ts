// int8 GEMM / fully-connected: C[m, n] = requant(A[m, k] x packed weights), fused clamp.
import { requantCapacity } from "../requant";
import { MR } from "./layout";
import { gemmRowOfTiles } from "./microkernel";
import { denseCorrections } from "./corrections";

// One tile's row pointers (GEMM has a single "tap"): static, so the kernel allocates nothing.
const rowPointers = memory.data(MR * 4, 16);

/** Bytes of scratch gemm needs: m int32 row corrections when zpW != 0, else nothing. */
export function gemmScratchSize(m: i32, zpW: i32): usize {
  return zpW != 0 ? <usize>m << 2 : 0;
}

/**
 * C = requant(A x W): A int8 [m][k] (row stride lda), packed from gemmPack(.., n, 1, k, zpIn, zpW),
 * C int8 [m][n] (row stride ldc), params a requantization block for n channels. scratch: gemmScratchSize bytes.
 */
export function gemm(
  m: i32, n: i32, k: i32, a: usize, lda: usize, packed: usize, c: usize, ldc: usize,
  params: usize, zpOut: i32, qmin: i32, qmax: i32, zpW: i32, scratch: usize,
): void {
  let corr: usize = 0;
  if (zpW != 0) {
    denseCorrections(a, lda, m, k, zpW, scratch);
    corr = scratch;
  }
  const prow = <usize>requantCapacity(n) << 2;
  for (let m0 = 0; m0 < m; m0 += MR) {
    const mr = min(MR, m - m0);
    const row0 = a + <usize>m0 * lda;
    for (let r = 0; r < MR; r++) store<u32>(rowPointers + (<usize>r << 2), <u32>(row0 + <usize>min(r, mr - 1) * lda));
    gemmRowOfTiles(mr, n, 1, k, rowPointers, packed, c + <usize>m0 * ldc, ldc,
      corr != 0 ? corr + (<usize>m0 << 2) : 0, params, prow, zpOut, qmin, qmax);
  }
}

/**
 * Indirect GEMM: the rows of A come from a pointer table [ceil(m / MR)][taps][MR] (conv's indirection
 * buffer), each row kc int8 values; weights packed with gemmPack(.., n, taps, kc, ..). corr: 0 or m int32.
 */
export function igemm(
  m: i32, n: i32, taps: i32, kc: i32, ind: usize, packed: usize, c: usize, ldc: usize,
  params: usize, zpOut: i32, qmin: i32, qmax: i32, corr: usize,
): void {
  const prow = <usize>requantCapacity(n) << 2;
  const tileStride = <usize>taps * <usize>(MR * 4);
  let ip = ind;
  for (let m0 = 0; m0 < m; m0 += MR) {
    gemmRowOfTiles(min(MR, m - m0), n, taps, kc, ip, packed, c + <usize>m0 * ldc, ldc,
      corr != 0 ? corr + (<usize>m0 << 2) : 0, params, prow, zpOut, qmin, qmax);
    ip += tileStride;
  }
}
