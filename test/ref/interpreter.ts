// A plain TypeScript interpreter of int8 models, from the formulas (QUANTIZATION.md), reusing the kernel
// families' scalar references. The runtime's raw outputs must match it byte for byte.
import type { Activation, Model, OpDef, TensorDef } from '../../src/format/model.js';
import { quantizeMultiplier } from '../../src/quant/multiplier.js';
import { gemmRef } from './gemm.js';
import { poolRef, meanRef } from './pool.js';
import { convRef } from './conv.js';
import { depthwiseInt8Ref } from './dwconv.js';
import { addOneRef, broadcastRef, concatRef, lutRef, mulOneRef, padRef, quantizeRef, requantize8Ref, softmaxRef } from './elementwise.js';

export type Value = Int8Array | Float32Array;

const count = (shape: number[]): number => shape.reduce((a, b) => a * b, 1);

function scale(t: TensorDef): number {
  return t.quant!.scales[0];
}
function zp(t: TensorDef): number {
  return t.quant!.zeroPoints[0];
}

function constant(model: Model, t: TensorDef): Value | Int32Array {
  const b = model.buffers[t.buffer!];
  const copy = b.slice().buffer;
  return t.dtype === 'int32' ? new Int32Array(copy) : t.dtype === 'float32' ? new Float32Array(copy) : new Int8Array(copy);
}

/** Clamp range of a fused activation on an int8 output. */
export function clampRange(act: Activation, t: TensorDef): [number, number] {
  const s = scale(t), z = zp(t);
  if (act === 'none') return [-128, 127];
  if (act === 'relu') return [Math.max(-128, z), 127];
  return [Math.max(-128, z), Math.min(127, z + Math.round(6 / s))];
}

type Getter = (i: number) => Value | Int32Array;

/** Per-channel (M0, shift) of s_in * s_w[c] / s_out and the fused clamp of output y. */
function outputQuant(x: TensorDef, w: TensorDef, y: TensorDef, channels: number, act: Activation) {
  const multipliers = new Int32Array(channels), shifts = new Int32Array(channels);
  for (let c = 0; c < channels; c++) {
    const sw = w.quant!.scales[w.quant!.scales.length === 1 ? 0 : c];
    const f = quantizeMultiplier((scale(x) * sw) / scale(y));
    multipliers[c] = f.multiplier;
    shifts[c] = f.shift;
  }
  const [qmin, qmax] = clampRange(act, y);
  return { multipliers, shifts, zpOut: zp(y), qmin, qmax };
}

function fullyConnected(model: Model, op: Extract<OpDef, { kind: 'FullyConnected' }>, get: Getter): Int8Array {
  const [x, w, b] = op.inputs.map((i) => model.tensors[i]);
  const [n, k] = w.shape;
  const a = get(op.inputs[0]) as Int8Array;
  const y = model.tensors[op.outputs[0]];
  const bias = b ? (get(op.inputs[2]) as Int32Array) : null;
  return gemmRef(a, a.length / k, k, k, get(op.inputs[1]) as Int8Array, bias, n, zp(x), zp(w), outputQuant(x, w, y, n, op.options.activation));
}

function conv2d(model: Model, op: Extract<OpDef, { kind: 'Conv2D' }>, get: Getter): Int8Array {
  const [x, w, b] = op.inputs.map((i) => model.tensors[i]);
  const y = model.tensors[op.outputs[0]];
  const [batch, inH, inW, cin] = x.shape;
  const [cout, kH, kW] = w.shape;
  const o = op.options;
  const spec = {
    batch, inH, inW, cin, cout, kH, kW, strideH: o.strideH, strideW: o.strideW, dilH: o.dilationH, dilW: o.dilationW,
    padTop: o.padTop, padLeft: o.padLeft, outH: y.shape[1], outW: y.shape[2], zpIn: zp(x), zpW: zp(w),
  };
  const bias = b ? (get(op.inputs[2]) as Int32Array) : null;
  return convRef(spec, get(op.inputs[0]) as Int8Array, get(op.inputs[1]) as Int8Array, bias, outputQuant(x, w, y, cout, o.activation));
}

function depthwise(model: Model, op: Extract<OpDef, { kind: 'DepthwiseConv2D' }>, get: Getter): Int8Array {
  const [x, w, b] = op.inputs.map((i) => model.tensors[i]);
  const y = model.tensors[op.outputs[0]];
  const [batch, inH, inW, inC] = x.shape;
  const [, kH, kW, outC] = w.shape;
  const o = op.options;
  const g = {
    batch, inH, inW, inC, outH: y.shape[1], outW: y.shape[2], outC, kH, kW, strideH: o.strideH, strideW: o.strideW,
    dilationH: o.dilationH, dilationW: o.dilationW, padTop: o.padTop, padLeft: o.padLeft,
  };
  const q = outputQuant(x, w, y, outC, o.activation);
  return depthwiseInt8Ref({
    g, x: get(op.inputs[0]) as Int8Array, w: get(op.inputs[1]) as Int8Array, bias: b ? (get(op.inputs[2]) as Int32Array) : undefined,
    zpIn: zp(x), zpW: zp(w), m0: q.multipliers, shift: q.shifts, zpOut: q.zpOut, qmin: q.qmin, qmax: q.qmax,
  });
}

