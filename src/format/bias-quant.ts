// The quantization of a Conv2D / DepthwiseConv2D / FullyConnected int32 bias. Its unit is input scale x weight
// scale[c] by definition (model.ts), so files need not store it; readers that want it as data (exporters to
// formats that do store it) take it from here.
import type { Quantization, TensorDef } from './model.js';

/** The bias's own quantization when it carries one, otherwise s_in * s_w[c] per output channel, zero point 0. */
export function biasQuantization(bias: TensorDef, input: TensorDef, weights: TensorDef): Quantization {
  if (bias.quant) return bias.quant;
  const sIn = input.quant?.scales[0] ?? 1;
  const sw = weights.quant?.scales ?? Float32Array.of(1);
  const n = bias.shape[0];
  const scales = Float32Array.from({ length: n }, (_, c) => sIn * sw[sw.length > 1 ? c : 0]);
  return { scales, zeroPoints: new Int32Array(n), axis: 0 };
}
