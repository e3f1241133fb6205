// Export of a wasmq Model back to ONNX (opset 13) in QDQ form, so that other runtimes execute exactly wasmq's
// quantization: float32 NCHW graph inputs; every quantized activation as a QuantizeLinear -> DequantizeLinear
// pair with its own scale and zero point; quantized constants (weights, biases, constant operands) as integer
// initializers -> DequantizeLinear (per-axis where wasmq is per-channel); float ops between the pairs, which
// onnxruntime fuses into its int8 kernels. Float tensors of a float model pass through as float.
// Layout: wasmq activations are NHWC, ONNX's are NCHW: rank-4 tensors are permuted, weights go OHWI -> OIHW,
// depthwise 1HWC -> [C, 1, KH, KW] with group = input channels.
import type { Activation, Model, OpDef, TensorDef } from '../../format/model.js';
import { ConvertError } from '../errors.js';
import { OnnxBuilder } from './builder.js';
import type { OnnxElemType } from './dtype.js';
import { biasQuantization } from '../../format/bias-quant.js';

/** NHWC dimension k sits at NCHW position NHWC_TO_NCHW[k]. */
const NHWC_TO_NCHW = [0, 2, 3, 1];
const TO_NCHW = [0, 3, 1, 2]; // Transpose perm: NHWC value -> NCHW value
const TO_NHWC = [0, 2, 3, 1]; // Transpose perm: NCHW value -> NHWC value

const nchwShape = (s: number[]) => (s.length === 4 ? TO_NCHW.map((k) => s[k]) : [...s]);
/** Rank-4 tensors whose NHWC and NCHW element orders differ (not [N, 1, 1, C]). */
const needsPermute = (s: number[]) => s.length === 4 && s[1] * s[2] > 1 && s[3] > 1;

function elements(t: TensorDef, bytes: Uint8Array): Int8Array | Uint8Array | Int32Array | Float32Array {
  const copy = bytes.slice(); // aligned
  switch (t.dtype) {
    case 'int8': return new Int8Array(copy.buffer);
    case 'uint8': return copy;
    case 'int32': return new Int32Array(copy.buffer);
    case 'float32': return new Float32Array(copy.buffer);
  }
}

/** Permutes a dense tensor: out dimension d is input dimension perm[d]. */
function permute<T extends Int8Array | Uint8Array | Int32Array | Float32Array>(data: T, shape: number[], perm: number[]): T {
  const outShape = perm.map((p) => shape[p]);
  const strides = shape.map((_, k) => shape.slice(k + 1).reduce((a, b) => a * b, 1));
  const out = new (data.constructor as new (n: number) => T)(data.length);
  const idx = new Array<number>(shape.length).fill(0);
  for (let o = 0; o < data.length; o++) {
    let src = 0;
    for (let d = 0; d < perm.length; d++) src += idx[d] * strides[perm[d]];
    out[o] = data[src];
    for (let d = perm.length - 1; d >= 0; d--) {
      if (++idx[d] < outShape[d]) break;
      idx[d] = 0;
    }
  }
  return out;
}

class Exporter {
  private readonly b = new OnnxBuilder({ opset: 13, producer: 'wasmq export-onnx' });
  /** the ONNX value holding each wasmq tensor's real (float) values */
  private readonly real = new Map<number, string>();
  private readonly names: string[];
  private consts = 0;
  /** NHWC-ordered copies already made (one Transpose per value, however many consumers) */
  private readonly transposed = new Set<string>();

  constructor(private readonly model: Model) {
    const seen = new Set<string>();
    this.names = model.tensors.map((t, i) => {
      let n = (t.name || `t${i}`).replace(/[^A-Za-z0-9_.\-/:]/g, '_');
      if (seen.has(n)) n = `${n}__${i}`;
      seen.add(n);
      return n;
    });
  }

  private fail(op: OpDef, index: number, why: string): never {
    throw new ConvertError('UNSUPPORTED_OPS', `export-onnx: op ${index} (${op.kind}${op.name ? ` '${op.name}'` : ''}) ${why}`);
  }

  private scalar(value: number, dtype: OnnxElemType = 'float32'): string {
    const name = `__const${this.consts++}`;
    this.b.initializer(name, [], [value], { dtype });
    return name;
  }

  private ints(values: number[]): string {
    const name = `__const${this.consts++}`;
    this.b.initializer(name, [values.length], values, { dtype: 'int64' });
    return name;
  }

