// Reads the parts of a .tflite file (TFLite's FlatBuffers schema, schema.fbs, identifier "TFL3") that the
// importer uses into plain objects, verifying everything on the way (see flatbuffer.ts). Field ids follow
// schema.fbs; a union takes two ids (its type byte, then the table).
import { FlatBufferReader, type Table } from './flatbuffer.js';

/** TensorType codes. */
export const TensorType = { FLOAT32: 0, FLOAT16: 1, INT32: 2, UINT8: 3, INT64: 4, STRING: 5, BOOL: 6, INT16: 7, INT8: 9 } as const;
const TENSOR_TYPE_NAMES: Record<number, string> = {
  0: 'FLOAT32', 1: 'FLOAT16', 2: 'INT32', 3: 'UINT8', 4: 'INT64', 5: 'STRING', 6: 'BOOL', 7: 'INT16', 8: 'COMPLEX64',
  9: 'INT8', 10: 'FLOAT64', 11: 'COMPLEX128', 12: 'UINT64', 13: 'RESOURCE', 14: 'VARIANT', 15: 'UINT32', 16: 'UINT16', 17: 'INT4',
};
export const tensorTypeName = (t: number): string => TENSOR_TYPE_NAMES[t] ?? `TYPE_${t}`;

/** BuiltinOptions union type codes (1 + position in the union) of the option tables read here. */
export const OptionsType = {
  Conv2DOptions: 1, DepthwiseConv2DOptions: 2, Pool2DOptions: 5, FullyConnectedOptions: 8, SoftmaxOptions: 9,
  ConcatenationOptions: 10, AddOptions: 11, ReshapeOptions: 17, MulOptions: 21, ReducerOptions: 27, SqueezeOptions: 30,
} as const;

export interface TfliteQuantization {
  scale: Float32Array;
  zeroPoint: number[];
  quantizedDimension: number;
  /** a QuantizationDetails union is present (custom quantization, not supported) */
  hasDetails: boolean;
}

export interface TfliteTensor {
  shape: number[];
  type: number;
  buffer: number;
  name: string;
  quantization?: TfliteQuantization;
  isVariable: boolean;
  isSparse: boolean;
}

/** The builtin options the importer needs, flattened; fields absent from a table take schema defaults. */
export interface TfliteOptions {
  /** BuiltinOptions union type, 0 when none */
  type: number;
  padding?: number; // 0 SAME, 1 VALID
  strideW?: number; strideH?: number;
  dilationW?: number; dilationH?: number;
  filterW?: number; filterH?: number;
  depthMultiplier?: number;
  activation?: number; // ActivationFunctionType
  weightsFormat?: number;
  keepNumDims?: boolean;
  beta?: number;
  axis?: number;
  newShape?: number[];
  squeezeDims?: number[];
}

export interface TfliteOperator {
  opcodeIndex: number;
  inputs: number[];
  outputs: number[];
  options: TfliteOptions;
  hasCustomOptions: boolean;
}

export interface TfliteSubGraph {
  name: string;
  tensors: TfliteTensor[];
  inputs: number[];
  outputs: number[];
  operators: TfliteOperator[];
}

export interface TfliteOperatorCode {
  /** max(deprecated_builtin_code, builtin_code), as TFLite resolves it */
  builtinCode: number;
  customCode: string;
  version: number;
}

export interface TfliteModel {
  version: number;
  description: string;
  operatorCodes: TfliteOperatorCode[];
  subgraphs: TfliteSubGraph[];
  /** constant data by buffer index: views into the file's bytes (inline data, or offset/size outside the flatbuffer) */
  buffers: Uint8Array[];
}