function binary(model: Model, op: Extract<OpDef, { kind: 'Add' | 'Mul' }>, get: Getter): Int8Array {
  const [a, b] = op.inputs.map((i) => model.tensors[i]);
  const y = model.tensors[op.outputs[0]];
  const [qmin, qmax] = clampRange(op.options.activation, y);
  const qm = (m: number) => quantizeMultiplier(m);
  let f: (p: number, q: number) => number;
  if (op.kind === 'Add') {
    // TFLite: both inputs scaled to 2 * max(s_a, s_b) after a left shift of 20, then to the output.
    const twiceMax = 2 * Math.max(scale(a), scale(b));
    const ma = qm(scale(a) / twiceMax), mb = qm(scale(b) / twiceMax), mo = qm(twiceMax / (2 ** 20 * scale(y)));
    const p = { zpA: zp(a), zpB: zp(b), zpOut: zp(y), mA: ma.multiplier, shiftA: ma.shift, mB: mb.multiplier, shiftB: mb.shift, mOut: mo.multiplier, shiftOut: mo.shift };
    f = (u, v) => addOneRef(u, v, p, qmin, qmax);
  } else {
    const mo = qm((scale(a) * scale(b)) / scale(y));
    const p = { zpA: zp(a), zpB: zp(b), zpOut: zp(y), mOut: mo.multiplier, shiftOut: mo.shift };
    f = (u, v) => mulOneRef(u, v, p, qmin, qmax);
  }
  return broadcastRef(get(op.inputs[0]) as Int8Array, a.shape, get(op.inputs[1]) as Int8Array, b.shape, f).out;
}

const ACTIVATION: Record<Activation, (x: number) => number> = {
  none: (x) => x,
  relu: (x) => Math.max(0, x),
  relu6: (x) => Math.min(6, Math.max(0, x)),
};

/** q -> quantize_y(f(s * (q - zp))), through the reference table. */
function remap(q: Int8Array, s: number, z: number, y: TensorDef, f: (x: number) => number): Int8Array {
  const table = lutRef(f, s, z, true, scale(y), zp(y), true);
  return Int8Array.from(q, (v) => (table[v & 0xff] << 24) >> 24);
}

/** The real functions of the element-wise ops. */
const UNARY: Record<string, (x: number, alpha: number) => number> = {
  Logistic: (x) => 1 / (1 + Math.exp(-x)),
  Tanh: (x) => Math.tanh(x),
  HardSwish: (x) => (x * Math.min(6, Math.max(0, x + 3))) / 6,
  LeakyRelu: (x, alpha) => (x >= 0 ? x : alpha * x),
  Relu: (x) => Math.max(0, x),
  Relu6: (x) => Math.min(6, Math.max(0, x)),
};

function unary(model: Model, op: OpDef, a: Int8Array): Int8Array {
  const x = model.tensors[op.inputs[0]], y = model.tensors[op.outputs[0]];
  const alpha = op.kind === 'LeakyRelu' ? op.options.alpha : 0;
  return remap(a, scale(x), zp(x), y, (v) => UNARY[op.kind](v, alpha));
}

function pool(model: Model, op: Extract<OpDef, { kind: 'MaxPool2D' | 'AveragePool2D' }>, a: Int8Array): Int8Array {
  const [batch, inH, inW, channels] = model.tensors[op.inputs[0]].shape;
  const o = op.options;
  const y = model.tensors[op.outputs[0]];
  const g = {
    batch, inH, inW, channels, filterH: o.filterH, filterW: o.filterW, strideH: o.strideH, strideW: o.strideW, padTop: o.padTop, padLeft: o.padLeft,
    outH: Math.floor((inH + o.padTop + o.padBottom - o.filterH) / o.strideH) + 1,
    outW: Math.floor((inW + o.padLeft + o.padRight - o.filterW) / o.strideW) + 1,
  };
  const x = model.tensors[op.inputs[0]];
  const kind = op.kind === 'MaxPool2D' ? 'max' : 'avg';
  if (scale(x) === scale(y) && zp(x) === zp(y)) {
    const [qmin, qmax] = clampRange(o.activation, y);
    return poolRef(a, g, kind, qmin, qmax);
  }
  // Other output parameters: pool in the input's, then map each value (and apply the activation).
  return remap(poolRef(a, g, kind, -128, 127), scale(x), zp(x), y, ACTIVATION[o.activation]);
}

