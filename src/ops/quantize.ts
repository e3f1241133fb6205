// Quantize: float32 -> int8 at the graph's input edge.
// TODO(elementwise kernels): one wasm call once the family lands; until then the edge conversion in TS.
import type { OpImpl } from './types.js';
import { elementCount, expectActivation, expectArity, expectDType, expectShape, perTensor } from './common.js';
import { quantizeToInt8 } from '../runtime/edge.js';

export const quantize: OpImpl<'Quantize'> = {
  prepare(ctx, op) {
    expectArity(ctx, op.inputs, op.outputs, [1, 1]);
    const [x] = op.inputs, [y] = op.outputs;
    expectActivation(ctx, x);
    const input = expectDType(ctx, x, 'float32', 'int8');
    expectDType(ctx, y, 'int8');
    expectShape(ctx, y, input.shape);
    if (input.dtype === 'int8') ctx.fail('UNSUPPORTED', 'int8 -> int8 requantization needs the elementwise kernels');
    const { scale, zeroPoint } = perTensor(ctx, y);
    const n = elementCount(input.shape);
    return {
      weightBytes: 0,
      pack: ({ heap }) => (at) => {
        const src = at.ptr(x), dst = at.ptr(y);
        return () => quantizeToInt8(heap.f32(src, n), heap.i8(dst, n), scale, zeroPoint);
      },
    };
  },
};