export function readTflite(bytes: Uint8Array, source = '<bytes>'): TfliteModel {
  const r = new FlatBufferReader(bytes, source);
  if (bytes.length < 8 || r.identifier() !== 'TFL3') {
    r.fail('file', `not a TFLite model (the file identifier is ${JSON.stringify(r.identifier())}, expected "TFL3")`);
  }
  const m = r.root('model');
  return {
    version: r.u32(m, 0, 'version'),
    operatorCodes: r.tables(m, 1, 'operator_codes').map((t) => readOperatorCode(r, t)),
    subgraphs: r.tables(m, 2, 'subgraphs').map((t) => readSubGraph(r, t)),
    description: r.string(m, 3, 'description'),
    buffers: r.tables(m, 4, 'buffers').map((t) => readBuffer(r, t)),
  };
}

function readOperatorCode(r: FlatBufferReader, t: Table): TfliteOperatorCode {
  // Codes below 127 live in the int8 deprecated field (older files); newer files also set the int32 field.
  const deprecated = r.i8(t, 0, 'deprecated_builtin_code');
  const extended = r.i32(t, 3, 'builtin_code');
  return { builtinCode: Math.max(deprecated, extended), customCode: r.string(t, 1, 'custom_code'), version: r.i32(t, 2, 'version', 1) };
}

function readBuffer(r: FlatBufferReader, t: Table): Uint8Array {
  const inline = r.bytesOf(t, 0, 'data');
  const offset = r.u64(t, 1, 'offset'), size = r.u64(t, 2, 'size');
  // Buffers of files over 2 GB sit outside the flatbuffer: offset (valid when > 1) and size from the file start.
  if (offset > 1) {
    if (inline && inline.length > 0) r.fail(`${t.path}`, 'has both inline data and an offset');
    if (offset + size > r.bytes.length) r.fail(`${t.path}.offset`, `data [${offset}, ${offset + size}) lies outside the ${r.bytes.length}-byte file`);
    return r.bytes.subarray(offset, offset + size);
  }
  return inline ?? new Uint8Array(0);
}

function readSubGraph(r: FlatBufferReader, t: Table): TfliteSubGraph {
  return {
    tensors: r.tables(t, 0, 'tensors').map((tt) => readTensor(r, tt)),
    inputs: r.int32s(t, 1, 'inputs'),
    outputs: r.int32s(t, 2, 'outputs'),
    operators: r.tables(t, 3, 'operators').map((ot) => readOperator(r, ot)),
    name: r.string(t, 4, 'name'),
  };
}

function readTensor(r: FlatBufferReader, t: Table): TfliteTensor {
  const q = r.subTable(t, 4, 'quantization');
  return {
    shape: r.int32s(t, 0, 'shape'),
    type: r.i8(t, 1, 'type'),
    buffer: r.u32(t, 2, 'buffer'),
    name: r.string(t, 3, 'name'),
    quantization: q && {
      scale: r.float32s(q, 2, 'scale'),
      zeroPoint: r.int64s(q, 3, 'zero_point'),
      hasDetails: r.u8(q, 4, 'details_type') !== 0,
      quantizedDimension: r.i32(q, 6, 'quantized_dimension'),
    },
    isVariable: r.bool(t, 5, 'is_variable'),
    isSparse: r.subTable(t, 6, 'sparsity') !== undefined,
  };
}

function readOperator(r: FlatBufferReader, t: Table): TfliteOperator {
  const type = r.u8(t, 3, 'builtin_options_type');
  const o = type === 0 ? undefined : r.subTable(t, 4, 'builtin_options');
  const custom = r.vector(t, 5, 'custom_options', 1);
  return {
    opcodeIndex: r.u32(t, 0, 'opcode_index'),
    inputs: r.int32s(t, 1, 'inputs'),
    outputs: r.int32s(t, 2, 'outputs'),
    options: o ? readOptions(r, type, o) : { type },
    hasCustomOptions: (custom?.length ?? 0) > 0,
  };
}

