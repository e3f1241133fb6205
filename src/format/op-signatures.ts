// What each op kind accepts, in one table: operands (dtypes, which must be constant), the output dtype, the
// options table that carries its parameters in the file, and the checks of its options and shapes. The
// semantic verifier (verify-model.ts) applies the generic parts; `check` holds what is particular to a kind.

import type { ModelErrorCode } from './errors.js';
import type { ModelLimits } from './limits.js';
import type { DType, OpDef, OpKind, Padding4, TensorDef } from './model.js';
import { elementCount, normalizeAxis, sameShape, windowOutputSize } from './shape-math.js';

/** Name of the options table (a member of the OpOptions union in the schema), or null for none. */
export type OptionsTable =
  | 'Conv2DOptions' | 'DepthwiseConv2DOptions' | 'PoolOptions' | 'ActivationOptions' | 'MeanOptions'
  | 'ConcatenationOptions' | 'PadOptions' | 'SoftmaxOptions' | 'LeakyReluOptions'
  | 'QuantizeOptions';

export interface Operand {
  name: string;
  dtypes: readonly DType[];
  /**
   * What the operand takes in a float32 op: one whose input 0 is float32 and whose first operand lists float32
   * here (a float model, or a weight-only one with int8 weights). Absent: the operand has no float32 form.
   */
  floatDtypes?: readonly DType[];
  constant?: boolean;
  optional?: boolean;
}

/** What a kind-specific check sees: resolved tensors and a `fail` that names the op. */
export interface OpCheck {
  op: OpDef;
  inputs: TensorDef[];
  output: TensorDef;
  limits: ModelLimits;
  fail(code: ModelErrorCode, message: string): never;
}

export interface OpSignature {
  /** in order; optional operands come last */
  inputs: readonly Operand[];
  /** the last operand may repeat (up to limits.maxOpInputs) */
  variadic?: boolean;
  /** 'same': the dtype of input 0 */
  output: 'same' | readonly DType[];
  options: OptionsTable | null;
  check?(c: OpCheck): void;
}

const Q: readonly DType[] = ['int8', 'uint8'];
const F: readonly DType[] = ['float32'];
const activation: Operand = { name: 'input', dtypes: Q, floatDtypes: F };
// Float ops take float32 weights, or int8 ones (weight-only quantization) that the runtime dequantizes once.
const weights: Operand = { name: 'weights', dtypes: Q, floatDtypes: ['float32', 'int8'], constant: true };
const bias: Operand = { name: 'bias', dtypes: ['int32'], floatDtypes: F, constant: true, optional: true };

const ACTIVATIONS = ['none', 'relu', 'relu6'];

function fmt(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

function int(c: OpCheck, field: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    c.fail('BAD_OPTIONS', `options.${field} = ${String(value)} must be an integer in [${min}, ${max}]`);
  }
  return value;
}

function checkActivation(c: OpCheck, value: unknown): void {
  if (typeof value !== 'string' || !ACTIVATIONS.includes(value)) {
    c.fail('BAD_OPTIONS', `options.activation = ${String(value)} must be one of ${ACTIVATIONS.join(', ')}`);
  }
}

function options(c: OpCheck): Record<string, unknown> {
  const o = c.op.options as unknown;
  if (typeof o !== 'object' || o === null || Array.isArray(o)) c.fail('BAD_OPTIONS', 'options must be an object');
  return o as Record<string, unknown>;
}

function rank(c: OpCheck, role: string, t: TensorDef, expected: number): void {
  if (t.shape.length !== expected) c.fail('BAD_SHAPE', `${role} '${t.name}' has shape ${fmt(t.shape)}, expected rank ${expected}`);
}

function expectOutputShape(c: OpCheck, expected: readonly number[]): void {
  if (!sameShape(c.output.shape, expected)) {
    c.fail('BAD_SHAPE', `output '${c.output.name}' has shape ${fmt(c.output.shape)}, the op computes ${fmt(expected)}`);
  }
}

/**
 * Weights are symmetric (zero point 0), quantized per tensor or per output channel along `axis`; legacy uint8
 * (TFLite) weights may have one per-tensor zero point (the runtime folds it, QUANTIZATION.md §2).
 */
