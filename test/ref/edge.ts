// The TypeScript edge conversions sessions used before the wasm kernels took over (src/runtime/session.ts):
// the reference the kernel path must match byte for byte. float32 arithmetic as TFLite's reference
// Quantize/Dequantize.

/** round half away from zero */
function roundAway(x: number): number {
  return x < 0 ? -Math.round(-x) : Math.round(x);
}

/** q = clamp(round(x / scale) + zp, -128, 127); NaN maps to the zero point (real 0). */
export function quantizeToInt8(src: ArrayLike<number>, dst: Int8Array, scale: number, zeroPoint: number): void {
  const s = Math.fround(scale);
  for (let i = 0; i < dst.length; i++) {
    const r = roundAway(Math.fround(src[i] / s));
    const q = r !== r ? zeroPoint : r + zeroPoint;
    dst[i] = q < -128 ? -128 : q > 127 ? 127 : q;
  }
}

/** x = scale * (q - zp), rounded to float32. */
export function dequantizeInt8(src: Int8Array, dst: Float32Array, scale: number, zeroPoint: number): void {
  const s = Math.fround(scale);
  for (let i = 0; i < dst.length; i++) dst[i] = s * (src[i] - zeroPoint);
}

/** uint8 values into the int8 kernels' representation (q - 128) and back. */
export function uint8ToInt8(src: Uint8Array, dst: Int8Array): void {
  for (let i = 0; i < dst.length; i++) dst[i] = src[i] ^ 0x80;
}
