// A zero Pad of only the spatial dimensions, read only by a Conv, becomes the Conv's padding (TensorFlow-style
// exports pad explicitly before strided convs). Run after paramsToAttrs, before the layout pass (NCHW pads).
import { cloneGraph, consumersOf, removeDeadNodes, type Graph, type IrNode } from '../ir/graph.js';

export function foldPadIntoConv(graph: Graph): Graph {
  const g = cloneGraph(graph);
  const drop = new Set<IrNode>();
  for (const pad of g.nodes) {
    if (pad.op !== 'Pad' || g.layout !== 'NCHW' || pad.inputs.length !== 1 || pad.attrs.value !== 0 || !pad.attrs.pads) continue;
    const p = pad.attrs.pads;
    // [n, c, h, w] begins then ends: only h and w, never negative (a crop)
    if (p.length !== 8 || p[0] || p[1] || p[4] || p[5] || p.some((v) => v < 0)) continue;
    const readers = consumersOf(g, pad.outputs[0]);
    if (g.outputs.includes(pad.outputs[0]) || readers.length === 0) continue;
    if (!readers.every((r) => r.op === 'Conv' && r.inputs[0] === pad.outputs[0] && r.attrs.autoPad === 'NOTSET')) continue;
    for (const conv of readers) {
      if (conv.op !== 'Conv') continue;
      const [t, l, b, r] = conv.attrs.pads;
      conv.attrs.pads = [t + p[2], l + p[3], b + p[6], r + p[7]];
      conv.inputs[0] = pad.inputs[0];
    }
    drop.add(pad);
  }
  g.nodes = g.nodes.filter((n) => !drop.has(n));
  removeDeadNodes(g);
  return g;
}