function weightQuant(c: OpCheck, w: TensorDef, axis: number): void {
  const q = w.quant;
  if (!q) return; // float32 weights
  if (q.axis !== -1 && q.axis !== axis) {
    c.fail('BAD_QUANT', `weights '${w.name}' are quantized along axis ${q.axis}, expected ${axis} or per tensor`);
  }
  const perTensorUint8 = w.dtype === 'uint8' && q.zeroPoints.length === 1;
  if (!perTensorUint8 && q.zeroPoints.some((z) => z !== 0)) c.fail('BAD_QUANT', `weights '${w.name}' must be symmetric (zero points 0)`);
}

function biasShape(c: OpCheck, channels: number): void {
  const b = c.inputs[2];
  if (b && !sameShape(b.shape, [channels])) {
    c.fail('BAD_SHAPE', `bias '${b.name}' has shape ${fmt(b.shape)}, expected [${channels}]`);
  }
}

/** Pads in [0, window extent) so that every output window overlaps the input. */
function padding(c: OpCheck, o: Record<string, unknown>, extentH: number, extentW: number): Padding4 {
  const limit = c.limits.maxSpatial;
  return {
    padTop: int(c, 'padTop', o.padTop, 0, Math.min(limit, extentH - 1)),
    padBottom: int(c, 'padBottom', o.padBottom, 0, Math.min(limit, extentH - 1)),
    padLeft: int(c, 'padLeft', o.padLeft, 0, Math.min(limit, extentW - 1)),
    padRight: int(c, 'padRight', o.padRight, 0, Math.min(limit, extentW - 1)),
  };
}

/** Shared by Conv2D, DepthwiseConv2D and the pools: the spatial output size for NHWC input. */
function window2d(c: OpCheck, o: Record<string, unknown>, filterH: number, filterW: number, dilated: boolean): [number, number] {
  const limit = c.limits.maxSpatial;
  const strideH = int(c, 'strideH', o.strideH, 1, limit);
  const strideW = int(c, 'strideW', o.strideW, 1, limit);
  const dilationH = dilated ? int(c, 'dilationH', o.dilationH, 1, limit) : 1;
  const dilationW = dilated ? int(c, 'dilationW', o.dilationW, 1, limit) : 1;
  const p = padding(c, o, (filterH - 1) * dilationH + 1, (filterW - 1) * dilationW + 1);
  checkActivation(c, o.activation);
  const [, h, w] = c.inputs[0]!.shape as [number, number, number, number];
  const outH = windowOutputSize(h, filterH, strideH, dilationH, p.padTop, p.padBottom);
  const outW = windowOutputSize(w, filterW, strideW, dilationW, p.padLeft, p.padRight);
  if (outH < 1 || outW < 1) {
    c.fail('BAD_SHAPE', `a ${filterH}x${filterW} window does not fit the ${h}x${w} input with these pads and dilations`);
  }
  return [outH, outW];
}

function conv(c: OpCheck, depthwise: boolean): void {
  const o = options(c);
  const [x, w] = c.inputs as [TensorDef, TensorDef];
  rank(c, 'input', x, 4);
  rank(c, 'weights', w, 4);
  const [n, , , channels] = x.shape as [number, number, number, number];
  const [wo, kh, kw, wi] = w.shape as [number, number, number, number];
  let outChannels: number;
  if (depthwise) {
    const multiplier = int(c, 'depthMultiplier', o.depthMultiplier, 1, c.limits.maxSpatial);
    outChannels = channels * multiplier;
    if (wo !== 1 || wi !== outChannels) {
      c.fail('BAD_SHAPE', `weights '${w.name}' have shape ${fmt(w.shape)}, expected [1, KH, KW, ${outChannels}] (1HWC)`);
    }
    weightQuant(c, w, 3);
  } else {
    outChannels = wo;
    if (wi !== channels) {
      c.fail('BAD_SHAPE', `weights '${w.name}' have shape ${fmt(w.shape)}, expected [O, KH, KW, ${channels}] (OHWI)`);
    }
    weightQuant(c, w, 0);
  }
  biasShape(c, outChannels);
  const [outH, outW] = window2d(c, o, kh, kw, true);
  expectOutputShape(c, [n, outH, outW, outChannels]);
}

function pool(c: OpCheck): void {
  const o = options(c);
  const x = c.inputs[0]!;
  rank(c, 'input', x, 4);
  const filterH = int(c, 'filterH', o.filterH, 1, c.limits.maxSpatial);
  const filterW = int(c, 'filterW', o.filterW, 1, c.limits.maxSpatial);
  const [outH, outW] = window2d(c, o, filterH, filterW, false);
  expectOutputShape(c, [x.shape[0]!, outH, outW, x.shape[3]!]);
}

