// Constant folding: every node whose inputs are all constants (or whose outputs shape inference already knows,
// like Shape of a static tensor) is evaluated once and replaced by its outputs as constants.
import { cloneGraph, isConstant, removeDeadNodes, type Graph } from '../ir/graph.js';
import { evalNode } from '../ir/execute.js';
import { inferShapes } from '../ir/shape.js';
import type { Value } from '../ir/ops/types.js';

export function foldConstants(graph: Graph): Graph {
  const g = inferShapes(cloneGraph(graph));
  const kept = [];
  for (const node of g.nodes) {
    const outs = node.outputs.filter((o) => o !== '');
    // shape inference already propagated the value (Shape, and integer Gather/Concat/... chains)
    if (outs.every((o) => isConstant(g, o))) continue;
    if (node.inputs.length === 0 || !node.inputs.every((i) => i === '' || isConstant(g, i))) {
      kept.push(node);
      continue;
    }
    const ins = node.inputs.map((i) => (i === '' ? undefined : (g.tensors.get(i) as Value)));
    const values = evalNode(node, ins, g.layout, 'float32');
    node.outputs.forEach((o, k) => {
      if (o === '' || !values[k]) return;
      g.tensors.set(o, { ...g.tensors.get(o)!, shape: values[k].shape, dtype: values[k].dtype, data: values[k].data });
    });
  }
  g.nodes = kept;
  removeDeadNodes(g);
  return g;
}
