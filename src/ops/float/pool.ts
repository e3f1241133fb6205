// Float32 MaxPool2D, AveragePool2D (padding excluded from the average, as TFLite) on the f32 SIMD pool kernels,
// and Mean over contiguous axes (a TypeScript loop with float64 sums: a small share of a CNN's time).
import type { OpImpl, OpOf, PrepareContext, PreparedOp } from '../types.js';
import { describe, elementCount, expectArity, expectShape, weightCost } from '../common.js';
import { meanParams, poolDescriptor, poolGeometry, POOL_DESCRIPTOR_BYTES } from '../../runtime/kernels/pool.js';
import { expectFloat, floatClamp, floatMemory } from './common.js';

function preparePool(ctx: PrepareContext, op: OpOf<'MaxPool2D' | 'AveragePool2D'>, isMax: boolean): PreparedOp {
  expectArity(ctx, op.inputs, op.outputs, [1, 1]);
  const [x] = op.inputs, [y] = op.outputs;
  expectFloat(ctx, x, y);
  const g = poolGeometry(ctx.tensor(x).shape, op.options, op.kind);
  expectShape(ctx, y, [g.batch, g.outH, g.outW, g.channels]);
  const { min, max } = floatClamp(op.options.activation);
  return {
    weightBytes: weightCost(POOL_DESCRIPTOR_BYTES),
    pack(packer) {
      const geom = packer.put(poolDescriptor(g));
      const k = packer.kernels;
      const run = isMax ? k.f32MaxPool2d.bind(k) : k.f32AveragePool2d.bind(k);
      return (at) => {
        const src = at.ptr(x), dst = at.ptr(y);
        return () => run(src, dst, geom, min, max);
      };
    },
  };
}

export const floatMaxPool2d: OpImpl<'MaxPool2D'> = { prepare: (ctx, op) => preparePool(ctx, op, true) };
export const floatAveragePool2d: OpImpl<'AveragePool2D'> = { prepare: (ctx, op) => preparePool(ctx, op, false) };

export const floatMean: OpImpl<'Mean'> = {
  prepare(ctx, op) {
    expectArity(ctx, op.inputs, op.outputs, [1, 2]);
    const [x] = op.inputs, [y] = op.outputs;
    expectFloat(ctx, x, y);
    // The int8 helper's axis handling; its quantization fields are not used here.
    const { outer, reduce, inner } = meanParams(ctx.tensor(x).shape, op.options.axes, 1, 0, 1, 0);
    if (elementCount(ctx.tensor(y).shape) !== outer * inner) {
      ctx.fail('BAD_SHAPE', `${describe(ctx, y)} has shape [${ctx.tensor(y).shape}]; the mean has ${outer * inner} elements`);
    }
    return {
      weightBytes: 0,
      pack: ({ heap }) => {
        // float64 sums: one row of `inner`, shared by the sessions (runs never interleave).
        const acc = new Float64Array(inner);
        return (at) => {
          const mem = floatMemory(heap);
          const X = at.ptr(x) >> 2, Y = at.ptr(y) >> 2;
          return () => {
            const m = mem();
            for (let o = 0; o < outer; o++) {
              acc.fill(0);
              let p = X + o * reduce * inner;
              for (let r = 0; r < reduce; r++, p += inner) for (let i = 0; i < inner; i++) acc[i] += m[p + i];
              for (let i = 0; i < inner; i++) m[Y + o * inner + i] = acc[i] / reduce;
            }
          };
        };
      },
    };
  },
};
