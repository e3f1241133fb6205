// Gemm and MatMul with constant weights become FullyConnected with weights [N, K] (B's transposes folded into
// the layout, alpha into the weights, beta * C into the bias); a MatMul followed by the Add of a constant [N]
// vector takes it as its bias.
import { addConstant, cloneGraph, consumersOf, isConstant, removeDeadNodes, shapeOf, tensorOf, type Graph, type IrNode } from '../ir/graph.js';
import { inferShapes } from '../ir/shape.js';

function weightsNK(data: ArrayLike<number>, rows: number, cols: number, transposed: boolean, scale: number): Float32Array {
  // transposed: data is already [N, K] = [rows, cols]; else data is [K, N] and is transposed
  const out = new Float32Array(rows * cols);
  if (transposed) for (let i = 0; i < out.length; i++) out[i] = data[i] * scale;
  else for (let k = 0; k < rows; k++) for (let n = 0; n < cols; n++) out[n * rows + k] = data[k * cols + n] * scale;
  return out;
}

export function gemmToFullyConnected(graph: Graph): Graph {
  const g = inferShapes(cloneGraph(graph));
  const out: IrNode[] = [];
  const skip = new Set<IrNode>();
  for (const node of g.nodes) {
    if (skip.has(node)) continue;
    if (node.op === 'Gemm' && !node.attrs.transA && isConstant(g, node.inputs[1])) {
      const [x, b, c] = node.inputs;
      const bt = tensorOf(g, b);
      const [r, cl] = bt.shape!;
      const N = node.attrs.transB ? r : cl;
      const cShape = c ? shapeOf(g, c) : undefined;
      const cOk = !c || (isConstant(g, c) && cShape!.reduce((a, d) => a * d, 1) === N && cShape![cShape!.length - 1] === N);
      if (cOk) {
        const w = addConstant(g, `${node.name}_weights`, [N, node.attrs.transB ? cl : r], weightsNK(bt.data!, r, cl, node.attrs.transB, node.attrs.alpha));
        const inputs = [x, w];
        if (c) inputs.push(addConstant(g, `${node.name}_bias`, [N], Float32Array.from(tensorOf(g, c).data!, (v) => v * node.attrs.beta)));
        out.push({ name: node.name, op: 'FullyConnected', inputs, outputs: [...node.outputs], attrs: { activation: 'none' } });
        continue;
      }
    }
    if (node.op === 'MatMul' && isConstant(g, node.inputs[1]) && shapeOf(g, node.inputs[1]).length === 2 && shapeOf(g, node.inputs[0]).length >= 2) {
      const [x, b] = node.inputs;
      const [K, N] = shapeOf(g, b);
      const inputs = [x, addConstant(g, `${node.name}_weights`, [N, K], weightsNK(tensorOf(g, b).data!, K, N, false, 1))];
      let output = node.outputs[0];
      // MatMul + Add(constant [N]) -> one FullyConnected with bias
      const readers = consumersOf(g, output);
      const add = readers.length === 1 && !g.outputs.includes(output) ? readers[0] : undefined;
      const other = add?.op === 'Add' ? add.inputs.find((i) => i !== output) : undefined;
      if (add && other && isConstant(g, other) && shapeOf(g, other).reduce((a, d) => a * d, 1) === N && shapeOf(g, other).at(-1) === N && shapeOf(g, add.outputs[0]).length === shapeOf(g, output).length) {
        inputs.push(addConstant(g, `${node.name}_bias`, [N], Float32Array.from(tensorOf(g, other).data!)));
        skip.add(add);
        output = add.outputs[0];
      }
      out.push({ name: node.name, op: 'FullyConnected', inputs, outputs: [output], attrs: { activation: 'none' } });
      continue;
    }
    out.push(node);
  }
  g.nodes = out;
  removeDeadNodes(g);
  return g;
}
