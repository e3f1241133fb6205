// Concatenation of int8 tensors along an axis: one row-copy kernel call per input, requantizing the inputs
// whose parameters differ from the output's (and applying the fused clamp). Constant inputs are placed once.
import type { OpImpl } from './types.js';
import { constInt8, describe, expectArity, expectDType, fusedClamp, perTensor, weightCost } from './common.js';
import { concatPlan } from '../runtime/kernels/elementwise.js';

export const concatenation: OpImpl<'Concatenation'> = {
  prepare(ctx, op) {
    expectArity(ctx, op.inputs, op.outputs, [1, Number.MAX_SAFE_INTEGER]);
    const [y] = op.outputs;
    for (const t of [...op.inputs, y]) expectDType(ctx, t, 'int8');
    const qOut = perTensor(ctx, y);
    const { qmin, qmax } = fusedClamp(op.options.activation, qOut);
    const inputs = op.inputs.map((t) => ({ shape: ctx.tensor(t).shape, quant: perTensor(ctx, t) }));
    const plan = concatPlan(inputs, op.options.axis, qOut, qmin, qmax);
    const outShape = ctx.tensor(y).shape;
    if (outShape.length !== plan.outShape.length || outShape.some((d, i) => d !== plan.outShape[i])) {
      ctx.fail('BAD_SHAPE', `${describe(ctx, y)} has shape [${outShape}]; the inputs concatenate to [${plan.outShape}]`);
    }
    const constants = op.inputs.map((t) => (ctx.tensor(t).buffer !== undefined ? constInt8(ctx, t) : null));
    const bytes = [...plan.parts.map((p) => p.desc), ...constants].reduce((s, a) => s + (a ? weightCost(a.byteLength) : 0), 0);
    return {
      weightBytes: bytes,
      pack(packer) {
        const descs = plan.parts.map((p) => (p.desc ? packer.put(p.desc) : 0));
        const constPtrs = constants.map((c) => (c ? packer.put(c) : -1));
        const k = packer.kernels;
        return (at) => {
          const out = at.ptr(y);
          const calls = plan.parts.map((p, i) => {
            const src = constPtrs[i] >= 0 ? constPtrs[i] : at.ptr(op.inputs[i]);
            return [src, out + p.outOffset, p.rows, p.rowBytes, p.outStride, descs[i]] as const;
          });
          return () => {
            for (const c of calls) k.copyRows8(c[0], c[1], c[2], c[3], c[4], c[5]);
          };
        };
      },
    };
  },
};