function readOptions(r: FlatBufferReader, type: number, o: Table): TfliteOptions {
  const T = OptionsType;
  switch (type) {
    case T.Conv2DOptions:
      return {
        type, padding: r.i8(o, 0, 'padding'), strideW: r.i32(o, 1, 'stride_w'), strideH: r.i32(o, 2, 'stride_h'),
        activation: r.i8(o, 3, 'fused_activation_function'), dilationW: r.i32(o, 4, 'dilation_w_factor', 1), dilationH: r.i32(o, 5, 'dilation_h_factor', 1),
      };
    case T.DepthwiseConv2DOptions:
      return {
        type, padding: r.i8(o, 0, 'padding'), strideW: r.i32(o, 1, 'stride_w'), strideH: r.i32(o, 2, 'stride_h'),
        depthMultiplier: r.i32(o, 3, 'depth_multiplier'), activation: r.i8(o, 4, 'fused_activation_function'),
        dilationW: r.i32(o, 5, 'dilation_w_factor', 1), dilationH: r.i32(o, 6, 'dilation_h_factor', 1),
      };
    case T.Pool2DOptions:
      return {
        type, padding: r.i8(o, 0, 'padding'), strideW: r.i32(o, 1, 'stride_w'), strideH: r.i32(o, 2, 'stride_h'),
        filterW: r.i32(o, 3, 'filter_width'), filterH: r.i32(o, 4, 'filter_height'), activation: r.i8(o, 5, 'fused_activation_function'),
      };
    case T.FullyConnectedOptions:
      return { type, activation: r.i8(o, 0, 'fused_activation_function'), weightsFormat: r.i8(o, 1, 'weights_format'), keepNumDims: r.bool(o, 2, 'keep_num_dims') };
    case T.SoftmaxOptions:
      return { type, beta: r.f32(o, 0, 'beta') };
    case T.ConcatenationOptions:
      return { type, axis: r.i32(o, 0, 'axis'), activation: r.i8(o, 1, 'fused_activation_function') };
    case T.AddOptions:
    case T.MulOptions:
      return { type, activation: r.i8(o, 0, 'fused_activation_function') };
    case T.ReshapeOptions:
      return { type, newShape: r.int32s(o, 0, 'new_shape') };
    case T.ReducerOptions:
      return { type, keepNumDims: r.bool(o, 0, 'keep_dims') };
    case T.SqueezeOptions:
      return { type, squeezeDims: r.int32s(o, 0, 'squeeze_dims') };
    default:
      return { type };
  }
}

/**
 * Where some vectors of subgraph 0 lie in the file, verified: its `outputs`, one operator's `inputs`, one
 * tensor's `shape` and quantization `scale` (float32) and `zero_point` (int64). Tools patch them in place to make a runtime
 * that only returns graph outputs expose an intermediate tensor (e.g. to compare runtimes layer by layer).
 */
export function locateVectors(bytes: Uint8Array, at: { op?: number; tensor?: number } = {}, source = '<bytes>') {
  const r = new FlatBufferReader(bytes, source);
  const subgraphs = r.tables(r.root('model'), 2, 'subgraphs');
  if (subgraphs.length === 0) r.fail('model.subgraphs', 'the model has no subgraph');
  const g = subgraphs[0];
  const need = <T>(v: T | undefined, what: string): T => v ?? r.fail(what, 'missing');
  const outputs = need(r.vector(g, 2, 'outputs', 4), `${g.path}.outputs`);
  let opInputs, scale, zeroPoint, shape;
  if (at.op !== undefined) {
    const op = need(r.tables(g, 3, 'operators')[at.op], `${g.path}.operators[${at.op}]`);
    opInputs = need(r.vector(op, 1, 'inputs', 4), `${op.path}.inputs`);
  }
  if (at.tensor !== undefined) {
    const t = need(r.tables(g, 0, 'tensors')[at.tensor], `${g.path}.tensors[${at.tensor}]`);
    shape = need(r.vector(t, 0, 'shape', 4), `${t.path}.shape`);
    const q = need(r.subTable(t, 4, 'quantization'), `${t.path}.quantization`);
    scale = need(r.vector(q, 2, 'scale', 4), `${q.path}.scale`);
    zeroPoint = need(r.vector(q, 3, 'zero_point', 8), `${q.path}.zero_point`);
  }
  return { outputs, opInputs, shape, scale, zeroPoint };
}