function fullyConnected(c: OpCheck): void {
  checkActivation(c, options(c).activation);
  const [x, w] = c.inputs as [TensorDef, TensorDef];
  rank(c, 'weights', w, 2);
  const [units, depth] = w.shape as [number, number];
  const total = elementCount(x.shape);
  if (total % depth !== 0) {
    c.fail('BAD_SHAPE', `input '${x.name}' ${fmt(x.shape)} does not flatten to rows of ${depth} (weights ${fmt(w.shape)})`);
  }
  weightQuant(c, w, 0);
  biasShape(c, units);
  const out = c.output.shape;
  if (out.length < 1 || out[out.length - 1] !== units || elementCount(out) !== (total / depth) * units) {
    c.fail('BAD_SHAPE', `output '${c.output.name}' has shape ${fmt(out)}, expected [${total / depth}, ${units}]`);
  }
}

/** b has a's shape, is a scalar, or is per-channel: [.., C] with every other dim 1. */
function binary(c: OpCheck): void {
  checkActivation(c, options(c).activation);
  const [a, b] = c.inputs as [TensorDef, TensorDef];
  if (b.dtype !== a.dtype) c.fail('BAD_TYPE', `inputs '${a.name}' (${a.dtype}) and '${b.name}' (${b.dtype}) differ in type`);
  const last = b.shape.length - 1;
  const perChannel = b.shape.length <= a.shape.length && b.shape.length > 0
    && b.shape[last] === a.shape[a.shape.length - 1] && b.shape.every((d, i) => i === last || d === 1);
  if (!sameShape(a.shape, b.shape) && elementCount(b.shape) !== 1 && !perChannel) {
    c.fail('BAD_SHAPE', `input '${b.name}' ${fmt(b.shape)} does not broadcast to '${a.name}' ${fmt(a.shape)}`);
  }
  expectOutputShape(c, a.shape);
}

function mean(c: OpCheck): void {
  const o = options(c);
  const x = c.inputs[0]!;
  if (!Array.isArray(o.axes) || o.axes.length < 1 || o.axes.length > x.shape.length) {
    c.fail('BAD_OPTIONS', `options.axes must list 1 to ${x.shape.length} axes`);
  }
  const reduced = new Set<number>();
  for (const axis of o.axes as unknown[]) {
    const a = normalizeAxis(axis as number, x.shape.length);
    if (a < 0 || reduced.has(a)) c.fail('BAD_OPTIONS', `options.axes: ${String(axis)} is out of range or repeated for rank ${x.shape.length}`);
    reduced.add(a);
  }
  if (typeof o.keepDims !== 'boolean') c.fail('BAD_OPTIONS', 'options.keepDims must be a boolean');
  const out = o.keepDims ? x.shape.map((d, i) => (reduced.has(i) ? 1 : d)) : x.shape.filter((_, i) => !reduced.has(i));
  expectOutputShape(c, out);
}

function concatenation(c: OpCheck): void {
  const o = options(c);
  checkActivation(c, o.activation);
  const first = c.inputs[0]!;
  const axis = normalizeAxis(o.axis as number, first.shape.length);
  if (axis < 0) c.fail('BAD_OPTIONS', `options.axis = ${String(o.axis)} is out of range for rank ${first.shape.length}`);
  let sum = 0;
  for (const t of c.inputs) {
    if (t.dtype !== first.dtype) c.fail('BAD_TYPE', `input '${t.name}' is ${t.dtype}, '${first.name}' is ${first.dtype}`);
    if (t.shape.length !== first.shape.length || t.shape.some((d, i) => i !== axis && d !== first.shape[i])) {
      c.fail('BAD_SHAPE', `input '${t.name}' ${fmt(t.shape)} does not match '${first.name}' ${fmt(first.shape)} outside axis ${axis}`);
    }
    sum += t.shape[axis]!;
  }
  expectOutputShape(c, first.shape.map((d, i) => (i === axis ? sum : d)));
}

function reshape(c: OpCheck): void {
  noOptions(c);
  const x = c.inputs[0]!;
  if (elementCount(x.shape) !== elementCount(c.output.shape)) {
    c.fail('BAD_SHAPE', `output '${c.output.name}' ${fmt(c.output.shape)} holds a different number of elements than ${fmt(x.shape)}`);
  }
}

