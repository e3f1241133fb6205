// Flatten, Reshape, Squeeze, Unsqueeze and layout no-op Transposes (moving only size-1 dimensions) all become
// Reshape with a static target shape and a single input.
import { cloneGraph, removeDeadNodes, shapeOf, type Graph, type IrNode } from '../ir/graph.js';
import { inferShapes } from '../ir/shape.js';

/** True when the permutation keeps every dimension larger than 1 in its order (memory order unchanged). */
export function isNoOpTranspose(shape: readonly number[], perm: readonly number[]): boolean {
  const moved = perm.filter((p) => shape[p] !== 1);
  return moved.every((p, i) => i === 0 || p > moved[i - 1]);
}

export function canonicalizeReshapes(graph: Graph): Graph {
  const g = inferShapes(cloneGraph(graph));
  g.nodes = g.nodes.map((node): IrNode => {
    const reshapeLike = node.op === 'Flatten' || node.op === 'Reshape' || node.op === 'Squeeze' || node.op === 'Unsqueeze';
    const noOpTranspose = node.op === 'Transpose' && isNoOpTranspose(shapeOf(g, node.inputs[0]), node.attrs.perm ?? [...shapeOf(g, node.inputs[0]).keys()].reverse());
    if (!reshapeLike && !noOpTranspose) return node;
    return { name: node.name, op: 'Reshape', inputs: [node.inputs[0]], outputs: [node.outputs[0]], attrs: { shape: [...shapeOf(g, node.outputs[0])], allowZero: true } };
  });
  removeDeadNodes(g);
  return g;
}
