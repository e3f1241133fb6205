// Relu, Clip(0, 6), Clip(0, ∞) and HardSwish fuse into the Conv / DepthwiseConv / FullyConnected / Add that
// produces their input when nothing else reads it. Standalone Clip(0, 6) becomes Relu6 and Clip(0, ∞) Relu.
import type { IrActivation } from '../ir/graph.js';
import { cloneGraph, consumerCount, producerOf, removeDeadNodes, tensorOf, type Graph, type IrNode } from '../ir/graph.js';
import { clipBounds } from '../ir/ops/elementwise.js';
import { inferShapes } from '../ir/shape.js';

function activationOf(g: Graph, node: IrNode): IrActivation | undefined {
  if (node.op === 'Relu') return 'relu';
  if (node.op === 'Relu6') return 'relu6';
  if (node.op === 'HardSwish') return 'hardswish';
  if (node.op !== 'Clip') return undefined;
  const ins = node.inputs.map((i) => (i === '' ? undefined : tensorOf(g, i)));
  if (ins.slice(1).some((t) => t && !t.data)) return undefined;
  const [lo, hi] = clipBounds(node, ins.map((t) => t && { shape: t.shape!, dtype: t.dtype, data: t.data }));
  if (lo !== 0) return undefined;
  return hi === 6 ? 'relu6' : hi === Infinity ? 'relu' : undefined;
}

const FUSES_INTO = new Set(['Conv', 'DepthwiseConv', 'FullyConnected', 'Add']);

export function fuseActivations(graph: Graph): Graph {
  const g = inferShapes(cloneGraph(graph));
  const removed = new Set<IrNode>();
  for (const node of g.nodes) {
    const act = activationOf(g, node);
    if (!act) continue;
    const x = node.inputs[0];
    const p = producerOf(g, x);
    if (p && FUSES_INTO.has(p.op) && (p.attrs as { activation: IrActivation }).activation === 'none' && consumerCount(g, x) === 1) {
      (p.attrs as { activation: IrActivation }).activation = act;
      p.outputs = [node.outputs[0]];
      removed.add(node);
    } else if (node.op === 'Clip') {
      const op = act === 'relu' ? 'Relu' : 'Relu6';
      if (act === 'relu' || act === 'relu6') Object.assign(node, { op, inputs: [x], attrs: {} });
    }
  }
  g.nodes = g.nodes.filter((n) => !removed.has(n));
  removeDeadNodes(g);
  return g;
}
