// Float32 Add and Mul: b has a's shape, is a scalar, or is per-channel ([.., C], other dims 1), as the
// verifier allows; the fused activation clamps. Either operand may be a constant (a batch-norm kept as Mul + Add,
// normalization inside the graph), placed once in the weights region. A TypeScript loop over wasm memory (a small
// share of the time).
import type { OpImpl, OpOf, PrepareContext, PreparedOp } from '../types.js';
import { constFloat32, describe, elementCount, expectArity, expectShape, weightCost } from '../common.js';
import { expectFloat, floatClamp, floatMemory } from './common.js';

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
      return (at) => {
        const mem = floatMemory(packer.heap);
        const A = at.ptr(a) >> 2, B = (constant ? constPtr : at.ptr(b)) >> 2, Y = at.ptr(y) >> 2;
        return () => {
          const m = mem();
          // b index: i (same shape), 0 (scalar) or i mod C (per channel), walked row by row.
          for (let row = 0; row < n; row += bn) {
            for (let j = 0, i = row; j < bn && i < n; j++, i++) {
              const v = mul ? m[A + i] * m[B + j] : m[A + i] + m[B + j];
              m[Y + i] = v < min ? min : v > max ? max : v;
            }
          }
        };
      };
    },
  };
}

export const floatAdd: OpImpl<'Add'> = { prepare: (ctx, op) => prepareBinary(ctx, op, false) };
export const floatMul: OpImpl<'Mul'> = { prepare: (ctx, op) => prepareBinary(ctx, op, true) };
