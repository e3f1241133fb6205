// Parameters that newer opsets pass as constant inputs move into attributes, so every later consumer (layout
// pass, converter) reads one place: Clip min/max, Pad pads/value, Mean axes. Non-constant parameters are a
// NOT_CONSTANT error naming the node.
import { cloneGraph, removeDeadNodes, tensorOf, type Graph, type IrNode } from '../ir/graph.js';
import { ConvertError } from '../ir/errors.js';

export function paramsToAttrs(graph: Graph): Graph {
  const g = cloneGraph(graph);
  const constant = (node: IrNode, i: number, what: string): number[] | undefined => {
    const name = node.inputs[i];
    if (name === undefined || name === '') return undefined;
    const t = tensorOf(g, name);
    if (!t.data) throw new ConvertError('NOT_CONSTANT', `${node.op} node '${node.name}': ${what} ('${name}') must be a constant`);
    return Array.from(t.data);
  };
  for (const node of g.nodes) {
    if (node.op === 'Clip' && node.inputs.length > 1) {
      node.attrs.min = constant(node, 1, 'min')?.[0] ?? node.attrs.min;
      node.attrs.max = constant(node, 2, 'max')?.[0] ?? node.attrs.max;
      node.inputs = [node.inputs[0]];
    } else if (node.op === 'Pad' && node.inputs.length > 1) {
      node.attrs.pads = constant(node, 1, 'pads') ?? node.attrs.pads;
      node.attrs.value = constant(node, 2, 'constant_value')?.[0] ?? node.attrs.value;
      node.inputs = [node.inputs[0]];
    } else if (node.op === 'Mean' && node.inputs.length > 1) {
      node.attrs.axes = constant(node, 1, 'axes');
      node.inputs = [node.inputs[0]];
    }
  }
  removeDeadNodes(g);
  return g;
}
