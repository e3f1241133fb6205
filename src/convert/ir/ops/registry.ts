// Every IR op's definition, by kind.
import type { IrNode } from '../graph.js';
import type { OpDef, OpTable } from './types.js';
import { Conv, DepthwiseConv } from './conv.js';
import { AveragePool, MaxPool, Mean } from './pool.js';
import { FullyConnected, Gemm, MatMul } from './matrix.js';
import { Add, BatchNorm, Clip, Div, Dropout, HardSigmoid, HardSwish, Identity, LeakyRelu, Mul, Relu, Relu6, Sigmoid, Sub, Tanh } from './elementwise.js';
import { Cast, Concat, ConstantOfShape, Flatten, Gather, Pad, Reshape, Shape, Slice, Softmax, Squeeze, Transpose, Unsqueeze } from './shape-ops.js';

export const OPS: OpTable = {
  Conv, DepthwiseConv, FullyConnected, Gemm, MatMul, BatchNorm, Add, Mul, Sub, Div, Relu, Relu6, Clip, LeakyRelu,
  Sigmoid, HardSigmoid, HardSwish, Tanh, Concat, MaxPool, AveragePool, Mean, Reshape, Flatten, Squeeze, Unsqueeze,
  Transpose, Pad, Softmax, Identity, Dropout, Shape, Gather, Slice, Cast, ConstantOfShape,
};

/** The definition of a node's op, typed loosely so callers can dispatch on any node. */
export function opDef(node: IrNode): OpDef<IrNode['op']> {
  return OPS[node.op] as unknown as OpDef<IrNode['op']>;
}
