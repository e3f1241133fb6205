// Float32 MaxPool2D, AveragePool2D (padding excluded from the average, as TFLite) and Mean over contiguous
// axes. TypeScript loops over wasm memory: pools are a small share of a CNN's time.
import type { OpImpl, OpOf, PrepareContext, PreparedOp } from '../types.js';
import { describe, elementCount, expectArity, expectShape } from '../common.js';
import { meanParams, poolGeometry } from '../../runtime/kernels/pool.js';
import { expectFloat, floatClamp, floatMemory } from './common.js';

function preparePool(ctx: PrepareContext, op: OpOf<'MaxPool2D' | 'AveragePool2D'>, max: boolean): PreparedOp {
  expectArity(ctx, op.inputs, op.outputs, [1, 1]);
  const [x] = op.inputs, [y] = op.outputs;
  expectFloat(ctx, x, y);
  const g = poolGeometry(ctx.tensor(x).shape, op.options, op.kind);
  expectShape(ctx, y, [g.batch, g.outH, g.outW, g.channels]);
  const clamp = floatClamp(op.options.activation);
  const C = g.channels;
  return {
    weightBytes: 0,
    pack: ({ heap }) => (at) => {
      const mem = floatMemory(heap);
      const X = at.ptr(x) >> 2, Y = at.ptr(y) >> 2;
      return () => {
        const m = mem();
        let o = Y;
        for (let n = 0; n < g.batch; n++) {
          for (let oy = 0; oy < g.outH; oy++) {
            const y0 = Math.max(0, oy * g.strideH - g.padTop), y1 = Math.min(g.inH, oy * g.strideH - g.padTop + g.filterH);
            for (let ox = 0; ox < g.outW; ox++, o += C) {
              const x0 = Math.max(0, ox * g.strideW - g.padLeft), x1 = Math.min(g.inW, ox * g.strideW - g.padLeft + g.filterW);
              m.fill(max ? -Infinity : 0, o, o + C);
              for (let iy = y0; iy < y1; iy++) {
                for (let ix = x0; ix < x1; ix++) {
                  const p = X + ((n * g.inH + iy) * g.inW + ix) * C;
                  if (max) for (let c = 0; c < C; c++) m[o + c] = Math.max(m[o + c], m[p + c]);
                  else for (let c = 0; c < C; c++) m[o + c] += m[p + c];
                }
              }
              const scale = max ? 1 : 1 / ((y1 - y0) * (x1 - x0));
              for (let c = 0; c < C; c++) {
                const v = m[o + c] * scale;
                m[o + c] = v < clamp.min ? clamp.min : v > clamp.max ? clamp.max : v;
              }
            }
          }
        }
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
