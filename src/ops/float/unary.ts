// Float32 elementwise activations and Softmax over the last axis: Relu and Relu6 on the f32 clamp kernel, the
// rest TypeScript loops over wasm memory (rare in float CNNs, where the converter fuses activations).
import type { OpImpl, OpOf, PrepareContext, PreparedOp } from '../types.js';
import { elementCount, expectArity, expectShape } from '../common.js';
import { expectFloat, floatMemory } from './common.js';

type UnaryKind = 'Logistic' | 'Tanh' | 'HardSwish' | 'LeakyRelu' | 'Relu' | 'Relu6' | 'Softmax';

/** Checks a one-input op whose output has the input's shape. */
function checkUnary(ctx: PrepareContext, op: OpOf<UnaryKind>): { n: number; x: number; y: number } {
  expectArity(ctx, op.inputs, op.outputs, [1, 1]);
  const [x] = op.inputs, [y] = op.outputs;
  expectFloat(ctx, x, y);
  expectShape(ctx, y, ctx.tensor(x).shape);
  return { n: elementCount(ctx.tensor(x).shape), x, y };
}

/** A one-input op as a TypeScript loop: `loop(m, X, Y, n)` runs it on memory `m`. */
function prepareUnary(ctx: PrepareContext, op: OpOf<UnaryKind>, loop: (m: Float32Array, X: number, Y: number, n: number) => void): PreparedOp {
  const { n, x, y } = checkUnary(ctx, op);
  return {
    weightBytes: 0,
    pack: ({ heap }) => (at) => {
      const mem = floatMemory(heap);
      const X = at.ptr(x) >> 2, Y = at.ptr(y) >> 2;
      return () => loop(mem(), X, Y, n);
    },
  };
}

export const floatLogistic: OpImpl<'Logistic'> = {
  prepare: (ctx, op) => prepareUnary(ctx, op, (m, X, Y, n) => {
    for (let i = 0; i < n; i++) m[Y + i] = 1 / (1 + Math.exp(-m[X + i]));
  }),
};

export const floatTanh: OpImpl<'Tanh'> = {
  prepare: (ctx, op) => prepareUnary(ctx, op, (m, X, Y, n) => {
    for (let i = 0; i < n; i++) m[Y + i] = Math.tanh(m[X + i]);
  }),
};

export const floatHardSwish: OpImpl<'HardSwish'> = {
  prepare: (ctx, op) => prepareUnary(ctx, op, (m, X, Y, n) => {
    for (let i = 0; i < n; i++) {
      const v = m[X + i], r = v + 3;
      m[Y + i] = (v * (r < 0 ? 0 : r > 6 ? 6 : r)) / 6;
    }
  }),
};

export const floatLeakyRelu: OpImpl<'LeakyRelu'> = {
  prepare: (ctx, op) => {
    const alpha = op.options.alpha;
    return prepareUnary(ctx, op, (m, X, Y, n) => {
      for (let i = 0; i < n; i++) {
        const v = m[X + i];
        m[Y + i] = v > 0 ? v : alpha * v;
      }
    });
  },
};

/** Relu and Relu6: one f32Clamp kernel call. */
function prepareClamp(ctx: PrepareContext, op: OpOf<'Relu' | 'Relu6'>, max: number): PreparedOp {
  const { n, x, y } = checkUnary(ctx, op);
  return {
    weightBytes: 0,
    pack: ({ kernels: k }) => (at) => {
      const src = at.ptr(x), dst = at.ptr(y);
      return () => k.f32Clamp(src, dst, n, 0, max);
    },
  };
}

export const floatRelu: OpImpl<'Relu'> = { prepare: (ctx, op) => prepareClamp(ctx, op, Infinity) };
export const floatRelu6: OpImpl<'Relu6'> = { prepare: (ctx, op) => prepareClamp(ctx, op, 6) };

/** y = exp(beta * (x - max)) / sum over each row of the last axis. */
export const floatSoftmax: OpImpl<'Softmax'> = {
  prepare: (ctx, op) => {
    const shape = ctx.tensor(op.inputs[0]).shape;
    const row = shape[shape.length - 1] ?? 1;
    const beta = op.options.beta;
    return prepareUnary(ctx, op, (m, X, Y, n) => {
      for (let r = 0; r < n; r += row) {
        let top = -Infinity;
        for (let i = r; i < r + row; i++) top = Math.max(top, m[X + i]);
        let sum = 0;
        for (let i = r; i < r + row; i++) {
          const e = Math.exp(beta * (m[X + i] - top));
          m[Y + i] = e;
          sum += e;
        }
        const inv = 1 / sum;
        for (let i = r; i < r + row; i++) m[Y + i] *= inv;
      }
    });
  },
};
