// Reshape: the output is the input's memory read with another shape. No kernel, no copy.
import type { OpImpl } from './types.js';
import { describe, elementCount, expectActivation, expectArity } from './common.js';

export const reshape: OpImpl<'Reshape'> = {
  prepare(ctx, op) {
    // A second input (the target shape, as TFLite has it) is allowed and ignored: the output shape is known.
    expectArity(ctx, op.inputs, op.outputs, [1, 2]);
    const [x] = op.inputs, [y] = op.outputs;
    expectActivation(ctx, x);
    const a = ctx.tensor(x), b = ctx.tensor(y);
    if (a.dtype !== b.dtype) ctx.fail('BAD_OP', `${describe(ctx, x)} is ${a.dtype} but ${describe(ctx, y)} is ${b.dtype}`);
    if (elementCount(a.shape) !== elementCount(b.shape)) {
      ctx.fail('BAD_SHAPE', `cannot view [${a.shape}] as [${b.shape}]: element counts differ`);
    }
    const qa = a.quant, qb = b.quant;
    const same = (!qa && !qb) || (qa && qb && qa.scales.length === qb.scales.length && qa.scales.every((s, i) => s === qb.scales[i] && qa.zeroPoints[i] === qb.zeroPoints[i]));
    if (!same) ctx.fail('BAD_QUANT', `input and output quantization differ; a reshape cannot requantize`);
    return { weightBytes: 0, aliasesInput: true, pack: () => () => null };
  },
};
