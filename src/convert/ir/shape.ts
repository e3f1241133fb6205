// Shape inference: walks the nodes in order and gives every tensor its static shape and type. Values of shape
// computations (Shape, Gather/Concat/Slice/Cast of integer constants, ...) are propagated as data, so a
// Reshape whose target is computed from Shape gets a static shape. Auto-padding is made explicit.
import { cloneGraph, type Graph, type IrNode } from './graph.js';
import { ConvertError } from './errors.js';
import { opDef } from './ops/registry.js';
import { nchwDims, windowOutput } from './ops/spatial.js';
import { isFloat, type InferInput, type Value } from './ops/types.js';
import { evalNode } from './execute.js';

/** Largest tensor the IR accepts (elements), so forged attributes cannot ask for gigabytes downstream. */
export const MAX_ELEMENTS = 1 << 28;

/** Replaces auto_pad with explicit pads once the input shape is known. */
function resolveAutoPad(g: Graph, node: IrNode, inShape: number[], weightShape?: number[]): void {
  if (node.op !== 'Conv' && node.op !== 'MaxPool' && node.op !== 'AveragePool') return;
  if (node.attrs.autoPad === 'NOTSET') return;
  const [, , H, W] = nchwDims(inShape, g.layout);
  const kernel: [number, number] = node.op === 'Conv'
    ? (g.layout === 'NCHW' ? [weightShape![2], weightShape![3]] : [weightShape![1], weightShape![2]])
    : node.attrs.kernel;
  const dilations = node.op === 'Conv' ? node.attrs.dilations : [1, 1] as [number, number];
  node.attrs.pads = windowOutput({ kernel, strides: node.attrs.strides, dilations, pads: node.attrs.pads, autoPad: node.attrs.autoPad }, [H, W]).pads;
  node.attrs.autoPad = 'NOTSET';
}

/** A new graph with every tensor's shape inferred; throws DYNAMIC_SHAPE / SHAPE_MISMATCH / NOT_CONSTANT. */
export function inferShapes(graph: Graph): Graph {
  const g = cloneGraph(graph);
  for (const name of g.inputs) {
    if (!g.tensors.get(name)?.shape) throw new ConvertError('DYNAMIC_SHAPE', `graph input '${name}' has no static shape (give it with inputShapes)`);
  }
  for (const node of g.nodes) {
    const ins: (InferInput | undefined)[] = node.inputs.map((name) => {
      if (name === '') return undefined;
      const t = g.tensors.get(name);
      if (!t) throw new ConvertError('DANGLING_EDGE', `${node.op} node '${node.name}': input '${name}' is not produced by any node`);
      if (!t.shape) throw new ConvertError('DYNAMIC_SHAPE', `${node.op} node '${node.name}': input '${name}' has no shape`);
      return { shape: t.shape, dtype: t.dtype, data: t.data };
    });
    if (ins[0]) resolveAutoPad(g, node, ins[0].shape, ins[1]?.shape);
    let outs = opDef(node).infer(node as never, ins, g.layout);
    // integer results of constant inputs are shape computations: propagate their values too
    const known = node.inputs.length > 0 && ins.every((i, k) => node.inputs[k] === '' || i?.data);
    if (known && outs.some((o) => !o.data) && outs.every((o) => !isFloat(o.dtype))) {
      outs = evalNode(node, ins as Value[], g.layout, 'float64');
    }
    for (const o of outs) {
      if (o.shape.some((d) => !Number.isSafeInteger(d) || d < 0) || o.shape.reduce((a, d) => a * d, 1) > MAX_ELEMENTS) {
        throw new ConvertError('SHAPE_MISMATCH', `${node.op} node '${node.name}': output shape [${o.shape}] is invalid or larger than ${MAX_ELEMENTS} elements`);
      }
    }
    node.outputs.forEach((name, i) => {
      const o = outs[i];
      if (name === '' || !o) return;
      const t = g.tensors.get(name) ?? { name, dtype: o.dtype };
      g.tensors.set(name, { ...t, dtype: o.dtype, shape: o.shape, data: o.data ?? t.data });
    });
  }
  for (const name of g.outputs) {
    if (!g.tensors.get(name)?.shape) throw new ConvertError('DANGLING_EDGE', `graph output '${name}' is not produced by any node`);
  }
  return g;
}
