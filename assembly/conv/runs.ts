// The gather for convs with few input channels (the 224x224x3 first layer): in a window row, the kW taps of
// an input-inside window sit side by side in NHWC memory (dilation 1), so a tile whose MR windows are all
// inside the input copies kH runs of kW * cin values per row straight from the input, at addresses computed
// from the geometry, instead of kH * kW taps through the indirection table.
import { MR } from "../gemm/layout";
import {
  field, D_IN_H, D_IN_W, D_IN_C, D_OUT_W, D_K_H, D_K_W, D_STRIDE_H, D_STRIDE_W, D_DIL_H, D_DIL_W,
  D_PAD_TOP, D_PAD_LEFT,
} from "../dwconv/geometry";

/** True when a window row's kW taps (kW * cin values, dilation 1) fit one 16-byte load and a tile fits a row. */
export function runGatherApplies(desc: usize): bool {
  return field(desc, D_DIL_W) == 1 && field(desc, D_K_W) > 1 && field(desc, D_K_W) * field(desc, D_IN_C) <= 16
    && field(desc, D_OUT_W) >= MR;
}

/**
 * Gathers the MR windows of output pixels (b, oy, ox0 .. ox0 + MR - 1) as widened i16 rows (row r at
 * tile + MR * 4 + r * stride) when they lie in one output row and wholly inside the input; returns false,
 * copying nothing, otherwise. Each run's spill-over is overwritten by the next run, the last one's lands in
 * the row's 16 spare bytes (runs up to 8 values store 16 bytes, longer ones 32). A run's last value is in the
 * input and a load reads at most 16 bytes from the run's start: at most 15 bytes past the input, within its slack.
 */
export function gatherRuns(desc: usize, input: usize, tile: usize, stride: usize, b: i32, oy: i32, ox0: i32): bool {
  const outW = field(desc, D_OUT_W);
  if (ox0 + MR > outW) return false;
  const inH = field(desc, D_IN_H), inW = field(desc, D_IN_W), cin = field(desc, D_IN_C);
  const kH = field(desc, D_K_H), kW = field(desc, D_K_W);
  const sW = field(desc, D_STRIDE_W), dH = field(desc, D_DIL_H);
  const iy0 = oy * field(desc, D_STRIDE_H) - field(desc, D_PAD_TOP);
  const ix0 = ox0 * sW - field(desc, D_PAD_LEFT);
  if (iy0 < 0 || iy0 + (kH - 1) * dH >= inH || ix0 < 0 || ix0 + (MR - 1) * sW + kW - 1 >= inW) return false;
  const run = kW * cin;
  const pixelStep = <usize>(sW * cin);
  const rowStep = <usize>dH * <usize>inW * <usize>cin;
  const base = input + (<usize>(b * inH + iy0) * <usize>inW + <usize>ix0) * <usize>cin;
  for (let r = 0; r < MR; r++) {
    let src = base + <usize>r * pixelStep;
    let dst = tile + <usize>(MR * 4) + <usize>r * stride;
    for (let ky = 0; ky < kH; ky++) {
      if (run <= 8) v128.store(dst, v128.load8x8_s(src));
      else {
        const v = v128.load(src);
        v128.store(dst, i16x8.extend_low_i8x16_s(v));
        v128.store(dst, i16x8.extend_high_i8x16_s(v), 16);
      }
      src += rowStep;
      dst += <usize>run << 1;
    }
  }
  return true;
}
