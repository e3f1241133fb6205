// The semantic half of model verification: everything a well-formed Model must satisfy before the runtime
// plans memory or a kernel reads a byte. Used by readModel after decoding, by writeModel so that no invalid
// file is ever written, and by importers. Checks run in dependency order (tensors before the ops that use
// them) so each check may rely on the ones before it.

import { ModelError, type ModelErrorCode } from './errors.js';
import { MAX_RANK, resolveLimits, type ModelLimits } from './limits.js';
import { DTYPE_SIZE, OP_KINDS, type DType, type Model, type OpDef, type TensorDef } from './model.js';
import { OP_SIGNATURES, type OpCheck } from './op-signatures.js';
import { elementCount } from './shape-math.js';

/** Format versions this build reads and writes. */
export const FORMAT_VERSION = 1;
export const MIN_FORMAT_VERSION = 1;

export interface VerifyOptions {
  limits?: Partial<ModelLimits>;
}

const ZERO_POINT_RANGE: Record<DType, [number, number]> = {
  int8: [-128, 127],
  uint8: [0, 255],
  int32: [-(2 ** 31), 2 ** 31 - 1],
  float32: [0, 0],
};

export function tensorLabel(model: Model, index: number): string {
  const t = model.tensors[index];
  return t && typeof t.name === 'string' ? `tensor ${index} '${t.name}'` : `tensor ${index}`;
}

export function opLabel(op: OpDef, index: number): string {
  const name = typeof op.name === 'string' ? ` '${op.name}'` : '';
  return `op ${index}${name} (${String(op.kind)})`;
}

/** Array.isArray plus a test of every index (holes included, which Array#every would skip). */
function isArrayOf<T>(value: unknown, test: (v: unknown) => boolean): value is T[] {
  if (!Array.isArray(value)) return false;
  for (let i = 0; i < value.length; i++) if (!test(value[i])) return false;
  return true;
}

const isIndexList = (value: unknown): value is number[] => isArrayOf<number>(value, Number.isInteger);

function checkCounts(model: Model, limits: ModelLimits): void {
  if (typeof model !== 'object' || model === null) throw new ModelError('BAD_GRAPH', 'model must be an object');
  const { version } = model;
  if (!Number.isInteger(version) || version < MIN_FORMAT_VERSION || version > FORMAT_VERSION) {
    throw new ModelError('UNSUPPORTED_VERSION', `format version ${String(version)} is not supported (this build reads ${MIN_FORMAT_VERSION} to ${FORMAT_VERSION})`);
  }
  const isObject = (v: unknown) => typeof v === 'object' && v !== null;
  const lists: [string, unknown, number, (v: unknown) => boolean, ModelErrorCode][] = [
    ['tensors', model.tensors, limits.maxTensors, isObject, 'BAD_TENSOR_INDEX'],
    ['buffers', model.buffers, limits.maxBuffers, (v) => v instanceof Uint8Array, 'BAD_BUFFER_INDEX'],
    ['ops', model.ops, limits.maxOps, isObject, 'BAD_OP'],
    ['inputs', model.inputs, limits.maxTensors, Number.isInteger, 'BAD_TENSOR_INDEX'],
    ['outputs', model.outputs, limits.maxTensors, Number.isInteger, 'BAD_TENSOR_INDEX'],
  ];
  for (const [field, list, max, test, code] of lists) {
    if (!Array.isArray(list)) throw new ModelError('BAD_GRAPH', `model.${field} must be an array`);
    if (list.length > max) throw new ModelError('TOO_LARGE', `model.${field} has ${list.length} entries, the limit is ${max}`);
    for (let i = 0; i < list.length; i++) {
      if (!test(list[i])) throw new ModelError(code, `model.${field}[${i}] is ${String(list[i])}, not a valid entry`);
    }
  }
}

