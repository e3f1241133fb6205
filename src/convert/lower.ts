// The NHWC float IR (after every pass) → the plain float Model of src/format/model.ts, op for op. The float
// Model is what the runtime's float32 path executes (calibration and the float baseline) and what the quantizer
// turns into int8; tensor indices are shared by both, so per-layer error reports can pair them.
import type { Activation, Model, ModelMetadata, OpDef, TensorDef } from '../format/model.js';
import type { Graph, IrActivation, IrNode, Pads2D } from './ir/graph.js';
import { shapeOf } from './ir/graph.js';
import { ConvertError } from './errors.js';

export function lowerToModel(g: Graph, metadata: ModelMetadata): Model {
  if (g.layout !== 'NHWC') throw new ConvertError('LAYOUT', 'lowering needs the NHWC graph (run the layout pass first)');
  const tensors: TensorDef[] = [];
  const buffers: Uint8Array[] = [];
  const index = new Map<string, number>();
  const ops: OpDef[] = [];

  const tensor = (name: string): number => {
    const known = index.get(name);
    if (known !== undefined) return known;
    const t = g.tensors.get(name);
    if (!t) throw new ConvertError('DANGLING_EDGE', `tensor '${name}' is not defined`);
    if (t.dtype !== 'float32') throw new ConvertError('NON_FLOAT_INPUT', `tensor '${name}' is ${t.dtype}; the float model carries float32 only`);
    const def: TensorDef = { name, shape: [...shapeOf(g, name)], dtype: 'float32' };
    if (t.data) {
      def.buffer = buffers.length;
      const f32 = Float32Array.from(t.data);
      buffers.push(new Uint8Array(f32.buffer));
    }
    index.set(name, tensors.length);
    tensors.push(def);
    return tensors.length - 1;
  };
  /** A fresh activation tensor shaped like `like`, for ops that lowering splits in two. */
  const intermediate = (like: string, suffix: string): number => {
    const name = `${like}/${suffix}`;
    index.set(name, tensors.length);
    tensors.push({ name, shape: [...shapeOf(g, like)], dtype: 'float32' });
    return tensors.length - 1;
  };
  const push = (op: OpDef) => ops.push(op);
  /**
   * A grouped conv (not depthwise) as one dense conv: OHWI weights [O, KH, KW, Cin/g] spread into [O, KH, KW, Cin]
   * with zeros outside each output channel's group. Exact; it costs g times the MACs, and grouped convs are rare
   * in the CNNs wasmq targets.
   */
  const denseGroupedWeights = (name: string, group: number): number => {
    const t = g.tensors.get(name);
    if (!t?.data) throw new ConvertError('NOT_CONSTANT', `grouped conv weights '${name}' are not constant`);
    const [o, kh, kw, ig] = shapeOf(g, name);
    const cin = ig * group, og = o / group;
    const dense = new Float32Array(o * kh * kw * cin);
    for (let oc = 0; oc < o; oc++) {
      const base = Math.floor(oc / og) * ig;
      for (let k = 0; k < kh * kw; k++) for (let i = 0; i < ig; i++) dense[(oc * kh * kw + k) * cin + base + i] = t.data[(oc * kh * kw + k) * ig + i];
    }
    index.set(`${name}/dense`, tensors.length);
    tensors.push({ name: `${name}/dense`, shape: [o, kh, kw, cin], dtype: 'float32', buffer: buffers.length });
    buffers.push(new Uint8Array(dense.buffer));
    return tensors.length - 1;
  };
  /** Emits `op` with its fused activation; hard-swish has no clamp form, so it follows as its own op. */
  const withActivation = (node: IrNode, act: IrActivation, emit: (out: number, activation: Activation) => void) => {
    const out = tensor(node.outputs[0]);
    if (act !== 'hardswish') return emit(out, act);
    const mid = intermediate(node.outputs[0], 'pre-hardswish');
    emit(mid, 'none');
    push({ kind: 'HardSwish', name: `${node.name}/hardswish`, inputs: [mid], outputs: [out], options: {} });
  };
  const inputs = (node: IrNode) => node.inputs.filter((i) => i !== '').map(tensor);

  for (const t of g.inputs) tensor(t);
  for (const node of g.nodes) {
    const where = `${node.op} node '${node.name}'`;
    switch (node.op) {
      case 'Conv': {
        const a = node.attrs;
        const ins = inputs(node);
        if (a.group !== 1) ins[1] = denseGroupedWeights(node.inputs[1], a.group);
        withActivation(node, a.activation, (out, activation) => push({
          kind: 'Conv2D', name: node.name, inputs: ins, outputs: [out],
          options: { ...pads(a.pads), strideH: a.strides[0], strideW: a.strides[1], dilationH: a.dilations[0], dilationW: a.dilations[1], activation },
        }));
        break;
      }
      case 'DepthwiseConv': {
        const a = node.attrs;
        withActivation(node, a.activation, (out, activation) => push({
          kind: 'DepthwiseConv2D', name: node.name, inputs: inputs(node), outputs: [out],
          options: { ...pads(a.pads), strideH: a.strides[0], strideW: a.strides[1], dilationH: a.dilations[0], dilationW: a.dilations[1], activation, depthMultiplier: a.depthMultiplier },
        }));
        break;
      }
      case 'FullyConnected':
        withActivation(node, node.attrs.activation, (out, activation) => push({ kind: 'FullyConnected', name: node.name, inputs: inputs(node), outputs: [out], options: { activation } }));
        break;
      case 'Add':
      case 'Mul': {
        const kind = node.op;
        withActivation(node, node.attrs.activation, (out, activation) => push({ kind, name: node.name, inputs: inputs(node), outputs: [out], options: { activation } }));
        break;
      }
      case 'MaxPool':
      case 'AveragePool': {
        const a = node.attrs;
        const kind = node.op === 'MaxPool' ? 'MaxPool2D' : 'AveragePool2D';
        const inShape = shapeOf(g, node.inputs[0]), outShape = shapeOf(g, node.outputs[0]);
        let input = tensor(node.inputs[0]);
        let p = pads(a.pads);
        if (node.op === 'AveragePool' && a.countIncludePad && a.pads.some((v) => v > 0)) {
          // Padding that counts in the average: pad with real zeros first, then average without padding.
          if (a.ceilMode) throw new ConvertError('UNSUPPORTED_ATTRIBUTE', `${where}: count_include_pad=1 with ceil_mode=1 is not supported`);
          const [n, h, w, c] = inShape;
          const padded = `${node.outputs[0]}/padded`;
          index.set(padded, tensors.length);
          tensors.push({ name: padded, shape: [n, h + p.padTop + p.padBottom, w + p.padLeft + p.padRight, c], dtype: 'float32' });
          push({ kind: 'Pad', name: `${node.name}/pad`, inputs: [input], outputs: [tensors.length - 1], options: { pads: [0, 0, p.padTop, p.padBottom, p.padLeft, p.padRight, 0, 0] } });
          input = tensors.length - 1;
          p = { padTop: 0, padLeft: 0, padBottom: 0, padRight: 0 };
        } else {
          // ceil_mode only changes the output size: the extra cells are covered by padding at the end.
          p.padBottom = Math.max(p.padBottom, (outShape[1] - 1) * a.strides[0] + a.kernel[0] - inShape[1] - p.padTop);
          p.padRight = Math.max(p.padRight, (outShape[2] - 1) * a.strides[1] + a.kernel[1] - inShape[2] - p.padLeft);
        }
        withActivation(node, a.activation, (out, activation) => push({
          kind, name: node.name, inputs: [input], outputs: [out],
          options: { ...p, filterH: a.kernel[0], filterW: a.kernel[1], strideH: a.strides[0], strideW: a.strides[1], activation },
        }));
        break;
      }
      case 'Mean': {
        const rank = shapeOf(g, node.inputs[0]).length;
        const axes = (node.attrs.axes ?? []).map((x) => (x < 0 ? x + rank : x)).sort();
        push({ kind: 'Mean', name: node.name, inputs: [tensor(node.inputs[0])], outputs: [tensor(node.outputs[0])], options: { axes, keepDims: node.attrs.keepDims } });
        break;
      }
      case 'Concat': {
        const rank = shapeOf(g, node.outputs[0]).length;
        const axis = node.attrs.axis < 0 ? node.attrs.axis + rank : node.attrs.axis;
        push({ kind: 'Concatenation', name: node.name, inputs: inputs(node), outputs: [tensor(node.outputs[0])], options: { axis, activation: 'none' } });
        break;
      }
      case 'Reshape':
      case 'Flatten':
      case 'Squeeze':
      case 'Unsqueeze':
        push({ kind: 'Reshape', name: node.name, inputs: [tensor(node.inputs[0])], outputs: [tensor(node.outputs[0])], options: {} });
        break;
      case 'Pad': {
        if (node.attrs.value !== 0) throw new ConvertError('UNSUPPORTED_ATTRIBUTE', `${where}: constant padding with ${node.attrs.value} (only 0 is supported)`);
        const onnx = node.attrs.pads;
        if (!onnx) throw new ConvertError('NOT_CONSTANT', `${where}: pads are not constant`);
        const rank = onnx.length / 2;
        const pairs: number[] = [];
        for (let d = 0; d < rank; d++) pairs.push(onnx[d], onnx[d + rank]);
        push({ kind: 'Pad', name: node.name, inputs: [tensor(node.inputs[0])], outputs: [tensor(node.outputs[0])], options: { pads: pairs } });
        break;
      }
      case 'Softmax': {
        const rank = shapeOf(g, node.inputs[0]).length;
        const axis = node.attrs.axis < 0 ? node.attrs.axis + rank : node.attrs.axis;
        if (axis !== rank - 1 && !(node.attrs.legacy && shapeOf(g, node.inputs[0]).slice(axis + 1).every((d) => d === 1))) {
          throw new ConvertError('UNSUPPORTED_ATTRIBUTE', `${where}: softmax over axis ${axis} (only the last axis is supported)`);
        }
        push({ kind: 'Softmax', name: node.name, inputs: [tensor(node.inputs[0])], outputs: [tensor(node.outputs[0])], options: { beta: 1 } });
        break;
      }
      case 'Relu':
      case 'Relu6':
      case 'Tanh':
      case 'HardSwish': {
        const kind = node.op;
        push({ kind, name: node.name, inputs: [tensor(node.inputs[0])], outputs: [tensor(node.outputs[0])], options: {} });
        break;
      }
      case 'Sigmoid':
        push({ kind: 'Logistic', name: node.name, inputs: [tensor(node.inputs[0])], outputs: [tensor(node.outputs[0])], options: {} });
        break;
      case 'LeakyRelu':
        push({ kind: 'LeakyRelu', name: node.name, inputs: [tensor(node.inputs[0])], outputs: [tensor(node.outputs[0])], options: { alpha: node.attrs.alpha } });
        break;
      default:
        throw new ConvertError('UNSUPPORTED_OPS', `${where}: no wasmq op for ${node.op} after the passes (it should have been folded or fused)`);
    }
  }
  return { version: 1, tensors, buffers, ops, inputs: g.inputs.map(tensor), outputs: g.outputs.map(tensor), metadata };
}

function pads(p: Pads2D) {
  return { padTop: p[0], padLeft: p[1], padBottom: p[2], padRight: p[3] };
}