  private quantParams(t: number, axis: number, d: TensorDef = this.model.tensors[t]): { scale: string; zp: string; axis?: number } {
    const q = d.quant!;
    const base = this.names[t];
    const zpType: OnnxElemType = d.dtype === 'float32' ? 'int8' : d.dtype;
    if (q.scales.length === 1) {
      this.b.initializer(`${base}__scale`, [], [q.scales[0]]);
      this.b.initializer(`${base}__zp`, [], [q.zeroPoints[0] ?? 0], { dtype: zpType });
      return { scale: `${base}__scale`, zp: `${base}__zp` };
    }
    this.b.initializer(`${base}__scale`, [q.scales.length], q.scales);
    this.b.initializer(`${base}__zp`, [q.zeroPoints.length], q.zeroPoints.length === q.scales.length ? q.zeroPoints : new Int32Array(q.scales.length), { dtype: zpType });
    return { scale: `${base}__scale`, zp: `${base}__zp`, axis };
  }

  /** A constant tensor as an initializer (quantized: integers -> DequantizeLinear), permuted by `perm`, then
   *  reshaped to `dims` when given. Returns the float value's name. */
  private constant(t: number, perm: number[] | undefined, dims: number[] | undefined, d: TensorDef): string {
    const base = this.names[t];
    let data = elements(d, this.model.buffers[d.buffer!]);
    let shape = [...d.shape];
    if (perm) {
      data = permute(data, shape, perm);
      shape = perm.map((p) => shape[p]);
    }
    const outDims = dims ?? shape;
    if (!d.quant || d.dtype === 'float32') {
      this.b.initializer(base, outDims, data, { dtype: 'float32' });
      return base;
    }
    const axis = d.quant.scales.length > 1 ? (perm ? perm.indexOf(d.quant.axis) : d.quant.axis) : -1;
    if (d.quant.scales.length > 1 && dims && dims.length !== shape.length) throw new ConvertError('LAYOUT', `export-onnx: per-channel constant '${d.name}' cannot be reshaped`);
    this.b.initializer(`${base}__q`, outDims, data, { dtype: d.dtype as OnnxElemType });
    const p = this.quantParams(t, axis, d);
    this.b.node('DequantizeLinear', [`${base}__q`, p.scale, p.zp], [base], p.axis !== undefined ? { axis: p.axis } : {});
    return base;
  }

  /** The float value of an op input: an activation's dequantized value, or a constant. */
  private input(t: number, perm?: number[], dims?: number[], def: TensorDef = this.model.tensors[t]): string {
    const known = this.real.get(t);
    if (known) return known;
    if (this.model.tensors[t].buffer === undefined) throw new ConvertError('DANGLING_EDGE', `export-onnx: tensor '${this.model.tensors[t].name}' is used before any op produces it`);
    const name = this.constant(t, perm, dims, def);
    this.real.set(t, name);
    return name;
  }

  /** Gives tensor t the float value `value`: quantized tensors go through QuantizeLinear -> DequantizeLinear. */
  private define(t: number, value: string): void {
    const d = this.model.tensors[t];
    const base = this.names[t];
    if (d.quant && d.dtype !== 'float32') {
      if (d.dtype === 'int32') throw new ConvertError('UNSUPPORTED_TYPE', `export-onnx: int32 activation '${d.name}'`);
      if (d.quant.scales.length !== 1) throw new ConvertError('BAD_QUANT', `export-onnx: activation '${d.name}' is quantized per channel`);
      const p = this.quantParams(t, -1);
      const out = value === base ? `${base}__dq` : base;
      this.b.node('QuantizeLinear', [value, p.scale, p.zp], [`${base}__q`]);
      this.b.node('DequantizeLinear', [`${base}__q`, p.scale, p.zp], [out]);
      this.real.set(t, out);
    } else if (d.dtype === 'float32') {
      this.real.set(t, value);
    } else {
      throw new ConvertError('UNSUPPORTED_TYPE', `export-onnx: ${d.dtype} activation '${d.name}' has no quantization`);
    }
  }

  private activation(value: string, act: Activation, out: string): string {
    if (act === 'none') return value;
    if (act === 'relu') this.b.node('Relu', [value], [out]);
    else this.b.node('Clip', [value, this.scalar(0), this.scalar(6)], [out]);
    return out;
  }

  /** A value in NHWC element order (a Transpose when the NCHW order differs). */
  private nhwcOrder(value: string, shape: number[]): string {
    if (!needsPermute(shape)) return value;
    const name = `${value}__nhwc`;
    if (!this.transposed.has(name)) {
      this.b.node('Transpose', [value], [name], { perm: TO_NHWC });
      this.transposed.add(name);
    }
    return name;
  }

