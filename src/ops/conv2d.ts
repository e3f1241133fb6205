// Conv2D (NHWC int8, OHWI weights): the conv family (pointwise GEMM, indirect GEMM or gathered windows).
// Its workspace (indirection table) lives in the session's arena as per-session state, built once when the
// session binds its input pointer.
import type { OpImpl } from './types.js';
import {
  channelMultipliers, constInt8, expectRank, expectShape, fusedClamp, int8WeightedOperands, optionalBias,
  perTensor, requantCost, weightCost, weightQuant,
} from './common.js';
import { convInt8Descriptor } from '../runtime/kernels/conv.js';
import { convGeometry } from '../runtime/kernels/dwconv.js';

export const conv2d: OpImpl<'Conv2D'> = {
  prepare(ctx, op) {
    const [x, w, y] = int8WeightedOperands(ctx, op);
    const cin = expectRank(ctx, x, 4)[3];
    const [cout, kH, kW, wCin] = expectRank(ctx, w, 4);
    if (wCin !== cin) ctx.fail('BAD_SHAPE', `weights have ${wCin} input channels, the input has ${cin}`);
    const o = op.options;
    const g = convGeometry(ctx.tensor(x).shape, kH, kW, cout, o, 'Conv2D');
    expectShape(ctx, y, [g.batch, g.outH, g.outW, cout]);
    const qIn = perTensor(ctx, x), qOut = perTensor(ctx, y);
    const qW = weightQuant(ctx, w, cout);
    const fields = convInt8Descriptor(g, { zpIn: qIn.zeroPoint, zpOut: qOut.zeroPoint, ...fusedClamp(o.activation, qOut) }, qW.zeroPoint, 'Conv2D');
    const weights = constInt8(ctx, w);
    const bias = optionalBias(ctx, op.inputs, 2, cout);
    const reals = channelMultipliers(qIn.scale, qW.scales, qOut.scale);
    const k = ctx.kernels;
    const [packedBytes, workspaceBytes] = ctx.temp((heap) => {
      const d = heap.put(fields, 16);
      return [k.convPackedSize(d), k.convWorkspaceSize(d)];
    });
    return {
      weightBytes: weightCost(fields.byteLength) + weightCost(packedBytes) + requantCost(ctx, cout),
      stateBytes: workspaceBytes,
      pack(packer) {
        const { heap } = packer;
        const desc = packer.put(fields);
        const packed = packer.alloc(packedBytes);
        const mark = heap.mark();
        k.convPack(desc, packed, heap.put(weights), bias ? heap.put(bias) : 0);
        heap.release(mark);
        const params = packer.requant(reals, k.gemmUsesOffsets(kH * kW * cin) !== 0);
        return (at) => {
          const input = at.ptr(x), output = at.ptr(y), workspace = at.state;
          k.convSetup(desc, input, workspace);
          return () => k.conv(desc, input, workspace, packed, output, params);
        };
      },
    };
  },
};
