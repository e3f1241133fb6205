// The float32 twins of the ops: chosen for an op whose output is float32 (a float model, or a weight-only one).
// Quantize and Dequantize are edge conversions with their own dtypes and stay in the int8 registry.
import type { OpDef, OpKind, Model } from '../../format/model.js';
import type { OpImpl } from '../types.js';
import { reshape } from '../reshape.js';
import { floatConv2d, floatDepthwiseConv2d } from './conv.js';
import { floatFullyConnected } from './fully-connected.js';
import { floatAdd, floatMul } from './binary.js';
import { floatAveragePool2d, floatMaxPool2d, floatMean } from './pool.js';
import { floatConcatenation, floatPad } from './shape.js';
import { floatHardSwish, floatLeakyRelu, floatLogistic, floatRelu, floatRelu6, floatSoftmax, floatTanh } from './unary.js';

export const FLOAT_OP_REGISTRY: { [K in Exclude<OpKind, 'Quantize' | 'Dequantize'>]: OpImpl<K> } = {
  Conv2D: floatConv2d,
  DepthwiseConv2D: floatDepthwiseConv2d,
  FullyConnected: floatFullyConnected,
  Add: floatAdd,
  Mul: floatMul,
  MaxPool2D: floatMaxPool2d,
  AveragePool2D: floatAveragePool2d,
  Mean: floatMean,
  Concatenation: floatConcatenation,
  Reshape: reshape, // dtype-agnostic: an alias of its input's memory
  Pad: floatPad,
  Softmax: floatSoftmax,
  Logistic: floatLogistic,
  Tanh: floatTanh,
  HardSwish: floatHardSwish,
  LeakyRelu: floatLeakyRelu,
  Relu: floatRelu,
  Relu6: floatRelu6,
};

/** The float32 implementation of `op` when its output is float32 (not for Quantize/Dequantize), else undefined. */
export function floatImpl(model: Model, op: OpDef): OpImpl | undefined {
  if (op.kind === 'Quantize' || op.kind === 'Dequantize') return undefined;
  return model.tensors[op.outputs[0]]?.dtype === 'float32' ? (FLOAT_OP_REGISTRY[op.kind] as OpImpl) : undefined;
}