function pad(c: OpCheck): void {
  const o = options(c);
  const x = c.inputs[0]!;
  if (!Array.isArray(o.pads) || o.pads.length !== 2 * x.shape.length) {
    c.fail('BAD_OPTIONS', `options.pads must hold ${2 * x.shape.length} values (before and after each dimension)`);
  }
  const pads = Array.from(o.pads as unknown[], (p, i) => int(c, `pads[${i}]`, p, 0, c.limits.maxSpatial));
  expectOutputShape(c, x.shape.map((d, i) => d + pads[2 * i]! + pads[2 * i + 1]!));
}

function finite(c: OpCheck, field: string, value: unknown, positive: boolean): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || (positive && value <= 0)) {
    c.fail('BAD_OPTIONS', `options.${field} = ${String(value)} must be a finite number${positive ? ' > 0' : ''}`);
  }
}

const ROUNDINGS = ['half-away', 'half-even'];

function rounding(c: OpCheck): void {
  const o = options(c);
  const extra = Object.keys(o).filter((k) => k !== 'rounding');
  if (extra.length > 0) c.fail('BAD_OPTIONS', `unknown options ${extra.join(', ')}`);
  if (o.rounding !== undefined && !ROUNDINGS.includes(o.rounding as string)) {
    c.fail('BAD_OPTIONS', `options.rounding = ${String(o.rounding)} must be one of ${ROUNDINGS.join(', ')}`);
  }
}

function noOptions(c: OpCheck): void {
  const keys = Object.keys(options(c));
  if (keys.length > 0) c.fail('BAD_OPTIONS', `takes no options, got ${keys.join(', ')}`);
}

function sameShapeAsInput(c: OpCheck): void {
  expectOutputShape(c, c.inputs[0]!.shape);
}

const unary = (input: Operand = activation, output: OpSignature['output'] = 'same'): OpSignature => ({
  inputs: [input],
  output,
  options: null,
  check: (c) => { noOptions(c); sameShapeAsInput(c); },
});

const convolution = (depthwise: boolean): OpSignature => ({
  inputs: [activation, weights, bias],
  output: 'same',
  options: depthwise ? 'DepthwiseConv2DOptions' : 'Conv2DOptions',
  check: (c) => conv(c, depthwise),
});

const pooling: OpSignature = { inputs: [activation], output: 'same', options: 'PoolOptions', check: pool };
const elementwise: OpSignature = {
  inputs: [{ name: 'a', dtypes: Q, floatDtypes: F }, { name: 'b', dtypes: Q, floatDtypes: F }],
  output: 'same',
  options: 'ActivationOptions',
  check: binary,
};

export const OP_SIGNATURES: Readonly<Record<OpKind, OpSignature>> = {
  Conv2D: convolution(false),
  DepthwiseConv2D: convolution(true),
  FullyConnected: { inputs: [activation, weights, bias], output: 'same', options: 'ActivationOptions', check: fullyConnected },
  Add: elementwise,
  Mul: elementwise,
  AveragePool2D: pooling,
  MaxPool2D: pooling,
  Mean: { inputs: [activation], output: 'same', options: 'MeanOptions', check: mean },
  Concatenation: { inputs: [activation], variadic: true, output: 'same', options: 'ConcatenationOptions', check: concatenation },
  Reshape: { inputs: [activation], output: 'same', options: null, check: reshape },
  Pad: { inputs: [activation], output: 'same', options: 'PadOptions', check: pad },
  Softmax: {
    inputs: [activation], output: 'same', options: 'SoftmaxOptions',
    check: (c) => { finite(c, 'beta', options(c).beta, true); sameShapeAsInput(c); },
  },
  Logistic: unary(),
  Tanh: unary(),
  HardSwish: unary(),
  LeakyRelu: {
    inputs: [activation], output: 'same', options: 'LeakyReluOptions',
    check: (c) => { finite(c, 'alpha', options(c).alpha, false); sameShapeAsInput(c); },
  },
  Relu: unary(),
  Relu6: unary(),
  Quantize: {
    inputs: [{ name: 'input', dtypes: ['float32', 'int8', 'uint8'] }], output: Q, options: 'QuantizeOptions',
    check: (c) => { rounding(c); sameShapeAsInput(c); },
  },
  Dequantize: unary({ name: 'input', dtypes: Q }, ['float32']),
};
