// int8 GEMM / fully-connected: C[m, n] = requant(A[m, k] x packed weights), fused clamp.
// Loop order: channel panels (weights L1-resident) outside, row tiles inside.
import { requantCapacity } from "../requant";
import { gemmRequantMode } from "./mode";
import { MR, REQUANT_SKIPPED, usesC8 } from "./layout";
import { tilesC2, tileC8, blockChannels, blockSize, panelChannels } from "./tiles";
import { widenRows, WIDEN_TILES } from "./widen";
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
  gemmInMode(m, n, k, a, lda, packed, c, ldc, params, zpOut, qmin, qmax, zpW, scratch,
    gemmRequantMode(params, n, zpOut, qmin, qmax, packed, k, zpW));
}

/**
 * Benchmark only: gemm with the requantization skipped (accumulators narrowed straight to int8, wrong results),
 * everything else the same, so that 1 - t(this) / t(gemm) is what requantization costs inside the fused layer.
 */
export function gemmRequantSkippedForBench(
  m: i32, n: i32, k: i32, a: usize, lda: usize, packed: usize, c: usize, ldc: usize,
  params: usize, zpOut: i32, qmin: i32, qmax: i32, zpW: i32, scratch: usize,
): void {
  gemmInMode(m, n, k, a, lda, packed, c, ldc, params, zpOut, qmin, qmax, zpW, scratch, REQUANT_SKIPPED);
}

function gemmInMode(
  m: i32, n: i32, k: i32, a: usize, lda: usize, packed: usize, c: usize, ldc: usize,
  params: usize, zpOut: i32, qmin: i32, qmax: i32, zpW: i32, scratch: usize, mode: i32,
): void {
  let corr: usize = 0;
  if (zpW != 0) {
    denseCorrections(a, lda, m, k, zpW, scratch);
    corr = scratch;
  }
  const prow = <usize>requantCapacity(n) << 2;
  const panel = panelChannels(1, k);
  const panelBytes = <usize>(panel / blockChannels(1, k)) * blockSize(1, k);
  // The c2 kernel reads rows widened to i16 (widen.ts, a few tiles at a time), the c8 kernel int8 rows as they are.
  const widen = !usesC8(1, k);
  let w = packed;
  for (let n0 = 0; n0 < n; n0 += panel) {
    const nc = min(panel, n - n0);
    if (widen) {
      for (let m0 = 0; m0 < m; m0 += MR * WIDEN_TILES) {
        const rows = min(MR * WIDEN_TILES, m - m0);
        const rowCorr = corr != 0 ? corr + (<usize>m0 << 2) : 0;
        tilesC2(rows, nc, k, widenRows(a + <usize>m0 * lda, lda, rows, k), w, c + <usize>m0 * ldc + <usize>n0, ldc,
          rowCorr, params, prow, n0, zpOut, qmin, qmax, mode);
      }
    } else {
      for (let m0 = 0; m0 < m; m0 += MR) {
        const mr = min(MR, m - m0);
        const row0 = a + <usize>m0 * lda;
        for (let r = 0; r < MR; r++) store<u32>(rowPointers + (<usize>r << 2), <u32>(row0 + <usize>min(r, mr - 1) * lda));
        const rowCorr = corr != 0 ? corr + (<usize>m0 << 2) : 0;
        tileC8(mr, nc, k, rowPointers, w, c + <usize>m0 * ldc + <usize>n0, ldc, rowCorr, params, prow, n0, zpOut, qmin, qmax, mode);
      }
    }
    w += panelBytes;
  }
}
