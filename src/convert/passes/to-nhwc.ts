// NCHW -> NHWC. Every rank-4 activation is stored NHWC: conv weights OIHW -> OHWI, depthwise (group = C_in)
// weights -> 1HWC, axes of Concat/Mean/Softmax/Transpose and Pad's pads remapped, per-channel constants of
// Add/Mul moved to the last dimension, graph inputs and outputs of rank 4 become NHWC. A Reshape that flattens a
// map with both C > 1 and H*W > 1 into a FullyConnected permutes the FC's weight columns instead of the data, so
// results equal the NCHW flatten; other order-changing reshapes get explicit Transposes around them.
import { addConstant, cloneGraph, consumersOf, freshName, isConstant, numel, removeDeadNodes, shapeOf, tensorOf, type Graph, type IrNode } from '../ir/graph.js';
import { ConvertError } from '../ir/errors.js';
import { inferShapes } from '../ir/shape.js';
import { transposeData } from '../ir/ops/shape-ops.js';

/** NHWC position of each NCHW axis, and the NCHW axis stored at each NHWC position. */
const TO_NHWC = [0, 3, 1, 2];
const FROM_NHWC = [0, 2, 3, 1];

function permuted(data: ArrayLike<number>, shape: number[], perm: number[]): Float32Array {
  const out = new Float32Array(data.length);
  transposeData(data, shape, perm, out);
  return out;
}

/** Reshape / flatten keeps memory order between NCHW and NHWC when C == 1 or H * W == 1. */
const sameOrder = (nchw: number[]) => nchw[1] === 1 || nchw[2] * nchw[3] === 1;

