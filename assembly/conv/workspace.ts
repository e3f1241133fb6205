// A conv's workspace, one block the runtime allocates once per layer:
//   [ 16-byte header: the input pointer the indirection was built for ]
//   [ indirection buffer: ceil(M / MR) tiles x taps x MR i32 row pointers ]   (not for pointwise convs)
//   [ zpIn row: cin bytes (+ over-read slack) that padding taps point at ]  (not for pointwise convs)
//   [ corrections: M i32, only when zpW != 0 ]
// XNNPACK-style indirect GEMM: each output pixel's taps are pointers straight into the NHWC input, so no
// patch is ever copied; the table is rebuilt only when the input pointer changes.
import { MR } from "../gemm/layout";
import {
  field, outputPixels, convIsPointwise, BATCH, IN_H, IN_W, CIN, OUT_H, OUT_W, K_H, K_W,
  STRIDE_H, STRIDE_W, DIL_H, DIL_W, PAD_TOP, PAD_LEFT, ZP_IN, ZP_W,
} from "./descriptor";

const HEADER: usize = 16;

// @ts-ignore: decorator
@inline
function align16(n: usize): usize {
  return (n + 15) & ~(<usize>15);
}

// @ts-ignore: decorator
@inline
export function indirectionBytes(desc: usize): usize {
  if (convIsPointwise(desc)) return 0;
  const tiles = <usize>((outputPixels(desc) + MR - 1) / MR);
  return tiles * <usize>(field(desc, K_H) * field(desc, K_W)) * <usize>(MR * 4);
}

// @ts-ignore: decorator
@inline
export function zeroRowBytes(desc: usize): usize {
  return convIsPointwise(desc) ? 0 : align16(<usize>field(desc, CIN) + 16);
}

/** Where the zpIn row starts. */
// @ts-ignore: decorator
@inline
export function zeroRowAt(desc: usize, ws: usize): usize {
  return ws + HEADER + indirectionBytes(desc);
}

/** Where the corrections start (meaningful only when zpW != 0). */
// @ts-ignore: decorator
@inline
export function correctionsAt(desc: usize, ws: usize): usize {
  return zeroRowAt(desc, ws) + zeroRowBytes(desc);
}

/** Bytes of workspace a conv needs. */
export function convWorkspaceSize(desc: usize): usize {
  const corr: usize = field(desc, ZP_W) != 0 ? <usize>outputPixels(desc) << 2 : 0;
  return HEADER + indirectionBytes(desc) + zeroRowBytes(desc) + corr;
}

/**
 * Builds the indirection table for `input` (NHWC int8) into the workspace: call once when the input's address
 * is known; conv rebuilds it by itself if called with another input.
 */
export function convSetup(desc: usize, input: usize, ws: usize): void {
  store<u32>(ws, <u32>input);
  if (convIsPointwise(desc)) return;
  const cin = field(desc, CIN);
  const zero = zeroRowAt(desc, ws);
  memory.fill(zero, <u8>field(desc, ZP_IN), zeroRowBytes(desc));
  const batch = field(desc, BATCH), inH = field(desc, IN_H), inW = field(desc, IN_W);
  const outH = field(desc, OUT_H), outW = field(desc, OUT_W);
  const kH = field(desc, K_H), kW = field(desc, K_W);
  const sH = field(desc, STRIDE_H), sW = field(desc, STRIDE_W);
  const dH = field(desc, DIL_H), dW = field(desc, DIL_W);
  const padT = field(desc, PAD_TOP), padL = field(desc, PAD_LEFT);
  const taps = kH * kW;
  const ind = ws + HEADER;
  const pixels = outputPixels(desc);
  const tiles = (pixels + MR - 1) / MR;
  for (let m = 0; m < tiles * MR; m++) {
    // Lanes past the last pixel repeat it, so the tile's spare rows compute (and write) identical values.
    const pix = min(m, pixels - 1);
    const ox = pix % outW;
    const oy = (pix / outW) % outH;
    const b = pix / (outW * outH);
    let slot = ind + ((<usize>(m / MR) * <usize>taps) * <usize>MR + <usize>(m % MR)) * 4;
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
