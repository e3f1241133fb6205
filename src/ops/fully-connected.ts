// FullyConnected: input flattened to [M, K] times weights [N, K] (+ bias) -> [M, N], one GEMM call.
import type { OpImpl } from './types.js';
import {
  channelMultipliers, constInt8, expectRank, fullyConnectedRows, fusedClamp, int8WeightedOperands,
  optionalBias, perTensor, requantCost, weightCost, weightQuant,
} from './common.js';
import { packGemmWeights } from '../runtime/kernels/gemm.js';

export const fullyConnected: OpImpl<'FullyConnected'> = {
  prepare(ctx, op) {
    const [x, w, y] = int8WeightedOperands(ctx, op);
    const [n, k] = expectRank(ctx, w, 2);
    const m = fullyConnectedRows(ctx, x, y, n, k);
    const weights = constInt8(ctx, w);
    const bias = optionalBias(ctx, op.inputs, 2, n);
    const qIn = perTensor(ctx, x), qOut = perTensor(ctx, y);
    const qW = weightQuant(ctx, w, n);
    const reals = channelMultipliers(qIn.scale, qW.scales, qOut.scale);
    const { qmin, qmax } = fusedClamp(op.options.activation, qOut);
    const kern = ctx.kernels;
    return {
      weightBytes: weightCost(kern.gemmPackedSize(n, 1, k)) + requantCost(ctx, n),
      scratchBytes: kern.gemmScratchSize(m, qW.zeroPoint),
      pack(packer) {
        const { packed } = packGemmWeights(kern, packer.heap, weights, bias, n, k, qIn.zeroPoint, qW.zeroPoint);
        const params = packer.requant(reals, kern.gemmUsesOffsets(k) !== 0);
        return (at) => {
          const a = at.ptr(x), c = at.ptr(y), zpOut = qOut.zeroPoint, zpW = qW.zeroPoint, scratch = at.scratch;
          return () => kern.gemm(m, n, k, a, k, packed, c, n, params, zpOut, qmin, qmax, zpW, scratch);
        };
      },
    };
  },
};
