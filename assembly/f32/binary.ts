// float32 Add and Mul, f32x4 SIMD: out = clamp(a op b, min, max) where b has a's n elements, is one scalar
// (bn = 1) or repeats along rows of bn (per-channel broadcast, n a multiple of bn). Clamp with pmin/pmax as
// the other f32 kernels (NaN is not propagated).
import { clamp } from "./gemm";

const ADD = 0;

// @ts-ignore: decorator
@inline
function apply(x: v128, y: v128, op: i32): v128 {
  return op == ADD ? f32x4.add(x, y) : f32x4.mul(x, y);
}

/** One row of `len` floats: b advancing with a (stride 4 bytes per element) or a splat scalar (bScalar). */
// @ts-ignore: decorator
@inline
function row(a: usize, b: usize, out: usize, len: i32, op: i32, bScalar: bool, vmin: v128, vmax: v128): void {
  const bs = bScalar ? v128.load32_splat(b) : f32x4.splat(0);
  let i = 0;
  for (; i + 4 <= len; i += 4) {
    const o = <usize>i << 2;
    v128.store(out + o, clamp(apply(v128.load(a + o), bScalar ? bs : v128.load(b + o), op), vmin, vmax));
  }
  for (; i < len; i++) {
    const o = <usize>i << 2;
    const y = bScalar ? load<f32>(b) : load<f32>(b + o);
    const v = apply(f32x4.splat(load<f32>(a + o)), f32x4.splat(y), op);
    store<f32>(out + o, f32x4.extract_lane(clamp(v, vmin, vmax), 0));
  }
}

/**
 * out[i] = clamp(a[i] op b[i mod bn], min, max) for i < n; op 0 = add, 1 = mul. bn = n (same shape), 1 (scalar)
 * or a divisor of n (per-channel rows). `out` may alias `a` but not `b` (unless b is `a` itself).
 */
export function f32Binary(a: usize, b: usize, out: usize, n: i32, bn: i32, op: i32, min: f32, max: f32): void {
  const vmin = f32x4.splat(min), vmax = f32x4.splat(max);
  if (bn == 1) {
    row(a, b, out, n, op, true, vmin, vmax);
    return;
  }
  for (let r = 0; r < n; r += bn) {
    const at = <usize>r << 2;
    row(a + at, b, out + at, bn, op, false, vmin, vmax);
  }
}
