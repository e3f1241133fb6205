// OpKind -> implementation. An op missing here is reported as UNSUPPORTED_OP when a model uses it.
import type { OpKind } from '../format/model.js';
import type { OpImpl } from './types.js';
import { quantize } from './quantize.js';
import { dequantize } from './dequantize.js';
import { reshape } from './reshape.js';

export const OP_REGISTRY: { [K in OpKind]?: OpImpl<K> } = {
  Quantize: quantize,
  Dequantize: dequantize,
  Reshape: reshape,
};
