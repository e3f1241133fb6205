// Float model + calibrated activation ranges → int8 model (QUANTIZATION.md §1–2): weights symmetric int8 per
// output channel (or per tensor, for comparison), int32 biases with scale s_in * s_w[c], activations
// asymmetric int8 per tensor. Graph inputs and outputs become int8 tensors: the runtime quantizes float feeds
// and dequantizes results at the edge. With `weightsOnly`, activations stay float32 and only the weights of
// Conv2D / DepthwiseConv2D / FullyConnected are stored as int8 (no calibration data needed).
import type { Model, TensorDef, Quantization, OpDef } from '../../format/model.js';
import type { QuantParams } from '../../quant/affine.js';
import { activationParams, quantizeBias, quantizeWeights, roundHalfAway } from '../../quant/affine.js';
import type { ClipRange } from '../calibrate/methods.js';
import { ConvertError } from '../errors.js';
import { chooseActivationParams } from './activation-params.js';
import { requantizeFixedWeights } from './fixed-weights.js';

export interface QuantizeOptions {
  /** one weight scale per output channel (default) or one per tensor */
  perChannel?: boolean;
  /** quantize only the weights; activations stay float32 */
  weightsOnly?: boolean;
  /** parameters imported from an already-quantized model, used instead of calibrated ranges and chosen scales */
  fixed?: FixedQuantization;
}

export interface FixedQuantization {
  /** per-tensor activation parameters by tensor index */
  activations: ReadonlyMap<number, QuantParams>;
  /** weight parameters (per tensor or per output channel) by op name */
  weights: ReadonlyMap<string, Quantization>;
}

const WEIGHTED = new Set(['Conv2D', 'DepthwiseConv2D', 'FullyConnected']);

export function quantizeModel(model: Model, ranges: ReadonlyMap<number, ClipRange>, options: QuantizeOptions = {}): Model {
  const perChannel = options.perChannel ?? true;
  const tensors: TensorDef[] = model.tensors.map((t) => ({ ...t, shape: [...t.shape] }));
  const buffers = model.buffers.slice();
  const done = new Set<number>();
  const floatConst = (t: number, op: OpDef): Float32Array => {
    const def = model.tensors[t];
    if (def.buffer === undefined || def.dtype !== 'float32') {
      throw new ConvertError('BAD_FLOAT_MODEL', `op '${op.name ?? op.kind}': tensor '${def.name}' must be a float32 constant`);
    }
    const bytes = model.buffers[def.buffer];
    return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  };
  const setConst = (t: number, data: Int8Array | Uint8Array | Int32Array, dtype: 'int8' | 'uint8' | 'int32', quant: Quantization | undefined) => {
    buffers[tensors[t].buffer!] = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    tensors[t] = { ...tensors[t], dtype, quant };
    done.add(t);
  };

  const act = options.weightsOnly ? new Map<number, QuantParams>() : chooseActivationParams(model, ranges, options.fixed?.activations);
  for (const [t, p] of act) {
    tensors[t] = { ...tensors[t], dtype: 'int8', quant: perTensor(p) };
  }

  for (const op of model.ops) {
    if (WEIGHTED.has(op.kind)) {
      const [x, w, b] = op.inputs;
      if (done.has(w)) throw new ConvertError('SHARED_WEIGHTS', `op '${op.name ?? op.kind}': weights '${model.tensors[w].name}' are shared with another op`);
      const shape = model.tensors[w].shape;
      const depthwise = op.kind === 'DepthwiseConv2D';
      const channels = depthwise ? shape[shape.length - 1] : shape[0];
      const given = op.name === undefined ? undefined : options.fixed?.weights.get(op.name);
      let q: { scales: Float32Array };
      if (given) {
        const r = requantizeFixedWeights(floatConst(w, op), shape, given, depthwise, model.tensors[w].name, `op '${op.name}'`);
        setConst(w, r.data, r.def.dtype as 'int8' | 'uint8', r.def.quant!);
        q = { scales: r.def.quant!.scales };
      } else {
        if (options.fixed) throw new ConvertError('NO_RANGE', `op '${op.name ?? op.kind}': weights '${model.tensors[w].name}' have no imported quantization`);
        const c = quantizeWeights(floatConst(w, op), channels, { perChannel, channelAxisLast: depthwise });
        setConst(w, c.data, 'int8', { scales: c.scales, zeroPoints: new Int32Array(channels), axis: depthwise ? shape.length - 1 : 0 });
        q = c;
      }
      if (b !== undefined && !options.weightsOnly) {
        const inScale = act.get(x)?.scale;
        if (inScale === undefined) throw new ConvertError('NO_RANGE', `op '${op.name ?? op.kind}': input '${model.tensors[x].name}' has no quantization`);
        // An int32 bias is in units of input scale x weight scale by definition (model.ts), so its scales are
        // not stored: they would repeat 4 bytes per channel that every reader derives.
        setConst(b, quantizeBias(floatConst(b, op), inScale, q.scales), 'int32', undefined);
      }
    } else if (!options.weightsOnly) {
      // Constant operands of element-wise ops (e.g. a batch-norm kept as Mul + Add): per-tensor int8 from their own range.
      for (const t of op.inputs) {
        if (model.tensors[t].buffer === undefined || done.has(t)) continue;
        const data = floatConst(t, op);
        let lo = 0, hi = 0;
        for (const v of data) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
        const p = activationParams(lo, hi);
        const q = new Int8Array(data.length);
        for (let i = 0; i < data.length; i++) q[i] = Math.max(-128, Math.min(127, roundHalfAway(data[i] / p.scale) + p.zeroPoint));
        setConst(t, q, 'int8', perTensor(p));
      }
    }
  }
  return compactBuffers({ ...model, tensors, buffers, metadata: { ...model.metadata } });
}

function perTensor(p: QuantParams): Quantization {
  return { scales: Float32Array.of(p.scale), zeroPoints: Int32Array.of(p.zeroPoint), axis: -1 };
}

/** Drops buffers no tensor references any more and renumbers the rest. */
function compactBuffers(model: Model): Model {
  const map = new Map<number, number>();
  const buffers: Uint8Array[] = [];
  const tensors = model.tensors.map((t) => {
    if (t.buffer === undefined) return t;
    let to = map.get(t.buffer);
    if (to === undefined) {
      to = buffers.length;
      map.set(t.buffer, to);
      buffers.push(model.buffers[t.buffer]);
    }
    return { ...t, buffer: to };
  });
  return { ...model, tensors, buffers };
}