export function toNHWC(graph: Graph): Graph {
  if (graph.layout === 'NHWC') return cloneGraph(graph);
  const g = inferShapes(cloneGraph(graph));
  const is4D = (name: string) => name !== '' && !isConstant(g, name) && shapeOf(g, name).length === 4;
  const fail = (node: IrNode, why: string): never => {
    throw new ConvertError('LAYOUT', `${node.op} node '${node.name}': ${why}`);
  };
  const nodes: IrNode[] = [];
  const weightsFixed = new Set<string>();
  for (const node of g.nodes) {
    const x = node.inputs[0];
    switch (node.op) {
      case 'Conv': {
        const w = tensorOf(g, node.inputs[1]);
        if (!w.data) fail(node, 'weights must be constant');
        const [O, I, KH, KW] = w.shape!;
        const C = shapeOf(g, x)[1];
        if (node.attrs.group === C && C > 1 && I === 1) {
          const wn = addConstant(g, `${w.name}_1hwc`, [1, KH, KW, O], permuted(w.data!, w.shape!, [1, 2, 3, 0]));
          nodes.push({ ...node, op: 'DepthwiseConv', inputs: [x, wn, ...node.inputs.slice(2)], attrs: { ...node.attrs, group: 1, depthMultiplier: O / C } });
        } else {
          const wn = addConstant(g, `${w.name}_ohwi`, [O, KH, KW, I], permuted(w.data!, w.shape!, [0, 2, 3, 1]));
          nodes.push({ ...node, inputs: [x, wn, ...node.inputs.slice(2)] });
        }
        continue;
      }
      case 'Add': case 'Mul': case 'Sub': case 'Div': {
        if (node.inputs.some(is4D)) {
          node.inputs = node.inputs.map((i) => {
            if (is4D(i)) return i;
            const t = tensorOf(g, i);
            if (!t.data) {
              if (numel(t.shape!) === 1) return i;
              fail(node, `input '${i}' [${t.shape}] broadcasts against an NCHW map and is not constant`);
            }
            const s4 = [...Array(4 - t.shape!.length).fill(1), ...t.shape!];
            const nhwc = FROM_NHWC.map((a) => s4[a]);
            while (nhwc.length > 1 && nhwc[0] === 1) nhwc.shift();
            return addConstant(g, `${i}_nhwc`, nhwc, permuted(t.data!, s4, FROM_NHWC));
          });
        }
        break;
      }
      case 'Concat':
        if (node.inputs.some(is4D)) {
          node.attrs.axis = TO_NHWC[(node.attrs.axis + 4) % 4];
          // constant pieces are stored NHWC like the activations they join
          node.inputs = node.inputs.map((i) => {
            if (is4D(i)) return i;
            const t = tensorOf(g, i);
            return addConstant(g, `${i}_nhwc`, FROM_NHWC.map((a) => t.shape![a]), permuted(t.data!, t.shape!, FROM_NHWC));
          });
        }
        break;
      case 'Mean': {
        if (!is4D(x)) break;
        const axes = (node.attrs.axes ?? (node.inputs[1] ? Array.from(tensorOf(g, node.inputs[1]).data!) : [0, 1, 2, 3])).map((a) => (a + 4) % 4);
        // without keepdims the result is no longer rank 4 and keeps NCHW order: the kept axes must be in the same
        // order in both layouts
        const keptNCHW = [0, 1, 2, 3].filter((a) => !axes.includes(a)), keptNHWC = FROM_NHWC.filter((a) => !axes.includes(a));
        if (!node.attrs.keepDims && keptNCHW.join() !== keptNHWC.join()) {
          fail(node, `reducing axes [${axes}] without keepdims leaves axes [${keptNCHW}] whose order differs in NHWC`);
        }
        node.attrs.axes = axes.map((a) => TO_NHWC[a]).sort((p, q) => p - q);
        node.inputs = [x];
        break;
      }
      case 'Softmax':
        if (is4D(x)) {
          const a = (node.attrs.axis + 4) % 4;
          if (node.attrs.legacy && a > 1) fail(node, `legacy softmax over axes ${a}.. is not contiguous in NHWC`);
          if (!node.attrs.legacy) node.attrs.axis = TO_NHWC[a];
        }
        break;
      case 'Pad':
        if (is4D(x)) {
          const pads = node.attrs.pads ?? Array.from(tensorOf(g, node.inputs[1]).data ?? fail(node, 'pads must be constant'));
          node.attrs.pads = [...FROM_NHWC.map((a) => pads[a]), ...FROM_NHWC.map((a) => pads[a + 4])];
          if (node.inputs[2]) node.attrs.value = tensorOf(g, node.inputs[2]).data?.[0] ?? fail(node, 'pad value must be constant');
          node.inputs = [x];
        }
        break;
      case 'Transpose':
        if (is4D(x)) {
          const p = node.attrs.perm ?? [3, 2, 1, 0];
          node.attrs.perm = FROM_NHWC.map((q) => TO_NHWC[p[q]]);
        }
        break;
      case 'Reshape': {
        const inS = shapeOf(g, x), outS = shapeOf(g, node.outputs[0]);
        const inOk = inS.length !== 4 || sameOrder(inS), outOk = outS.length !== 4 || sameOrder(outS);
        const target = outS.length === 4 ? FROM_NHWC.map((a) => outS[a]) : outS;
        const readers = consumersOf(g, node.outputs[0]);
        const K = numel(inS.slice(1));
        const fcFlatten = !inOk && outS.length === 2 && outS[0] === inS[0] && outS[1] === K && readers.length > 0 && !g.outputs.includes(node.outputs[0])
          && readers.every((r) => r.op === 'FullyConnected' && r.inputs[0] === node.outputs[0] && isConstant(g, r.inputs[1]));
        if (fcFlatten) {
          // column k of NCHW order (c*H*W + h*W + w) moves to NHWC order ((h*W + w)*C + c)
          const [, C, H, W] = inS;
          for (const r of readers) {
            if (weightsFixed.has(r.name)) continue;
            const w = tensorOf(g, r.inputs[1]);
            const N = w.shape![0];
            r.inputs[1] = addConstant(g, `${w.name}_nhwc`, [N, K], permuted(w.data!, [N, C, H, W], [0, 2, 3, 1]));
            weightsFixed.add(r.name);
          }
          nodes.push({ ...node, attrs: { ...node.attrs, shape: target } });
          continue;
        }
        let input = x;
        if (!inOk) {
          input = freshName(g, `${x}_nchw`);
          g.tensors.set(input, { name: input, dtype: 'float32' });
          nodes.push({ name: `${node.name}_to_nchw`, op: 'Transpose', inputs: [x], outputs: [input], attrs: { perm: [0, 3, 1, 2] } });
        }
        if (!outOk) {
          const mid = freshName(g, `${node.outputs[0]}_nchw`);
          g.tensors.set(mid, { name: mid, dtype: 'float32' });
          nodes.push({ ...node, inputs: [input], outputs: [mid], attrs: { ...node.attrs, shape: outS } });
          nodes.push({ name: `${node.name}_to_nhwc`, op: 'Transpose', inputs: [mid], outputs: [node.outputs[0]], attrs: { perm: [0, 2, 3, 1] } });
        } else {
          nodes.push({ ...node, inputs: [input], attrs: { ...node.attrs, shape: target } });
        }
        continue;
      }
      case 'Flatten': case 'Squeeze': case 'Unsqueeze':
        if (node.inputs.some(is4D) || is4D(node.outputs[0])) fail(node, 'run canonicalizeReshapes before the layout pass');
        break;
      case 'Gemm': case 'MatMul': case 'FullyConnected':
        if (is4D(x)) fail(node, 'a matrix product over the last axis of an NCHW map is not expressible in NHWC');
        break;
    }
    nodes.push(node);
  }
  g.nodes = nodes;
  // rank-4 activations (graph inputs included) change shape; per-channel annotations move to the last axis
  for (const t of g.tensors.values()) {
    if (t.data || !t.shape || t.shape.length !== 4) continue;
    t.shape = FROM_NHWC.map((a) => t.shape![a]);
    if (t.quant && t.quant.axis >= 0) t.quant = { ...t.quant, axis: TO_NHWC[t.quant.axis] };
  }
  g.layout = 'NHWC';
  for (const t of g.tensors.values()) if (!t.data && !g.inputs.includes(t.name)) t.shape = undefined;
  removeDeadNodes(g);
  return inferShapes(g);
}
