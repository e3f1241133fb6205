// float32 GEMM / fully connected: C[M,N] = clamp(A[M,K] * W[N,K]^T + bias, min, max), f32x4 SIMD.
// W is packed once into panels of 8 output columns: [ bias: 8 f32 ][ K rows of 8 f32 ] (padding columns 0),
// so the 4x8 microkernel reads one panel row (two vectors) per k and broadcasts one A value per row.
// Rows are processed in blocks that keep the block's A in L2 while each panel (8K floats) stays in L1.

const NR = 8;
const MR = 4;

/** Bytes of the packed weights for n outputs and k inputs. */
export function f32GemmPackedSize(n: i32, k: i32): i32 {
  return ((n + NR - 1) / NR) * (NR + NR * k) * 4;
}

/** Packs W [n][k] (row-major f32) and an optional f32 bias (0 = none). */
export function f32GemmPack(dst: usize, weights: usize, bias: usize, n: i32, k: i32): void {
  const panels = (n + NR - 1) / NR;
  memory.fill(dst, 0, <usize>f32GemmPackedSize(n, k));
  for (let p = 0; p < panels; p++) {
    const panel = dst + <usize>(p * (NR + NR * k) * 4);
    for (let j = 0; j < NR; j++) {
      const col = p * NR + j;
      if (col >= n) break;
      if (bias != 0) store<f32>(panel + (<usize>j << 2), load<f32>(bias + (<usize>col << 2)));
      const src = weights + <usize>col * <usize>k * 4;
      for (let kk = 0; kk < k; kk++) store<f32>(panel + <usize>((NR + kk * NR + j) * 4), load<f32>(src + (<usize>kk << 2)));
    }
  }
}

/** Stores the first `cols` (1..8) lanes of a row of two vectors. */
// @ts-ignore: decorator
@inline
function storeRow(c: usize, lo: v128, hi: v128, cols: i32): void {
  if (cols == 8) {
    v128.store(c, lo);
    v128.store(c, hi, 16);
    return;
  }
  let v = lo;
  let p = c;
  let left = cols;
  if (left >= 4) {
    v128.store(p, lo);
    v = hi;
    p += 16;
    left -= 4;
  }
  if (left >= 2) {
    v128.store64_lane(p, v, 0);
    v = v128.shuffle<f32>(v, v, 2, 3, 2, 3);
    p += 8;
    left -= 2;
  }
  if (left == 1) v128.store32_lane(p, v, 0);
}

/**
 * One tile: `rows` (1..4) rows of A (stride lda bytes) times one panel, `cols` (1..8) columns stored to C
 * (stride ldc bytes). Missing rows alias the previous one: computed twice, stored identically.
 */
// @ts-ignore: decorator
@inline
function tile4x8(a: usize, lda: usize, panel: usize, c: usize, ldc: usize, rows: i32, cols: i32, k: i32, vmin: v128, vmax: v128): void {
  const a1 = rows > 1 ? a + lda : a;
  const a2 = rows > 2 ? a1 + lda : a1;
  const a3 = rows > 3 ? a2 + lda : a2;
  let c00 = v128.load(panel), c01 = v128.load(panel, 16);
  let c10 = c00, c11 = c01, c20 = c00, c21 = c01, c30 = c00, c31 = c01;
  let w = panel + NR * 4;
  const end = a + (<usize>k << 2);
  let off: usize = 0;
  let p0 = a;
  while (p0 < end) {
    const w0 = v128.load(w), w1 = v128.load(w, 16);
    const x0 = v128.load32_splat(p0);
    const x1 = v128.load32_splat(a1 + off);
    const x2 = v128.load32_splat(a2 + off);
    const x3 = v128.load32_splat(a3 + off);
    c00 = f32x4.add(c00, f32x4.mul(x0, w0));
    c01 = f32x4.add(c01, f32x4.mul(x0, w1));
    c10 = f32x4.add(c10, f32x4.mul(x1, w0));
    c11 = f32x4.add(c11, f32x4.mul(x1, w1));
    c20 = f32x4.add(c20, f32x4.mul(x2, w0));
    c21 = f32x4.add(c21, f32x4.mul(x2, w1));
    c30 = f32x4.add(c30, f32x4.mul(x3, w0));
    c31 = f32x4.add(c31, f32x4.mul(x3, w1));
    p0 += 4;
    off += 4;
    w += NR * 4;
  }
  // Stored from the last row down, so an aliased row's store is overwritten by its own value.
  const cc1 = rows > 1 ? c + ldc : c;
  const cc2 = rows > 2 ? cc1 + ldc : cc1;
  const cc3 = rows > 3 ? cc2 + ldc : cc2;
  storeRow(cc3, clamp(c30, vmin, vmax), clamp(c31, vmin, vmax), cols);
  storeRow(cc2, clamp(c20, vmin, vmax), clamp(c21, vmin, vmax), cols);
  storeRow(cc1, clamp(c10, vmin, vmax), clamp(c11, vmin, vmax), cols);
  storeRow(c, clamp(c00, vmin, vmax), clamp(c01, vmin, vmax), cols);
}

/** min(max(x, lo), hi) with the single-instruction pseudo-min/max (NaN inputs are not propagated). */
// @ts-ignore: decorator
@inline
export function clamp(x: v128, vmin: v128, vmax: v128): v128 {
  return f32x4.pmin(f32x4.pmax(x, vmin), vmax);
}

/**
 * C[m][n] = clamp(sum_k A[m][k] * W[n][k] + bias[n], min, max). A rows are `lda` floats apart, C rows `ldc`
 * floats apart; `packed` from f32GemmPack(n, k). Pass -Infinity / Infinity for no clamp.
 */
export function f32Gemm(a: usize, lda: i32, packed: usize, c: usize, ldc: i32, m: i32, n: i32, k: i32, min: f32, max: f32): void {
  const vmin = f32x4.splat(min), vmax = f32x4.splat(max);
  const panels = (n + NR - 1) / NR;
  const panelBytes = <usize>((NR + NR * k) * 4);
  const ldaB = <usize>lda << 2, ldcB = <usize>ldc << 2;
  // Rows per block: about 64 KiB of A, a whole number of tiles.
  let block = (16384 / (k > 0 ? k : 1)) & ~(MR - 1);
  if (block < MR) block = MR;
  for (let m0 = 0; m0 < m; m0 += block) {
    const mEnd = m0 + block < m ? m0 + block : m;
    for (let p = 0; p < panels; p++) {
      const panel = packed + <usize>p * panelBytes;
      const cols = n - p * NR < NR ? n - p * NR : NR;
      for (let r = m0; r < mEnd; r += MR) {
        const rows = mEnd - r < MR ? mEnd - r : MR;
        tile4x8(a + <usize>r * ldaB, ldaB, panel, c + <usize>r * ldcB + (<usize>(p * NR) << 2), ldcB, rows, cols, k, vmin, vmax);
      }
    }
  }
}
