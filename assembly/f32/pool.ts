// float32 MaxPool2D / AveragePool2D over NHWC, f32x4 SIMD over channels (scalar lanes for the last C mod 4),
// and an elementwise clamp (Relu, Relu6, and the clamp of a fused activation). Windows are clipped to the
// input and the average divides by the cells left (padding excluded, as TFLite). Geometry: the pool family's
// 12-i32 descriptor [batch, inH, inW, channels, outH, outW, filterH, filterW, strideH, strideW, padTop, padLeft];
// every window holds at least one input cell (checked in TS).
import { clamp } from "./gemm";

// @ts-ignore: decorator
@inline
function combine(acc: v128, x: v128, average: bool): v128 {
  return average ? f32x4.add(acc, x) : f32x4.max(acc, x);
}

// @ts-ignore: decorator
@inline
function pool(input: usize, output: usize, geom: usize, min: f32, max: f32, average: bool): void {
  const batch = load<i32>(geom), inH = load<i32>(geom, 4), inW = load<i32>(geom, 8), C = load<i32>(geom, 12);
  const outH = load<i32>(geom, 16), outW = load<i32>(geom, 20), fH = load<i32>(geom, 24), fW = load<i32>(geom, 28);
  const sH = load<i32>(geom, 32), sW = load<i32>(geom, 36), padT = load<i32>(geom, 40), padL = load<i32>(geom, 44);
  const vmin = f32x4.splat(min), vmax = f32x4.splat(max);
  const pixel = <usize>C << 2;
  const inRow = <usize>inW * pixel;
  let dst = output;
  for (let n = 0; n < batch; n++) {
    const image = input + <usize>n * <usize>inH * inRow;
    for (let oy = 0; oy < outH; oy++) {
      const y0 = oy * sH - padT;
      const ya = y0 > 0 ? y0 : 0, yb = y0 + fH < inH ? y0 + fH : inH;
      for (let ox = 0; ox < outW; ox++) {
        const x0 = ox * sW - padL;
        const xa = x0 > 0 ? x0 : 0, xb = x0 + fW < inW ? x0 + fW : inW;
        const first = image + <usize>ya * inRow + <usize>xa * pixel;
        const scale = f32x4.splat(average ? <f32>1 / <f32>((yb - ya) * (xb - xa)) : <f32>1);
        let c = 0;
        for (; c + 4 <= C; c += 4) {
          const off = <usize>c << 2;
          let acc = v128.load(first + off);
          for (let y = ya; y < yb; y++) {
            const rowAt = image + <usize>y * inRow + off;
            for (let x = y == ya ? xa + 1 : xa; x < xb; x++) acc = combine(acc, v128.load(rowAt + <usize>x * pixel), average);
          }
          if (average) acc = f32x4.mul(acc, scale);
          v128.store(dst + off, clamp(acc, vmin, vmax));
        }
        for (; c < C; c++) {
          const off = <usize>c << 2;
          let acc = f32x4.splat(load<f32>(first + off));
          for (let y = ya; y < yb; y++) {
            const rowAt = image + <usize>y * inRow + off;
            for (let x = y == ya ? xa + 1 : xa; x < xb; x++) acc = combine(acc, f32x4.splat(load<f32>(rowAt + <usize>x * pixel)), average);
          }
          if (average) acc = f32x4.mul(acc, scale);
          store<f32>(dst + off, f32x4.extract_lane(clamp(acc, vmin, vmax), 0));
        }
        dst += pixel;
      }
    }
  }
}

/** out = clamp(max over the window's valid cells, min, max). */
export function f32MaxPool2d(input: usize, output: usize, geom: usize, min: f32, max: f32): void {
  pool(input, output, geom, min, max, false);
}

/** out = clamp(sum over the window's valid cells / their count, min, max). */
export function f32AveragePool2d(input: usize, output: usize, geom: usize, min: f32, max: f32): void {
  pool(input, output, geom, min, max, true);
}

/** out[i] = clamp(x[i], min, max) for i < n (Relu: [0, inf), Relu6: [0, 6]). `out` may alias `x`. */
export function f32Clamp(x: usize, out: usize, n: i32, min: f32, max: f32): void {
  const vmin = f32x4.splat(min), vmax = f32x4.splat(max);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(out + o, clamp(v128.load(x + o), vmin, vmax));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(out + o, f32x4.extract_lane(clamp(f32x4.splat(load<f32>(x + o)), vmin, vmax), 0));
  }
}
