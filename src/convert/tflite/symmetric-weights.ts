// Legacy uint8 TFLite weights carry a per-tensor zero point: real = s * (q - zp), with q - zp anywhere in
// [-255, 255]. For a runtime that takes only symmetric int8 weights, each output channel is rewritten as int8
// with zero point 0: channels whose q - zp already fit [-127, 127] keep their scale and values exactly; the
// others get the scale s * m / 127 (m = the channel's largest |q - zp|) and values round((q - zp) * s / s'),
// an error of at most half a new step per weight. Biases are re-expressed in the new accumulator units
// s_in * s'[c]. Returns a new Model (the input is not mutated) and how many channels were rescaled.
import type { Model, OpDef, TensorDef } from '../../format/model.js';
import { roundHalfAway } from '../../quant/affine.js';
import { ConvertError } from '../errors.js';

export interface SymmetricWeightsResult {
  model: Model;
  /** output channels whose weights could not be kept exactly */
  rescaledChannels: number;
  totalChannels: number;
}

export function symmetrizeUint8Weights(model: Model): SymmetricWeightsResult {
  const tensors = model.tensors.slice();
  const buffers = model.buffers.slice();
  const done = new Map<number, Float32Array>(); // weight tensor -> new per-channel scales
  const biasDone = new Map<number, string>();
  let rescaledChannels = 0, totalChannels = 0;

  for (const op of model.ops) {
    if (op.kind !== 'Conv2D' && op.kind !== 'DepthwiseConv2D' && op.kind !== 'FullyConnected') continue;
    const wi = op.inputs[1];
    const w = model.tensors[wi];
    if (w.dtype !== 'uint8') continue;
    const axis = op.kind === 'DepthwiseConv2D' ? w.shape.length - 1 : 0;
    let scales = done.get(wi);
    if (!scales) {
      const r = rewriteWeights(model, w, axis);
      scales = r.scales;
      rescaledChannels += r.rescaled;
      totalChannels += scales.length;
      tensors[wi] = { ...w, dtype: 'int8', quant: { scales, zeroPoints: new Int32Array(scales.length), axis: scales.length > 1 ? axis : -1 } };
      buffers[w.buffer!] = r.data;
      done.set(wi, scales);
    }
    const bi = op.inputs[2];
    if (bi !== undefined && bi >= 0) rewriteBias(model, op, bi, scales, tensors, buffers, biasDone);
  }
  return { model: { ...model, tensors, buffers }, rescaledChannels, totalChannels };
}

function rewriteWeights(model: Model, w: TensorDef, axis: number): { data: Uint8Array; scales: Float32Array; rescaled: number } {
  const src = model.buffers[w.buffer!];
  const q = w.quant!;
  if (q.scales.length !== 1) throw new ConvertError('BAD_QUANT', `uint8 weights '${w.name}' must be quantized per tensor`);
  const s = q.scales[0], zp = q.zeroPoints[0];
  const channels = w.shape[axis];
  const inner = w.shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  const channelOf = (i: number) => Math.floor(i / inner) % channels;
  const maxAbs = new Int32Array(channels);
  for (let i = 0; i < src.length; i++) {
    const c = channelOf(i);
    maxAbs[c] = Math.max(maxAbs[c], Math.abs(src[i] - zp));
  }
  const scales = new Float32Array(channels);
  let rescaled = 0;
  for (let c = 0; c < channels; c++) {
    if (maxAbs[c] <= 127) scales[c] = s;
    else { scales[c] = (s * maxAbs[c]) / 127; rescaled++; }
  }
  const data = new Uint8Array(src.length);
  const out = new Int8Array(data.buffer);
  for (let i = 0; i < src.length; i++) {
    const c = channelOf(i);
    const v = scales[c] === s ? src[i] - zp : roundHalfAway(((src[i] - zp) * s) / scales[c]);
    out[i] = Math.max(-127, Math.min(127, v));
  }
  return { data, scales, rescaled };
}

function rewriteBias(model: Model, op: OpDef, bi: number, wScales: Float32Array, tensors: TensorDef[], buffers: Uint8Array[], done: Map<number, string>): void {
  const b = model.tensors[bi];
  const sIn = model.tensors[op.inputs[0]].quant?.scales[0];
  const key = `${sIn}`;
  if (done.has(bi)) {
    if (done.get(bi) !== key) throw new ConvertError('BAD_QUANT', `bias '${b.name}' is shared by ops with different input scales`);
    return;
  }
  if (b.dtype !== 'int32' || b.buffer === undefined || !b.quant || sIn === undefined) {
    throw new ConvertError('BAD_QUANT', `bias '${b.name}' of op '${op.name ?? op.kind}' must be a quantized int32 constant`);
  }
  const src = model.buffers[b.buffer];
  const old = new Int32Array(new Uint8Array(src).buffer);
  const channels = old.length;
  const scales = new Float32Array(channels);
  const values = new Int32Array(channels);
  for (let c = 0; c < channels; c++) {
    const sw = wScales[wScales.length === 1 ? 0 : c];
    const oldScale = b.quant.scales[b.quant.scales.length === 1 ? 0 : c];
    scales[c] = sIn * sw;
    values[c] = Math.max(-2147483648, Math.min(2147483647, roundHalfAway((old[c] * oldScale) / scales[c])));
  }
  tensors[bi] = { ...b, quant: { scales, zeroPoints: new Int32Array(channels), axis: channels > 1 ? 0 : -1 } };
  buffers[b.buffer] = new Uint8Array(values.buffer);
  done.set(bi, key);
}