  private op(op: OpDef, i: number): string {
    const out = this.names[op.outputs[0]];
    const pre = `${out}__f`;
    const shapeOf = (t: number) => this.model.tensors[t].shape;
    switch (op.kind) {
      case 'Conv2D':
      case 'DepthwiseConv2D': {
        const o = op.options;
        const x = this.input(op.inputs[0]);
        const depthwise = op.kind === 'DepthwiseConv2D';
        // OHWI -> OIHW; depthwise 1HWC -> C1HW
        const w = this.input(op.inputs[1], depthwise ? [3, 0, 1, 2] : [0, 3, 1, 2]);
        const ws = shapeOf(op.inputs[1]);
        const ins = [x, w];
        if (op.inputs[2] !== undefined && op.inputs[2] >= 0) ins.push(this.biasInput(op.inputs[2], op.inputs[0], op.inputs[1]));
        this.b.node('Conv', ins, [`${out}__conv`], {
          kernel_shape: [ws[1], ws[2]], strides: [o.strideH, o.strideW], dilations: [o.dilationH, o.dilationW],
          pads: [o.padTop, o.padLeft, o.padBottom, o.padRight], group: depthwise ? shapeOf(op.inputs[0])[3] : 1,
        });
        return this.activation(`${out}__conv`, o.activation, pre);
      }
      case 'FullyConnected': {
        const [, k] = shapeOf(op.inputs[1]);
        const xs = shapeOf(op.inputs[0]);
        let x = this.nhwcOrder(this.input(op.inputs[0]), xs);
        if (xs.length !== 2) {
          this.b.node('Reshape', [x, this.ints([-1, k])], [`${out}__flat`]);
          x = `${out}__flat`;
        }
        const ins = [x, this.input(op.inputs[1])];
        if (op.inputs[2] !== undefined && op.inputs[2] >= 0) ins.push(this.biasInput(op.inputs[2], op.inputs[0], op.inputs[1]));
        let y = this.activation(this.gemm(ins, `${out}__gemm`), op.options.activation, `${out}__act`);
        if (shapeOf(op.outputs[0]).length !== 2) {
          this.b.node('Reshape', [y, this.ints(nchwShape(shapeOf(op.outputs[0])))], [pre]);
          y = pre;
        }
        return y;
      }
      case 'Add':
      case 'Mul': {
        const os = shapeOf(op.outputs[0]);
        const [a, b] = op.inputs.map((t) => this.broadcastInput(t, os));
        this.b.node(op.kind, [a, b], [`${out}__${op.kind.toLowerCase()}`]);
        return this.activation(`${out}__${op.kind.toLowerCase()}`, op.options.activation, pre);
      }
      case 'AveragePool2D':
      case 'MaxPool2D': {
        const o = op.options;
        this.b.node(op.kind === 'MaxPool2D' ? 'MaxPool' : 'AveragePool', [this.input(op.inputs[0])], [`${out}__pool`], {
          kernel_shape: [o.filterH, o.filterW], strides: [o.strideH, o.strideW], pads: [o.padTop, o.padLeft, o.padBottom, o.padRight],
        });
        return this.activation(`${out}__pool`, o.activation, pre);
      }
      case 'Mean': {
        const xs = shapeOf(op.inputs[0]);
        const axes = [...op.options.axes].map((a) => (a < 0 ? a + xs.length : a)).sort();
        const x = this.input(op.inputs[0]);
        if (xs.length === 4 && axes.join() === '1,2') {
          if (op.options.keepDims) {
            this.b.node('GlobalAveragePool', [x], [pre]);
          } else {
            this.b.node('GlobalAveragePool', [x], [`${out}__gap`]);
            this.b.node('Flatten', [`${out}__gap`], [pre], { axis: 1 });
          }
          return pre;
        }
        if (xs.length === 4 && !op.options.keepDims) this.fail(op, i, `reduces axes [${axes}] of a rank-4 tensor without keepDims: not expressible in NCHW`);
        this.b.node('ReduceMean', [x], [pre], { axes: xs.length === 4 ? axes.map((a) => NHWC_TO_NCHW[a]) : axes, keepdims: op.options.keepDims ? 1 : 0 });
        return pre;
      }
      case 'Concatenation': {
        const rank = shapeOf(op.outputs[0]).length;
        const axis = op.options.axis < 0 ? op.options.axis + rank : op.options.axis;
        this.b.node('Concat', op.inputs.map((t) => this.input(t)), [`${out}__cat`], { axis: rank === 4 ? NHWC_TO_NCHW[axis] : axis });
        return this.activation(`${out}__cat`, op.options.activation, pre);
      }
      case 'Reshape': {
        const os = shapeOf(op.outputs[0]);
        const x = this.nhwcOrder(this.input(op.inputs[0]), shapeOf(op.inputs[0]));
        if (!needsPermute(os)) {
          this.b.node('Reshape', [x, this.ints(nchwShape(os))], [pre]);
          return pre;
        }
        this.b.node('Reshape', [x, this.ints(os)], [`${out}__nhwc`]);
        this.b.node('Transpose', [`${out}__nhwc`], [pre], { perm: TO_NCHW });
        return pre;
      }
      case 'Pad': {
        const xs = shapeOf(op.inputs[0]);
        const pairs = op.options.pads;
        const dims = xs.length === 4 ? TO_NCHW : xs.map((_, k) => k);
        const pads = [...dims.map((d) => pairs[2 * d]), ...dims.map((d) => pairs[2 * d + 1])];
        this.b.node('Pad', [this.input(op.inputs[0]), this.ints(pads), this.scalar(0)], [pre], { mode: 'constant' });
        return pre;
      }
      case 'Softmax': {
        const rank = shapeOf(op.inputs[0]).length;
        let x = this.input(op.inputs[0]);
        if (op.options.beta !== 1) {
          this.b.node('Mul', [x, this.scalar(op.options.beta)], [`${out}__beta`]);
          x = `${out}__beta`;
        }
        this.b.node('Softmax', [x], [pre], { axis: rank === 4 ? 1 : -1 });
        return pre;
      }
      case 'Logistic': return this.unary('Sigmoid', op, pre);
      case 'Tanh': return this.unary('Tanh', op, pre);
      case 'Relu': return this.unary('Relu', op, pre);
      case 'LeakyRelu': return this.unary('LeakyRelu', op, pre, { alpha: op.options.alpha });
      case 'Relu6': return this.activation(this.input(op.inputs[0]), 'relu6', pre);
      case 'Quantize':
      case 'Dequantize':
        // the real value is unchanged; define() requantizes (or not) with the output's parameters
        return this.input(op.inputs[0]);
      default:
        return this.fail(op, i, 'has no ONNX QDQ export (supported: Conv2D, DepthwiseConv2D, FullyConnected, Add, Mul, AveragePool2D, MaxPool2D, Mean, Concatenation, Reshape, Pad, Softmax, Logistic, Tanh, Relu, Relu6, LeakyRelu, Quantize, Dequantize)');
    }
  }

