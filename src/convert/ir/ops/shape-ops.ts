// Ops that move or select data without arithmetic (Concat, Reshape and friends, Transpose, Pad, Gather, Slice),
// Softmax, and the shape computations that only exist to be constant-folded (Shape, Cast, ConstantOfShape).
import type { IrDType } from '../graph.js';
import { fail, isFloat, need, normAxis, param, stridesOf, type InferInput, type OpDef, type Value } from './types.js';

const numel = (s: readonly number[]) => s.reduce((a, d) => a * d, 1);

const copyInput = (node: { name: string; op: string }, inputs: (Value | undefined)[], outputs: Value[]): void => outputs[0].data.set(need(node, inputs, 0).data);

export const Concat: OpDef<'Concat'> = {
  infer(node, inputs) {
    const xs = inputs.map((_, i) => need(node, inputs, i));
    const rank = xs[0].shape.length;
    const axis = normAxis(node, node.attrs.axis, rank);
    const shape = [...xs[0].shape];
    shape[axis] = 0;
    for (const x of xs) {
      if (x.shape.length !== rank || x.shape.some((d, i) => i !== axis && d !== shape[i])) fail(node, 'SHAPE_MISMATCH', `input [${x.shape}] does not match [${xs[0].shape}] outside axis ${axis}`);
      shape[axis] += x.shape[axis];
    }
    // concatenating known shape vectors keeps the value known (Shape -> Concat -> Reshape)
    const data = xs.every((x) => x.data) && !isFloat(xs[0].dtype) && rank === 1 ? Float64Array.from(xs.flatMap((x) => Array.from(x.data!))) : undefined;
    return [{ shape, dtype: xs[0].dtype, data }];
  },
  run(node, inputs, outputs) {
    const y = outputs[0];
    const axis = normAxis(node, node.attrs.axis, y.shape.length);
    const outer = numel(y.shape.slice(0, axis)), inner = numel(y.shape.slice(axis + 1));
    let at = 0;
    for (const x of inputs as Value[]) {
      const chunk = x.shape[axis] * inner;
      for (let o = 0; o < outer; o++) y.data.set(x.data.subarray(o * chunk, (o + 1) * chunk), o * y.shape[axis] * inner + at);
      at += chunk;
    }
  },
};

/** The static output shape of a Reshape: 0 copies the input dimension (unless allowZero), -1 is inferred. */
export function reshapeTarget(node: Parameters<OpDef<'Reshape'>['infer']>[0], inShape: number[], spec: number[]): number[] {
  const shape = spec.map((d, i) => (d === 0 && !node.attrs.allowZero ? inShape[i] : d));
  const wild = shape.indexOf(-1);
  if (wild >= 0) {
    const known = numel(shape.filter((_, i) => i !== wild));
    shape[wild] = known === 0 ? 0 : numel(inShape) / known;
  }
  if (shape.some((d) => !Number.isInteger(d) || d < 0) || numel(shape) !== numel(inShape)) {
    fail(node, 'SHAPE_MISMATCH', `cannot reshape [${inShape}] to [${spec}]`);
  }
  return shape;
}

export const Reshape: OpDef<'Reshape'> = {
  infer(node, inputs) {
    const x = need(node, inputs, 0);
    const spec = param(node, node.attrs.shape, inputs[1], 'shape');
    if (!spec) fail(node, 'DANGLING_EDGE', 'no target shape');
    return [{ shape: reshapeTarget(node, x.shape, spec), dtype: x.dtype, data: x.data && !isFloat(x.dtype) ? x.data : undefined }];
  },
  run: copyInput,
};

export const Flatten: OpDef<'Flatten'> = {
  infer(node, inputs) {
    const x = need(node, inputs, 0);
    const axis = node.attrs.axis < 0 ? node.attrs.axis + x.shape.length : node.attrs.axis;
    if (axis < 0 || axis > x.shape.length) fail(node, 'SHAPE_MISMATCH', `axis ${node.attrs.axis} out of range`);
    return [{ shape: [numel(x.shape.slice(0, axis)), numel(x.shape.slice(axis))], dtype: x.dtype }];
  },
  run: copyInput,
};

