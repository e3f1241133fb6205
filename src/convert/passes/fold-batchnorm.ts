// BatchNormalization folds into the Conv / FullyConnected that produces its input (when nothing else reads that
// output): per output channel c, W'[c] = W[c] * γ/σ and b' = β + γ (b - μ)/σ with σ = sqrt(var + ε). Where there
// is no such producer it becomes a per-channel scale + shift: a depthwise 1x1 Conv on 4D maps, Mul + Add otherwise.
import { addConstant, cloneGraph, consumerCount, freshName, isConstant, producerOf, removeDeadNodes, shapeOf, tensorOf, type Graph, type IrNode } from '../ir/graph.js';
import { inferShapes } from '../ir/shape.js';
import { ConvertError } from '../ir/errors.js';

export function foldBatchNorm(graph: Graph): Graph {
  const g = inferShapes(cloneGraph(graph));
  const replaced = new Map<IrNode, IrNode[]>();
  for (const bn of g.nodes) {
    if (bn.op !== 'BatchNorm' || !bn.inputs.slice(1).every((i) => isConstant(g, i))) continue;
    const [x, s, b, m, v] = bn.inputs.map((i) => tensorOf(g, i));
    const C = s.data!.length;
    const scale = new Float64Array(C), shift = new Float64Array(C);
    for (let c = 0; c < C; c++) {
      scale[c] = s.data![c] / Math.sqrt(v.data![c] + bn.attrs.epsilon);
      shift[c] = b.data![c] - m.data![c] * scale[c];
    }
    const p = producerOf(g, x.name);
    const foldable = p && (p.op === 'Conv' || p.op === 'DepthwiseConv' || p.op === 'FullyConnected') && p.attrs.activation === 'none'
      && isConstant(g, p.inputs[1]) && (!p.inputs[2] || isConstant(g, p.inputs[2])) && consumerCount(g, x.name) === 1;
    if (p && foldable) {
      const w = tensorOf(g, p.inputs[1]);
      // weights imported already quantized keep their own scales: scaling them would leave their grid
      if (w.quant) throw new ConvertError('BAD_QUANT', `BatchNorm node '${bn.name}' follows ${p.op} node '${p.name}' whose weights '${w.name}' are already quantized; fold the BatchNorm before quantizing the model`);
      const wShape = w.shape!;
      // output channel is dim 0 of OIHW, OHWI and [N, K]; the last dim of depthwise 1HWC
      const channelLast = p.op === 'DepthwiseConv';
      const per = w.data!.length / C;
      const wd = Float32Array.from(w.data!, (val, i) => val * scale[channelLast ? i % C : Math.floor(i / per)]);
      const bias = p.inputs[2] ? tensorOf(g, p.inputs[2]).data! : new Float32Array(C);
      const bd = Float32Array.from({ length: C }, (_, c) => bias[c] * scale[c] + shift[c]);
      const folded = { ...p, inputs: [p.inputs[0], addConstant(g, `${p.name}_bn_weights`, wShape, wd), addConstant(g, `${p.name}_bn_bias`, [C], bd)], outputs: [bn.outputs[0]] } as IrNode;
      replaced.set(p, [folded]);
      replaced.set(bn, []);
      continue;
    }
    const rank = shapeOf(g, x.name).length;
    if (rank === 4) {
      const w = addConstant(g, `${bn.name}_scale`, g.layout === 'NCHW' ? [C, 1, 1, 1] : [1, 1, 1, C], Float32Array.from(scale));
      const bias = addConstant(g, `${bn.name}_shift`, [C], Float32Array.from(shift));
      const op = g.layout === 'NCHW' ? 'Conv' : 'DepthwiseConv';
      const conv = { name: bn.name, op, inputs: [x.name, w, bias], outputs: [...bn.outputs], attrs: { strides: [1, 1], dilations: [1, 1], pads: [0, 0, 0, 0], autoPad: 'NOTSET', group: C, activation: 'none', depthMultiplier: 1 } } as IrNode;
      replaced.set(bn, [conv]);
    } else {
      // channel axis 1 of [N, C, ...]: constants shaped [C, 1, ...] broadcast along it
      const cshape = [C, ...Array(Math.max(0, rank - 2)).fill(1)];
      const sc = addConstant(g, `${bn.name}_scale`, cshape, Float32Array.from(scale));
      const sh = addConstant(g, `${bn.name}_shift`, cshape, Float32Array.from(shift));
      const mid = freshName(g, `${bn.name}_scaled`);
      g.tensors.set(mid, { name: mid, dtype: 'float32' });
      replaced.set(bn, [
        { name: `${bn.name}_mul`, op: 'Mul', inputs: [x.name, sc], outputs: [mid], attrs: { activation: 'none' } },
        { name: `${bn.name}_add`, op: 'Add', inputs: [mid, sh], outputs: [...bn.outputs], attrs: { activation: 'none' } },
      ]);
    }
  }
  g.nodes = g.nodes.flatMap((n) => replaced.get(n) ?? [n]);
  removeDeadNodes(g);
  return inferShapes(g);
}
