// Quantize: float32 -> int8 (rounding per options.rounding: half away from zero as TFLite, or half to even as
// ONNX), or 8-bit -> 8-bit with new parameters
// (TFLite QUANTIZE with an integer input: fixed-point requantization). One kernel call.
import type { OpImpl } from './types.js';
import { elementCount, expectActivation, expectArity, expectDType, expectShape, perTensor, weightCost } from './common.js';
import { quantizeLayout, requantDescriptor, ROUND_HALF_AWAY, ROUND_HALF_EVEN, REQUANT_DESCRIPTOR_BYTES } from '../runtime/kernels/elementwise.js';

export const quantize: OpImpl<'Quantize'> = {
  prepare(ctx, op) {
    expectArity(ctx, op.inputs, op.outputs, [1, 1]);
    const [x] = op.inputs, [y] = op.outputs;
    expectActivation(ctx, x);
    const input = expectDType(ctx, x, 'float32', 'int8');
    expectDType(ctx, y, 'int8');
    expectShape(ctx, y, input.shape);
    const qOut = perTensor(ctx, y);
    const n = elementCount(input.shape);
    if (input.dtype === 'int8') {
      const desc = requantDescriptor(perTensor(ctx, x), qOut, undefined, undefined, 'Quantize');
      return {
        weightBytes: weightCost(REQUANT_DESCRIPTOR_BYTES),
        pack(packer) {
          const descPtr = packer.put(desc);
          const k = packer.kernels;
          return (at) => {
            const src = at.ptr(x), dst = at.ptr(y);
            return () => k.requantize8(src, dst, n, descPtr);
          };
        },
      };
    }
    const mode = op.options.rounding === 'half-even' ? ROUND_HALF_EVEN : ROUND_HALF_AWAY;
    const l = quantizeLayout(input.shape, [qOut.scale], [qOut.zeroPoint], -1, 'int8', 'Quantize');
    return {
      weightBytes: weightCost(l.scales.byteLength) + weightCost(l.zeroPoints.byteLength),
      pack(packer) {
        const scales = packer.put(l.scales), zeroPoints = packer.put(l.zeroPoints);
        const k = packer.kernels;
        return (at) => {
          const src = at.ptr(x), dst = at.ptr(y);
          return () => k.quantizeF32(src, dst, l.outer, l.axisLen, l.inner, scales, zeroPoints, l.qmin, l.qmax, mode);
        };
      },
    };
  },
};
