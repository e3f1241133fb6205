// FullyConnected: input flattened to [M, K] times weights [N, K] (+ bias) -> [M, N], one GEMM call.
import type { OpImpl } from './types.js';
import {
  fusedClamp, channelMultipliers, constInt8, describe, elementCount, expectActivation, expectArity, expectDType,
  expectRank, optionalBias, perTensor, requantCost, weightCost, weightQuant,
} from './common.js';
import { packGemmWeights } from '../runtime/kernels/gemm.js';

export const fullyConnected: OpImpl<'FullyConnected'> = {
  prepare(ctx, op) {
    expectArity(ctx, op.inputs, op.outputs, [2, 3]);
    const [x, w] = op.inputs, [y] = op.outputs;
    expectActivation(ctx, x);
    expectDType(ctx, x, 'int8');
    expectDType(ctx, y, 'int8');
    const [n, k] = expectRank(ctx, w, 2);
    const inputCount = elementCount(ctx.tensor(x).shape);
    if (inputCount % k !== 0) ctx.fail('BAD_SHAPE', `${describe(ctx, x)} has ${inputCount} elements, not a multiple of K = ${k}`);
    const m = inputCount / k;
    const outShape = ctx.tensor(y).shape;
    if (elementCount(outShape) !== m * n || outShape[outShape.length - 1] !== n) {
      ctx.fail('BAD_SHAPE', `${describe(ctx, y)} has shape [${outShape}]; expected ${m} rows of ${n}`);
    }
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
        const params = packer.requant(reals);
        return (at) => {
          const a = at.ptr(x), c = at.ptr(y), zpOut = qOut.zeroPoint, zpW = qW.zeroPoint, scratch = at.scratch;
          return () => kern.gemm(m, n, k, a, k, packed, c, n, params, zpOut, qmin, qmax, zpW, scratch);
        };
      },
    };
  },
};