export const Squeeze: OpDef<'Squeeze'> = {
  infer(node, inputs) {
    const x = need(node, inputs, 0);
    const axes = param(node, node.attrs.axes, inputs[1], 'axes')?.map((a) => normAxis(node, a, x.shape.length));
    if (axes?.some((a) => x.shape[a] !== 1)) fail(node, 'SHAPE_MISMATCH', `cannot squeeze axes [${axes}] of [${x.shape}]`);
    const shape = x.shape.filter((d, i) => (axes ? !axes.includes(i) : d !== 1));
    return [{ shape, dtype: x.dtype, data: x.data && !isFloat(x.dtype) ? x.data : undefined }];
  },
  run: copyInput,
};

export const Unsqueeze: OpDef<'Unsqueeze'> = {
  infer(node, inputs) {
    const x = need(node, inputs, 0);
    const spec = param(node, node.attrs.axes, inputs[1], 'axes');
    if (!spec) fail(node, 'DANGLING_EDGE', 'no axes');
    const rank = x.shape.length + spec.length;
    const axes = spec.map((a) => normAxis(node, a, rank));
    const shape: number[] = [];
    let j = 0;
    for (let i = 0; i < rank; i++) shape.push(axes.includes(i) ? 1 : x.shape[j++]);
    return [{ shape, dtype: x.dtype, data: x.data && !isFloat(x.dtype) ? x.data : undefined }];
  },
  run: copyInput,
};

export function transposePerm(node: { name: string; op: string; attrs: { perm?: number[] } }, rank: number): number[] {
  const perm = node.attrs.perm ?? [...Array(rank).keys()].reverse();
  if (perm.length !== rank || [...perm].sort((a, b) => a - b).some((p, i) => p !== i)) fail(node, 'SHAPE_MISMATCH', `perm [${perm}] is not a permutation of rank ${rank}`);
  return perm;
}

/** Permutes `data` of `shape`: output dimension i is input dimension perm[i]. */
export function transposeData(data: ArrayLike<number>, shape: readonly number[], perm: readonly number[], out: { [i: number]: number }): void {
  const outShape = perm.map((p) => shape[p]);
  const inStrides = stridesOf(shape);
  const st = perm.map((p) => inStrides[p]);
  const pos = new Array<number>(perm.length).fill(0);
  let off = 0;
  const n = numel(shape);
  for (let k = 0; k < n; k++) {
    out[k] = data[off];
    for (let d = perm.length - 1; d >= 0; d--) {
      pos[d]++;
      off += st[d];
      if (pos[d] < outShape[d]) break;
      off -= st[d] * pos[d];
      pos[d] = 0;
    }
  }
}

export const Transpose: OpDef<'Transpose'> = {
  infer(node, inputs) {
    const x = need(node, inputs, 0);
    const perm = transposePerm(node, x.shape.length);
    return [{ shape: perm.map((p) => x.shape[p]), dtype: x.dtype }];
  },
  run(node, inputs, outputs) {
    const x = need(node, inputs, 0);
    transposeData(x.data, x.shape, transposePerm(node, x.shape.length), outputs[0].data);
  },
};

function padsOf(node: Parameters<OpDef<'Pad'>['infer']>[0], inputs: (InferInput | undefined)[], rank: number): number[] {
  const pads = param(node, node.attrs.pads, inputs[1], 'pads');
  if (!pads || pads.length !== 2 * rank) fail(node, 'SHAPE_MISMATCH', `pads must have ${2 * rank} values`);
  return pads;
}

export const Pad: OpDef<'Pad'> = {
  infer(node, inputs) {
    const x = need(node, inputs, 0);
    if (inputs[3]) fail(node, 'UNSUPPORTED_ATTRIBUTE', 'the axes input of Pad is not supported');
    const r = x.shape.length, pads = padsOf(node, inputs, r);
    const shape = x.shape.map((d, i) => d + pads[i] + pads[i + r]);
    if (shape.some((d) => d < 0)) fail(node, 'SHAPE_MISMATCH', `pads [${pads}] crop [${x.shape}] below zero`);
    return [{ shape, dtype: x.dtype }];
  },
  run(node, inputs, outputs) {
    const x = need(node, inputs, 0), y = outputs[0];
    const r = x.shape.length, pads = padsOf(node, inputs, r);
    const value = inputs[2] ? inputs[2].data[0] : node.attrs.value;
    const ys = stridesOf(y.shape), xs = stridesOf(x.shape);
    for (let k = 0; k < y.data.length; k++) {
      let off = 0, inside = true;
      for (let d = 0; d < r; d++) {
        const i = Math.floor(k / ys[d]) % y.shape[d] - pads[d];
        if (i < 0 || i >= x.shape[d]) { inside = false; break; }
        off += i * xs[d];
      }
      y.data[k] = inside ? x.data[off] : value;
    }
  },
};

