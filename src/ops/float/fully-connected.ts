// Float32 FullyConnected: input flattened to [M, K] times weights [N, K] (float32, or int8 dequantized) plus
// bias, fused activation as the clamp, one f32 GEMM call.
import type { OpImpl } from '../types.js';
import { expectArity, expectRank, fullyConnectedRows, weightCost } from '../common.js';
import { packF32Gemm } from '../../runtime/kernels/f32.js';
import { expectFloat, floatBias, floatClamp, floatWeights } from './common.js';

export const floatFullyConnected: OpImpl<'FullyConnected'> = {
  prepare(ctx, op) {
    expectArity(ctx, op.inputs, op.outputs, [2, 3]);
    const [x, w] = op.inputs, [y] = op.outputs;
    expectFloat(ctx, x, y);
    const [n, k] = expectRank(ctx, w, 2);
    const m = fullyConnectedRows(ctx, x, y, n, k);
    const weights = floatWeights(ctx, w, 0);
    const bias = floatBias(ctx, op.inputs, 2, n);
    const { min, max } = floatClamp(op.options.activation);
    const kern = ctx.kernels;
    return {
      weightBytes: weightCost(kern.f32GemmPackedSize(n, k)),
      pack(packer) {
        const packed = packF32Gemm(kern, packer.heap, weights(), bias, n, k, 'FullyConnected');
        return (at) => {
          const a = at.ptr(x), c = at.ptr(y);
          return () => kern.f32Gemm(a, k, packed, c, n, m, n, k, min, max);
        };
      },
    };
  },
};
