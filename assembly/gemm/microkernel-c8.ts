// The int8 GEMM microkernel for long rows: 2 x 4 output tiles, K in groups of 8 ("2x4c8"), i16 weights.
// Each (row, channel) accumulator collects dot_i16x8 partial sums of 8 k; one horizontal reduction per tile
// turns 4 accumulators into the 4 channels' sums. Called on a table of 4 row pointers (two row pairs per
// table); rows past the tile's end repeat the last row.
import { requant4, requant4F64, packClamp16, REQUANT_F64, REQUANT_GENERAL, REQUANT_NEGATIVE } from "../requant";
import { NR_C8, blockBytesC8, REQUANT_SKIPPED } from "./layout";

/** [sum a, sum b, sum c, sum d] of four i32x4 vectors. */
// @ts-ignore: decorator
@inline
function hsum4(a: v128, b: v128, c: v128, d: v128): v128 {
  const u = i32x4.add(v128.shuffle<i32>(a, b, 0, 4, 1, 5), v128.shuffle<i32>(a, b, 2, 6, 3, 7));
  const v = i32x4.add(v128.shuffle<i32>(c, d, 0, 4, 1, 5), v128.shuffle<i32>(c, d, 2, 6, 3, 7));
  return i32x4.add(v128.shuffle<i32>(u, v, 0, 1, 4, 5), v128.shuffle<i32>(u, v, 2, 3, 6, 7));
}

/** Writes the low `count` (< 4) bytes of the 32-bit lane `lane` of v to dst. */
// @ts-ignore: decorator
@inline
function storePartial4(dst: usize, v: v128, lane: i32, count: i32): void {
  let x = lane == 0 ? i32x4.extract_lane(v, 0) : i32x4.extract_lane(v, 1);
  if (count & 2) { store<u16>(dst, <u16>x); dst += 2; x >>>= 16; }
  if (count & 1) store<u8>(dst, <u8>x);
}

/** gemmTiles' contract for one tile of mr rows whose int8 rows come from ind's MR pointers, c8 weights. */
// @ts-ignore: decorator
@inline
export function gemmRowOfTilesC8(
  mr: i32, n: i32, kc: i32, ind: usize, packed: usize,
  c: usize, ldc: usize, corr: usize, params: usize, prow: usize, pc: i32,
  zpOut: i32, qmin: i32, qmax: i32, mode: i32,
): void {
  const vzp = i16x8.splat(<i16>zpOut);
  const vlo = i16x8.splat(<i16>qmin);
  const vhi = i16x8.splat(<i16>qmax);
  const block = blockBytesC8(1, kc);
  let w = packed;
  for (let n0 = 0; n0 < n; n0 += NR_C8) {
    const bias = v128.load(w);
    for (let h = 0; h < mr; h += 2) {
      const h1 = min(h + 1, mr - 1);
      let a00 = i32x4.splat(0), a01 = a00, a02 = a00, a03 = a00;
      let a10 = a00, a11 = a00, a12 = a00, a13 = a00;
      let wp = w + <usize>(NR_C8 * 4);
      let p0 = <usize>load<u32>(ind + (<usize>h << 2));
      let p1 = <usize>load<u32>(ind + (<usize>h1 << 2));
      if (h1 == h) {
        // A single row left (M = 1 fully-connected layers, odd M): half the work; r1 is then stored first,
        // to the same bytes, and overwritten by r0.
        for (let k = 0; k < kc; k += 8) {
          const x0 = v128.load8x8_s(p0);
          p0 += 8;
          a00 = i32x4.add(a00, i32x4.dot_i16x8_s(x0, v128.load(wp)));
          a01 = i32x4.add(a01, i32x4.dot_i16x8_s(x0, v128.load(wp, 16)));
          a02 = i32x4.add(a02, i32x4.dot_i16x8_s(x0, v128.load(wp, 32)));
          a03 = i32x4.add(a03, i32x4.dot_i16x8_s(x0, v128.load(wp, 48)));
          wp += 64;
        }
      } else {
        for (let k = 0; k < kc; k += 8) {
          const x0 = v128.load8x8_s(p0);
          const x1 = v128.load8x8_s(p1);
          p0 += 8; p1 += 8;
          let b = v128.load(wp);
          a00 = i32x4.add(a00, i32x4.dot_i16x8_s(x0, b)); a10 = i32x4.add(a10, i32x4.dot_i16x8_s(x1, b));
          b = v128.load(wp, 16);
          a01 = i32x4.add(a01, i32x4.dot_i16x8_s(x0, b)); a11 = i32x4.add(a11, i32x4.dot_i16x8_s(x1, b));
          b = v128.load(wp, 32);
          a02 = i32x4.add(a02, i32x4.dot_i16x8_s(x0, b)); a12 = i32x4.add(a12, i32x4.dot_i16x8_s(x1, b));
          b = v128.load(wp, 48);
          a03 = i32x4.add(a03, i32x4.dot_i16x8_s(x0, b)); a13 = i32x4.add(a13, i32x4.dot_i16x8_s(x1, b));
          wp += 64;
        }
      }
      let r0 = i32x4.add(hsum4(a00, a01, a02, a03), bias);
      let r1 = i32x4.add(hsum4(a10, a11, a12, a13), bias);
      if (corr != 0) {
        r0 = i32x4.add(r0, i32x4.splat(load<i32>(corr + (<usize>h << 2))));
        r1 = i32x4.add(r1, i32x4.splat(load<i32>(corr + (<usize>h1 << 2))));
      }
      let q0: v128, q1: v128;
      if (mode == REQUANT_F64) { q0 = requant4F64(r0, params, prow, pc + n0); q1 = requant4F64(r1, params, prow, pc + n0); }
      else if (mode == REQUANT_GENERAL) { q0 = requant4(r0, params, prow, pc + n0, true); q1 = requant4(r1, params, prow, pc + n0, true); }
      else if (mode == REQUANT_NEGATIVE) { q0 = requant4(r0, params, prow, pc + n0, false); q1 = requant4(r1, params, prow, pc + n0, false); }
      else { q0 = r0; q1 = r1; } // REQUANT_SKIPPED (benchmark only)
      const q = mode != REQUANT_SKIPPED ? packClamp16(q0, q1, q0, q1, vzp, vlo, vhi)
        : i8x16.narrow_i16x8_s(i16x8.narrow_i32x4_s(q0, q1), i16x8.narrow_i32x4_s(q0, q1));
      const d0 = c + <usize>h * ldc + <usize>n0;
      const d1 = c + <usize>h1 * ldc + <usize>n0;
      const nc = n - n0;
      if (nc >= NR_C8) {
        v128.store32_lane(d1, q, 1);
        v128.store32_lane(d0, q, 0);
      } else {
        storePartial4(d1, q, 1, nc);
        storePartial4(d0, q, 0, nc);
      }
    }
    w += block;
  }
}
