// Element-wise functions of one int8 tensor: a 256-entry lookup table (QUANTIZATION.md §3), or a plain clamp
// for Relu / Relu6 when input and output share their quantization. One kernel call either way.
import type { OpImpl, OpOf, PrepareContext, PreparedOp } from './types.js';
import { elementCount, expectActivation, expectArity, expectDType, expectShape, fusedClamp, perTensor, weightCost } from './common.js';
import { hardSwishLut, leakyReluLut, logisticLut, relu6Lut, reluLut, tanhLut, type LutQuant } from '../quant/lut.js';

type UnaryKind = 'Logistic' | 'Tanh' | 'HardSwish' | 'LeakyRelu' | 'Relu' | 'Relu6';

function table(op: OpOf<UnaryKind>, qIn: LutQuant, qOut: LutQuant): Uint8Array {
  switch (op.kind) {
    case 'Logistic': return logisticLut(qIn, qOut);
    case 'Tanh': return tanhLut(qIn, qOut);
    case 'HardSwish': return hardSwishLut(qIn, qOut);
    case 'LeakyRelu': return leakyReluLut(op.options.alpha, qIn, qOut);
    case 'Relu': return reluLut(qIn, qOut);
    case 'Relu6': return relu6Lut(qIn, qOut);
  }
}

function prepareUnary(ctx: PrepareContext, op: OpOf<UnaryKind>): PreparedOp {
  expectArity(ctx, op.inputs, op.outputs, [1, 1]);
  const [x] = op.inputs, [y] = op.outputs;
  expectActivation(ctx, x);
  expectDType(ctx, x, 'int8');
  expectDType(ctx, y, 'int8');
  expectShape(ctx, y, ctx.tensor(x).shape);
  const n = elementCount(ctx.tensor(x).shape);
  const qIn = perTensor(ctx, x), qOut = perTensor(ctx, y);
  const sameQuant = qIn.scale === qOut.scale && qIn.zeroPoint === qOut.zeroPoint;
  if (sameQuant && (op.kind === 'Relu' || op.kind === 'Relu6')) {
    const { qmin, qmax } = fusedClamp(op.kind === 'Relu' ? 'relu' : 'relu6', qOut);
    return {
      weightBytes: 0,
      pack: ({ kernels: k }) => (at) => {
        const src = at.ptr(x), dst = at.ptr(y);
        return () => k.clamp8(src, dst, n, qmin, qmax);
      },
    };
  }
  const lut = table(op, qIn, qOut);
  return {
    weightBytes: weightCost(lut.byteLength),
    pack(packer) {
      const tablePtr = packer.put(lut);
      const k = packer.kernels;
      return (at) => {
        const src = at.ptr(x), dst = at.ptr(y);
        return () => k.lut8(src, dst, n, tablePtr);
      };
    },
  };
}

export const logistic: OpImpl<'Logistic'> = { prepare: prepareUnary };
export const tanh: OpImpl<'Tanh'> = { prepare: prepareUnary };
export const hardSwish: OpImpl<'HardSwish'> = { prepare: prepareUnary };
export const leakyRelu: OpImpl<'LeakyRelu'> = { prepare: prepareUnary };
export const relu: OpImpl<'Relu'> = { prepare: prepareUnary };
export const relu6: OpImpl<'Relu6'> = { prepare: prepareUnary };
