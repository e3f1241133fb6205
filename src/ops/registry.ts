// OpKind -> implementation. An op missing here is reported as UNSUPPORTED_OP when a model uses it.
import type { OpKind } from '../format/model.js';
import type { OpImpl } from './types.js';
import { quantize } from './quantize.js';
import { dequantize } from './dequantize.js';
import { reshape } from './reshape.js';
import { fullyConnected } from './fully-connected.js';
import { maxPool2d, averagePool2d } from './pool2d.js';
import { mean } from './mean.js';
import { conv2d } from './conv2d.js';
import { depthwiseConv2d } from './depthwise-conv2d.js';
import { add, mul } from './binary.js';
import { logistic, tanh, hardSwish, leakyRelu, relu, relu6 } from './unary.js';
import { softmax } from './softmax.js';
import { concatenation } from './concatenation.js';
import { pad } from './pad.js';

export const OP_REGISTRY: { [K in OpKind]?: OpImpl<K> } = {
  Quantize: quantize,
  Dequantize: dequantize,
  Reshape: reshape,
  FullyConnected: fullyConnected,
  MaxPool2D: maxPool2d,
  AveragePool2D: averagePool2d,
  Mean: mean,
  Conv2D: conv2d,
  DepthwiseConv2D: depthwiseConv2d,
  Add: add,
  Mul: mul,
  Logistic: logistic,
  Tanh: tanh,
  HardSwish: hardSwish,
  LeakyRelu: leakyRelu,
  Relu: relu,
  Relu6: relu6,
  Softmax: softmax,
  Concatenation: concatenation,
  Pad: pad,
};
