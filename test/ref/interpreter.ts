// A plain TypeScript interpreter of int8 models, from the formulas (QUANTIZATION.md), reusing the kernel
// families' scalar references. The runtime's raw outputs must match it byte for byte.
import type { Activation, Model, OpDef, TensorDef } from '../../src/format/model.js';
import { quantizeMultiplier } from '../../src/quant/multiplier.js';
import { gemmRef } from './gemm.js';
import { poolRef, meanRef } from './pool.js';
import { requantRef } from './requant.js';

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
  return [Math.max(-128, z), Math.min(127, z + Math.round(Math.fround(6 / s)))];
}

function roundAway(x: number): number {
  return x < 0 ? -Math.round(-x) : Math.round(x);
}

function fullyConnected(model: Model, op: Extract<OpDef, { kind: 'FullyConnected' }>, get: (i: number) => Value | Int32Array): Int8Array {
  const [x, w, b] = op.inputs.map((i) => model.tensors[i]);
  const [n, k] = w.shape;
  const a = get(op.inputs[0]) as Int8Array;
  const m = a.length / k;
  const y = model.tensors[op.outputs[0]];
  const multipliers = new Int32Array(n), shifts = new Int32Array(n);
  for (let c = 0; c < n; c++) {
    const sw = w.quant!.scales[w.quant!.scales.length === 1 ? 0 : c];
    const f = quantizeMultiplier((scale(x) * sw) / scale(y));
    multipliers[c] = f.multiplier;
    shifts[c] = f.shift;
  }
  const [qmin, qmax] = clampRange(op.options.activation, y);
  const bias = b ? (get(op.inputs[2]) as Int32Array) : null;
  return gemmRef(a, m, k, k, get(op.inputs[1]) as Int8Array, bias, n, zp(x), w.quant!.zeroPoints[0], { multipliers, shifts, zpOut: zp(y), qmin, qmax });
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
  const [qmin, qmax] = clampRange(o.activation, y);
  return poolRef(a, g, op.kind === 'MaxPool2D' ? 'max' : 'avg', qmin, qmax);
}

function mean(model: Model, op: Extract<OpDef, { kind: 'Mean' }>, a: Int8Array): Int8Array {
  const x = model.tensors[op.inputs[0]], y = model.tensors[op.outputs[0]];
  const axes = op.options.axes.map((v) => (v < 0 ? v + x.shape.length : v)).sort((p, q) => p - q);
  const lo = axes[0], hi = axes[axes.length - 1];
  const outer = count(x.shape.slice(0, lo)), reduce = count(x.shape.slice(lo, hi + 1)), inner = count(x.shape.slice(hi + 1));
  const f = quantizeMultiplier(scale(x) / (scale(y) * reduce));
  return meanRef(a, outer, reduce, inner, zp(x), f.multiplier, f.shift, zp(y), -128, 127);
}

function quantize(x: Float32Array, y: TensorDef): Int8Array {
  const s = Math.fround(scale(y));
  return Int8Array.from(x, (v) => Math.max(-128, Math.min(127, roundAway(Math.fround(v / s)) + zp(y))));
}

function dequantize(q: Int8Array, x: TensorDef): Float32Array {
  return Float32Array.from(q, (v) => Math.fround(scale(x)) * (v - zp(x)));
}

/** int8 -> int8 with new parameters: zp_out + requant(q - zp_in, s_in / s_out). */
export function requantize(q: Int8Array, x: TensorDef, y: TensorDef): Int8Array {
  const f = quantizeMultiplier(scale(x) / scale(y));
  return Int8Array.from(q, (v) => requantRef(v - zp(x), f.multiplier, f.shift, zp(y), -128, 127));
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
      case 'MaxPool2D': case 'AveragePool2D': out = pool(model, op, a as Int8Array); break;
      case 'Mean': out = mean(model, op, a as Int8Array); break;
      case 'Reshape': out = (a as Value).slice(); break;
      case 'Quantize': out = a instanceof Float32Array ? quantize(a, y) : requantize(a as Int8Array, model.tensors[op.inputs[0]], y); break;
      case 'Dequantize': out = dequantize(a as Int8Array, model.tensors[op.inputs[0]]); break;
      default: throw new Error(`reference: no ${op.kind} yet`);
    }
    if (out.length !== count(y.shape)) throw new Error(`reference: ${op.kind} made ${out.length} values for [${y.shape}]`);
    values[op.outputs[0]] = out;
  }
  return values;
}
