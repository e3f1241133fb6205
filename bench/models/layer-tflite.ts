// A one-conv wasmq int8 model as a .tflite for LiteRT.js (same weights, scales and zero points; TFLite's
// layouts are wasmq's: OHWI, depthwise 1HWC). LiteRT.js has no int8 tensors at its API, so the graph is
// float32 input -> QUANTIZE -> CONV_2D / DEPTHWISE_CONV_2D (int8, per-channel) -> DEQUANTIZE -> float32 output,
// and its time includes those two conversions (XNNPACK runs them; uint8 <-> int8 QUANTIZE ops instead fall
// back to slow reference kernels and took ~3 ms here).
import type { Model, Quantization } from '../../src/format/model.js';
import { biasQuantization } from '../../src/format/bias-quant.js';
import { buildTflite, type SpecTensor } from '../../test/convert/tflite/build-tflite.js';

const FLOAT32 = 0, INT8 = 9, INT32 = 2;
const QUANTIZE = 114, DEQUANTIZE = 6, CONV_2D = 3, DEPTHWISE_CONV_2D = 4;
const RELU6 = 3, SAME = 0;

export function convLayerTflite(model: Model): Uint8Array {
  const op = model.ops.find((o) => o.kind === 'Conv2D' || o.kind === 'DepthwiseConv2D');
  if (!op || (op.kind !== 'Conv2D' && op.kind !== 'DepthwiseConv2D')) throw new Error('convLayerTflite: no convolution in the model');
  const [x, w, b] = op.inputs.map((t) => model.tensors[t]);
  const y = model.tensors[op.outputs[0]];
  const act = (t: typeof x): SpecTensor => ({ name: t.name, shape: t.shape, type: INT8, scale: [t.quant!.scales[0]], zeroPoint: [t.quant!.zeroPoints[0]] });
  const float = (t: typeof x): SpecTensor => ({ name: `${t.name}_float`, shape: t.shape, type: FLOAT32 });
  const constant = (t: typeof x, type: number, q: Quantization = t.quant!): SpecTensor => ({
    name: t.name, shape: t.shape, type, data: model.buffers[t.buffer!], scale: [...q.scales], zeroPoint: [...q.zeroPoints], quantizedDimension: q.axis,
  });
  const o = op.options;
  // TFLite has no explicit padding: the layer must have SAME's (a different padding would compute another layer)
  const same = (n: number, k: number, s: number) => {
    const total = Math.max(0, (Math.ceil(n / s) - 1) * s + k - n);
    return [total >> 1, total - (total >> 1)];
  };
  const [, kh, kw] = w.shape; // OHWI and 1HWC alike
  const want = [...same(x.shape[1], kh, o.strideH), ...same(x.shape[2], kw, o.strideW)];
  if ([o.padTop, o.padBottom, o.padLeft, o.padRight].join() !== want.join()) {
    throw new Error(`convLayerTflite: padding ${[o.padTop, o.padBottom, o.padLeft, o.padRight]} is not TensorFlow's SAME (${want}) for this shape`);
  }
  const options: [number, 'i8' | 'i32', number][] = op.kind === 'Conv2D'
    ? [[0, 'i8', SAME], [1, 'i32', o.strideW], [2, 'i32', o.strideH], [3, 'i8', o.activation === 'relu6' ? RELU6 : 0]]
    : [[0, 'i8', SAME], [1, 'i32', o.strideW], [2, 'i32', o.strideH], [3, 'i32', 1], [4, 'i8', o.activation === 'relu6' ? RELU6 : 0]];
  return buildTflite({
    tensors: [float(x), act(x), constant(w, INT8), constant(b, INT32, biasQuantization(b, x, w)), act(y), float(y)],
    ops: [
      { code: QUANTIZE, inputs: [0], outputs: [1] },
      { code: op.kind === 'Conv2D' ? CONV_2D : DEPTHWISE_CONV_2D, inputs: [1, 2, 3], outputs: [4], optionsType: op.kind === 'Conv2D' ? 1 : 2, options },
      { code: DEQUANTIZE, inputs: [4], outputs: [5] },
    ],
    inputs: [0],
    outputs: [5],
  });
}
