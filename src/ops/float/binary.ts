// Float32 Add and Mul: b has a's shape, is a scalar, or is per-channel ([.., C], other dims 1), as the
// verifier allows; the fused activation clamps. A TypeScript loop over wasm memory (a small share of the time).
import type { OpImpl, OpOf, PrepareContext, PreparedOp } from '../types.js';
import { describe, elementCount, expectArity, expectShape } from '../common.js';
import { expectFloat, floatClamp, floatMemory } from './common.js';

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
    pack: ({ heap }) => (at) => {
      const mem = floatMemory(heap);
      const A = at.ptr(a) >> 2, B = at.ptr(b) >> 2, Y = at.ptr(y) >> 2;
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
    },
  };
}

export const floatAdd: OpImpl<'Add'> = { prepare: (ctx, op) => prepareBinary(ctx, op, false) };
export const floatMul: OpImpl<'Mul'> = { prepare: (ctx, op) => prepareBinary(ctx, op, true) };
