// TensorProto -> IR tensor: raw_data, the typed *_data fields, or external data, checked against dims.
import type { IrDType, IrTensor } from '../ir/graph.js';
import { ConvertError } from '../ir/errors.js';
import { decodeElements, ELEM_TYPE_SIZE, elemTypeOf, fromHalf, type OnnxElemType } from './dtype.js';
import { externalPath, type ExternalFileReader } from './external.js';
import type { TensorProto } from './proto.js';

export interface ExternalDataOptions {
  /** the folder holding the model file; external locations are relative to it */
  baseDir?: string;
  readFile?: ExternalFileReader;
}

/** Largest tensor accepted (elements), so a forged dims field cannot make us allocate gigabytes. */
const MAX_ELEMENTS = 1 << 28;

/** The IR type an ONNX element type is held as (float16 widens to float32; unsigned ints to int64). */
export function irDType(t: OnnxElemType): IrDType {
  switch (t) {
    case 'float32': case 'float16': return 'float32';
    case 'float64': return 'float64';
    case 'int8': return 'int8';
    case 'uint8': return 'uint8';
    case 'bool': return 'bool';
    case 'int32': case 'int16': case 'uint16': return 'int32';
    default: return 'int64';
  }
}

function externalBytes(p: TensorProto, name: string, n: number, type: OnnxElemType, ext: ExternalDataOptions): Uint8Array {
  const info = new Map(p.externalData.map((e) => [e.key ?? '', e.value ?? '']));
  const location = info.get('location');
  if (!location) throw new ConvertError('EXTERNAL_DATA', `tensor '${name}': external data without a location`);
  if (ext.baseDir === undefined || !ext.readFile) throw new ConvertError('EXTERNAL_DATA', `tensor '${name}' stores its data in '${location}': pass baseDir and readFile to read it`);
  const path = externalPath(ext.baseDir, location, name);
  const file = ext.readFile(path, ext.baseDir);
  const offset = Number(info.get('offset') ?? 0);
  const length = info.has('length') ? Number(info.get('length')) : n * ELEM_TYPE_SIZE[type];
  if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length !== n * ELEM_TYPE_SIZE[type] || offset + length > file.length) {
    throw new ConvertError('EXTERNAL_DATA', `tensor '${name}': external range offset ${info.get('offset') ?? 0}, length ${length} does not fit ${n} ${type} elements in '${location}' (${file.length} bytes)`);
  }
  return file.subarray(offset, offset + length);
}

/** Decodes a TensorProto (initializer or Constant value) into an IR constant. */
export function tensorFromProto(p: TensorProto, fallbackName: string, ext: ExternalDataOptions = {}): IrTensor {
  const name = p.name || fallbackName;
  const type = elemTypeOf(p.dataType);
  if (!type) throw new ConvertError('MALFORMED_ONNX', `tensor '${name}': unsupported data type ${p.dataType ?? 'UNDEFINED'}`);
  const dims = p.dims;
  if (dims.some((d) => !Number.isSafeInteger(d) || d < 0)) throw new ConvertError('MALFORMED_ONNX', `tensor '${name}': bad dims [${dims}]`);
  const n = dims.reduce((a, d) => a * d, 1);
  if (n > MAX_ELEMENTS) throw new ConvertError('MALFORMED_ONNX', `tensor '${name}': ${n} elements is more than wasmq accepts`);
  let values: ArrayLike<number>;
  if (p.dataLocation === 1) {
    values = decodeElements(type, externalBytes(p, name, n, type, ext), n);
  } else if (p.rawData && p.rawData.length > 0) {
    if (p.rawData.length !== n * ELEM_TYPE_SIZE[type]) throw new ConvertError('MALFORMED_ONNX', `tensor '${name}': raw_data has ${p.rawData.length} bytes, dims [${dims}] of ${type} need ${n * ELEM_TYPE_SIZE[type]}`);
    values = decodeElements(type, p.rawData, n);
  } else {
    const field = type === 'float32' ? p.floatData
      : type === 'float64' ? p.doubleData
      : type === 'int64' ? p.int64Data
      : type === 'uint32' || type === 'uint64' ? p.uint64Data
      : type === 'float16' ? p.int32Data.map(fromHalf)
      : p.int32Data;
    if (field.length !== n) throw new ConvertError('MALFORMED_ONNX', `tensor '${name}': has ${field.length} values, dims [${dims}] need ${n}`);
    values = field;
  }
  const dtype = irDType(type);
  return { name, dtype, shape: [...dims], data: dtype === 'float32' ? Float32Array.from(values) : Float64Array.from(values) };
}
