// Float32 Add and Mul: b has a's shape, is a scalar, or is per-channel ([.., C], other dims 1), as the
// verifier allows; the fused activation clamps. Either operand may be a constant (a batch-norm kept as Mul + Add,
// normalization inside the graph), placed once in the weights region. One f32 SIMD kernel call
// (assembly/f32/binary.ts).
import type { OpImpl, OpOf, PrepareContext, PreparedOp } from '../types.js';
import { constFloat32, describe, elementCount, expectArity, expectShape, weightCost } from '../common.js';
import { expectFloat, floatClamp } from './common.js';

function prepareBinary(ctx: PrepareContext, op: OpOf<'Add' | 'Mul'>, mul: boolean): PreparedOp {
  expectArity(ctx, op.inputs, op.outputs, [2, 2]);
  let [a, b] = op.inputs;
  const [y] = op.outputs;
  // Both ops commute: keep the activation first, so a constant is always the operand that may broadcast.
  if (ctx.tensor(a).buffer !== undefined) [a, b] = [b, a];
  expectFloat(ctx, a, y);
  const constant = ctx.tensor(b).buffer !== undefined ? constFloat32(ctx, b) : null;
  if (!constant) expectFloat(ctx, b);
  const shapeA = ctx.tensor(a).shape, shapeB = ctx.tensor(b).shape;
  expectShape(ctx, y, shapeA);
  const n = elementCount(shapeA), bn = elementCount(shapeB);
  const channels = shapeA[shapeA.length - 1] ?? 1;
  if (bn !== n && bn !== 1 && (bn !== channels || shapeB[shapeB.length - 1] !== channels)) {
    ctx.fail('BAD_SHAPE', `${describe(ctx, b)} [${shapeB}] does not broadcast to [${shapeA}]`);
  }
  const { min, max } = floatClamp(op.options.activation);
  return {
    weightBytes: constant ? weightCost(constant.byteLength) : 0,
    pack: (packer) => {
      const constPtr = constant ? packer.put(constant) : -1;
      const k = packer.kernels, code = mul ? 1 : 0;
      return (at) => {
        const pa = at.ptr(a), pb = constant ? constPtr : at.ptr(b), py = at.ptr(y);
        return () => k.f32Binary(pa, pb, py, n, bn, code, min, max);
      };
    },
  };
}

export const floatAdd: OpImpl<'Add'> = { prepare: (ctx, op) => prepareBinary(ctx, op, false) };
export const floatMul: OpImpl<'Mul'> = { prepare: (ctx, op) => prepareBinary(ctx, op, true) };
