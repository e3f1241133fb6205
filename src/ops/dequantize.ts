// Dequantize: int8 -> float32, x = f32(scale * (q - zp)), per tensor or per axis. One kernel call.
import type { OpImpl } from './types.js';
import { axisQuant, expectArity, expectActivation, expectDType, expectShape, weightCost } from './common.js';
import { quantizeLayout } from '../runtime/kernels/elementwise.js';

export const dequantize: OpImpl<'Dequantize'> = {
  prepare(ctx, op) {
    expectArity(ctx, op.inputs, op.outputs, [1, 1]);
    const [x] = op.inputs, [y] = op.outputs;
    expectActivation(ctx, x);
    const input = expectDType(ctx, x, 'int8');
    expectDType(ctx, y, 'float32');
    expectShape(ctx, y, input.shape);
    const q = axisQuant(ctx, x);
    const l = quantizeLayout(input.shape, q.scales, q.zeroPoints, q.axis, 'int8', 'Dequantize');
    return {
      weightBytes: weightCost(l.scales.byteLength) + weightCost(l.zeroPoints.byteLength),
      pack(packer) {
        const scales = packer.put(l.scales), zeroPoints = packer.put(l.zeroPoints);
        const k = packer.kernels;
        return (at) => {
          const src = at.ptr(x), dst = at.ptr(y);
          return () => k.dequantize8(src, dst, l.outer, l.axisLen, l.inner, scales, zeroPoints, 1);
        };
      },
    };
  },
};
