// float32 <-> 8-bit conversions, per tensor or per axis. The tensor is viewed as [outer, axisLen, inner] and
// slice a of the axis uses scales[a] (f32) and zeroPoints[a] (i32); per tensor is axisLen = 1.
//   Quantize:   q = clamp(round(x / scale) + zp, qmin, qmax), x / scale one f32 division (as TFLite's reference
//               and ONNX QuantizeLinear), round = half away from zero (mode 0, TFLite) or half to even (mode 1,
//               ONNX). NaN -> zp (real 0); +-Infinity saturate. qmin/qmax select int8 (-128..127) or uint8 (0..255).
//   Dequantize: x = f32(scale * (q - zp)), exact product rounded once (as TFLite's double-then-float).

/** Quantize float32 to int8/uint8 (see above). SIMD over `inner`. */
export function quantizeF32(
  input: usize, output: usize, outer: i32, axisLen: i32, inner: i32,
  scales: usize, zeroPoints: usize, qmin: i32, qmax: i32, mode: i32,
): void {
  let src = input, dst = output;
  for (let o = 0; o < outer; o++) {
    for (let a = 0; a < axisLen; a++) {
      const s = load<f32>(scales + (<usize>a << 2)), zp = load<i32>(zeroPoints + (<usize>a << 2));
      if (mode == 0) quantizeSlice(src, dst, inner, s, zp, qmin, qmax, false);
      else quantizeSlice(src, dst, inner, s, zp, qmin, qmax, true);
      src += <usize>inner << 2;
      dst += <usize>inner;
    }
  }
}

// @ts-ignore: decorator
@inline
function quantizeSlice(src: usize, dst: usize, n: i32, s: f32, zp: i32, qmin: i32, qmax: i32, even: bool): void {
  const vs = f32x4.splat(s), vzp = i32x4.splat(zp);
  // Bounds relative to the zero point, as floats (integers, exact).
  const lo = f32x4.splat(<f32>(qmin - zp)), hi = f32x4.splat(<f32>(qmax - zp));
  let i = 0;
  for (; i + 16 <= n; i += 16) {
    const p = src + (<usize>i << 2);
    const a = quantize4(v128.load(p), vs, lo, hi, vzp, even), b = quantize4(v128.load(p, 16), vs, lo, hi, vzp, even);
    const c = quantize4(v128.load(p, 32), vs, lo, hi, vzp, even), d = quantize4(v128.load(p, 48), vs, lo, hi, vzp, even);
    // Values are inside [qmin, qmax] already: the low byte of each lane is the result, int8 or uint8.
    const ab = i8x16.shuffle(a, b, 0, 4, 8, 12, 16, 20, 24, 28, 0, 0, 0, 0, 0, 0, 0, 0);
    const cd = i8x16.shuffle(c, d, 0, 4, 8, 12, 16, 20, 24, 28, 0, 0, 0, 0, 0, 0, 0, 0);
    v128.store(dst + <usize>i, i64x2.shuffle(ab, cd, 0, 2));
  }
  for (; i < n; i++) {
    const q = quantize4(f32x4.splat(load<f32>(src + (<usize>i << 2))), vs, lo, hi, vzp, even);
    store<u8>(dst + <usize>i, <u8>i32x4.extract_lane(q, 0));
  }
}

// @ts-ignore: decorator
@inline
function quantize4(x: v128, s: v128, lo: v128, hi: v128, zp: v128, even: bool): v128 {
  // Clamp before rounding: the bounds are integers, so rounding keeps the value inside them, infinities
  // become the bounds, and NaN survives f32x4.min/max to become 0 in trunc_sat (q = zp).
  const v = f32x4.min(f32x4.max(f32x4.div(x, s), lo), hi);
  let r: v128;
  if (even) {
    r = f32x4.nearest(v);
  } else {
    // Half away from zero: t = trunc(v) and f = v - t (exact, in (-1, 1)); trunc(2 f) is +-1, with the sign
    // of v, exactly when |f| >= 1/2, else 0.
    const t = f32x4.trunc(v);
    const f = f32x4.sub(v, t);
    r = f32x4.add(t, f32x4.trunc(f32x4.add(f, f)));
  }
  return i32x4.add(i32x4.trunc_sat_f32x4_s(r), zp);
}

/** Dequantize int8 (signed != 0) or uint8 to float32 (see above). SIMD over `inner`. */
export function dequantize8(
  input: usize, output: usize, outer: i32, axisLen: i32, inner: i32,
  scales: usize, zeroPoints: usize, signed: i32,
): void {
  let src = input, dst = output;
  for (let o = 0; o < outer; o++) {
    for (let a = 0; a < axisLen; a++) {
      const s = load<f32>(scales + (<usize>a << 2)), zp = load<i32>(zeroPoints + (<usize>a << 2));
      // uint8 is read as int8 after flipping the top bit, with the zero point shifted to match.
      const flip = signed != 0 ? 0 : 0x80;
      const vs = f32x4.splat(s), vzp = i16x8.splat(<i16>(zp - flip)), vflip = i8x16.splat(<i8>flip);
      let i = 0;
      for (; i + 16 <= inner; i += 16) {
        const v = v128.xor(v128.load(src + <usize>i), vflip);
        const x0 = i16x8.sub(i16x8.extend_low_i8x16_s(v), vzp), x1 = i16x8.sub(i16x8.extend_high_i8x16_s(v), vzp);
        const p = dst + (<usize>i << 2);
        v128.store(p, f32x4.mul(f32x4.convert_i32x4_s(i32x4.extend_low_i16x8_s(x0)), vs));
        v128.store(p, f32x4.mul(f32x4.convert_i32x4_s(i32x4.extend_high_i16x8_s(x0)), vs), 16);
        v128.store(p, f32x4.mul(f32x4.convert_i32x4_s(i32x4.extend_low_i16x8_s(x1)), vs), 32);
        v128.store(p, f32x4.mul(f32x4.convert_i32x4_s(i32x4.extend_high_i16x8_s(x1)), vs), 48);
      }
      for (; i < inner; i++) {
        const q = signed != 0 ? <i32>load<i8>(src + <usize>i) : <i32>load<u8>(src + <usize>i);
        store<f32>(dst + (<usize>i << 2), <f32>(q - zp) * s);
      }
      src += <usize>inner;
      dst += <usize>inner << 2;
    }
  }
}

/**
 * Dequantize int32 (e.g. biases, accumulators) to float32: x = f32(f64(scale) * f64(q - zp)), the difference
 * exact in f64, one f64 product, one rounding to f32 (TFLite's double arithmetic).
 */
export function dequantizeI32(
  input: usize, output: usize, outer: i32, axisLen: i32, inner: i32,
  scales: usize, zeroPoints: usize,
): void {
  let src = input, dst = output;
  for (let o = 0; o < outer; o++) {
    for (let a = 0; a < axisLen; a++) {
      const s = <f64>load<f32>(scales + (<usize>a << 2)), zp = <f64>load<i32>(zeroPoints + (<usize>a << 2));
      for (let i = 0; i < inner; i++) {
        store<f32>(dst + (<usize>i << 2), <f32>(s * (<f64>load<i32>(src + (<usize>i << 2)) - zp)));
      }
      src += <usize>inner << 2;
      dst += <usize>inner << 2;
    }
  }
}
