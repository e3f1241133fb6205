// Float32 Concatenation (fused activation clamps; constant pieces allowed) and Pad (zeros): copies within wasm memory.
import type { OpImpl } from '../types.js';
import { constFloat32, elementCount, expectArity, expectShape, weightCost } from '../common.js';
import { normalizeAxis } from '../../format/shape-math.js';
import { expectFloat, floatClamp, floatMemory } from './common.js';

export const floatConcatenation: OpImpl<'Concatenation'> = {
  prepare(ctx, op) {
    expectArity(ctx, op.inputs, op.outputs, [1, Infinity]);
    const [y] = op.outputs;
    expectFloat(ctx, y);
    // Constant pieces (e.g. a learned token concatenated to features) are placed once in the weights region.
    const constants = op.inputs.map((i) => (ctx.tensor(i).buffer !== undefined ? constFloat32(ctx, i) : null));
    op.inputs.forEach((i, k) => { if (!constants[k]) expectFloat(ctx, i); });
    const first = ctx.tensor(op.inputs[0]).shape;
    const axis = normalizeAxis(op.options.axis, first.length);
    if (axis < 0) ctx.fail('BAD_OPTIONS', `axis ${op.options.axis} is out of range for rank ${first.length}`);
    let total = 0;
    for (const i of op.inputs) {
      const s = ctx.tensor(i).shape;
      if (s.length !== first.length || s.some((d, k) => k !== axis && d !== first[k])) ctx.fail('BAD_SHAPE', `input shapes [${s}] and [${first}] differ outside axis ${axis}`);
      total += s[axis];
    }
    expectShape(ctx, y, first.map((d, k) => (k === axis ? total : d)));
    const outer = elementCount(first.slice(0, axis)), inner = elementCount(first.slice(axis + 1));
    // Per input, the block it contributes to each outer slice of the output.
    const chunks = op.inputs.map((i) => ctx.tensor(i).shape[axis] * inner);
    const outChunk = total * inner;
    const { min, max } = floatClamp(op.options.activation);
    const clamps = op.options.activation !== 'none';
    return {
      weightBytes: constants.reduce((sum, c) => sum + (c ? weightCost(c.byteLength) : 0), 0),
      pack: (packer) => {
        const placed = constants.map((c) => (c ? packer.put(c) : -1));
        return (at) => {
          const mem = floatMemory(packer.heap);
          const srcs = op.inputs.map((i, k) => (constants[k] ? placed[k] : at.ptr(i)) >> 2), Y = at.ptr(y) >> 2;
          return () => {
            const m = mem();
            for (let o = 0; o < outer; o++) {
              let dst = Y + o * outChunk;
              for (let k = 0; k < srcs.length; k++) {
                const src = srcs[k] + o * chunks[k];
                m.copyWithin(dst, src, src + chunks[k]);
                dst += chunks[k];
              }
            }
            if (clamps) for (let i = Y, end = Y + outer * outChunk; i < end; i++) m[i] = m[i] < min ? min : m[i] > max ? max : m[i];
          };
        };
      },
    };
  },
};

export const floatPad: OpImpl<'Pad'> = {
  prepare(ctx, op) {
    expectArity(ctx, op.inputs, op.outputs, [1, 1]);
    const [x] = op.inputs, [y] = op.outputs;
    expectFloat(ctx, x, y);
    const shape = ctx.tensor(x).shape, pads = op.options.pads;
    if (pads.length !== 2 * shape.length) ctx.fail('BAD_OPTIONS', `pads hold ${pads.length} values, expected ${2 * shape.length}`);
    const outShape = shape.map((d, k) => d + pads[2 * k] + pads[2 * k + 1]);
    expectShape(ctx, y, outShape);
    const rank = shape.length, last = shape[rank - 1] ?? 1;
    const outStrides = outShape.map((_, k) => elementCount(outShape.slice(k + 1)));
    // Output offset of each input row (the last dim is contiguous in both), in input row order.
    const rows = elementCount(shape) / last;
    const rowDst = new Int32Array(rows);
    const idx = new Array<number>(Math.max(rank - 1, 0)).fill(0);
    for (let r = 0; r < rows; r++) {
      let off = rank > 0 ? pads[2 * (rank - 1)] : 0;
      for (let k = 0; k < rank - 1; k++) off += (idx[k] + pads[2 * k]) * outStrides[k];
      rowDst[r] = off;
      for (let k = rank - 2; k >= 0 && ++idx[k] === shape[k]; k--) idx[k] = 0;
    }
    const outN = elementCount(outShape);
    return {
      weightBytes: 0,
      pack: ({ heap }) => (at) => {
        const mem = floatMemory(heap);
        const X = at.ptr(x) >> 2, Y = at.ptr(y) >> 2;
        return () => {
          const m = mem();
          m.fill(0, Y, Y + outN);
          for (let r = 0; r < rows; r++) m.copyWithin(Y + rowDst[r], X + r * last, X + (r + 1) * last);
        };
      },
    };
  },
};
