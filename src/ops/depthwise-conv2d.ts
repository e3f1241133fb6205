// DepthwiseConv2D (NHWC int8, 1HWC weights with C = input channels * depth multiplier): the dwconv family.
import type { OpImpl } from './types.js';
import {
  channelMultipliers, constInt8, expectRank, expectShape, fusedClamp, int8WeightedOperands, optionalBias,
  perTensor, requantCost, weightCost, weightQuant,
} from './common.js';
import { checkDepthwiseGeometry, convDescriptor, convGeometry, depthwiseScratchBytes, packDepthwiseInt8, CONV_DESCRIPTOR_BYTES } from '../runtime/kernels/dwconv.js';

export const depthwiseConv2d: OpImpl<'DepthwiseConv2D'> = {
  prepare(ctx, op) {
    const [x, w, y] = int8WeightedOperands(ctx, op);
    const inC = expectRank(ctx, x, 4)[3];
    const [one, kH, kW, channels] = expectRank(ctx, w, 4);
    const o = op.options;
    if (one !== 1 || channels !== inC * o.depthMultiplier) {
      ctx.fail('BAD_SHAPE', `weights [${ctx.tensor(w).shape}] must be [1, kH, kW, ${inC} * depth multiplier ${o.depthMultiplier}]`);
    }
    const g = convGeometry(ctx.tensor(x).shape, kH, kW, channels, o, 'DepthwiseConv2D');
    checkDepthwiseGeometry(g, 'DepthwiseConv2D');
    expectShape(ctx, y, [g.batch, g.outH, g.outW, channels]);
    const qIn = perTensor(ctx, x), qOut = perTensor(ctx, y);
    const desc = convDescriptor(g, { zpIn: qIn.zeroPoint, zpOut: qOut.zeroPoint, ...fusedClamp(o.activation, qOut) }, 'DepthwiseConv2D');
    const weights = constInt8(ctx, w);
    const bias = optionalBias(ctx, op.inputs, 2, channels) ?? undefined;
    const qW = weightQuant(ctx, w, channels);
    const reals = channelMultipliers(qIn.scale, qW.scales, qOut.scale);
    const k = ctx.kernels;
    const taps = kH * kW;
    return {
      weightBytes: weightCost(CONV_DESCRIPTOR_BYTES) + weightCost(k.dwconvInt8PackedSize(channels, taps)) + requantCost(ctx, channels),
      scratchBytes: ctx.temp((heap) => depthwiseScratchBytes(k, heap, g, 1)),
      pack(packer) {
        const descPtr = packer.put(desc);
        const packed = packDepthwiseInt8(k, packer.heap, { weights, bias, channels, kH, kW, zpIn: qIn.zeroPoint, zpW: qW.zeroPoint }, 'DepthwiseConv2D');
        const params = packer.requant(reals, false); // (the offset forms are GEMM / conv's)
        return (at) => {
          const input = at.ptr(x), output = at.ptr(y), scratch = at.scratch;
          return () => k.dwconvInt8(descPtr, input, output, packed, params, scratch);
        };
      },
    };
  },
};
