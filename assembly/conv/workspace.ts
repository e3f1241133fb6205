// A conv's workspace, one block the runtime allocates once per layer:
//   [ 16-byte header: the input pointer the indirection was built for ]
//   [ indirection table: ceil(M / MR) tiles x taps x MR i32 row pointers ]   (not for pointwise convs)
//   [ zpIn row: cin bytes (+ over-read slack) that padding taps point at ]  (not for pointwise convs)
//   [ gather tile: MR row pointers, then MR rows of taps * cin values ]      (not for pointwise convs)
//   [ corrections: M i32 ]                                                   (only when zpW != 0)
// As in XNNPACK's indirect GEMM, each output pixel's taps are pointers straight into the NHWC input (padding
// taps point at the zpIn row); conv gathers through them one tile of rows at a time, so the im2col copy stays
// MR rows small and cache-resident. The table is rebuilt only when the input pointer changes.
import { MR, C2_ROW_BYTES, usesC8 } from "../gemm/layout";
import {
  field, D_IN_H, D_IN_W, D_IN_C, D_OUT_H, D_OUT_W, D_K_H, D_K_W,
  D_STRIDE_H, D_STRIDE_W, D_DIL_H, D_DIL_W, D_PAD_TOP, D_PAD_LEFT, D_ZP_IN,
} from "../dwconv/geometry";
import { D_ZP_W, MODE_POINTWISE, MODE_GATHER, convMode, outputPixels, taps } from "./descriptor";

const HEADER: usize = 16;

// @ts-ignore: decorator
@inline
function align16(n: usize): usize {
  return (n + 15) & ~(<usize>15);
}

// @ts-ignore: decorator
@inline
function indirectionBytes(desc: usize): usize {
  if (convMode(desc) == MODE_POINTWISE) return 0;
  return <usize>((outputPixels(desc) + MR - 1) / MR) * <usize>taps(desc) * <usize>(MR * 4);
}

// @ts-ignore: decorator
@inline
function zeroRowBytes(desc: usize): usize {
  return convMode(desc) == MODE_POINTWISE ? 0 : align16(<usize>field(desc, D_IN_C) + 16);
}

/**
 * Bytes between gathered rows: the 4x8c2 kernel's C2_ROW_BYTES, or for the c8 kernel's int8 rows the window
 * plus room for the 16-byte stores.
 */
// @ts-ignore: decorator
@inline
export function gatherRowStride(desc: usize): usize {
  const kk = taps(desc) * field(desc, D_IN_C);
  return usesC8(1, kk) ? align16(<usize>kk + 16) : C2_ROW_BYTES;
}

// @ts-ignore: decorator
@inline
function gatherBytes(desc: usize): usize {
  return convMode(desc) == MODE_GATHER ? <usize>(MR * 4) + <usize>MR * gatherRowStride(desc) : 0;
}

// @ts-ignore: decorator
@inline
export function indirectionAt(ws: usize): usize {
  return ws + HEADER;
}

// @ts-ignore: decorator
@inline
function zeroRowAt(desc: usize, ws: usize): usize {
  return indirectionAt(ws) + indirectionBytes(desc);
}

/** The gather tile: MR row pointers, then the rows. */
// @ts-ignore: decorator
@inline
export function gatherAt(desc: usize, ws: usize): usize {
  return zeroRowAt(desc, ws) + zeroRowBytes(desc);
}

/** Where the corrections start (meaningful only when zpW != 0). */
// @ts-ignore: decorator
@inline
export function correctionsAt(desc: usize, ws: usize): usize {
  return gatherAt(desc, ws) + gatherBytes(desc);
}

/** Bytes of workspace a conv needs. */
export function convWorkspaceSize(desc: usize): usize {
  const corr: usize = field(desc, D_ZP_W) != 0 ? <usize>outputPixels(desc) << 2 : 0;
  return correctionsAt(desc, 0) + corr;
}

/**
 * Builds the indirection table for `input` (NHWC int8) into the workspace: call once when the input's address
 * is known; conv rebuilds it by itself if called with another input.
 */
export function convSetup(desc: usize, input: usize, ws: usize): void {
  store<u32>(ws, <u32>input);
  const mode = convMode(desc);
  if (mode == MODE_POINTWISE) return;
  const cin = field(desc, D_IN_C);
  const zero = zeroRowAt(desc, ws);
  memory.fill(zero, <u8>field(desc, D_ZP_IN), zeroRowBytes(desc));
  if (mode == MODE_GATHER) {
    const tile = gatherAt(desc, ws);
    const stride = gatherRowStride(desc);
    for (let r = 0; r < MR; r++) store<u32>(tile + (<usize>r << 2), <u32>(tile + <usize>(MR * 4) + <usize>r * stride));
  }
  const inH = field(desc, D_IN_H), inW = field(desc, D_IN_W);
  const outH = field(desc, D_OUT_H), outW = field(desc, D_OUT_W);
  const kH = field(desc, D_K_H), kW = field(desc, D_K_W);
  const sH = field(desc, D_STRIDE_H), sW = field(desc, D_STRIDE_W);
  const dH = field(desc, D_DIL_H), dW = field(desc, D_DIL_W);
  const padT = field(desc, D_PAD_TOP), padL = field(desc, D_PAD_LEFT);
  const nTaps = kH * kW;
  const ind = indirectionAt(ws);
  const pixels = outputPixels(desc);
  const tiles = (pixels + MR - 1) / MR;
  for (let m = 0; m < tiles * MR; m++) {
    // Lanes past the last pixel repeat it, so the tile's spare rows read valid memory.
    const pix = min(m, pixels - 1);
    const ox = pix % outW;
    const oy = (pix / outW) % outH;
    const b = pix / (outW * outH);
    let slot = ind + ((<usize>(m / MR) * <usize>nTaps) * <usize>MR + <usize>(m % MR)) * 4;
    for (let ky = 0; ky < kH; ky++) {
      const iy = oy * sH - padT + ky * dH;
      for (let kx = 0; kx < kW; kx++) {
        const ix = ox * sW - padL + kx * dW;
        let p = zero;
        if (iy >= 0 && iy < inH && ix >= 0 && ix < inW) {
          p = input + ((<usize>(b * inH + iy) * <usize>inW + <usize>ix) * <usize>cin);
        }
        store<u32>(slot, <u32>p);
        slot += <usize>(MR * 4);
      }
    }
  }
}
