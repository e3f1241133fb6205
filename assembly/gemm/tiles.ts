// One row of MR output rows over a range of channels, with the microkernel the packed layout was made for,
// and the channel panels the drivers walk: a panel's packed weights stay in L1 while all rows stream by.
import { NR, NR_C8, usesC8, blockBytes, blockBytesC8 } from "./layout";
import { gemmRowOfTiles } from "./microkernel";
import { gemmRowOfTilesC8 } from "./microkernel-c8";

// About half of a 32 KiB L1 data cache for the weight panel, the rest for activations and outputs.
const PANEL_BYTES: usize = 16384;

/**
 * ind: MR row pointers to kc values each: int8 for the c8 layout, widened i16 for the c2 layout (usesC8 decides).
 * mode: requantMode's choice (or REQUANT_SKIPPED, benchmark only).
 */
export function rowOfTiles(
  mr: i32, n: i32, kc: i32, ind: usize, packed: usize,
  c: usize, ldc: usize, corr: usize, params: usize, prow: usize, pc: i32,
  zpOut: i32, qmin: i32, qmax: i32, mode: i32,
): void {
  if (usesC8(1, kc)) gemmRowOfTilesC8(mr, n, kc, ind, packed, c, ldc, corr, params, prow, pc, zpOut, qmin, qmax, mode);
  else gemmRowOfTiles(mr, n, kc, ind, packed, c, ldc, corr, params, prow, pc, zpOut, qmin, qmax, mode);
}

/** Channels per packed block. */
// @ts-ignore: decorator
@inline
export function blockChannels(taps: i32, kc: i32): i32 {
  return usesC8(taps, kc) ? NR_C8 : NR;
}

// @ts-ignore: decorator
@inline
export function blockSize(taps: i32, kc: i32): usize {
  return usesC8(taps, kc) ? blockBytesC8(taps, kc) : blockBytes(taps, kc);
}

/** Channels per panel: whole blocks whose weights fit PANEL_BYTES (at least one block). */
export function panelChannels(taps: i32, kc: i32): i32 {
  const blocks = max<usize>(1, PANEL_BYTES / blockSize(taps, kc));
  return <i32>blocks * blockChannels(taps, kc);
}