  private unary(onnxOp: string, op: OpDef, pre: string, attrs: Record<string, number> = {}): string {
    this.b.node(onnxOp, [this.input(op.inputs[0])], [pre], attrs);
    return pre;
  }

  private gemm(ins: string[], out: string): string {
    this.b.node('Gemm', ins, [out], { transB: 1 });
    return out;
  }

  /** An int32 bias: DequantizeLinear with its own scales, or s_in * s_w when it carries none. */
  private biasInput(bias: number, x: number, w: number): string {
    const t = this.model.tensors;
    const d = t[bias];
    if (d.quant || d.dtype !== 'int32') return this.input(bias);
    return this.input(bias, undefined, undefined, { ...d, quant: biasQuantization(d, t[x], t[w]) });
  }

  /** An Add/Mul operand: constants broadcast against a rank-4 output are laid out as NCHW. */
  private broadcastInput(t: number, outShape: number[]): string {
    const d = this.model.tensors[t];
    if (d.buffer === undefined || outShape.length !== 4 || this.real.has(t)) return this.input(t);
    const n = d.shape.reduce((a, b) => a * b, 1);
    if (n === 1) return this.input(t, undefined, []);
    if (d.shape.length === 4) return this.input(t, TO_NCHW);
    if (n === d.shape[d.shape.length - 1] && n === outShape[3]) {
      if (d.quant && d.quant.scales.length > 1) throw new ConvertError('LAYOUT', `export-onnx: per-channel quantized operand '${d.name}' of rank ${d.shape.length}`);
      return this.input(t, undefined, [n, 1, 1]); // per channel: [C] -> [C, 1, 1] against NCHW
    }
    throw new ConvertError('LAYOUT', `export-onnx: constant operand '${d.name}' of shape [${d.shape}] against [${outShape}]`);
  }

  run(): Uint8Array {
    const m = this.model;
    for (const t of m.inputs) {
      const d = m.tensors[t];
      const name = this.names[t];
      this.b.input(name, nchwShape(d.shape), 'float32');
      this.define(t, name);
    }
    m.ops.forEach((op, i) => {
      const value = this.op(op, i);
      this.define(op.outputs[0], value);
    });
    for (const t of m.outputs) {
      const d = m.tensors[t];
      let name = this.real.get(t)!;
      if (name !== this.names[t]) {
        this.b.node('Identity', [name], [this.names[t]]);
        name = this.names[t];
      }
      this.b.output(name, nchwShape(d.shape), 'float32');
    }
    return this.b.toBytes();
  }
}

/**
 * A wasmq Model as ONNX QDQ bytes (opset 13, NCHW float32 inputs and outputs). Throws ConvertError
 * ('UNSUPPORTED_OPS' naming the op) for ops with no export. The model is not changed.
 */
export function exportOnnx(model: Model): Uint8Array {
  return new Exporter(model).run();
}

