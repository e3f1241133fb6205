// The conv descriptor is the one assembly/dwconv/geometry.ts defines (src/runtime/kernels/dwconv.ts writes it:
// convDescriptor), with the per-tensor weight zero point in its spare last field. Output size is given, not
// derived: taps that fall outside the input (any padding, symmetric or not) read the zpIn row.
import {
  field, D_BATCH, D_IN_H, D_IN_W, D_IN_C, D_OUT_H, D_OUT_W, D_K_H, D_K_W, D_STRIDE_H, D_STRIDE_W,
  D_PAD_TOP, D_PAD_LEFT,
} from "../dwconv/geometry";

/** Weight zero point (0 for symmetric weights). */
export const D_ZP_W = 19;

/** The two ways a conv runs. */
export const MODE_POINTWISE = 0; // 1x1 / stride 1 / unpadded: dense GEMM on the input itself, no copy
export const MODE_GATHER = 1;    // every other conv: per tile of MR output pixels, the windows' taps are
                                 // gathered (through the indirection table) into contiguous K rows, widened
                                 // to i16 for the 4x8c2 kernel. Measured 5-15% faster than the indirect GEMM
                                 // straight over the table on 3x3 convs with 8..64 input channels, and 20% on
                                 // the 224x224x3 first layer (3 channels make 9 taps of 2 padded K pairs).

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
  return field(desc, D_K_H) == 1 && field(desc, D_K_W) == 1 && field(desc, D_STRIDE_H) == 1 && field(desc, D_STRIDE_W) == 1
    && field(desc, D_PAD_TOP) == 0 && field(desc, D_PAD_LEFT) == 0
    && field(desc, D_OUT_H) == field(desc, D_IN_H) && field(desc, D_OUT_W) == field(desc, D_IN_W)
    ? MODE_POINTWISE : MODE_GATHER;
}

/** Taps the packed weights are grouped by: always 1, whole windows are contiguous K rows. */
// @ts-ignore: decorator
@inline
export function packedTaps(desc: usize): i32 {
  return 1;
}

/** Values per packed tap. */
// @ts-ignore: decorator
@inline
export function packedKc(desc: usize): i32 {
  return field(desc, D_IN_C) * taps(desc);
}
