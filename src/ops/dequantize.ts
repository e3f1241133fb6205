// Dequantize: int8 -> float32 at the graph's output edge.
// TODO(elementwise kernels): one wasm call once the family lands; until then the edge conversion in TS.
import type { OpImpl } from './types.js';
import { elementCount, expectArity, expectActivation, expectDType, expectShape, perTensor } from './common.js';
import { dequantizeInt8 } from '../runtime/edge.js';

export const dequantize: OpImpl<'Dequantize'> = {
  prepare(ctx, op) {
    expectArity(ctx, op.inputs, op.outputs, [1, 1]);
    const [x] = op.inputs, [y] = op.outputs;
    expectActivation(ctx, x);
    const input = expectDType(ctx, x, 'int8');
    expectDType(ctx, y, 'float32');
    expectShape(ctx, y, input.shape);
    const { scale, zeroPoint } = perTensor(ctx, x);
    const n = elementCount(input.shape);
    return {
      weightBytes: 0,
      pack: ({ heap }) => (at) => {
        const src = at.ptr(x), dst = at.ptr(y);
        return () => dequantizeInt8(heap.i8(src, n), heap.f32(dst, n), scale, zeroPoint);
      },
    };
  },
};
