// QuantizeMultiplier (QUANTIZATION.md §2): a positive real multiplier as a Q31 int32 M0 in [2^30, 2^31)
// and a power-of-two exponent, M = M0 * 2^(shift - 31). Shared by the runtime's prepare step and the converter.
import { WasmqError } from '../runtime/errors.js';

export interface FixedPointMultiplier {
  /** Q31 multiplier in [2^30, 2^31), or 0 when the real multiplier is 0 (or too small to matter). */
  multiplier: number;
  /** Power-of-two exponent in [-31, 30]: positive shifts left, negative rounds right. */
  shift: number;
}

const TWO_POW_31 = 2147483648;

/** Splits m into a fraction in [0.5, 1) and an exponent, exactly (as C's frexp). */
export function frexp(m: number): [number, number] {
  if (m === 0 || !Number.isFinite(m)) return [m, 0];
  let e = Math.max(-1073, Math.floor(Math.log2(Math.abs(m))) + 1);
  let q = m * 2 ** -e;
  // log2 can be off by one near powers of two: nudge into [0.5, 1).
  while (Math.abs(q) >= 1) { q /= 2; e += 1; }
  while (Math.abs(q) < 0.5) { q *= 2; e -= 1; }
  return [q, e];
}

export function quantizeMultiplier(real: number): FixedPointMultiplier {
  if (!(real >= 0) || !Number.isFinite(real)) {
    throw new WasmqError('BAD_MULTIPLIER', `requantization multiplier must be a finite number >= 0, got ${real}`);
  }
  if (real === 0) return { multiplier: 0, shift: 0 };
  let [q, shift] = frexp(real);
  // Math.round is half-up, which equals C's round (half away from zero) for these positive values.
  let m0 = Math.round(q * TWO_POW_31);
  if (m0 === TWO_POW_31) { m0 /= 2; shift += 1; }
  // Below 2^-31 of an LSB per accumulator unit the output is zero whatever the input: flush, as TFLite does.
  if (shift < -31) return { multiplier: 0, shift: 0 };
  if (shift > 30) {
    throw new WasmqError('BAD_MULTIPLIER', `requantization multiplier ${real} is too large (must be < 2^30)`);
  }
  return { multiplier: m0, shift };
}

/** Per-channel multipliers as the parallel Int32Arrays the kernels' params packer reads. */
export function quantizeMultipliers(reals: ArrayLike<number>): { multipliers: Int32Array; shifts: Int32Array } {
  const multipliers = new Int32Array(reals.length);
  const shifts = new Int32Array(reals.length);
  for (let i = 0; i < reals.length; i++) {
    const f = quantizeMultiplier(reals[i]);
    multipliers[i] = f.multiplier;
    shifts[i] = f.shift;
  }
  return { multipliers, shifts };
}
