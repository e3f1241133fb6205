// Identity and Dropout (inference) pass data through: readers of their output read their input instead. When
// the output is a graph output, the producer's output takes that name so graph output names are kept.
import { cloneGraph, pruneTensors, replaceUses, type Graph } from '../ir/graph.js';

export function removeIdentities(graph: Graph): Graph {
  const g = cloneGraph(graph);
  for (const node of [...g.nodes]) {
    if (node.op !== 'Identity' && node.op !== 'Dropout') continue;
    const [x] = node.inputs, [y] = node.outputs;
    if (g.outputs.includes(y)) {
      // keep a graph-input-to-output copy (nothing else can carry the name), else rename the input to y
      if (g.inputs.includes(x) || g.outputs.includes(x)) continue;
      g.nodes = g.nodes.filter((n) => n !== node);
      for (const n of g.nodes) {
        n.inputs = n.inputs.map((i) => (i === x ? y : i));
        n.outputs = n.outputs.map((o) => (o === x ? y : o));
      }
      const t = g.tensors.get(x)!;
      g.tensors.set(y, { ...t, name: y });
      g.tensors.delete(x);
    } else {
      g.nodes = g.nodes.filter((n) => n !== node);
      replaceUses(g, y, x);
    }
  }
  pruneTensors(g);
  return g;
}
