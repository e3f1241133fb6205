// Reference requantization written from the definitions in QUANTIZATION.md §2, in BigInt so that no
// intermediate is ever rounded or wrapped except where the definition says so.
const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

/** Saturating rounding doubling high multiply: (a*b + nudge) / 2^31, dividing toward zero. */
export function srdhmRef(a: number, b: number): number {
  if (a === INT32_MIN && b === INT32_MIN) return INT32_MAX;
  const ab = BigInt(a) * BigInt(b);
  const nudge = ab >= 0n ? 1n << 30n : 1n - (1n << 30n);
  return Number((ab + nudge) / (1n << 31n)); // BigInt division truncates toward zero
}

/** Rounding divide by power of two, half away from zero. */
export function rdbpotRef(x: number, e: number): number {
  const mask = (1n << BigInt(e)) - 1n;
  const bx = BigInt(x);
  const rem = bx & mask;
  const threshold = (mask >> 1n) + (x < 0 ? 1n : 0n);
  return Number((bx >> BigInt(e)) + (rem > threshold ? 1n : 0n));
}

/**
 * out = clamp(zp + RDBPOT(SRDHM(acc * 2^max(shift,0), m0), max(-shift,0)), qmin, qmax).
 * The left shift is int32 arithmetic (it wraps, as TFLite's `x * (1 << left_shift)` does); the zero point
 * is added exactly, before the clamp.
 */
export function requantRef(acc: number, m0: number, shift: number, zp: number, qmin: number, qmax: number): number {
  const left = shift > 0 ? shift : 0;
  const right = shift < 0 ? -shift : 0;
  const shifted = Number(BigInt.asIntN(32, BigInt(acc) << BigInt(left)));
  const v = rdbpotRef(srdhmRef(shifted, m0), right) + zp;
  return Math.min(qmax, Math.max(qmin, v));
}

/** The gemmlowp edge set: 2^i + {-2..2} for every i, their negatives, and the int32 extremes. */
export function int32EdgeValues(): number[] {
  const set = new Set<number>([0, 1, -1, 2, -2, INT32_MIN, INT32_MIN + 1, INT32_MAX, INT32_MAX - 1]);
  for (let i = 0; i < 31; i++) {
    for (const d of [-2, -1, 0, 1, 2]) {
      const v = 2 ** i + d;
      if (v <= INT32_MAX) set.add(v);
      if (-v >= INT32_MIN) set.add(-v);
    }
  }
  set.add(INT32_MIN);
  return [...set].sort((a, b) => a - b);
}

/**
 * Least acc in [lo, hi] (default: the whole int32 range) whose reference output is >= level, by bisection:
 * requantized outputs are monotone in acc.
 */
export function firstAccReaching(level: number, m0: number, shift: number, zp: number, qmin: number, qmax: number, lo = -(2 ** 31), hi = 2 ** 31 - 1): number {
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (requantRef(mid, m0, shift, zp, qmin, qmax) >= level) hi = mid; else lo = mid + 1;
  }
  return lo;
}

/**
 * Per-channel (M0, shift) pairs inside the single-rounding f64 paths' range for any clamp (e <= 10), with the
 * edge multipliers 0, 2^30 and 2^31 - 1. `pick` / `int` as test/ref/prng.ts's Rng.
 */
export function randomF64Multipliers(rng: { pick<T>(xs: readonly T[]): T; int(lo: number, hi: number): number }, channels: number): { m0: Int32Array; shift: Int32Array } {
  const m0 = new Int32Array(channels), shift = new Int32Array(channels);
  for (let c = 0; c < channels; c++) {
    m0[c] = rng.pick([0, 1 << 30, 2147483647, 1073741824 + rng.int(0, 1073741823)]);
    shift[c] = rng.pick([-1, -2, -10, rng.int(-10, -1)]);
  }
  return { m0, shift };
}
