// Reference int8 fully-connected layer written from QUANTIZATION.md §2:
//   acc[m][n] = bias[n] + sum_k (a[m][k] - zpIn) * (w[n][k] - zpW)   (int32, wrapping)
//   out[m][n] = clamp(zpOut + requant(acc, M0[n], shift[n]), qmin, qmax)
import { requantRef } from './requant.js';
import type { Rng } from './prng.js';

export interface OutputQuant {
  multipliers: Int32Array;
  shifts: Int32Array;
  zpOut: number;
  qmin: number;
  qmax: number;
}

/** One requantized output value of channel c. */
export function requantChannel(acc: number, c: number, q: OutputQuant): number {
  return requantRef(acc | 0, q.multipliers[c], q.shifts[c], q.zpOut, q.qmin, q.qmax);
}

/** a: int8 [m][lda] (first k used), w: int8 [n][k], bias: int32 [n] or null. Returns int8 [m][n]. */
export function gemmRef(
  a: Int8Array, m: number, k: number, lda: number, w: Int8Array, bias: Int32Array | null, n: number,
  zpIn: number, zpW: number, q: OutputQuant,
): Int8Array {
  const out = new Int8Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let acc = bias ? bias[j] : 0;
      for (let t = 0; t < k; t++) acc = (acc + (a[i * lda + t] - zpIn) * (w[j * k + t] - zpW)) | 0;
      out[i * n + j] = requantChannel(acc, j, q);
    }
  }
  return out;
}

// Random quantization parameters for the GEMM and conv kernel tests: per-channel multipliers from tiny to
// near 2^31 with shifts -31..30, zero points at the edges, random clamp bounds.
export function randomOutputQuant(rng: Rng, channels: number, k: number): OutputQuant {
  const multipliers = new Int32Array(channels), shifts = new Int32Array(channels);
  // A typical shift keeps outputs mostly in range for this K; extremes saturate or flush to zero.
  const typical = -Math.round(Math.log2(Math.max(1, k)) + 7);
  // A third of the layers have only negative shifts (real multipliers < 0.5, the kernels' fast path).
  const onlyNegative = rng.int(0, 2) === 0;
  for (let c = 0; c < channels; c++) {
    multipliers[c] = rng.pick([1 << 30, 2147483647, 1073741824 + rng.int(0, 1073741823), 1073741824 + rng.int(0, 1073741823), 0]);
    shifts[c] = onlyNegative
      ? (multipliers[c] === 0 ? 0 : rng.pick([typical, typical + rng.int(-3, 3), -31, -1, rng.int(-31, -1)]))
      : rng.pick([typical, typical, typical + rng.int(-3, 3), -31, 30, rng.int(-31, 30), 0, -1]);
  }
  const zpOut = rng.pick([-128, 0, 127, rng.int(-128, 127)]);
  let qmin = -128, qmax = 127;
  if (rng.int(0, 2) === 0) {
    const x = rng.int(-128, 127), y = rng.int(-128, 127);
    qmin = Math.min(x, y); qmax = Math.max(x, y);
  }
  return { multipliers, shifts, zpOut, qmin, qmax };
}

export function randomZeroPoint(rng: Rng): number {
  return rng.pick([-128, 0, 127, rng.int(-128, 127)]);
}

/** Weights: usually symmetric [-127, 127] with zpW = 0; sometimes legacy-uint8-like [-128, 127] with zpW != 0. */
export function randomWeightZeroPoint(rng: Rng): number {
  return rng.int(0, 2) === 0 ? rng.pick([-128, 127, rng.int(-128, 127), 1, -1]) : 0;
}
