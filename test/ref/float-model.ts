// A float64 reference interpreter for float32 models, written from the op definitions (not from the runtime's
// ops). Every tensor is stored rounded to float32, as the runtime stores it; each op's exact result comes with
// an error allowance: for sums of products (conv, depthwise, FC) (terms + 2) * 2^-24 * sum |terms| (the f32
// refs' magnitude), for every other op 1e-5 * (1 + |y|) (one or a few float32 roundings of values near 1, or
// window sums of at most a few dozen cells).
import type { Activation, Model, OpDef, TensorDef } from '../../src/format/model.js';
import type { ConvGeometry } from '../../src/runtime/kernels/dwconv.js';
import { convF32Ref, depthwiseF32Ref, gemmF32Ref, type F32Ref } from './f32.js';

export interface FloatRun {
  /** per tensor: the value as float32 (constants and unused tensors undefined) */
  values: (Float32Array | undefined)[];
  /** per tensor: the exact result of its op from its (float32) inputs, and the allowed |error| per element */
  exact: (Float64Array | undefined)[];
  allowance: (Float64Array | undefined)[];
}

const count = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);
const EPS = 2 ** -24;

/** A constant as float64: float32 or int32 data, or int8/uint8 dequantized (scale[c] * (q - zp[c]) along the quant axis). */
export function constantValues(model: Model, t: TensorDef): Float64Array {
  const b = model.buffers[t.buffer!];
  if (t.dtype === 'float32') return Float64Array.from(new Float32Array(b.slice().buffer));
  if (t.dtype === 'int32') return Float64Array.from(new Int32Array(b.slice().buffer));
  const q = t.dtype === 'uint8' ? b : new Int8Array(b.buffer, b.byteOffset, b.byteLength);
  const quant = t.quant!;
  const inner = quant.axis < 0 ? 1 : count(t.shape.slice(quant.axis + 1));
  return Float64Array.from(q, (v, i) => {
    const c = quant.scales.length === 1 ? 0 : Math.floor(i / inner) % quant.scales.length;
    return quant.scales[c] * (v - quant.zeroPoints[c]);
  });
}

function bounds(a: Activation): [number, number] {
  return a === 'relu' ? [0, Infinity] : a === 'relu6' ? [0, 6] : [-Infinity, Infinity];
}

const clamp = (v: number, [lo, hi]: [number, number]): number => Math.min(hi, Math.max(lo, v));

function geometry(model: Model, op: Extract<OpDef, { kind: 'Conv2D' | 'DepthwiseConv2D' }>): ConvGeometry {
  const [batch, inH, inW, inC] = model.tensors[op.inputs[0]].shape;
  const w = model.tensors[op.inputs[1]].shape;
  const [, outH, outW, outC] = model.tensors[op.outputs[0]].shape;
  const o = op.options;
  return { batch, inH, inW, inC, outH, outW, outC, kH: w[1], kW: w[2], strideH: o.strideH, strideW: o.strideW, dilationH: o.dilationH, dilationW: o.dilationW, padTop: o.padTop, padLeft: o.padLeft };
}

function fromF32Ref(r: F32Ref, terms: number): [Float64Array, Float64Array] {
  return [r.out, r.magnitude.map((m) => (terms + 2) * EPS * m + 1e-30)];
}

/** Strides of a row-major shape. */
function strides(shape: readonly number[]): number[] {
  return shape.map((_, k) => count(shape.slice(k + 1)));
}

