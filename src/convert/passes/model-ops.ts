// Which wasmq model op (src/format/model.ts OpKind) each node of a passed NHWC graph becomes, so the converter
// can refuse, in one error listing all, what the format cannot express (e.g. a Transpose that changes element
// order, a grouped non-depthwise conv, HardSigmoid).
import type { OpKind } from '../../format/model.js';
import type { Graph, IrNode } from '../ir/graph.js';
import { ConvertError } from '../ir/errors.js';

/** The model op kind of a node, or a reason it has none. A fused 'hardswish' activation maps to its op plus a separate HardSwish. */
export function modelOpKind(g: Graph, node: IrNode): OpKind | { reason: string } {
  if (g.layout !== 'NHWC') return { reason: 'the graph is not NHWC yet (run the passes)' };
  switch (node.op) {
    case 'Conv': return node.attrs.group === 1 ? 'Conv2D' : { reason: `grouped convolution (group ${node.attrs.group}) that is not depthwise` };
    case 'DepthwiseConv': return 'DepthwiseConv2D';
    case 'FullyConnected': return 'FullyConnected';
    case 'Add': return 'Add';
    case 'Mul': return 'Mul';
    case 'AveragePool': return 'AveragePool2D';
    case 'MaxPool': return 'MaxPool2D';
    case 'Mean': return 'Mean';
    case 'Concat': return 'Concatenation';
    case 'Reshape': return 'Reshape';
    case 'Pad': return node.attrs.value === 0 ? 'Pad' : { reason: `padding with ${node.attrs.value} (only 0)` };
    case 'Softmax': {
      // the model's softmax runs over the last axis: legacy blocks qualify when the leading block dims are 1
      const shape = g.tensors.get(node.inputs[0])?.shape ?? [];
      const axis = node.attrs.axis < 0 ? node.attrs.axis + shape.length : node.attrs.axis;
      const lastOnly = node.attrs.legacy ? shape.slice(axis, -1).every((d) => d === 1) : axis === shape.length - 1;
      return lastOnly ? 'Softmax' : { reason: `softmax over axis ${node.attrs.axis}${node.attrs.legacy ? ' (flattened block)' : ''}, not the last axis` };
    }
    case 'Sigmoid': return 'Logistic';
    case 'Tanh': return 'Tanh';
    case 'HardSwish': return 'HardSwish';
    case 'LeakyRelu': return 'LeakyRelu';
    case 'Relu': return 'Relu';
    case 'Relu6': return 'Relu6';
    case 'Transpose': return { reason: 'a transpose that changes element order' };
    case 'Gemm': case 'MatMul': return { reason: 'a matrix product whose weights are not constant' };
    case 'Clip': return { reason: 'a clip other than [0, 6] or [0, inf)' };
    default: return { reason: `${node.op} is not a model op` };
  }
}

/** Throws one UNSUPPORTED_OPS error listing every node the wasmq format cannot express. */
export function assertModelOps(g: Graph): void {
  const bad = g.nodes.map((n) => [n, modelOpKind(g, n)] as const).filter(([, k]) => typeof k !== 'string');
  if (bad.length) {
    throw new ConvertError('UNSUPPORTED_OPS', `${bad.length} node(s) the wasmq format cannot express:\n${bad.map(([n, k]) => `  ${n.op} node '${n.name}': ${(k as { reason: string }).reason}`).join('\n')}`);
  }
}
