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

// @ts-ignore: decorator
@inline
function roundF64(acc: v128, r: v128, h: v128): v128 {
  const magic = f64x2.splat(6755399441055744.0); // 1.5 * 2^52: the sum's low 32 bits are the rounded integer
  const lo = f64x2.add(f64x2.add(f64x2.mul(f64x2.convert_low_i32x4_s(acc), r), h), magic);
  const hi = f64x2.add(f64x2.add(f64x2.mul(f64x2.convert_low_i32x4_s(v128.shuffle<i32>(acc, acc, 2, 3, 2, 3)), r), h), magic);
  return v128.shuffle<i32>(lo, hi, 0, 2, 4, 6);
}

/**
 * 16 outputs per iteration through wasmq's cheapest exact requantization (one f64 rounding, see
 * assembly/requant.ts requant4F64), then zero point, clamp and narrowing to int8: the per-output work every
 * int8 layer pays on top of its multiply-adds. Accumulators come from a cache-resident buffer.
 */
export function requantF64(p: usize, n: i32): i32 {
  const r = f64x2.splat(0.00123), h = f64x2.splat(0.5000001);
  const zp = i16x8.splat(-128), lo = i16x8.splat(-128), hi = i16x8.splat(127);
  let sink = i32x4.splat(0);
  for (let i = 0; i < n; i++) {
    const q = p + (<usize>(i & 63) << 6);
    const a = roundF64(v128.load(q), r, h), b = roundF64(v128.load(q, 16), r, h);
    const c = roundF64(v128.load(q, 32), r, h), d = roundF64(v128.load(q, 48), r, h);
    const ab = i16x8.min_s(i16x8.max_s(i16x8.add_sat_s(i16x8.narrow_i32x4_s(a, b), zp), lo), hi);
    const cd = i16x8.min_s(i16x8.max_s(i16x8.add_sat_s(i16x8.narrow_i32x4_s(c, d), zp), lo), hi);
    sink = v128.xor(sink, i8x16.narrow_i16x8_s(ab, cd));
  }
  return i32x4.extract_lane(sink, 0);
}

/**
 * MobileNetV2's mix in one loop: per iteration 88 dot_i16x8 (704 MACs) and 16 exact requantizations, i.e. 44 MACs
 * per output as the network has (301 M MACs over 6.7 M outputs), so the two kinds of work can overlap in the core
 * as they would in a perfect kernel.
 */
export function mixed(p: usize, n: i32): i32 {
  let a0 = i32x4.splat(0), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
  const w = v128.load(p, 4096), z = v128.load(p, 4112), u = v128.load(p, 4128), v = v128.load(p, 4144);
  const r = f64x2.splat(0.00123), h = f64x2.splat(0.5000001);
  const zp = i16x8.splat(-128), lo = i16x8.splat(-128), hi = i16x8.splat(127);
  let sink = i32x4.splat(0);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < 11; j++) {
      const q = p + (<usize>((i + j) & 63) << 5);
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
    const q = p + 2048 + (<usize>(i & 31) << 6);
    const a = roundF64(v128.load(q), r, h), b = roundF64(v128.load(q, 16), r, h);
    const c = roundF64(v128.load(q, 32), r, h), d = roundF64(v128.load(q, 48), r, h);
    const ab = i16x8.min_s(i16x8.max_s(i16x8.add_sat_s(i16x8.narrow_i32x4_s(a, b), zp), lo), hi);
    const cd = i16x8.min_s(i16x8.max_s(i16x8.add_sat_s(i16x8.narrow_i32x4_s(c, d), zp), lo), hi);
    sink = v128.xor(sink, i8x16.narrow_i16x8_s(ab, cd));
  }
  const s = i32x4.add(i32x4.add(i32x4.add(a0, a1), i32x4.add(a2, a3)), i32x4.add(i32x4.add(a4, a5), i32x4.add(a6, a7)));
  return i32x4.extract_lane(v128.xor(s, sink), 0);
}
