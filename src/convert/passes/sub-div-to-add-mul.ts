// Sub and Div by a constant become Add and Mul (x - c = x + (-c), x / c = x * (1/c)), which the converter has
// kernels for; the constant moves to the second input. Sub with the activation second (c - x) stays.
import { addConstant, cloneGraph, isConstant, removeDeadNodes, tensorOf, type Graph, type IrNode } from '../ir/graph.js';

export function subDivToAddMul(graph: Graph): Graph {
  const g = cloneGraph(graph);
  g.nodes = g.nodes.map((node): IrNode => {
    if ((node.op !== 'Sub' && node.op !== 'Div') || !isConstant(g, node.inputs[1]) || isConstant(g, node.inputs[0])) return node;
    const c = tensorOf(g, node.inputs[1]);
    if (c.dtype !== 'float32') return node;
    const data = Float32Array.from(c.data!, (v) => (node.op === 'Sub' ? -v : 1 / v));
    const k = addConstant(g, `${c.name}_${node.op === 'Sub' ? 'negated' : 'reciprocal'}`, c.shape!, data);
    return { name: node.name, op: node.op === 'Sub' ? 'Add' : 'Mul', inputs: [node.inputs[0], k], outputs: [...node.outputs], attrs: { activation: 'none' } };
  });
  removeDeadNodes(g);
  return g;
}
