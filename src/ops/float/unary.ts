// Float32 elementwise activations and Softmax over the last axis: TypeScript loops over wasm memory.
import type { OpImpl, OpOf, PrepareContext, PreparedOp } from '../types.js';
import { elementCount, expectArity, expectShape } from '../common.js';
import { expectFloat, floatMemory } from './common.js';

type UnaryKind = 'Logistic' | 'Tanh' | 'HardSwish' | 'LeakyRelu' | 'Relu' | 'Relu6' | 'Softmax';

/** Checks a one-input op whose output has the input's shape; `loop(m, X, Y, n)` runs it on memory `m`. */
function prepareUnary(ctx: PrepareContext, op: OpOf<UnaryKind>, loop: (m: Float32Array, X: number, Y: number, n: number) => void): PreparedOp {
  expectArity(ctx, op.inputs, op.outputs, [1, 1]);
  const [x] = op.inputs, [y] = op.outputs;
  expectFloat(ctx, x, y);
  expectShape(ctx, y, ctx.tensor(x).shape);
  const n = elementCount(ctx.tensor(x).shape);
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

export const floatRelu: OpImpl<'Relu'> = {
  prepare: (ctx, op) => prepareUnary(ctx, op, (m, X, Y, n) => {
    for (let i = 0; i < n; i++) m[Y + i] = m[X + i] < 0 ? 0 : m[X + i];
  }),
};

export const floatRelu6: OpImpl<'Relu6'> = {
  prepare: (ctx, op) => prepareUnary(ctx, op, (m, X, Y, n) => {
    for (let i = 0; i < n; i++) {
      const v = m[X + i];
      m[Y + i] = v < 0 ? 0 : v > 6 ? 6 : v;
    }
  }),
};

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
