// Moving an int8 tensor to other quantization parameters (with an optional fused activation) is an
// element-wise function, so one 256-entry table does it (QUANTIZATION.md §3). Ops whose kernels cannot
// requantize (pooling, softmax) follow their kernel call with a lut8 pass in place when the model asks for it.
import type { Activation } from '../format/model.js';
import type { PerTensorQuant } from './common.js';
import { buildLut } from '../quant/lut.js';

const ACTIVATIONS: Record<Activation, (x: number) => number> = {
  none: (x) => x,
  relu: (x) => Math.max(0, x),
  relu6: (x) => Math.min(6, Math.max(0, x)),
};

export function sameQuant(a: PerTensorQuant, b: PerTensorQuant): boolean {
  return a.scale === b.scale && a.zeroPoint === b.zeroPoint;
}

/** table[q] = quantize_to(activation(dequantize_from(q))). */
export function requantTable(from: PerTensorQuant, to: PerTensorQuant, activation: Activation = 'none'): Uint8Array {
  return buildLut(ACTIVATIONS[activation], from, to);
}
