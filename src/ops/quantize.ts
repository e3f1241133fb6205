// Quantize: float32 -> int8 at the graph's input edge (TODO: the elementwise family's kernel once it lands;
// until then the edge conversion in TS), or int8 -> int8 with new parameters (uint8 inputs of TFLite models
// become this after normalization): a 256-entry table, one lut8 call.
import type { OpImpl } from './types.js';
import { elementCount, expectActivation, expectArity, expectDType, expectShape, perTensor, weightCost } from './common.js';
import { requantTable } from './requant-table.js';
import { quantizeToInt8 } from '../runtime/edge.js';

export const quantize: OpImpl<'Quantize'> = {
  prepare(ctx, op) {
    expectArity(ctx, op.inputs, op.outputs, [1, 1]);
    const [x] = op.inputs, [y] = op.outputs;
    expectActivation(ctx, x);
    const input = expectDType(ctx, x, 'float32', 'int8');
    expectDType(ctx, y, 'int8');
    expectShape(ctx, y, input.shape);
    const { scale, zeroPoint } = perTensor(ctx, y);
    const n = elementCount(input.shape);
    if (input.dtype === 'int8') {
      const table = requantTable(perTensor(ctx, x), { scale, zeroPoint });
      return {
        weightBytes: weightCost(table.byteLength),
        pack(packer) {
          const tablePtr = packer.put(table);
          const k = packer.kernels;
          return (at) => {
            const src = at.ptr(x), dst = at.ptr(y);
            return () => k.lut8(src, dst, n, tablePtr);
          };
        },
      };
    }
    return {
      weightBytes: 0,
      pack: ({ heap }) => (at) => {
        const src = at.ptr(x), dst = at.ptr(y);
        return () => quantizeToInt8(heap.f32(src, n), heap.i8(dst, n), scale, zeroPoint);
      },
    };
  },
};