export const Softmax: OpDef<'Softmax'> = {
  infer(node, inputs) {
    const x = need(node, inputs, 0);
    normAxis(node, node.attrs.axis, x.shape.length);
    return [{ shape: [...x.shape], dtype: x.dtype }];
  },
  run(node, inputs, outputs) {
    const x = need(node, inputs, 0), y = outputs[0].data;
    const axis = normAxis(node, node.attrs.axis, x.shape.length);
    // legacy: one softmax over each block [axis, rank); otherwise over `axis` with stride `inner`
    const len = node.attrs.legacy ? numel(x.shape.slice(axis)) : x.shape[axis];
    const inner = node.attrs.legacy ? 1 : numel(x.shape.slice(axis + 1));
    const outer = x.data.length / (len * inner);
    for (let o = 0; o < outer; o++) for (let j = 0; j < inner; j++) {
      const base = o * len * inner + j;
      let max = -Infinity, sum = 0;
      for (let i = 0; i < len; i++) max = Math.max(max, x.data[base + i * inner]);
      for (let i = 0; i < len; i++) sum += Math.exp(x.data[base + i * inner] - max);
      for (let i = 0; i < len; i++) y[base + i * inner] = Math.exp(x.data[base + i * inner] - max) / sum;
    }
  },
};

export const Shape: OpDef<'Shape'> = {
  infer(node, inputs) {
    const x = need(node, inputs, 0), r = x.shape.length;
    const clampAxis = (a: number) => Math.min(Math.max(a < 0 ? a + r : a, 0), r);
    const dims = x.shape.slice(clampAxis(node.attrs.start), clampAxis(node.attrs.end ?? r));
    return [{ shape: [dims.length], dtype: 'int64', data: Float64Array.from(dims) }];
  },
  run(node, inputs, outputs) {
    outputs[0].data.set(Shape.infer(node, inputs, 'NCHW')[0].data!);
  },
};

function gatherIndices(node: Parameters<OpDef<'Gather'>['infer']>[0], x: InferInput, idx: InferInput, axis: number): number[] {
  if (!idx.data) fail(node, 'NOT_CONSTANT', 'indices must be constant');
  const n = x.shape[axis];
  return Array.from(idx.data, (i) => {
    if (i < -n || i >= n) fail(node, 'SHAPE_MISMATCH', `index ${i} out of range for dimension ${n}`);
    return i < 0 ? i + n : i;
  });
}

export const Gather: OpDef<'Gather'> = {
  infer(node, inputs) {
    const x = need(node, inputs, 0), idx = need(node, inputs, 1);
    const axis = normAxis(node, node.attrs.axis, x.shape.length);
    const shape = [...x.shape.slice(0, axis), ...idx.shape, ...x.shape.slice(axis + 1)];
    let data: Float64Array | undefined;
    if (x.data && idx.data && !isFloat(x.dtype)) {
      const out = { shape, dtype: x.dtype, data: new Float64Array(numel(shape)) };
      Gather.run(node, [x as Value, idx as Value], [out], 'NCHW');
      data = out.data;
    }
    return [{ shape, dtype: x.dtype, data }];
  },
  run(node, inputs, outputs) {
    const x = need(node, inputs, 0), idx = gatherIndices(node, x, need(node, inputs, 1), normAxis(node, node.attrs.axis, x.shape.length));
    const axis = normAxis(node, node.attrs.axis, x.shape.length);
    const outer = numel(x.shape.slice(0, axis)), inner = numel(x.shape.slice(axis + 1)), n = x.shape[axis];
    const y = outputs[0].data;
    let k = 0;
    for (let o = 0; o < outer; o++) for (const i of idx) for (let j = 0; j < inner; j++) y[k++] = x.data[(o * n + i) * inner + j];
  },
};