function checkMetadata(model: Model): void {
  const m = model.metadata as unknown as Record<string, unknown> | undefined;
  const bad = (message: string): never => { throw new ModelError('BAD_METADATA', `metadata.${message}`); };
  if (typeof m !== 'object' || m === null) bad('is missing');
  if (typeof m!.producer !== 'string') bad('producer must be a string');
  if (m!.calibrationMethod !== undefined && typeof m!.calibrationMethod !== 'string') bad('calibrationMethod must be a string');
  if (m!.labels !== undefined && !isArrayOf(m!.labels, (l) => typeof l === 'string')) {
    bad('labels must be an array of strings');
  }
  if (m!.extra !== undefined) {
    if (typeof m!.extra !== 'object' || m!.extra === null) bad('extra must be an object of strings');
    for (const [k, v] of Object.entries(m!.extra as object)) if (typeof v !== 'string') bad(`extra.${k} must be a string`);
  }
  const p = m!.preprocessing as Record<string, unknown> | undefined;
  if (p !== undefined) {
    if (typeof p !== 'object' || p === null) bad('preprocessing must be an object');
    if (p.layout !== 'NHWC' && p.layout !== 'NCHW') bad(`preprocessing.layout = ${String(p.layout)} must be NHWC or NCHW`);
    const numbers = (v: unknown) => isArrayOf(v, (x) => typeof x === 'number' && Number.isFinite(x));
    if (!numbers(p.mean) || !numbers(p.std) || (p.mean as number[]).length !== (p.std as number[]).length) {
      bad('preprocessing.mean and std must be arrays of finite numbers of the same length');
    }
    if ((p.std as number[]).some((s) => s === 0)) bad('preprocessing.std must not hold 0');
    if (typeof p.pixelScale !== 'number' || !Number.isFinite(p.pixelScale) || p.pixelScale <= 0) {
      bad(`preprocessing.pixelScale = ${String(p.pixelScale)} must be a finite number > 0`);
    }
  }
}

function checkQuant(t: TensorDef, label: string, constant: boolean): void {
  const bad = (message: string): never => { throw new ModelError('BAD_QUANT', `${label}: ${message}`); };
  const q = t.quant;
  if (q === undefined) {
    if (t.dtype === 'int8' || t.dtype === 'uint8') bad(`${t.dtype} tensor has no quantization`);
    return;
  }
  if (typeof q !== 'object' || q === null) bad('quantization must be an object');
  if (t.dtype === 'float32') bad('float32 tensor must not carry quantization');
  if (!(q.scales instanceof Float32Array) || !(q.zeroPoints instanceof Int32Array)) {
    bad('quantization scales must be a Float32Array and zero points an Int32Array');
  }
  if (q.scales.length !== q.zeroPoints.length) bad(`${q.scales.length} scales but ${q.zeroPoints.length} zero points`);
  if (q.axis === -1) {
    if (q.scales.length !== 1) bad(`per-tensor quantization has ${q.scales.length} scales, expected 1`);
  } else {
    if (!Number.isInteger(q.axis) || q.axis < 0 || q.axis >= t.shape.length) {
      bad(`quantization axis ${q.axis} is out of range for rank ${t.shape.length}`);
    }
    if (q.scales.length !== t.shape[q.axis]) bad(`${q.scales.length} scales along axis ${q.axis} of size ${t.shape[q.axis]}`);
  }
  for (let i = 0; i < q.scales.length; i++) {
    const s = q.scales[i]!;
    if (!Number.isFinite(s) || s <= 0) bad(`scale[${i}] = ${s} must be finite and > 0`);
  }
  const [lo, hi] = ZERO_POINT_RANGE[t.dtype];
  for (let i = 0; i < q.zeroPoints.length; i++) {
    const z = q.zeroPoints[i]!;
    if (z < lo || z > hi) bad(`zero point[${i}] = ${z} is outside the ${t.dtype} range [${lo}, ${hi}]`);
  }
}

/**
 * Activations are quantized per tensor (axis -1), except at a graph's float edges: the 8-bit output of a
 * Quantize (ONNX QuantizeLinear with per-axis scales) or an 8-bit graph input, when only Dequantize ops read it.
 * Runs after checkOps, so every index is valid.
 */
