// Mean over contiguous axes (NHWC [1, 2]: global average pool), requantized to the output, one kernel call.
import type { OpImpl } from './types.js';
import { describe, elementCount, expectActivation, expectArity, expectDType, perTensor, weightCost } from './common.js';
import { meanParams, meanDescriptor, MEAN_DESCRIPTOR_BYTES } from '../runtime/kernels/pool.js';

export const mean: OpImpl<'Mean'> = {
  prepare(ctx, op) {
    // TFLite's MEAN carries the axes as a second (constant) input; the options hold them here.
    expectArity(ctx, op.inputs, op.outputs, [1, 2]);
    const [x] = op.inputs, [y] = op.outputs;
    expectActivation(ctx, x);
    expectDType(ctx, x, 'int8');
    expectDType(ctx, y, 'int8');
    const qIn = perTensor(ctx, x), qOut = perTensor(ctx, y);
    const p = meanParams(ctx.tensor(x).shape, op.options.axes, qIn.scale, qIn.zeroPoint, qOut.scale, qOut.zeroPoint);
    if (elementCount(ctx.tensor(y).shape) !== p.outer * p.inner) {
      ctx.fail('BAD_SHAPE', `${describe(ctx, y)} has shape [${ctx.tensor(y).shape}]; the mean has ${p.outer * p.inner} elements`);
    }
    const desc = meanDescriptor(p);
    return {
      weightBytes: weightCost(MEAN_DESCRIPTOR_BYTES),
      pack: (packer) => {
        const k = packer.kernels, descPtr = packer.put(desc);
        return (at) => {
          const src = at.ptr(x), dst = at.ptr(y);
          return () => k.meanReduce(src, dst, descPtr);
        };
      },
    };
  },
};
