// Softmax over the last axis, int8 in, int8 out with TFLite's fixed output quantization (1/256, -128).
import type { OpImpl } from './types.js';
import { elementCount, expectActivation, expectArity, expectDType, expectShape, perTensor, weightCost } from './common.js';
import { softmaxTable, SOFTMAX_OUTPUT } from '../runtime/kernels/elementwise.js';
import { requantTable, sameQuant } from './requant-table.js';

export const softmax: OpImpl<'Softmax'> = {
  prepare(ctx, op) {
    expectArity(ctx, op.inputs, op.outputs, [1, 1]);
    const [x] = op.inputs, [y] = op.outputs;
    expectActivation(ctx, x);
    expectDType(ctx, x, 'int8');
    expectDType(ctx, y, 'int8');
    const shape = ctx.tensor(x).shape;
    expectShape(ctx, y, shape);
    const qIn = perTensor(ctx, x), qOut = perTensor(ctx, y);
    // The kernel writes TFLite's (1/256, -128); other output parameters take a table pass afterwards.
    const requant = sameQuant(qOut, SOFTMAX_OUTPUT) ? null : requantTable(SOFTMAX_OUTPUT, qOut);
    const length = shape[shape.length - 1];
    const rows = elementCount(shape) / length;
    const table = softmaxTable(op.options.beta, qIn.scale);
    return {
      weightBytes: weightCost(table.byteLength) + (requant ? weightCost(requant.byteLength) : 0),
      pack(packer) {
        const tablePtr = packer.put(table);
        const requantPtr = requant ? packer.put(requant) : 0;
        const k = packer.kernels;
        const n = rows * length;
        return (at) => {
          const src = at.ptr(x), dst = at.ptr(y);
          if (!requant) return () => k.softmaxInt8(src, dst, rows, length, tablePtr);
          return () => {
            k.softmaxInt8(src, dst, rows, length, tablePtr);
            k.lut8(dst, dst, n, requantPtr);
          };
        };
      },
    };
  },
};
