// The convolution descriptor shared by the depthwise kernels (int8 and f32) and the f32 conv: an i32 array in
// memory, written once at prepare time by src/runtime/kernels/dwconv.ts (writeConvDescriptor). NHWC tensors;
// bottom/right padding is implied by outH/outW. The int8 kernels also read the quantization fields.
export const D_BATCH = 0;
export const D_IN_H = 1;
export const D_IN_W = 2;
export const D_IN_C = 3;
export const D_OUT_H = 4;
export const D_OUT_W = 5;
export const D_OUT_C = 6;
export const D_K_H = 7;
export const D_K_W = 8;
export const D_STRIDE_H = 9;
export const D_STRIDE_W = 10;
export const D_DIL_H = 11;
export const D_DIL_W = 12;
export const D_PAD_TOP = 13;
export const D_PAD_LEFT = 14;
export const D_ZP_IN = 15;
export const D_ZP_OUT = 16;
export const D_QMIN = 17;
export const D_QMAX = 18;

// @ts-ignore: decorator
@inline
export function field(desc: usize, f: i32): i32 {
  return load<i32>(desc + (<usize>f << 2));
}

/** Taps rounded up to an even count: the int8 kernel consumes them in pairs. */
// @ts-ignore: decorator
@inline
export function tapSlots(taps: i32): i32 {
  return (taps + 1) & ~1;
}

/** Scratch bytes of the tap walker: two tap tables and one padding pixel of `channels` (plus over-read slack). */
export function tapScratchSize(taps: i32, channels: i32, elemBytes: i32): i32 {
  return 8 * tapSlots(taps) + ((channels + 15) & ~15) * elemBytes + 16;
}

/**
 * Scratch bytes of a multiplier-1 depthwise kernel: the tap walker's (tapScratchSize, a multiple of 16), then for
 * int8 three f64 rows per channel (int8.ts: the bias-folded requantization constants, at scratch + tapScratchSize).
 */
export function kernelScratchSize(taps: i32, channels: i32, elemBytes: i32): i32 {
  return tapScratchSize(taps, channels, elemBytes) + (elemBytes == 1 ? 24 * ((channels + 15) & ~15) : 0);
}

/**
 * Byte offsets of every tap from the first tap of an interior pixel, in (ky, kx) order; slots past the last
 * tap repeat it (their weights are zero).
 */
export function fillTapOffsets(desc: usize, table: usize, elemBytes: i32): void {
  const kh = field(desc, D_K_H), kw = field(desc, D_K_W);
  const pixel = field(desc, D_IN_C) * elemBytes;
  const rowStep = field(desc, D_DIL_H) * field(desc, D_IN_W) * pixel;
  const colStep = field(desc, D_DIL_W) * pixel;
  let t = 0;
  for (let ky = 0; ky < kh; ky++) {
    for (let kx = 0; kx < kw; kx++) {
      store<i32>(table + (<usize>t << 2), ky * rowStep + kx * colStep);
      t++;
    }
  }
  for (; t < tapSlots(kh * kw); t++) store<i32>(table + (<usize>t << 2), load<i32>(table + (<usize>(t - 1) << 2)));
}

// Per-call state of the tap walker (set by beginTaps / beginRow): kernels walk output pixels in order and ask
// pixelTaps(ox) for each pixel's tap table. Module globals, so the per-pixel fast path is a few compares.
let gDesc: usize = 0;
let gInput: usize = 0;
let gPixel: usize = 0;
let gOffsets: usize = 0;
let gBorder: usize = 0;
let gPadRow: usize = 0;
let gStrideW: usize = 0;
let gColLo: i32 = 0;
let gColHi: i32 = 0;
let gRowInside = false;
let gRowBase: usize = 0;
let gN: i32 = 0;
let gOy: i32 = 0;

/** The address the last pixelTaps table's entries are relative to (0 for absolute pointers). */
export let tapBase: usize = 0;

/**
 * Prepares the walker for one kernel call: `offsets` gets every tap's byte offset from an interior pixel's
 * first tap (fillTapOffsets), `border` receives border pixels' absolute pointers, padded taps pointing at
 * `padRow` (a pixel of zero points, or of zeros for f32).
 */
