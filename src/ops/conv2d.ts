// Conv2D (NHWC int8, OHWI weights): the gemm family's indirect GEMM. The indirection table lives in the
// session's arena (per-session state), built once when the session binds its input pointer.
import type { OpImpl } from './types.js';
import {
  channelMultipliers, constInt8, expectActivation, expectArity, expectDType, expectRank, expectShape, fusedClamp,
  optionalBias, perTensor, requantCost, weightCost, weightScales,
} from './common.js';
import { convDescriptorFields, type ConvSpec } from '../runtime/kernels/conv.js';
import { packGemmWeights } from '../runtime/kernels/gemm.js';

export const conv2d: OpImpl<'Conv2D'> = {
  prepare(ctx, op) {
    expectArity(ctx, op.inputs, op.outputs, [2, 3]);
    const [x, w] = op.inputs, [y] = op.outputs;
    expectActivation(ctx, x);
    expectDType(ctx, x, 'int8');
    expectDType(ctx, y, 'int8');
    const [batch, inH, inW, cin] = expectRank(ctx, x, 4);
    const [cout, kH, kW, wCin] = expectRank(ctx, w, 4);
    if (wCin !== cin) ctx.fail('BAD_SHAPE', `weights have ${wCin} input channels, the input has ${cin}`);
    const o = op.options;
    const qIn = perTensor(ctx, x), qOut = perTensor(ctx, y);
    const { qmin, qmax } = fusedClamp(o.activation, qOut);
    const spec: ConvSpec = {
      batch, inH, inW, cin, cout, kH, kW, strideH: o.strideH, strideW: o.strideW, dilH: o.dilationH, dilW: o.dilationW,
      padTop: o.padTop, padLeft: o.padLeft, padBottom: o.padBottom, padRight: o.padRight,
      zpIn: qIn.zeroPoint, zpW: 0, zpOut: qOut.zeroPoint, qmin, qmax,
    };
    const fields = convDescriptorFields(spec);
    expectShape(ctx, y, [batch, fields[4], fields[5], cout]);
    const weights = constInt8(ctx, w);
    const bias = optionalBias(ctx, op.inputs, 2, cout);
    const reals = channelMultipliers(qIn.scale, weightScales(ctx, w, cout), qOut.scale);
    const k = ctx.kernels;
    const taps = kH * kW;
    return {
      weightBytes: weightCost(fields.byteLength) + weightCost(k.gemmPackedSize(cout, taps, cin)) + requantCost(ctx, cout),
      stateBytes: ctx.temp((heap) => k.convWorkspaceSize(heap.put(fields))),
      pack(packer) {
        const desc = packer.put(fields);
        const { packed } = packGemmWeights(k, packer.heap, weights, bias, cout, cin, spec.zpIn, 0, taps);
        const params = packer.requant(reals);
        return (at) => {
          const input = at.ptr(x), output = at.ptr(y), workspace = at.state;
          k.convSetup(desc, input, workspace);
          return () => k.conv(desc, input, workspace, packed, output, params);
        };
      },
    };
  },
};
