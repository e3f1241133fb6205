// 8-bit weights with parameters given by the model (ONNX QDQ / QOperator) instead of chosen by wasmq, in a form
// the kernels take exactly: symmetric (zero points 0), or uint8 with one per-tensor zero point (the kernels
// fold it, QUANTIZATION.md §2).
import type { Quantization, TensorDef } from '../../format/model.js';
import { ConvertError } from '../errors.js';

/**
 * int8 with a per-tensor zero point z becomes uint8 q + 128 with zero point z + 128 (the same real values);
 * uint8 per channel with every zero point 128 becomes symmetric int8 q - 128. Anything else is refused.
 */
export function foldableWeights(name: string, shape: number[], data: Int8Array | Uint8Array, q: Quantization, where: string): { def: TensorDef; data: Int8Array | Uint8Array } {
  const uint8 = data instanceof Uint8Array;
  if (q.zeroPoints.every((z) => z === 0) && !uint8) return { def: { name, shape, dtype: 'int8', quant: q }, data };
  if (q.zeroPoints.length === 1) {
    if (uint8) return { def: { name, shape, dtype: 'uint8', quant: q }, data };
    return { def: { name, shape, dtype: 'uint8', quant: { ...q, zeroPoints: Int32Array.of(q.zeroPoints[0] + 128) } }, data: Uint8Array.from(data, (v) => v + 128) };
  }
  if (uint8 && q.zeroPoints.every((z) => z === 128)) {
    return { def: { name, shape, dtype: 'int8', quant: { ...q, zeroPoints: new Int32Array(q.zeroPoints.length) } }, data: Int8Array.from(data, (v) => v - 128) };
  }
  throw new ConvertError('BAD_QUANT', `${where}: weights '${name}' have per-channel zero points that are not all 0 (int8) or 128 (uint8); wasmq folds only one weight zero point per tensor`);
}

/**
 * Float weights that are exactly scale * (q - zp) (dequantized from the model's own 8-bit weights) back to
 * their integers with the given per-tensor or per-output-channel parameters. `channelAxisLast`: the output
 * channel is the last dimension (depthwise 1HWC), else the first. Values off the grid (a pass changed them,
 * e.g. Gemm's alpha) are refused rather than silently re-rounded.
 */
export function requantizeFixedWeights(w: Float32Array, shape: number[], q: Quantization, channelAxisLast: boolean, name: string, where: string): { def: TensorDef; data: Int8Array | Uint8Array } {
  const channels = channelAxisLast ? shape[shape.length - 1] : shape[0];
  const perChannel = q.scales.length > 1;
  if (perChannel && q.scales.length !== channels) throw new ConvertError('BAD_QUANT', `${where}: ${q.scales.length} weight scales for ${channels} output channels`);
  const inner = w.length / channels;
  const values = new Int32Array(w.length);
  let lo = 0, hi = 0;
  for (let i = 0; i < w.length; i++) {
    const c = perChannel ? (channelAxisLast ? i % channels : Math.floor(i / inner)) : 0;
    const r = w[i] / q.scales[c];
    const k = Math.round(r);
    if (Math.abs(r - k) > 1e-3) throw new ConvertError('BAD_QUANT', `${where}: weights '${name}' are not on their imported quantization grid (a pass changed them); refusing to re-round`);
    values[i] = k + q.zeroPoints[c];
    lo = Math.min(lo, values[i]);
    hi = Math.max(hi, values[i]);
  }
  const axis = perChannel ? (channelAxisLast ? shape.length - 1 : 0) : -1;
  const fits = (a: number, b: number) => lo >= a && hi <= b && q.zeroPoints.every((z) => z >= a && z <= b);
  const data = fits(-128, 127) ? Int8Array.from(values) : fits(0, 255) ? Uint8Array.from(values) : undefined;
  if (!data) throw new ConvertError('BAD_QUANT', `${where}: weights '${name}' do not fit 8 bits with their zero points`);
  return foldableWeights(name, shape, data, { ...q, axis }, where);
}
