// MaxPool2D and AveragePool2D over NHWC int8, SIMD over channels (16 per vector, partial store for the rest).
// Input and output share scale and zero point, so no requantization: max of int8 values (quantization is
// monotonic) and the integer average, both clamped to the fused activation range [qmin, qmax].
// Padded cells are excluded: each window is clipped to the input and the average divides by the number of
// cells left (TFLite). Geometry comes as a descriptor of 12 i32 (see PoolGeometry in src/runtime/kernels/pool.ts):
//   [batch, inH, inW, channels, outH, outW, filterH, filterW, strideH, strideW, padTop, padLeft]
// Bottom/right padding is implied by outH/outW. Every window must hold at least one input cell (checked in TS).
import { packClamp16 } from "../requant";
import { storeTail } from "../elementwise/vec";
import { windowSum16, sum0, sum1, sum2, sum3 } from "./window-sum";

/** Max pooling: out = clamp(max over the window's valid cells). */
export function maxPool2d(input: usize, output: usize, geom: usize, qmin: i32, qmax: i32): void {
  pool2d(input, output, geom, qmin, qmax, false);
}

/** Average pooling: out = clamp(round_half_away(sum / count)) over the window's valid cells. */
export function averagePool2d(input: usize, output: usize, geom: usize, qmin: i32, qmax: i32): void {
  pool2d(input, output, geom, qmin, qmax, true);
}

// @ts-ignore: decorator
@inline
// `average` is a constant at both call sites, so inlining removes the branch.
function pool2d(input: usize, output: usize, geom: usize, qmin: i32, qmax: i32, average: bool): void {
  const batch = load<i32>(geom), inH = load<i32>(geom, 4), inW = load<i32>(geom, 8), C = load<i32>(geom, 12);
  const outH = load<i32>(geom, 16), outW = load<i32>(geom, 20), fH = load<i32>(geom, 24), fW = load<i32>(geom, 28);
  const sH = load<i32>(geom, 32), sW = load<i32>(geom, 36), padT = load<i32>(geom, 40), padL = load<i32>(geom, 44);
  const pixel = <usize>C;
  const inRow = <usize>inW * pixel;
  for (let n = 0; n < batch; n++) {
    const image = input + <usize>n * <usize>inH * inRow;
    for (let oy = 0; oy < outH; oy++) {
      const y0 = oy * sH - padT;
      const ya = max(y0, 0), yb = min(y0 + fH, inH);
      for (let ox = 0; ox < outW; ox++) {
        const x0 = ox * sW - padL;
        const xa = max(x0, 0), xb = min(x0 + fW, inW);
        const cell = image + <usize>ya * inRow + <usize>xa * pixel;
        const dst = output + (<usize>((n * outH + oy) * outW + ox)) * pixel;
        if (!average) maxWindow(cell, yb - ya, inRow, xb - xa, pixel, dst, C, qmin, qmax);
        else averageWindow(cell, yb - ya, inRow, xb - xa, pixel, dst, C, qmin, qmax);
      }
    }
  }
}

// @ts-ignore: decorator
@inline
function maxWindow(cell: usize, rows: i32, rowStride: usize, cols: i32, colStride: usize, dst: usize, C: i32, qmin: i32, qmax: i32): void {
  const lo = i8x16.splat(<i8>qmin), hi = i8x16.splat(<i8>qmax);
  for (let c = 0; c < C; c += 16) {
    let m = i8x16.splat(-128);
    for (let r = 0; r < rows; r++) {
      let p = cell + <usize>r * rowStride + <usize>c;
      for (let x = 0; x < cols; x++) {
        m = i8x16.max_s(m, v128.load(p));
        p += colStride;
      }
    }
    m = i8x16.min_s(i8x16.max_s(m, lo), hi);
    if (c + 16 <= C) v128.store(dst + <usize>c, m);
    else storeTail(dst + <usize>c, m, C - c);
  }
}

// @ts-ignore: decorator
@inline
function averageWindow(cell: usize, rows: i32, rowStride: usize, cols: i32, colStride: usize, dst: usize, C: i32, qmin: i32, qmax: i32): void {
  const count = rows * cols;
  const zero = i16x8.splat(0), lo = i16x8.splat(<i16>qmin), hi = i16x8.splat(<i16>qmax);
  for (let c = 0; c < C; c += 16) {
    windowSum16(cell + <usize>c, rows, rowStride, cols, colStride);
    const m = packClamp16(
      divRound(sum0, count), divRound(sum1, count), divRound(sum2, count), divRound(sum3, count),
      zero, lo, hi,
    );
    if (c + 16 <= C) v128.store(dst + <usize>c, m);
    else storeTail(dst + <usize>c, m, C - c);
  }
}

/**
 * Integer division rounding half away from zero, as TFLite: (s > 0 ? s + count/2 : s - count/2) / count,
 * truncating. In f32 this is exact for count <= 2^16: |s| + count/2 < 2^24 converts exactly, and a non-integer
 * quotient q (|q| <= 129) lies at least 1/count > half an f32 ulp (<= 2^-17) away from an integer, so f32
 * division then truncation cannot cross one. Bigger windows take the integer path.
 */
// @ts-ignore: decorator
@inline
function divRound(s: v128, count: i32): v128 {
  const half = count >> 1;
  if (count <= 65536) {
    const biased = i32x4.add(s, v128.bitselect(i32x4.splat(half), i32x4.splat(-half), i32x4.gt_s(s, i32x4.splat(0))));
    return i32x4.trunc_sat_f32x4_s(f32x4.div(f32x4.convert_i32x4_s(biased), f32x4.splat(<f32>count)));
  }
  let r = s;
  r = i32x4.replace_lane(r, 0, divRoundOne(i32x4.extract_lane(s, 0), count, half));
  r = i32x4.replace_lane(r, 1, divRoundOne(i32x4.extract_lane(s, 1), count, half));
  r = i32x4.replace_lane(r, 2, divRoundOne(i32x4.extract_lane(s, 2), count, half));
  r = i32x4.replace_lane(r, 3, divRoundOne(i32x4.extract_lane(s, 3), count, half));
  return r;
}

// @ts-ignore: decorator
@inline
function divRoundOne(s: i32, count: i32, half: i32): i32 {
  return (s > 0 ? s + half : s - half) / count;
}
