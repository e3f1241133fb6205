// Float32 Add and Mul: b has a's shape, is a scalar, or is per-channel ([.., C], other dims 1), as the
// verifier allows; the fused activation clamps. One f32 SIMD kernel call (assembly/f32/binary.ts).
import type { OpImpl, OpOf, PrepareContext, PreparedOp } from '../types.js';
import { describe, elementCount, expectArity, expectShape } from '../common.js';
import { expectFloat, floatClamp } from './common.js';

function prepareBinary(ctx: PrepareContext, op: OpOf<'Add' | 'Mul'>, mul: boolean): PreparedOp {
  expectArity(ctx, op.inputs, op.outputs, [2, 2]);
  const [a, b] = op.inputs, [y] = op.outputs;
  expectFloat(ctx, a, b, y);
  const shapeA = ctx.tensor(a).shape, shapeB = ctx.tensor(b).shape;
  expectShape(ctx, y, shapeA);
  const n = elementCount(shapeA), bn = elementCount(shapeB);
  const channels = shapeA[shapeA.length - 1] ?? 1;
  if (bn !== n && bn !== 1 && (bn !== channels || shapeB[shapeB.length - 1] !== channels)) {
    ctx.fail('BAD_SHAPE', `${describe(ctx, b)} [${shapeB}] does not broadcast to [${shapeA}]`);
  }
  const { min, max } = floatClamp(op.options.activation);
  return {
    weightBytes: 0,
    pack: ({ kernels: k }) => (at) => {
      const pa = at.ptr(a), pb = at.ptr(b), py = at.ptr(y), code = mul ? 1 : 0;
      return () => k.f32Binary(pa, pb, py, n, bn, code, min, max);
    },
  };
}

export const floatAdd: OpImpl<'Add'> = { prepare: (ctx, op) => prepareBinary(ctx, op, false) };
export const floatMul: OpImpl<'Mul'> = { prepare: (ctx, op) => prepareBinary(ctx, op, true) };
