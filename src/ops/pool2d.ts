// MaxPool2D and AveragePool2D (NHWC int8): input and output share scale and zero point, one kernel call.
import type { OpImpl, OpOf, PrepareContext, PreparedOp } from './types.js';
import { activationRange, expectActivation, expectArity, expectDType, expectShape, perTensor, weightCost } from './common.js';
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
  if (qIn.scale !== qOut.scale || qIn.zeroPoint !== qOut.zeroPoint) {
    ctx.fail('BAD_QUANT', `input and output must share scale and zero point (pooling does not requantize)`);
  }
  const { qmin, qmax } = activationRange(op.options.activation, qOut);
  return {
    weightBytes: weightCost(POOL_DESCRIPTOR_BYTES),
    pack(packer) {
      const geom = packer.put(poolDescriptor(g));
      const kern = packer.kernels;
      const run = kind === 'max' ? kern.maxPool2d.bind(kern) : kern.averagePool2d.bind(kern);
      return (at) => {
        const src = at.ptr(x), dst = at.ptr(y);
        return () => run(src, dst, geom, qmin, qmax);
      };
    },
  };
}

export const maxPool2d: OpImpl<'MaxPool2D'> = { prepare: (ctx, op) => preparePool(ctx, op, 'max') };
export const averagePool2d: OpImpl<'AveragePool2D'> = { prepare: (ctx, op) => preparePool(ctx, op, 'avg') };