function checkPerAxisActivations(model: Model): void {
  const producer = new Map<number, OpDef>();
  for (const op of model.ops) for (const o of op.outputs) producer.set(o, op);
  model.tensors.forEach((t, i) => {
    if (t.buffer !== undefined || !t.quant || t.quant.axis === -1) return;
    const from = producer.get(i);
    const edgeSource = from ? from.kind === 'Quantize' : model.inputs.includes(i);
    const readers = model.ops.filter((op) => op.inputs.includes(i));
    if (!edgeSource || readers.some((op) => op.kind !== 'Dequantize')) {
      throw new ModelError('BAD_QUANT', `${tensorLabel(model, i)}: activations are quantized per tensor (axis -1), except a Quantize output or graph input read only by Dequantize ops`);
    }
  });
}

function checkTensors(model: Model, limits: ModelLimits): void {
  let totalBytes = 0;
  model.tensors.forEach((t, i) => {
    const label = tensorLabel(model, i);
    if (typeof t !== 'object' || t === null || typeof t.name !== 'string') {
      throw new ModelError('BAD_TENSOR_INDEX', `${label}: must be an object with a string name`);
    }
    if (!Object.prototype.hasOwnProperty.call(DTYPE_SIZE, t.dtype)) {
      throw new ModelError('BAD_TYPE', `${label}: unknown dtype ${String(t.dtype)}`);
    }
    if (!Array.isArray(t.shape) || t.shape.length > MAX_RANK) {
      throw new ModelError('BAD_SHAPE', `${label}: shape must be an array of at most ${MAX_RANK} dims`);
    }
    for (let k = 0; k < t.shape.length; k++) {
      const d = t.shape[k];
      if (!Number.isInteger(d) || d! < 1 || d! > limits.maxTensorElements) {
        throw new ModelError('BAD_SHAPE', `${label}: dim ${k} = ${String(d)} must be an integer in [1, ${limits.maxTensorElements}]`);
      }
    }
    const elements = elementCount(t.shape, limits.maxTensorElements);
    const bytes = elements * DTYPE_SIZE[t.dtype];
    if (elements > limits.maxTensorElements || bytes > limits.maxTensorBytes) {
      throw new ModelError('TOO_LARGE', `${label}: shape [${t.shape.join(', ')}] exceeds the per-tensor limit`);
    }
    totalBytes += bytes;
    if (totalBytes > limits.maxTotalBytes) throw new ModelError('TOO_LARGE', `${label}: tensors exceed ${limits.maxTotalBytes} bytes in total`);
    const constant = t.buffer !== undefined;
    if (constant) {
      if (!Number.isInteger(t.buffer) || t.buffer! < 0 || t.buffer! >= model.buffers.length) {
        throw new ModelError('BAD_BUFFER_INDEX', `${label}: buffer index ${String(t.buffer)} is not in [0, ${model.buffers.length})`);
      }
      const size = model.buffers[t.buffer!]!.byteLength;
      if (size !== bytes) {
        throw new ModelError('BUFFER_SIZE', `${label}: buffer ${t.buffer} holds ${size} bytes, the ${t.dtype} shape [${t.shape.join(', ')}] needs ${bytes}`);
      }
    }
    checkQuant(t, label, constant);
  });
}

