// AssemblyScript source of the throughput probes (compiled by bench/bound/index.ts, never part of the product
// wasm). Each loop keeps 8 independent accumulator chains so that latency hides behind throughput, and loads
// only the two operands that change per iteration, so the loop measures the arithmetic, not memory.

/** 8 x (i32x4.dot_i16x8_s + i32x4.add) per iteration: 64 int8-style multiply-adds. */
export function dotI16(p: usize, n: i32): i32 {
  let a0 = i32x4.splat(0), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
  const w = v128.load(p, 4096), z = v128.load(p, 4112), u = v128.load(p, 4128), v = v128.load(p, 4144);
  for (let i = 0; i < n; i++) {
    const q = p + (<usize>(i & 63) << 5);
    const x = v128.load(q), y = v128.load(q, 16);
    a0 = i32x4.add(a0, i32x4.dot_i16x8_s(x, w));
    a1 = i32x4.add(a1, i32x4.dot_i16x8_s(x, z));
    a2 = i32x4.add(a2, i32x4.dot_i16x8_s(y, w));
    a3 = i32x4.add(a3, i32x4.dot_i16x8_s(y, z));
    a4 = i32x4.add(a4, i32x4.dot_i16x8_s(x, u));
    a5 = i32x4.add(a5, i32x4.dot_i16x8_s(y, u));
    a6 = i32x4.add(a6, i32x4.dot_i16x8_s(x, v));
    a7 = i32x4.add(a7, i32x4.dot_i16x8_s(y, v));
  }
  const s = i32x4.add(i32x4.add(i32x4.add(a0, a1), i32x4.add(a2, a3)), i32x4.add(i32x4.add(a4, a5), i32x4.add(a6, a7)));
  return i32x4.extract_lane(s, 0);
}

/** 8 x (f32x4.mul + f32x4.add) per iteration: 32 float multiply-adds (SIMD128 has no fused multiply-add). */
export function mulAddF32(p: usize, n: i32): f32 {
  let a0 = f32x4.splat(0), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
  const w = v128.load(p, 4096), z = v128.load(p, 4112), u = v128.load(p, 4128), v = v128.load(p, 4144);
  for (let i = 0; i < n; i++) {
    const q = p + (<usize>(i & 63) << 5);
    const x = v128.load(q), y = v128.load(q, 16);
    a0 = f32x4.add(a0, f32x4.mul(x, w));
    a1 = f32x4.add(a1, f32x4.mul(x, z));
    a2 = f32x4.add(a2, f32x4.mul(y, w));
    a3 = f32x4.add(a3, f32x4.mul(y, z));
    a4 = f32x4.add(a4, f32x4.mul(x, u));
    a5 = f32x4.add(a5, f32x4.mul(y, u));
    a6 = f32x4.add(a6, f32x4.mul(x, v));
    a7 = f32x4.add(a7, f32x4.mul(y, v));
  }
  const s = f32x4.add(f32x4.add(f32x4.add(a0, a1), f32x4.add(a2, a3)), f32x4.add(f32x4.add(a4, a5), f32x4.add(a6, a7)));
  return f32x4.extract_lane(s, 0);
}
