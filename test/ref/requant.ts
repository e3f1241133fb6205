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
