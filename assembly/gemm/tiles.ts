// One row of MR output rows over a range of channels, with the microkernel the packed layout was made for,
// and the channel panels the drivers walk: a panel's packed weights stay in L1 while all rows stream by.
import { NR, NR_C8, usesC8, blockBytes, blockBytesC8 } from "./layout";
import { gemmTiles } from "./microkernel";
import { REQUANT_F64_OFFSET_SIGNED } from "../requant";
import { gemmRowOfTilesC8 } from "./microkernel-c8";

// About half of a 32 KiB L1 data cache for the weight panel, the rest for activations and outputs.
const PANEL_BYTES: usize = 16384;

/** The 4x8c2 kernel's tiles over `rows` rows (gemmTiles), a: rows of widened i16 values C2_ROW_BYTES apart. */
export function tilesC2(
  rows: i32, n: i32, kc: i32, a: usize, packed: usize,
  c: usize, ldc: usize, corr: usize, params: usize, prow: usize, pc: i32,
  zpOut: i32, qmin: i32, qmax: i32, mode: i32,
): void {
  if (mode == REQUANT_F64_OFFSET_SIGNED) tilesSigned(rows, n, kc, a, packed, c, ldc, corr, params, prow, pc, zpOut, qmin, qmax);
  else gemmTiles(rows, n, kc, a, packed, c, ldc, corr, params, prow, pc, zpOut, qmin, qmax, mode);
}
// The signed offset form gets its own copy of the kernel, the mode folded in: its extra constants and masks
// made the shared copy's register allocation worse for every mode (no-ReLU 112x112:32->16 -3..4%, the other
// modes -1%, side by side). A copy for REQUANT_F64_OFFSET too gained nothing more.
function tilesSigned(
  rows: i32, n: i32, kc: i32, a: usize, packed: usize,
  c: usize, ldc: usize, corr: usize, params: usize, prow: usize, pc: i32,
  zpOut: i32, qmin: i32, qmax: i32,
): void {
  gemmTiles(rows, n, kc, a, packed, c, ldc, corr, params, prow, pc, zpOut, qmin, qmax, REQUANT_F64_OFFSET_SIGNED);
}

/** The 2x4c8 kernel's tile of mr (<= MR) rows: ind, MR pointers to int8 rows of kc values. */
export function tileC8(
  mr: i32, n: i32, kc: i32, ind: usize, packed: usize,
  c: usize, ldc: usize, corr: usize, params: usize, prow: usize, pc: i32,
  zpOut: i32, qmin: i32, qmax: i32, mode: i32,
): void {
  gemmRowOfTilesC8(mr, n, kc, ind, packed, c, ldc, corr, params, prow, pc, zpOut, qmin, qmax, mode);
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
