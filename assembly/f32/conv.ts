// float32 conv2d, NHWC input, OHWI weights packed by f32GemmPack as W[outC][kH*kW*inC]. A 1x1 kernel without
// padding is a GEMM straight over the input rows (strided when the stride is > 1); every other geometry
// gathers blocks of output pixels into an im2col scratch ([pixels][kH*kW*inC], padded taps = 0) and runs the
// same GEMM on each block.
import {
  field, D_BATCH, D_IN_H, D_IN_W, D_IN_C, D_OUT_H, D_OUT_W, D_OUT_C, D_K_H, D_K_W,
  D_STRIDE_H, D_STRIDE_W, D_DIL_H, D_DIL_W, D_PAD_TOP, D_PAD_LEFT,
} from "../dwconv/geometry";
import { f32Gemm } from "./gemm";

/** Output pixels per im2col block: about 64 KiB of scratch, a multiple of the GEMM's 4 rows. */
// @ts-ignore: decorator
@inline
function blockPixels(k: i32): i32 {
  const b = (16384 / k) & ~3;
  return b < 4 ? 4 : b > 256 ? 256 : b;
}

/** Scratch bytes f32Conv needs for this descriptor (0 when it runs as a plain GEMM). */
export function f32ConvScratchSize(desc: usize): i32 {
  const k = field(desc, D_K_H) * field(desc, D_K_W) * field(desc, D_IN_C);
  return blockPixels(k) * k * 4;
}

// @ts-ignore: decorator
@inline
function copyF32(dst: usize, src: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(dst + (<usize>i << 2), v128.load(src + (<usize>i << 2)));
  for (; i < n; i++) store<f32>(dst + (<usize>i << 2), load<f32>(src + (<usize>i << 2)));
}

/** One im2col row: the kH*kW*inC inputs of output pixel (n, oy, ox), zeros for padded taps. */
function gatherPixel(desc: usize, input: usize, dst: usize, n: i32, oy: i32, ox: i32): void {
  const inH = field(desc, D_IN_H), inW = field(desc, D_IN_W), inC = field(desc, D_IN_C);
  const kh = field(desc, D_K_H), kw = field(desc, D_K_W);
  const dh = field(desc, D_DIL_H), dw = field(desc, D_DIL_W);
  const iy0 = oy * field(desc, D_STRIDE_H) - field(desc, D_PAD_TOP);
  const ix0 = ox * field(desc, D_STRIDE_W) - field(desc, D_PAD_LEFT);
  const tapBytes = <usize>inC << 2;
  const rowSpan = (kw - 1) * dw;
  let d = dst;
  for (let ky = 0; ky < kh; ky++) {
    const iy = iy0 + ky * dh;
    const rowOk = iy >= 0 && iy < inH;
    if (rowOk && dw == 1 && ix0 >= 0 && ix0 + rowSpan < inW) {
      // The row's taps are adjacent input pixels: one copy.
      copyF32(d, input + <usize>((n * inH + iy) * inW + ix0) * tapBytes, kw * inC);
      d += <usize>kw * tapBytes;
      continue;
    }
    for (let kx = 0; kx < kw; kx++) {
      const ix = ix0 + kx * dw;
      if (rowOk && ix >= 0 && ix < inW) {
        copyF32(d, input + <usize>((n * inH + iy) * inW + ix) * tapBytes, inC);
      } else {
        memory.fill(d, 0, tapBytes);
      }
      d += tapBytes;
    }
  }
}

/**
 * NHWC f32 conv2d: out = clamp(conv(x, W) + bias, min, max). `desc`: the conv descriptor (its quantization
 * fields are ignored); `packed`: f32GemmPack(outC, kH*kW*inC) of the OHWI weights; `scratch`:
 * f32ConvScratchSize(desc) bytes.
 */
export function f32Conv(desc: usize, input: usize, output: usize, packed: usize, scratch: usize, min: f32, max: f32): void {
  const batch = field(desc, D_BATCH), inH = field(desc, D_IN_H), inW = field(desc, D_IN_W), inC = field(desc, D_IN_C);
  const outH = field(desc, D_OUT_H), outW = field(desc, D_OUT_W), outC = field(desc, D_OUT_C);
  const sh = field(desc, D_STRIDE_H), sw = field(desc, D_STRIDE_W);
  const k = field(desc, D_K_H) * field(desc, D_K_W) * inC;
  const pointwise = field(desc, D_K_H) == 1 && field(desc, D_K_W) == 1 && field(desc, D_PAD_TOP) == 0 && field(desc, D_PAD_LEFT) == 0
    && (outH - 1) * sh < inH && (outW - 1) * sw < inW;
  if (pointwise) {
    if (sh == 1 && sw == 1 && outW == inW && outH == inH) {
      f32Gemm(input, inC, packed, output, outC, batch * outH * outW, outC, k, min, max);
      return;
    }
    for (let n = 0; n < batch; n++) {
      for (let oy = 0; oy < outH; oy++) {
        const a = input + <usize>((n * inH + oy * sh) * inW) * (<usize>inC << 2);
        const c = output + <usize>((n * outH + oy) * outW) * (<usize>outC << 2);
        f32Gemm(a, inC * sw, packed, c, outC, outW, outC, k, min, max);
      }
    }
    return;
  }
  const block = blockPixels(k);
  const total = batch * outH * outW;
  const rowBytes = <usize>k << 2;
  for (let p0 = 0; p0 < total; p0 += block) {
    const count = total - p0 < block ? total - p0 : block;
    let p = p0;
    let ox = p % outW, oy = (p / outW) % outH, n = p / (outW * outH);
    for (let i = 0; i < count; i++) {
      gatherPixel(desc, input, scratch + <usize>i * rowBytes, n, oy, ox);
      if (++ox == outW) {
        ox = 0;
        if (++oy == outH) {
          oy = 0;
          n++;
        }
      }
    }
    f32Gemm(scratch, k, packed, output + <usize>p0 * (<usize>outC << 2), outC, count, outC, k, min, max);
  }
}