function sliceSpec(node: Parameters<OpDef<'Slice'>['infer']>[0], inputs: (InferInput | undefined)[], shape: number[]) {
  const r = shape.length;
  const starts = param(node, node.attrs.starts, inputs[1], 'starts');
  const ends = param(node, node.attrs.ends, inputs[2], 'ends');
  if (!starts || !ends || starts.length !== ends.length) fail(node, 'SHAPE_MISMATCH', 'starts and ends must have equal lengths');
  const axes = (param(node, node.attrs.axes, inputs[3], 'axes') ?? starts.map((_, i) => i)).map((a) => normAxis(node, a, r));
  const steps = param(node, node.attrs.steps, inputs[4], 'steps') ?? starts.map(() => 1);
  const begin = new Array<number>(r).fill(0), step = new Array<number>(r).fill(1), out = [...shape];
  axes.forEach((a, i) => {
    const n = shape[a], s = steps[i];
    if (!s) fail(node, 'SHAPE_MISMATCH', 'step 0');
    const clamp = (v: number, lo: number, hi: number) => Math.min(Math.max(v < 0 ? v + n : v, lo), hi);
    const b = s > 0 ? clamp(starts[i], 0, n) : clamp(starts[i], -1, n - 1);
    const e = s > 0 ? clamp(ends[i], 0, n) : clamp(ends[i], -1, n - 1);
    begin[a] = b;
    step[a] = s;
    out[a] = Math.max(0, Math.ceil((e - b) / s));
  });
  return { begin, step, out };
}

export const Slice: OpDef<'Slice'> = {
  infer(node, inputs) {
    const x = need(node, inputs, 0);
    const { out } = sliceSpec(node, inputs, x.shape);
    let data: Float64Array | undefined;
    if (x.data && !isFloat(x.dtype)) {
      const o = { shape: out, dtype: x.dtype, data: new Float64Array(numel(out)) };
      Slice.run(node, inputs as Value[], [o], 'NCHW');
      data = o.data;
    }
    return [{ shape: out, dtype: x.dtype, data }];
  },
  run(node, inputs, outputs) {
    const x = need(node, inputs, 0), y = outputs[0];
    const { begin, step } = sliceSpec(node, inputs, x.shape);
    const xs = stridesOf(x.shape), ys = stridesOf(y.shape);
    for (let k = 0; k < y.data.length; k++) {
      let off = 0;
      for (let d = 0; d < ys.length; d++) off += (begin[d] + (Math.floor(k / ys[d]) % y.shape[d]) * step[d]) * xs[d];
      y.data[k] = x.data[off];
    }
  },
};

const castValue = (v: number, to: IrDType) => (to === 'bool' ? (v !== 0 ? 1 : 0) : isFloat(to) ? v : Math.trunc(v));

export const Cast: OpDef<'Cast'> = {
  infer(node, inputs) {
    const x = need(node, inputs, 0);
    const data = x.data && !isFloat(node.attrs.to) ? Float64Array.from(x.data, (v) => castValue(v, node.attrs.to)) : undefined;
    return [{ shape: [...x.shape], dtype: node.attrs.to, data }];
  },
  run(node, inputs, outputs) {
    const x = need(node, inputs, 0);
    for (let i = 0; i < x.data.length; i++) outputs[0].data[i] = castValue(x.data[i], node.attrs.to);
  },
};

export const ConstantOfShape: OpDef<'ConstantOfShape'> = {
  infer(node, inputs) {
    const s = param(node, undefined, need(node, inputs, 0), 'shape')!;
    if (s.some((d) => !Number.isInteger(d) || d < 0) || numel(s) > 1 << 28) fail(node, 'SHAPE_MISMATCH', `bad shape [${s}]`);
    return [{ shape: s, dtype: node.attrs.dtype }];
  },
  run(node, _inputs, outputs) {
    outputs[0].data.fill(node.attrs.value);
  },
};
