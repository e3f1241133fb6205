// MaxPool2D and AveragePool2D (NHWC int8): input and output share scale and zero point, one kernel call.
import type { OpImpl, OpOf, PrepareContext, PreparedOp } from './types.js';
import { elementCount, fusedClamp, expectActivation, expectArity, expectDType, expectShape, perTensor, weightCost } from './common.js';
import { requantTable, sameQuant } from './requant-table.js';
import { poolDescriptor, poolGeometry, POOL_DESCRIPTOR_BYTES } from '../runtime/kernels/pool.js';

function preparePool(ctx: PrepareContext, op: OpOf<'MaxPool2D' | 'AveragePool2D'>, kind: 'max' | 'avg'): PreparedOp {
  expectArity(ctx, op.inputs, op.outputs, [1, 1]);
  const [x] = op.inputs, [y] = op.outputs;
  expectActivation(ctx, x);
  expectDType(ctx, x, 'int8');
  expectDType(ctx, y, 'int8');
  const g = poolGeometry(ctx.tensor(x).shape, op.options, op.kind);
  expectShape(ctx, y, [g.batch, g.outH, g.outW, g.channels]);
  const qIn = perTensor(ctx, x), qOut = perTensor(ctx, y);
  // The kernels pool in the input's quantization; other output parameters take a table pass afterwards,
  // which also applies the fused activation.
  const table = sameQuant(qIn, qOut) ? null : requantTable(qIn, qOut, op.options.activation);
  const { qmin, qmax } = table ? { qmin: -128, qmax: 127 } : fusedClamp(op.options.activation, qOut);
  const n = elementCount(ctx.tensor(y).shape);
  return {
    weightBytes: weightCost(POOL_DESCRIPTOR_BYTES) + (table ? weightCost(table.byteLength) : 0),
    pack(packer) {
      const geom = packer.put(poolDescriptor(g));
      const tablePtr = table ? packer.put(table) : 0;
      const kern = packer.kernels;
      const run = kind === 'max' ? kern.maxPool2d.bind(kern) : kern.averagePool2d.bind(kern);
      return (at) => {
        const src = at.ptr(x), dst = at.ptr(y);
        if (!table) return () => run(src, dst, geom, qmin, qmax);
        return () => {
          run(src, dst, geom, qmin, qmax);
          kern.lut8(dst, dst, n, tablePtr);
        };
      };
    },
  };
}

export const maxPool2d: OpImpl<'MaxPool2D'> = { prepare: (ctx, op) => preparePool(ctx, op, 'max') };
export const averagePool2d: OpImpl<'AveragePool2D'> = { prepare: (ctx, op) => preparePool(ctx, op, 'avg') };
