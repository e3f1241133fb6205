// Pad with real 0 (the zero point), int8, rank <= 6: one kernel call.
import type { OpImpl } from './types.js';
import { describe, expectActivation, expectArity, expectDType, perTensor, weightCost } from './common.js';
import { padDescriptor, PAD_DESCRIPTOR_BYTES } from '../runtime/kernels/elementwise.js';

export const pad: OpImpl<'Pad'> = {
  prepare(ctx, op) {
    // TFLite's PAD carries the paddings as a second (constant) input; the options hold them here.
    expectArity(ctx, op.inputs, op.outputs, [1, 2]);
    const [x] = op.inputs, [y] = op.outputs;
    expectActivation(ctx, x);
    expectDType(ctx, x, 'int8');
    expectDType(ctx, y, 'int8');
    const qIn = perTensor(ctx, x), qOut = perTensor(ctx, y);
    if (qIn.scale !== qOut.scale || qIn.zeroPoint !== qOut.zeroPoint) ctx.fail('BAD_QUANT', 'input and output must share scale and zero point (padding does not requantize)');
    const { outShape, desc } = padDescriptor(ctx.tensor(x).shape, op.options.pads, qIn.zeroPoint);
    const shape = ctx.tensor(y).shape;
    if (shape.length !== outShape.length || shape.some((d, i) => d !== outShape[i])) {
      ctx.fail('BAD_SHAPE', `${describe(ctx, y)} has shape [${shape}]; padding makes [${outShape}]`);
    }
    return {
      weightBytes: weightCost(PAD_DESCRIPTOR_BYTES),
      pack(packer) {
        const descPtr = packer.put(desc);
        const k = packer.kernels;
        return (at) => {
          const src = at.ptr(x), dst = at.ptr(y);
          return () => k.pad8(src, dst, descPtr);
        };
      },
    };
  },
};
