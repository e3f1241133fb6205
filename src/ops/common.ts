// Checks and parameter helpers shared by the ops' prepare steps.
import type { Activation, DType, TensorDef } from '../format/model.js';
import { DTYPE_SIZE } from '../format/model.js';
import type { PrepareContext } from './types.js';
import { OVERREAD } from '../runtime/heap.js';
import { alignUp } from '../runtime/planner.js';
import { activationRange } from '../runtime/kernels/elementwise.js';

export const INT8_MIN = -128;
export const INT8_MAX = 127;

export function elementCount(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

export function tensorBytes(t: TensorDef): number {
  return elementCount(t.shape) * DTYPE_SIZE[t.dtype];
}

/** Bytes one weights-region allocation of `bytes` costs (alignment and the kernels' over-read slack). */
export function weightCost(bytes: number): number {
  return alignUp(bytes + OVERREAD);
}

/** Bytes a requantization params block for `channels` costs in the weights region. */
export function requantCost(ctx: PrepareContext, channels: number): number {
  return weightCost(ctx.kernels.requantParamsSize(channels));
}

export function describe(ctx: PrepareContext, index: number): string {
  return `tensor ${index} '${ctx.tensor(index).name}'`;
}

export function expectArity(ctx: PrepareContext, inputs: number[], outputs: number[], nIn: [number, number], nOut = 1): void {
  if (inputs.length < nIn[0] || inputs.length > nIn[1]) {
    ctx.fail('BAD_OP', `takes ${nIn[0] === nIn[1] ? nIn[0] : `${nIn[0]} to ${nIn[1]}`} inputs, got ${inputs.length}`);
  }
  if (outputs.length !== nOut) ctx.fail('BAD_OP', `takes ${nOut} output(s), got ${outputs.length}`);
}

export function expectDType(ctx: PrepareContext, index: number, ...allowed: DType[]): TensorDef {
  const t = ctx.tensor(index);
  if (!allowed.includes(t.dtype)) {
    ctx.fail('BAD_TYPE', `${describe(ctx, index)} is ${t.dtype}; this op takes ${allowed.join(' or ')}`);
  }
  return t;
}

export function expectRank(ctx: PrepareContext, index: number, rank: number): number[] {
  const shape = ctx.tensor(index).shape;
  if (shape.length !== rank) ctx.fail('BAD_SHAPE', `${describe(ctx, index)} has shape [${shape}], expected rank ${rank}`);
  return shape;
}

export function expectShape(ctx: PrepareContext, index: number, expected: readonly number[]): void {
  const shape = ctx.tensor(index).shape;
  if (shape.length !== expected.length || shape.some((d, i) => d !== expected[i])) {
    ctx.fail('BAD_SHAPE', `${describe(ctx, index)} has shape [${shape}], expected [${expected}]`);
  }
}

export function expectActivation(ctx: PrepareContext, index: number): void {
  if (ctx.tensor(index).buffer !== undefined) ctx.fail('BAD_OP', `${describe(ctx, index)} is a constant where this op needs an activation`);
}

export interface PerTensorQuant {
  scale: number;
  zeroPoint: number;
}

/**
 * Scales, zero points and axis (-1: per tensor) of an 8-bit tensor that may be quantized per axis: the 8-bit side
 * of a Quantize or Dequantize (the verifier allows per-axis activations only there). The kernel layout checks them.
 */
export function axisQuant(ctx: PrepareContext, index: number): { scales: Float32Array; zeroPoints: Int32Array; axis: number } {
  const q = ctx.tensor(index).quant;
  if (!q) ctx.fail('BAD_QUANT', `${describe(ctx, index)} has no quantization`);
  return { scales: q.scales, zeroPoints: q.zeroPoints, axis: q.scales.length === 1 ? -1 : q.axis };
}

/** The single (scale, zero point) of a per-tensor quantized tensor. */
export function perTensor(ctx: PrepareContext, index: number): PerTensorQuant {
  const q = ctx.tensor(index).quant;
  if (!q || q.scales.length !== 1 || q.zeroPoints.length !== 1) {
    ctx.fail('BAD_QUANT', `${describe(ctx, index)} needs per-tensor quantization (one scale and zero point)`);
  }
  return checkedQuant(ctx, index, q.scales[0], q.zeroPoints[0]);
}

function checkedQuant(ctx: PrepareContext, index: number, scale: number, zeroPoint: number): PerTensorQuant {
  if (!(scale > 0) || !Number.isFinite(scale)) ctx.fail('BAD_QUANT', `${describe(ctx, index)} has scale ${scale}; scales must be finite and > 0`);
  if (!Number.isInteger(zeroPoint) || zeroPoint < INT8_MIN || zeroPoint > INT8_MAX) {
    ctx.fail('BAD_QUANT', `${describe(ctx, index)} has zero point ${zeroPoint}, outside [-128, 127]`);
  }
  return { scale, zeroPoint };
}

export interface WeightQuant {
  /** one scale per output channel (a per-tensor scale repeated) */
  scales: Float64Array;
  /** 0 for symmetric int8 weights; legacy uint8 weights (after the shift to int8) have one per-tensor value */
  zeroPoint: number;
}

/**
 * Weight scales of `channels` output channels and the weights' zero point. The verifier has checked that
 * weights are quantized per tensor or along the output-channel axis, and that only per-tensor uint8 weights
 * have a non-zero zero point (the kernels fold it, QUANTIZATION.md §2).
 */
export function weightQuant(ctx: PrepareContext, index: number, channels: number): WeightQuant {
  const q = ctx.tensor(index).quant;
  if (!q) ctx.fail('BAD_QUANT', `${describe(ctx, index)} has no quantization`);
  const n = q.scales.length;
  if (n !== 1 && n !== channels) ctx.fail('BAD_QUANT', `${describe(ctx, index)} has ${n} scales for ${channels} output channels`);
  if (n !== 1 && q.zeroPoints.some((z) => z !== 0)) ctx.fail('BAD_QUANT', `${describe(ctx, index)}: per-channel weights must be symmetric`);
  return { scales: Float64Array.from({ length: channels }, (_, c) => q.scales[n === 1 ? 0 : c]), zeroPoint: q.zeroPoints[0] };
}

/** Real requantization multipliers s_in * s_w[c] / s_out, one per output channel. */
export function channelMultipliers(inputScale: number, weightScales: Float64Array, outputScale: number): Float64Array {
  return weightScales.map((sw) => (inputScale * sw) / outputScale);
}

/** An optional int32 bias constant of `channels` values, or null. */
export function optionalBias(ctx: PrepareContext, inputs: number[], at: number, channels: number): Int32Array | null {
  if (inputs.length <= at || inputs[at] < 0) return null;
  expectShape(ctx, inputs[at], [channels]);
  return constInt32(ctx, inputs[at]);
}

/** Constant data of a tensor as int8 (after uint8 normalization every 8-bit constant is int8). */
export function constInt8(ctx: PrepareContext, index: number): Int8Array {
  const b = constBytes(ctx, index, 'int8');
  return new Int8Array(b.buffer, b.byteOffset, b.byteLength);
}

export function constInt32(ctx: PrepareContext, index: number): Int32Array {
  const b = constBytes(ctx, index, 'int32');
  // Copy: the buffer's byte offset may not be 4-aligned.
  return new Int32Array(b.slice().buffer);
}

export function constFloat32(ctx: PrepareContext, index: number): Float32Array {
  const b = constBytes(ctx, index, 'float32');
  return new Float32Array(b.slice().buffer);
}

function constBytes(ctx: PrepareContext, index: number, dtype: DType): Uint8Array {
  const t = expectDType(ctx, index, dtype);
  if (t.buffer === undefined) ctx.fail('BAD_OP', `${describe(ctx, index)} must be a constant`);
  const b = ctx.model.buffers[t.buffer];
  if (!b || b.byteLength !== tensorBytes(t)) {
    ctx.fail('BUFFER_SIZE', `${describe(ctx, index)} needs ${tensorBytes(t)} bytes of data, buffer ${t.buffer} has ${b?.byteLength ?? 'none'}`);
  }
  return b;
}

/** The clamp bounds of a fused activation on an int8 output (the elementwise family's helper, QUANTIZATION.md §2). */
export function fusedClamp(activation: Activation, q: PerTensorQuant): { qmin: number; qmax: number } {
  return activationRange(activation, q.scale, q.zeroPoint);
}

/**
 * The operands of an int8 weighted op (Conv2D, DepthwiseConv2D, FullyConnected) after the checks they share:
 * two or three inputs, an activation input, int8 in and out.
 */
export function int8WeightedOperands(ctx: PrepareContext, op: { inputs: number[]; outputs: number[] }): [x: number, w: number, y: number] {
  expectArity(ctx, op.inputs, op.outputs, [2, 3]);
  const [x, w] = op.inputs, [y] = op.outputs;
  expectActivation(ctx, x);
  expectDType(ctx, x, 'int8');
  expectDType(ctx, y, 'int8');
  return [x, w, y];
}

/** FullyConnected's M: the input flattened to [M, K], checked against the output's M rows of N. */
export function fullyConnectedRows(ctx: PrepareContext, x: number, y: number, n: number, k: number): number {
  const inputCount = elementCount(ctx.tensor(x).shape);
  if (inputCount % k !== 0) ctx.fail('BAD_SHAPE', `${describe(ctx, x)} has ${inputCount} elements, not a multiple of K = ${k}`);
  const m = inputCount / k;
  const outShape = ctx.tensor(y).shape;
  if (elementCount(outShape) !== m * n || outShape[outShape.length - 1] !== n) {
    ctx.fail('BAD_SHAPE', `${describe(ctx, y)} has shape [${outShape}]; expected ${m} rows of ${n}`);
  }
  return m;
}