function evalOp(model: Model, op: OpDef, v: (i: number) => Float32Array, c: (i: number) => Float64Array): Float64Array | [Float64Array, Float64Array] {
  const x = v(op.inputs[0]);
  const inShape = model.tensors[op.inputs[0]].shape;
  const outShape = model.tensors[op.outputs[0]].shape;
  const f32 = (a: Float64Array) => Float32Array.from(a);
  switch (op.kind) {
    case 'Conv2D': case 'DepthwiseConv2D': {
      const g = geometry(model, op);
      const bias = op.inputs[2] !== undefined ? f32(c(op.inputs[2])) : undefined;
      const [lo, hi] = bounds(op.options.activation);
      const w = f32(c(op.inputs[1]));
      return op.kind === 'Conv2D'
        ? fromF32Ref(convF32Ref(g, x, w, bias, lo, hi), g.kH * g.kW * g.inC)
        : fromF32Ref(depthwiseF32Ref(g, x, w, bias, lo, hi), g.kH * g.kW);
    }
    case 'FullyConnected': {
      const [n, k] = model.tensors[op.inputs[1]].shape;
      const m = x.length / k;
      const bias = op.inputs[2] !== undefined ? f32(c(op.inputs[2])) : undefined;
      const [lo, hi] = bounds(op.options.activation);
      return fromF32Ref(gemmF32Ref(x, k, f32(c(op.inputs[1])), bias, m, n, k, lo, hi), k);
    }
    case 'Add': case 'Mul': {
      const b = v(op.inputs[1]), C = inShape[inShape.length - 1];
      const r = bounds(op.options.activation);
      return Float64Array.from(x, (a, i) => {
        const bv = b.length === x.length ? b[i] : b.length === 1 ? b[0] : b[i % C];
        return clamp(op.kind === 'Add' ? a + bv : a * bv, r);
      });
    }
    case 'MaxPool2D': case 'AveragePool2D': {
      const o = op.options, [N, H, W, C] = inShape, [, OH, OW] = outShape;
      const out = new Float64Array(count(outShape));
      const r = bounds(o.activation);
      for (let n = 0; n < N; n++) for (let oy = 0; oy < OH; oy++) for (let ox = 0; ox < OW; ox++) for (let ch = 0; ch < C; ch++) {
        let acc = op.kind === 'MaxPool2D' ? -Infinity : 0, cells = 0;
        for (let fy = 0; fy < o.filterH; fy++) for (let fx = 0; fx < o.filterW; fx++) {
          const iy = oy * o.strideH - o.padTop + fy, ix = ox * o.strideW - o.padLeft + fx;
          if (iy < 0 || iy >= H || ix < 0 || ix >= W) continue;
          const val = x[((n * H + iy) * W + ix) * C + ch];
          acc = op.kind === 'MaxPool2D' ? Math.max(acc, val) : acc + val;
          cells++;
        }
        out[((n * OH + oy) * OW + ox) * C + ch] = clamp(op.kind === 'MaxPool2D' ? acc : acc / cells, r);
      }
      return out;
    }
    case 'Mean': {
      const axes = op.options.axes.map((a) => (a < 0 ? a + inShape.length : a));
      const kept = inShape.map((d, k) => (axes.includes(k) ? 1 : d));
      const ks = strides(kept), is = strides(inShape);
      const sums = new Float64Array(count(kept));
      const reduce = x.length / sums.length;
      for (let i = 0; i < x.length; i++) {
        let j = 0;
        inShape.forEach((_, k) => { if (!axes.includes(k)) j += (Math.floor(i / is[k]) % inShape[k]) * ks[k]; });
        sums[j] += x[i];
      }
      return sums.map((s) => s / reduce);
    }
    case 'Concatenation': {
      const axis = op.options.axis < 0 ? op.options.axis + outShape.length : op.options.axis;
      const out = new Float64Array(count(outShape));
      const os = strides(outShape);
      let offset = 0;
      const r = bounds(op.options.activation);
      for (const t of op.inputs) {
        const s = model.tensors[t].shape, ss = strides(s), val = v(t);
        for (let i = 0; i < val.length; i++) {
          let j = 0;
          s.forEach((_, k) => { j += (Math.floor(i / ss[k]) % s[k] + (k === axis ? offset : 0)) * os[k]; });
          out[j] = clamp(val[i], r);
        }
        offset += s[axis];
      }
      return out;
    }
    case 'Pad': {
      const out = new Float64Array(count(outShape));
      const os = strides(outShape), is = strides(inShape), pads = op.options.pads;
      for (let i = 0; i < x.length; i++) {
        let j = 0;
        inShape.forEach((_, k) => { j += (Math.floor(i / is[k]) % inShape[k] + pads[2 * k]) * os[k]; });
        out[j] = x[i];
      }
      return out;
    }
    case 'Reshape': return Float64Array.from(x);
    case 'Softmax': {
      const row = inShape[inShape.length - 1], beta = op.options.beta;
      const out = new Float64Array(x.length);
      for (let r = 0; r < x.length; r += row) {
        let top = -Infinity, sum = 0;
        for (let i = r; i < r + row; i++) top = Math.max(top, x[i]);
        for (let i = r; i < r + row; i++) sum += Math.exp(beta * (x[i] - top));
        for (let i = r; i < r + row; i++) out[i] = Math.exp(beta * (x[i] - top)) / sum;
      }
      return out;
    }
    case 'Logistic': return Float64Array.from(x, (a) => 1 / (1 + Math.exp(-a)));
    case 'Tanh': return Float64Array.from(x, Math.tanh);
    case 'HardSwish': return Float64Array.from(x, (a) => (a * Math.min(6, Math.max(0, a + 3))) / 6);
    case 'LeakyRelu': { const alpha = op.options.alpha; return Float64Array.from(x, (a) => (a >= 0 ? a : alpha * a)); }
    case 'Relu': return Float64Array.from(x, (a) => Math.max(0, a));
    case 'Relu6': return Float64Array.from(x, (a) => Math.min(6, Math.max(0, a)));
    default: throw new Error(`float reference: no ${op.kind}`);
  }
}

/** Runs a float32 model on float32 feeds (by graph input order). */
export function interpretFloat(model: Model, feeds: Float32Array[]): FloatRun {
  const n = model.tensors.length;
  const run: FloatRun = { values: new Array(n), exact: new Array(n), allowance: new Array(n) };
  const consts = new Map<number, Float64Array>();
  const c = (i: number): Float64Array => {
    if (!consts.has(i)) consts.set(i, constantValues(model, model.tensors[i]));
    return consts.get(i)!;
  };
  const v = (i: number): Float32Array => {
    const t = model.tensors[i];
    if (t.buffer !== undefined) return Float32Array.from(c(i));
    if (!run.values[i]) throw new Error(`float reference: tensor ${i} has no value`);
    return run.values[i]!;
  };
  model.inputs.forEach((t, k) => (run.values[t] = feeds[k]));
  for (const op of model.ops) {
    const r = evalOp(model, op, v, c);
    const [exact, allowance] = Array.isArray(r) ? r : [r, r.map((y) => 1e-5 * (1 + Math.abs(y)))];
    const y = op.outputs[0];
    if (exact.length !== count(model.tensors[y].shape)) throw new Error(`float reference: ${op.kind} made ${exact.length} values for [${model.tensors[y].shape}]`);
    run.exact[y] = exact;
    run.allowance[y] = allowance;
    run.values[y] = Float32Array.from(exact);
  }
  return run;
}