export function beginTaps(desc: usize, input: usize, elemBytes: i32, offsets: usize, border: usize, padRow: usize): void {
  fillTapOffsets(desc, offsets, elemBytes);
  gDesc = desc;
  gInput = input;
  gPixel = <usize>(field(desc, D_IN_C) * elemBytes);
  gOffsets = offsets;
  gBorder = border;
  gPadRow = padRow;
  const sw = field(desc, D_STRIDE_W), pl = field(desc, D_PAD_LEFT);
  gStrideW = <usize>sw * gPixel;
  // Interior columns: ox * sw - pl >= 0 and ox * sw - pl + (kW - 1) * dilW < inW.
  const last = field(desc, D_IN_W) - 1 - (field(desc, D_K_W) - 1) * field(desc, D_DIL_W) + pl;
  gColLo = (pl + sw - 1) / sw;
  gColHi = last < 0 ? 0 : last / sw + 1;
}

/** Starts output row oy of image n. */
export function beginRow(n: i32, oy: i32): void {
  const desc = gDesc;
  const inH = field(desc, D_IN_H);
  const iy0 = oy * field(desc, D_STRIDE_H) - field(desc, D_PAD_TOP);
  gN = n;
  gOy = oy;
  gRowInside = iy0 >= 0 && iy0 + (field(desc, D_K_H) - 1) * field(desc, D_DIL_H) < inH;
  // Address of the (possibly virtual) input pixel (iy0, -padLeft); only used for interior pixels.
  gRowBase = gInput + <usize>((n * inH + iy0) * field(desc, D_IN_W) - field(desc, D_PAD_LEFT)) * gPixel;
}

/** The tap table of output pixel (n, oy, ox) of the current row; sets tapBase. */
// @ts-ignore: decorator
@inline
export function pixelTaps(ox: i32): usize {
  if (gRowInside && ox >= gColLo && ox < gColHi) {
    tapBase = gRowBase + <usize>ox * gStrideW;
    return gOffsets;
  }
  tapBase = 0;
  return borderTaps(ox);
}

/** Address of input pixel (n, iy, 0) for tap row ky of the current row, or 0 when that row is padding. */
export function tapRow(ky: i32): usize {
  const desc = gDesc;
  const inH = field(desc, D_IN_H);
  const iy = gOy * field(desc, D_STRIDE_H) - field(desc, D_PAD_TOP) + ky * field(desc, D_DIL_H);
  if (iy < 0 || iy >= inH) return 0;
  return gInput + <usize>((gN * inH + iy) * field(desc, D_IN_W)) * gPixel;
}

/** Absolute tap pointers of a pixel whose window crosses the input's edge. */
function borderTaps(ox: i32): usize {
  const desc = gDesc;
  const inH = field(desc, D_IN_H), inW = field(desc, D_IN_W);
  const kh = field(desc, D_K_H), kw = field(desc, D_K_W);
  const dh = field(desc, D_DIL_H), dw = field(desc, D_DIL_W);
  const iy0 = gOy * field(desc, D_STRIDE_H) - field(desc, D_PAD_TOP);
  const ix0 = ox * field(desc, D_STRIDE_W) - field(desc, D_PAD_LEFT);
  const border = gBorder;
  let t = 0;
  for (let ky = 0; ky < kh; ky++) {
    const iy = iy0 + ky * dh;
    const rowOk = iy >= 0 && iy < inH;
    for (let kx = 0; kx < kw; kx++) {
      const ix = ix0 + kx * dw;
      const p = rowOk && ix >= 0 && ix < inW ? gInput + (<usize>((gN * inH + iy) * inW + ix)) * gPixel : gPadRow;
      store<usize>(border + (<usize>t << 2), p);
      t++;
    }
  }
  for (; t < tapSlots(kh * kw); t++) store<usize>(border + (<usize>t << 2), load<usize>(border + (<usize>(t - 1) << 2)));
  return border;
}
