// Affine quantization parameters (QUANTIZATION.md §1): real = scale * (q - zero_point).
import { WasmqError } from '../runtime/errors.js';

export interface QuantParams {
  scale: number;
  zeroPoint: number;
}

export type IntType = 'int8' | 'uint8';

export const INT_RANGE: Record<IntType, { qmin: number; qmax: number }> = {
  int8: { qmin: -128, qmax: 127 },
  uint8: { qmin: 0, qmax: 255 },
};

/** Round half away from zero, as C's round() and TFLite do. */
export function roundHalfAway(x: number): number {
  return x < 0 ? -Math.round(-x) : Math.round(x);
}

/**
 * Asymmetric per-tensor parameters for an activation whose values span [lo, hi]. The range is widened to
 * contain 0 so that real 0 (padding, ReLU's floor) is exactly representable.
 */
export function activationParams(lo: number, hi: number, type: IntType = 'int8'): QuantParams {
  if (!Number.isFinite(lo) || !Number.isFinite(hi) || lo > hi) {
    throw new WasmqError('BAD_RANGE', `activation range [${lo}, ${hi}] is not a finite interval`);
  }
  const { qmin, qmax } = INT_RANGE[type];
  const min = Math.min(lo, 0), max = Math.max(hi, 0);
  // An all-zero tensor: any scale represents it; pick one that keeps multipliers well inside range.
  if (max - min === 0) return { scale: 1, zeroPoint: type === 'int8' ? 0 : qmin };
  const scale = (max - min) / (qmax - qmin);
  const zeroPoint = Math.min(qmax, Math.max(qmin, roundHalfAway(qmin - min / scale)));
  return { scale, zeroPoint };
}

export interface QuantizedWeights {
  data: Int8Array;
  scales: Float32Array;
}

/**
 * Symmetric int8 weights in [-127, 127], one scale per slice along axis 0 (the output channel of OHWI,
 * [N, K] and 1HWC' laid out channel-last: pass `channelAxisLast` for depthwise weights), or one for all.
 */
export function quantizeWeights(w: Float32Array, channels: number, opts: { perChannel?: boolean; channelAxisLast?: boolean } = {}): QuantizedWeights {
  const perChannel = opts.perChannel ?? true;
  const inner = w.length / channels;
  if (!Number.isInteger(inner)) throw new WasmqError('BAD_WEIGHTS', `${w.length} weights do not split into ${channels} channels`);
  const channelOf = opts.channelAxisLast ? (i: number) => i % channels : (i: number) => Math.floor(i / inner);
  const absMax = new Float64Array(channels);
  for (let i = 0; i < w.length; i++) {
    const c = channelOf(i);
    const a = Math.abs(w[i]);
    if (!Number.isFinite(a)) throw new WasmqError('BAD_WEIGHTS', `weight ${i} is not finite`);
    if (a > absMax[c]) absMax[c] = a;
  }
  if (!perChannel) absMax.fill(absMax.reduce((a, b) => Math.max(a, b), 0));
  const scales = new Float32Array(channels);
  for (let c = 0; c < channels; c++) scales[c] = absMax[c] > 0 ? absMax[c] / 127 : 1;
  const data = new Int8Array(w.length);
  for (let i = 0; i < w.length; i++) {
    const q = roundHalfAway(w[i] / scales[channelOf(i)]);
    data[i] = Math.max(-127, Math.min(127, q));
  }
  return { data, scales };
}

/** int32 bias with scale s_in * s_w[c] and zero point 0, saturated to the int32 range. */
export function quantizeBias(b: ArrayLike<number>, inputScale: number, weightScales: ArrayLike<number>): Int32Array {
  const out = new Int32Array(b.length);
  for (let c = 0; c < b.length; c++) {
    const s = inputScale * weightScales[weightScales.length === 1 ? 0 : c];
    const q = roundHalfAway(b[c] / s);
    out[c] = Math.max(-2147483648, Math.min(2147483647, q));
  }
  return out;
}
