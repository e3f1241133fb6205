// Seeded PRNG for reproducible random tests (mulberry32): every failure reprints its seed.
export interface Rng {
  /** uniform uint32 */
  u32(): number;
  /** uniform float in [0, 1) */
  float(): number;
  /** uniform integer in [lo, hi] (inclusive) */
  int(lo: number, hi: number): number;
  pick<T>(items: readonly T[]): T;
  /** standard normal (Box-Muller) */
  normal(): number;
}

export function prng(seed: number): Rng {
  let s = seed >>> 0;
  const u32 = (): number => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
  const float = (): number => u32() / 4294967296;
  return {
    u32,
    float,
    int: (lo, hi) => lo + Math.floor(float() * (hi - lo + 1)),
    pick: (items) => items[Math.floor(float() * items.length)],
    normal: () => Math.sqrt(-2 * Math.log(1 - float())) * Math.cos(2 * Math.PI * float()),
  };
}

export function randomInt8(rng: Rng, n: number, lo = -128, hi = 127): Int8Array {
  const a = new Int8Array(n);
  for (let i = 0; i < n; i++) a[i] = rng.int(lo, hi);
  return a;
}

export function randomInt32(rng: Rng, n: number, lo: number, hi: number): Int32Array {
  const a = new Int32Array(n);
  for (let i = 0; i < n; i++) a[i] = rng.int(lo, hi);
  return a;
}

export function randomFloat32(rng: Rng, n: number, scale = 1): Float32Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = rng.normal() * scale;
  return a;
}
