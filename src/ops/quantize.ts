// Quantize: float32 -> int8, per tensor or per axis (rounding per options.rounding: half away from zero as TFLite, or half to even as
// ONNX), or 8-bit -> 8-bit with new parameters
// (TFLite QUANTIZE with an integer input: fixed-point requantization: requantize8 for equal scales, else lut8 on
// requantTable8). One kernel call.
import type { OpImpl } from './types.js';
import { axisQuant, elementCount, expectActivation, expectArity, expectDType, expectShape, perTensor, weightCost } from './common.js';
import { quantizeLayout, requantDescriptor, requantTable8, ROUND_HALF_AWAY, ROUND_HALF_EVEN, REQUANT_DESCRIPTOR_BYTES } from '../runtime/kernels/elementwise.js';

/** quantizeMultiplier(1): the (multiplier, shift) of equal input and output scales. */
const UNIT_MULTIPLIER = { multiplier: 2 ** 30, shift: 1 } as const;

export const quantize: OpImpl<'Quantize'> = {
  prepare(ctx, op) {
    expectArity(ctx, op.inputs, op.outputs, [1, 1]);
    const [x] = op.inputs, [y] = op.outputs;
    expectActivation(ctx, x);
    const input = expectDType(ctx, x, 'float32', 'int8');
    expectDType(ctx, y, 'int8');
    expectShape(ctx, y, input.shape);
    if (input.dtype === 'int8') {
      const n = elementCount(input.shape);
      const qIn = perTensor(ctx, x), qOut = perTensor(ctx, y);
      const desc = requantDescriptor(qIn, qOut, undefined, undefined, 'Quantize');
      if (desc[2] === UNIT_MULTIPLIER.multiplier && desc[3] === UNIT_MULTIPLIER.shift) {
        // Equal scales: requantize8 runs a saturating byte add (~10x a table lookup).
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
      // Otherwise the same fixed-point results from a 256-byte table (requantTable8: lut8 is ~1.5x requantize8).
      return {
        weightBytes: weightCost(256),
        pack(packer) {
          const k = packer.kernels;
          const tablePtr = packer.put(requantTable8(k, packer.heap, qIn, qOut));
          return (at) => {
            const src = at.ptr(x), dst = at.ptr(y);
            return () => k.lut8(src, dst, n, tablePtr);
          };
        },
      };
    }
    const mode = op.options.rounding === 'half-even' ? ROUND_HALF_EVEN : ROUND_HALF_AWAY;
    const q = axisQuant(ctx, y);
    const l = quantizeLayout(input.shape, q.scales, q.zeroPoints, q.axis, 'int8', 'Quantize');
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
