// The conv descriptor is the one assembly/dwconv/geometry.ts defines (src/runtime/kernels/dwconv.ts writes it:
// convDescriptor), with the per-tensor weight zero point in its spare last field. Output size is given, not
// derived: taps that fall outside the input (any padding, symmetric or not) read the zpIn row.
import {
  field, D_BATCH, D_IN_H, D_IN_W, D_IN_C, D_OUT_H, D_OUT_W, D_K_H, D_K_W, D_STRIDE_H, D_STRIDE_W,
  D_PAD_TOP, D_PAD_LEFT,
} from "../dwconv/geometry";

/** Weight zero point (0 for symmetric weights). */
export const D_ZP_W = 19;

/** The three ways a conv runs. */
export const MODE_POINTWISE = 0; // 1x1 / stride 1 / unpadded: dense GEMM on the input itself, no copy
export const MODE_INDIRECT = 1;  // indirect GEMM: one pointer per (output pixel, tap) into the input
export const MODE_GATHER = 2;    // few input channels: taps gathered per tile into contiguous K rows

// Below this many input channels a tap is too short for the K loop (cin = 3: 9 taps x 2 K-pairs, a third
// of them padding); gathering 4 rows of taps * cin bytes per tile is cheaper (measured on the 224x224x3 layer).
const GATHER_BELOW_CIN = 8;

/** Output pixels over the whole batch: the GEMM's M. */
// @ts-ignore: decorator
@inline
export function outputPixels(desc: usize): i32 {
  return field(desc, D_BATCH) * field(desc, D_OUT_H) * field(desc, D_OUT_W);
}

// @ts-ignore: decorator
@inline
export function taps(desc: usize): i32 {
  return field(desc, D_K_H) * field(desc, D_K_W);
}

export function convMode(desc: usize): i32 {
  if (field(desc, D_K_H) == 1 && field(desc, D_K_W) == 1 && field(desc, D_STRIDE_H) == 1 && field(desc, D_STRIDE_W) == 1
    && field(desc, D_PAD_TOP) == 0 && field(desc, D_PAD_LEFT) == 0
    && field(desc, D_OUT_H) == field(desc, D_IN_H) && field(desc, D_OUT_W) == field(desc, D_IN_W)) return MODE_POINTWISE;
  return field(desc, D_IN_C) < GATHER_BELOW_CIN ? MODE_GATHER : MODE_INDIRECT;
}

/** Taps the packed weights are grouped by: 1 when whole windows are contiguous K rows. */
// @ts-ignore: decorator
@inline
export function packedTaps(desc: usize): i32 {
  return convMode(desc) == MODE_INDIRECT ? taps(desc) : 1;
}

/** Values per packed tap. */
// @ts-ignore: decorator
@inline
export function packedKc(desc: usize): i32 {
  return field(desc, D_IN_C) * taps(desc) / packedTaps(desc);
}
