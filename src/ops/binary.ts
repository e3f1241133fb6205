// Add and Mul (TFLite int8 schemes) with broadcasting; either operand may be a constant, placed once in the
// weights region. One kernel call on a descriptor built at prepare time.
import type { OpImpl, OpOf, PrepareContext, PreparedOp } from './types.js';
import { constInt8, describe, expectArity, expectDType, fusedClamp, perTensor, weightCost } from './common.js';
import { addParams, binaryDescriptor, broadcast4, mulParams, BINARY_DESCRIPTOR_BYTES } from '../runtime/kernels/elementwise.js';

function prepareBinary(ctx: PrepareContext, op: OpOf<'Add' | 'Mul'>): PreparedOp {
  expectArity(ctx, op.inputs, op.outputs, [2, 2]);
  const [a, b] = op.inputs, [y] = op.outputs;
  for (const t of [a, b, y]) expectDType(ctx, t, 'int8');
  const bc = broadcast4(ctx.tensor(a).shape, ctx.tensor(b).shape, op.kind);
  const outShape = ctx.tensor(y).shape;
  if (outShape.length !== bc.outShape.length || outShape.some((d, i) => d !== bc.outShape[i])) {
    ctx.fail('BAD_SHAPE', `${describe(ctx, y)} has shape [${outShape}]; the broadcast of the inputs is [${bc.outShape}]`);
  }
  const qa = perTensor(ctx, a), qb = perTensor(ctx, b), qy = perTensor(ctx, y);
  const make = op.kind === 'Add' ? addParams : mulParams;
  const params = make(qa.scale, qa.zeroPoint, qb.scale, qb.zeroPoint, qy.scale, qy.zeroPoint);
  const { qmin, qmax } = fusedClamp(op.options.activation, qy);
  const desc = binaryDescriptor(bc, params, qmin, qmax);
  const constants = [a, b].map((t) => (ctx.tensor(t).buffer !== undefined ? constInt8(ctx, t) : null));
  return {
    weightBytes: weightCost(BINARY_DESCRIPTOR_BYTES) + constants.reduce((s, c) => s + (c ? weightCost(c.byteLength) : 0), 0),
    pack(packer) {
      const descPtr = packer.put(desc);
      const constPtrs = constants.map((c) => (c ? packer.put(c) : -1));
      const k = packer.kernels;
      const run = op.kind === 'Add' ? k.addInt8.bind(k) : k.mulInt8.bind(k);
      return (at) => {
        const pa = constPtrs[0] >= 0 ? constPtrs[0] : at.ptr(a), pb = constPtrs[1] >= 0 ? constPtrs[1] : at.ptr(b), out = at.ptr(y);
        return () => run(pa, pb, out, descPtr);
      };
    },
  };
}

export const add: OpImpl<'Add'> = { prepare: prepareBinary };
export const mul: OpImpl<'Mul'> = { prepare: prepareBinary };
