// Chooses the int8 parameters of every activation tensor of a float model from its calibrated range, with the
// constraints integer kernels impose: ops that only move values (pools, reshape, pad, max) keep their input's
// parameters, Concatenation's output covers all inputs, and functions with a fixed output range (softmax,
// logistic, tanh) use TFLite's fixed output parameters.
import type { Model } from '../../format/model.js';
import type { QuantParams } from '../../quant/affine.js';
import { activationParams } from '../../quant/affine.js';
import type { ClipRange } from '../calibrate/methods.js';
import { ConvertError } from '../errors.js';

/** Ops whose int8 output has exactly its input's scale and zero point. */
const SAME_AS_INPUT = new Set(['MaxPool2D', 'AveragePool2D', 'Reshape', 'Pad', 'Relu', 'Relu6']);

/** Output parameters fixed by the function's range (TFLite's conventions). */
const FIXED_OUTPUT: Record<string, QuantParams> = {
  Softmax: { scale: 1 / 256, zeroPoint: -128 },
  Logistic: { scale: 1 / 256, zeroPoint: -128 },
  Tanh: { scale: 1 / 128, zeroPoint: 0 },
};

/**
 * Parameters for every float32 activation tensor (graph inputs and op outputs), indexed by tensor.
 * `ranges[t]` is the calibrated clip range of tensor t; tensors the ops above constrain need none. `fixed`
 * parameters (imported from a quantized model) take the place of a range.
 */
export function chooseActivationParams(model: Model, ranges: ReadonlyMap<number, ClipRange>, fixed?: ReadonlyMap<number, QuantParams>): Map<number, QuantParams> {
  const params = new Map<number, QuantParams>();
  const fromRange = (t: number): QuantParams => {
    const given = fixed?.get(t);
    if (given) return given;
    const r = ranges.get(t);
    if (!r) {
      const why = fixed ? 'no imported quantization (no QuantizeLinear/DequantizeLinear pair follows it in the model)' : 'no calibrated range';
      throw new ConvertError('NO_RANGE', `tensor ${t} '${model.tensors[t].name}' has ${why}`);
    }
    return activationParams(r.lo, r.hi);
  };
  for (const t of model.inputs) params.set(t, fromRange(t));
  for (const op of model.ops) {
    const out = op.outputs[0];
    if (SAME_AS_INPUT.has(op.kind)) {
      params.set(out, params.get(op.inputs[0]) ?? fromRange(op.inputs[0]));
    } else if (FIXED_OUTPUT[op.kind]) {
      params.set(out, FIXED_OUTPUT[op.kind]);
    } else if (op.kind === 'Concatenation' && !fixed?.has(out)) {
      let lo = 0, hi = 0;
      for (const t of [...op.inputs, out]) {
        const r = ranges.get(t);
        if (r) { lo = Math.min(lo, r.lo); hi = Math.max(hi, r.hi); }
      }
      params.set(out, activationParams(lo, hi));
    } else {
      params.set(out, fromRange(out));
    }
  }
  return params;
}
