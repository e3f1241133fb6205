// x * HardSigmoid(x; alpha = 1/6, beta = 0.5) is HardSwish (how exporters before opset 14 write it, e.g.
// MobileNetV3): the pair becomes one HardSwish node when the HardSigmoid has no other reader.
import { cloneGraph, consumerCount, producerOf, removeDeadNodes, type Graph, type IrNode } from '../ir/graph.js';

const near = (a: number, b: number) => Math.abs(a - b) <= 1e-6;

export function fuseHardSwishPattern(graph: Graph): Graph {
  const g = cloneGraph(graph);
  const drop = new Set<IrNode>();
  g.nodes = g.nodes.map((mul): IrNode => {
    if (mul.op !== 'Mul' || mul.attrs.activation !== 'none') return mul;
    for (const [k, other] of [[0, 1], [1, 0]]) {
      const hs = producerOf(g, mul.inputs[k]);
      if (hs?.op !== 'HardSigmoid' || hs.inputs[0] !== mul.inputs[other]) continue;
      if (!near(hs.attrs.alpha, 1 / 6) || !near(hs.attrs.beta, 0.5) || consumerCount(g, hs.outputs[0]) !== 1) continue;
      drop.add(hs);
      return { name: mul.name, op: 'HardSwish', inputs: [mul.inputs[other]], outputs: [...mul.outputs], attrs: {} };
    }
    return mul;
  });
  g.nodes = g.nodes.filter((n) => !drop.has(n));
  removeDeadNodes(g);
  return g;
}
