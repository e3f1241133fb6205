// Widens A's int8 rows to i16 once, so the 4x8c2 microkernel splat-loads K pairs instead of shuffling them out of
// a register for every block of 8 channels (measured ~15% faster on short-K pointwise layers). Rows are widened
// WIDEN_TILES tiles at a time, packed at a stride of their own length: with few channels (N = 16: two blocks per
// tile) one widening pass and table per tile cost ~8% of the layer (112x112:32->16), against 32 rows per pass.
import { MR, C8_MIN_K } from "./layout";

/** Longest row (in values) the static widening buffer holds; longer dense rows use the c8 layout anyway. */
export const WIDEN_MAX_K: i32 = C8_MIN_K;
/** Row tiles widened per pass. */
export const WIDEN_TILES: i32 = 8;
const WIDEN_ROWS: i32 = MR * WIDEN_TILES;
const MAX_ROW_BYTES: usize = <usize>(WIDEN_MAX_K + 16) * 2;
const wideRows = memory.data(<i32>(<usize>WIDEN_ROWS * MAX_ROW_BYTES + <usize>WIDEN_ROWS * 4), 16);

/**
 * Widens `rows` (<= MR * WIDEN_TILES) rows of k int8 values (k <= WIDEN_MAX_K), `lda` bytes apart from row0, into
 * the static buffer. Returns ceil(rows / MR) tables of MR row pointers, one tile after the other (a last, partial
 * tile's spare rows repeat its last row). Reads up to 7 bytes past a row; each widened copy holds at least one
 * extra value past k.
 */
export function widenTiles(row0: usize, lda: usize, rows: i32, k: i32): usize {
  const tables = wideRows + <usize>WIDEN_ROWS * MAX_ROW_BYTES;
  const stride = ((<usize>k << 1) + 31) & ~(<usize>15);
  let src = row0;
  let dst = wideRows;
  for (let r = 0; r < rows; r++) {
    for (let i = 0; i < k; i += 8) v128.store(dst + (<usize>i << 1), v128.load8x8_s(src + <usize>i));
    store<u32>(tables + (<usize>r << 2), <u32>dst);
    src += lda;
    dst += stride;
  }
  const padded = (rows + MR - 1) / MR * MR;
  for (let r = rows; r < padded; r++) store<u32>(tables + (<usize>r << 2), <u32>(dst - stride));
  return tables;
}
