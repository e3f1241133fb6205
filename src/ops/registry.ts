// OpKind -> implementation. An op missing here is reported as UNSUPPORTED_OP when a model uses it.
import type { OpKind } from '../format/model.js';
import type { OpImpl } from './types.js';
import { quantize } from './quantize.js';
import { dequantize } from './dequantize.js';
import { reshape } from './reshape.js';
import { fullyConnected } from './fully-connected.js';
import { maxPool2d, averagePool2d } from './pool2d.js';
import { mean } from './mean.js';

export const OP_REGISTRY: { [K in OpKind]?: OpImpl<K> } = {
  Quantize: quantize,
  Dequantize: dequantize,
  Reshape: reshape,
  FullyConnected: fullyConnected,
  MaxPool2D: maxPool2d,
  AveragePool2D: averagePool2d,
  Mean: mean,
};