/** Indices, def-before-use, single definition; then the op's own signature. */
function checkOps(model: Model, limits: ModelLimits): void {
  const tensorCount = model.tensors.length;
  const isConstant = (i: number) => model.tensors[i]!.buffer !== undefined;
  const defined = new Uint8Array(tensorCount); // 1 graph input or constant, 2 produced by an op
  const graphIndex = (list: unknown, field: string): number[] => {
    if (!isIndexList(list)) throw new ModelError('BAD_TENSOR_INDEX', `model.${field} must hold integer tensor indices`);
    const seen = new Set<number>();
    for (const i of list) {
      if (i < 0 || i >= tensorCount) throw new ModelError('BAD_TENSOR_INDEX', `model.${field}: tensor index ${i} is not in [0, ${tensorCount})`);
      if (seen.has(i)) throw new ModelError('BAD_GRAPH', `model.${field} lists ${tensorLabel(model, i)} twice`);
      seen.add(i);
    }
    return list;
  };
  for (const i of graphIndex(model.inputs, 'inputs')) {
    if (isConstant(i)) throw new ModelError('BAD_GRAPH', `model.inputs: ${tensorLabel(model, i)} is a constant`);
    defined[i] = 1;
  }
  model.tensors.forEach((_, i) => { if (isConstant(i)) defined[i] = 1; });

  model.ops.forEach((op, index) => {
    if (typeof op !== 'object' || op === null) throw new ModelError('BAD_OP', `op ${index} must be an object`);
    const label = opLabel(op, index);
    const fail = (code: ModelErrorCode, message: string): never => { throw new ModelError(code, `${label}: ${message}`); };
    if (!OP_KINDS.includes(op.kind)) fail('BAD_OP', `unknown op kind ${String(op.kind)}`);
    if (op.name !== undefined && typeof op.name !== 'string') fail('BAD_OP', 'name must be a string');
    const sig = OP_SIGNATURES[op.kind];
    if (!isIndexList(op.inputs) || !isIndexList(op.outputs)) fail('BAD_TENSOR_INDEX', 'inputs and outputs must be integer tensor indices');
    const required = sig.inputs.filter((o) => !o.optional).length;
    const max = sig.variadic ? limits.maxOpInputs : sig.inputs.length;
    if (op.inputs.length < required || op.inputs.length > max) {
      fail('BAD_OP', `takes ${required === max ? required : `${required} to ${max}`} inputs, got ${op.inputs.length}`);
    }
    if (op.outputs.length !== 1) fail('BAD_OP', `takes 1 output, got ${op.outputs.length}`);

    // A float32 op (input 0 float32 where the kind has a float form) takes each operand's float dtypes.
    const first = op.inputs[0]!;
    const float = sig.inputs[0]!.floatDtypes !== undefined && first >= 0 && first < tensorCount && model.tensors[first]!.dtype === 'float32';
    const inputs = op.inputs.map((t, k) => {
      const operand = sig.inputs[Math.min(k, sig.inputs.length - 1)]!;
      const where = `input ${k} (${operand.name})`;
      if (t < 0 || t >= tensorCount) fail('BAD_TENSOR_INDEX', `${where}: tensor index ${t} is not in [0, ${tensorCount})`);
      const tensor = model.tensors[t]!;
      if (!defined[t]) fail('BAD_GRAPH', `${where}: ${tensorLabel(model, t)} is used before any op produces it`);
      if (operand.constant && !isConstant(t)) fail('BAD_OP', `${where}: ${tensorLabel(model, t)} must be a constant`);
      const dtypes = float ? operand.floatDtypes ?? [] : operand.dtypes;
      if (!dtypes.includes(tensor.dtype)) {
        const why = float ? ` (input 0 is float32: a float op)` : '';
        fail('BAD_TYPE', `${where}: ${tensorLabel(model, t)} is ${tensor.dtype}, expected ${dtypes.join(' or ') || 'nothing'}${why}`);
      }
      return tensor;
    });
    const o = op.outputs[0]!;
    if (o < 0 || o >= tensorCount) fail('BAD_TENSOR_INDEX', `output 0: tensor index ${o} is not in [0, ${tensorCount})`);
    if (defined[o]) {
      const what = isConstant(o) ? 'a constant' : defined[o] === 2 ? 'already produced by an earlier op' : 'a graph input';
      fail('BAD_GRAPH', `output 0: ${tensorLabel(model, o)} is ${what}`);
    }
    const output = model.tensors[o]!;
    const dtypes = sig.output === 'same' ? [inputs[0]!.dtype] : sig.output;
    if (!dtypes.includes(output.dtype)) {
      fail('BAD_TYPE', `output 0: ${tensorLabel(model, o)} is ${output.dtype}, expected ${dtypes.join(' or ')}`);
    }
    const check: OpCheck = { op, inputs, output, limits, fail };
    sig.check?.(check);
    defined[o] = 2;
  });

  for (const i of graphIndex(model.outputs, 'outputs')) {
    if (defined[i] !== 2) throw new ModelError('BAD_GRAPH', `model.outputs: ${tensorLabel(model, i)} is not produced by any op`);
  }
}

/** Throws a ModelError naming the tensor, op or field unless `model` is a well-formed wasmq model. */
export function verifyModel(model: Model, options: VerifyOptions = {}): void {
  const limits = resolveLimits(options.limits);
  checkCounts(model, limits);
  checkMetadata(model);
  checkTensors(model, limits);
  checkOps(model, limits);
  checkPerAxisActivations(model);
}