function mean(model: Model, op: Extract<OpDef, { kind: 'Mean' }>, a: Int8Array): Int8Array {
  const x = model.tensors[op.inputs[0]], y = model.tensors[op.outputs[0]];
  const axes = op.options.axes.map((v) => (v < 0 ? v + x.shape.length : v)).sort((p, q) => p - q);
  const lo = axes[0], hi = axes[axes.length - 1];
  const outer = count(x.shape.slice(0, lo)), reduce = count(x.shape.slice(lo, hi + 1)), inner = count(x.shape.slice(hi + 1));
  const f = quantizeMultiplier(scale(x) / (scale(y) * reduce));
  return meanRef(a, outer, reduce, inner, zp(x), f.multiplier, f.shift, zp(y), -128, 127);
}

function quantize(x: Float32Array, y: TensorDef, even: boolean): Int8Array {
  return Int8Array.from(x, (v) => quantizeRef(v, Math.fround(scale(y)), zp(y), -128, 127, even));
}

/** int8 -> int8 with new parameters (TFLite fixed point), clamped to [qmin, qmax]. */
function requantize(q: Int8Array, x: TensorDef, y: TensorDef, qmin = -128, qmax = 127): Int8Array {
  const f = quantizeMultiplier(scale(x) / scale(y));
  return Int8Array.from(q, (v) => requantize8Ref(v, zp(x), f.multiplier, f.shift, zp(y), qmin, qmax));
}

function concatenation(model: Model, op: Extract<OpDef, { kind: 'Concatenation' }>, get: Getter): Int8Array {
  const y = model.tensors[op.outputs[0]];
  const [qmin, qmax] = clampRange(op.options.activation, y);
  // Each input moved to the output's parameters (an identity when they agree), then clamped.
  const inputs = op.inputs.map((i) => {
    const data = requantize(get(i) as Int8Array, model.tensors[i], y, qmin, qmax);
    return { data: new Uint8Array(data.buffer), shape: model.tensors[i].shape };
  });
  const rank = y.shape.length;
  const axis = op.options.axis < 0 ? op.options.axis + rank : op.options.axis;
  const out = concatRef(inputs, axis, (_, byte) => byte);
  return new Int8Array(out.buffer);
}

function pad(model: Model, op: Extract<OpDef, { kind: 'Pad' }>, a: Int8Array): Int8Array {
  const x = model.tensors[op.inputs[0]];
  return new Int8Array(padRef(new Uint8Array(a.buffer, a.byteOffset, a.length), x.shape, op.options.pads, zp(x)).buffer);
}

function dequantize(q: Int8Array, x: TensorDef): Float32Array {
  return Float32Array.from(q, (v) => Math.fround(scale(x)) * (v - zp(x)));
}


/** Runs the model on int8/float32 feeds (by graph input order); returns every tensor's value by index. */
export function interpret(model: Model, feeds: Value[]): (Value | Int32Array | undefined)[] {
  const values: (Value | Int32Array | undefined)[] = model.tensors.map((t) => (t.buffer !== undefined ? constant(model, t) : undefined));
  model.inputs.forEach((i, k) => (values[i] = feeds[k]));
  const get = (i: number): Value | Int32Array => {
    const v = values[i];
    if (!v) throw new Error(`reference: tensor ${i} has no value`);
    return v;
  };
  for (const op of model.ops) {
    const a = get(op.inputs[0]);
    const y = model.tensors[op.outputs[0]];
    let out: Value;
    switch (op.kind) {
      case 'FullyConnected': out = fullyConnected(model, op, get); break;
      case 'Conv2D': out = conv2d(model, op, get); break;
      case 'DepthwiseConv2D': out = depthwise(model, op, get); break;
      case 'Add': case 'Mul': out = binary(model, op, get); break;
      case 'Logistic': case 'Tanh': case 'HardSwish': case 'LeakyRelu': case 'Relu': case 'Relu6': out = unary(model, op, a as Int8Array); break;
      case 'Softmax': {
        const length = y.shape[y.shape.length - 1];
        out = softmaxRef(a as Int8Array, count(y.shape) / length, length, op.options.beta, scale(model.tensors[op.inputs[0]]));
        // TFLite's softmax output is (1/256, -128); other parameters: map the values.
        if (Math.fround(scale(y)) !== Math.fround(1 / 256) || zp(y) !== -128) out = remap(out, 1 / 256, -128, y, (v) => v);
        break;
      }
      case 'MaxPool2D': case 'AveragePool2D': out = pool(model, op, a as Int8Array); break;
      case 'Mean': out = mean(model, op, a as Int8Array); break;
      case 'Reshape': out = (a as Value).slice(); break;
      case 'Concatenation': out = concatenation(model, op, get); break;
      case 'Pad': out = pad(model, op, a as Int8Array); break;
      case 'Quantize': {
        const x = model.tensors[op.inputs[0]];
        out = a instanceof Float32Array ? quantize(a, y, op.options.rounding === 'half-even') : requantize(a as Int8Array, x, y);
        break;
      }
      case 'Dequantize': out = dequantize(a as Int8Array, model.tensors[op.inputs[0]]); break;
      default: throw new Error(`reference: no ${op.kind} yet`);
    }
    if (out.length !== count(y.shape)) throw new Error(`reference: ${op.kind} made ${out.length} values for [${y.shape}]`);
    values[op.outputs[0]] = out;
  }
  return values;
}
