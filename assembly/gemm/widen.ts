// Widens A's int8 rows to i16 once, so the 4x8c2 microkernel splat-loads K pairs instead of shuffling them out of
// a register for every block of 8 channels (measured ~15% faster on short-K pointwise layers). Rows are widened
// WIDEN_TILES tiles at a time (one pass per tile cost ~8% of 112x112:32->16, with its two channel blocks per
// tile), C2_ROW_BYTES apart as the kernel reads them.
import { MR, C8_MIN_K, C2_ROW_BYTES } from "./layout";

/** Longest row (in values) the static widening buffer holds; longer dense rows use the c8 layout anyway. */
export const WIDEN_MAX_K: i32 = C8_MIN_K;
/** Row tiles widened per pass. */
export const WIDEN_TILES: i32 = 8;
const WIDEN_ROWS: i32 = MR * WIDEN_TILES;
const wideRows = memory.data(<i32>(<usize>WIDEN_ROWS * C2_ROW_BYTES), 16);

/**
 * Widens `rows` (<= MR * WIDEN_TILES) rows of k int8 values (k <= WIDEN_MAX_K), `lda` bytes apart from row0, into
 * the static buffer, C2_ROW_BYTES apart; returns the first. A last, partial tile's spare rows hold whatever an
 * earlier pass left (their outputs are overwritten, see microkernel.ts). Reads up to 7 bytes past a row; each
 * widened copy holds at least one extra value past k.
 */
export function widenRows(row0: usize, lda: usize, rows: i32, k: i32): usize {
  let src = row0;
  let dst = wideRows;
  for (let r = 0; r < rows; r++) {
    for (let i = 0; i < k; i += 8) v128.store(dst + (<usize>i << 1), v128.load8x8_s(src + <usize>i));
    src += lda;
    dst += C2_ROW_BYTES;
  }
  return wideRows;
}
